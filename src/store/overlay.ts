import type { Backend, Values } from './backend.js';
import { MemoryMaps } from './memory-maps.js';
import type { SharedMap } from './shared-map.js';
import { StateStore } from './state-store.js';
import type { Store } from './store.js';

const DELETED = Symbol('deleted');

/**
 * A store for dry runs: reads see the real store, writes stay in this process's memory. The
 * whole pipeline runs — fetch, diff against the stored lists, alerts, the outbox drain — and
 * nothing is stored, queued, delivered or locked for anyone else. A shared map is copied from
 * the real store the first time it is touched, then changed in memory only.
 */
export function dryRunStore(base: Store): Store {
  if (!(base instanceof StateStore)) throw new Error('a dry run needs a store opened by openStore');
  const real = base.backend;
  const written = new Map<string, unknown>();
  const values: Values = {
    get: async (k) => (written.has(k) ? undefined_(written.get(k)) : real.values.get(k)),
    getMany: async (ks) => {
      const fromBase = await real.values.getMany(ks);
      return ks.map((k, i) => (written.has(k) ? undefined_(written.get(k)) : fromBase[i]));
    },
    hasMany: async (ks) => {
      const fromBase = await real.values.hasMany(ks);
      return ks.map((k, i) => (written.has(k) ? written.get(k) !== DELETED : fromBase[i]!));
    },
    set: async (k, v) => void written.set(k, v),
    delete: async (k) => void written.set(k, DELETED),
  };
  const memory = new MemoryMaps();
  const copies = new Map<string, Promise<void>>();
  const copied = (name: string): Promise<void> => {
    let p = copies.get(name);
    if (!p) {
      p = real
        .map(name)
        .entries()
        .then(async (entries) => void (await memory.map(name).add(entries)));
      copies.set(name, p);
    }
    return p;
  };
  const map = (name: string): SharedMap => {
    const m = memory.map(name);
    const after =
      <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
      async (...a: A): Promise<R> => {
        await copied(name);
        return f(...a);
      };
    return {
      name,
      get: after(m.get),
      entries: after(m.entries),
      size: after(m.size),
      add: after(m.add),
      set: after(m.set),
      compareAndSet: after(m.compareAndSet),
      delete: after(m.delete),
      trim: after(m.trim),
      clear: after(m.clear),
    };
  };
  const backend: Backend = { kind: `${real.kind} (dry run)`, values, map, close: () => real.close() };
  return new StateStore(backend);
}

const undefined_ = (v: unknown) => (v === DELETED ? undefined : v);
