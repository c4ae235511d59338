import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface StoreTarget {
  name: string;
  /** A fresh, empty store URL (unique SQLite file or Redis namespace per call). */
  url: () => string;
  namespace: () => string;
}

let n = 0;
const unique = () => `t${process.pid}-${Date.now()}-${n++}`;

/**
 * Every store backing the tests run against: SQLite always; Redis when REDIS_URL is set
 * (`.ci/run` sets it, so CI always covers it). The skip reason is printed, never silent.
 */
export function storeTargets(): StoreTarget[] {
  const targets: StoreTarget[] = [
    {
      name: 'sqlite',
      url: () => `sqlite://${path.join(mkdtempSync(path.join(tmpdir(), 'dprk-store-')), 'state.sqlite')}`,
      namespace: () => 'dprk-watch',
    },
  ];
  const redis = process.env.REDIS_URL;
  if (redis) targets.push({ name: 'redis', url: () => redis, namespace: () => `dprk-test-${unique()}` });
  else console.warn('[store tests] REDIS_URL is not set: skipping the Redis backing (set REDIS_URL=redis://127.0.0.1:6379 to run it)');
  return targets;
}
