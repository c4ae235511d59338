import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@redis/client';

export interface StoreTarget {
  name: string;
  /** A fresh, empty store URL (unique SQLite file or Redis namespace per call). */
  url: () => string;
  namespace: () => string;
  /** Remove everything the stores made (SQLite files, Redis keys); call in afterAll/afterEach. */
  cleanup: () => Promise<void>;
}

let n = 0;
const unique = () => `t${process.pid}-${Date.now()}-${n++}`;

/** Delete every Redis key under `<namespace>::` (keyv's values and the shared maps). */
export async function deleteRedisNamespace(url: string, namespace: string): Promise<number> {
  const client = createClient({ url });
  await client.connect();
  try {
    let deleted = 0;
    for await (const keys of client.scanIterator({ MATCH: `${namespace}::*`, COUNT: 500 })) {
      const batch = ([] as string[]).concat(keys as string | string[]);
      if (batch.length > 0) deleted += await client.del(batch);
    }
    return deleted;
  } finally {
    await client.quit();
  }
}

/**
 * Every store backing the tests run against: SQLite always; Redis when REDIS_URL is set
 * (`.ci/run` sets it, so CI always covers it). The skip reason is printed, never silent.
 */
export function storeTargets(): StoreTarget[] {
  const dirs: string[] = [];
  const targets: StoreTarget[] = [
    {
      name: 'sqlite',
      url: () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'dprk-store-'));
        dirs.push(dir);
        return `sqlite://${path.join(dir, 'state.sqlite')}`;
      },
      namespace: () => 'dprk-watch',
      cleanup: async () => {
        for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
      },
    },
  ];
  const redis = process.env.REDIS_URL;
  if (redis) {
    const namespaces: string[] = [];
    targets.push({
      name: 'redis',
      url: () => redis,
      namespace: () => {
        const ns = `dprk-test-${unique()}`;
        namespaces.push(ns);
        return ns;
      },
      cleanup: async () => {
        for (const ns of namespaces.splice(0)) await deleteRedisNamespace(redis, ns);
      },
    });
  } else console.warn('[store tests] REDIS_URL is not set: skipping the Redis backing (set REDIS_URL=redis://127.0.0.1:6379 to run it)');
  return targets;
}
