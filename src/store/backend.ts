import type Keyv from 'keyv';
import type { SharedMap } from './shared-map.js';

/**
 * Whole JSON values by key (alerts, snapshots, source status, feed and verdict state). Each
 * key has one writer at a time: a source's state is written only by that source's poll, which
 * holds the source's lock; alerts never change once written.
 */
export interface Values {
  get(key: string): Promise<unknown>;
  getMany(keys: readonly string[]): Promise<unknown[]>;
  hasMany(keys: readonly string[]): Promise<boolean[]>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/** What a store is made of: values, shared maps, and a way to close the connection. */
export interface Backend {
  /** "sqlite", "redis" or "memory" (for logs and status). */
  readonly kind: string;
  readonly values: Values;
  map(name: string): SharedMap;
  close(): Promise<void>;
}

/** Values over any keyv backing; every write must be acknowledged (keyv reports refusals as `false`). */
export function keyvValues(kv: Keyv): Values {
  return {
    get: (k) => kv.get(k),
    getMany: (ks) => kv.getMany([...ks]),
    hasMany: (ks) => kv.hasMany([...ks]),
    async set(k, value) {
      if ((await kv.set(k, value)) === false) throw new Error(`store refused to write "${k}"`);
    },
    async delete(k) {
      await kv.delete(k);
    },
  };
}
