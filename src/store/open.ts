import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import KeyvRedis from '@keyv/redis';
import { KeyvStore } from './keyv-store.js';
import type { Store } from './store.js';

const NAMESPACE = 'dprk-watch';

/**
 * Open the store a URL names: `sqlite://<file>` (default; the directory is created),
 * `redis://…` / `rediss://…`, or `memory:` (nothing persists; used by the demo).
 */
export async function openStore(url: string, namespace = NAMESPACE): Promise<Store> {
  const scheme = url.slice(0, url.indexOf(':'));
  let kv: Keyv;
  switch (scheme) {
    case 'sqlite': {
      const file = url.replace(/^sqlite:\/\//, '');
      if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      kv = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 10_000 }), namespace });
      break;
    }
    case 'redis':
    case 'rediss': {
      const redis = new KeyvRedis(url, { throwOnConnectError: true, throwOnErrors: true, connectionTimeout: 5000 });
      kv = new Keyv({ store: redis, namespace, useKeyPrefix: false });
      break;
    }
    case 'memory':
      kv = new Keyv({ namespace });
      break;
    default:
      throw new Error(`STORE_URL "${url}" is not supported: use sqlite://<file>, redis://host:port or memory:`);
  }
  kv.throwOnErrors = true;
  // A store that cannot be reached must fail now, at start, not at the first poll.
  await kv.get('status:probe');
  return new KeyvStore(kv);
}
