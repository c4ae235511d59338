import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Keyv from 'keyv';
import { keyvValues, type Backend } from './backend.js';
import { MemoryMaps } from './memory-maps.js';
import { redisMap, type RedisEval } from './redis-maps.js';
import { prepareSqliteMaps, sqliteMap, type SqlQuery } from './sqlite-maps.js';
import { StateStore } from './state-store.js';
import { sqliteFileOf } from './url.js';
import type { Store } from './store.js';
import { upgradeLegacyState } from './upgrade.js';

const NAMESPACE = 'dprk-watch';

// Each backend's driver is loaded only when a URL names it: a CLI lookup on SQLite never pays
// for the Redis client (about 90 ms and 10 MB at start).
async function sqliteBackend(url: string, namespace: string): Promise<Backend> {
  const { default: KeyvSqlite } = await import('@keyv/sqlite');
  const file = sqliteFileOf(url) ?? '';
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const adapter = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 10_000 });
  const kv = new Keyv({ store: adapter, namespace });
  // The maps share the adapter's connection (and its busy timeout) and live in the same file.
  const query = adapter.query as SqlQuery;
  await prepareSqliteMaps(query);
  return { kind: 'sqlite', values: keyvValues(checked(kv)), map: (name) => sqliteMap(query, namespace, name), close: () => kv.disconnect() };
}

async function redisBackend(url: string, namespace: string): Promise<Backend> {
  const { default: KeyvRedis } = await import('@keyv/redis');
  const adapter = new KeyvRedis(url, { throwOnConnectError: true, throwOnErrors: true, connectionTimeout: 5000 });
  const kv = new Keyv({ store: adapter, namespace, useKeyPrefix: false });
  // Keys of the maps sit beside keyv's own ("<namespace>::status:…"), so one prefix holds all.
  const prefix = `${namespace}::`;
  return { kind: 'redis', values: keyvValues(checked(kv)), map: (name) => redisMap(adapter.client as unknown as RedisEval, prefix, name), close: () => kv.disconnect() };
}

function memoryBackend(namespace: string): Backend {
  const kv = new Keyv({ namespace });
  const maps = new MemoryMaps();
  return { kind: 'memory', values: keyvValues(checked(kv)), map: (name) => maps.map(name), close: () => kv.disconnect() };
}

function checked(kv: Keyv): Keyv {
  kv.throwOnErrors = true;
  return kv;
}

/**
 * Open the store a URL names: `sqlite://<file>` (default; the directory is created),
 * `redis://…` / `rediss://…`, or `memory:` (nothing persists; used by the demo). State
 * written by earlier versions is brought to today's layout before the store is returned.
 */
export async function openStore(url: string, namespace = NAMESPACE): Promise<Store> {
  const scheme = url.slice(0, url.indexOf(':'));
  let backend: Backend;
  switch (scheme) {
    case 'sqlite':
      backend = await sqliteBackend(url, namespace);
      break;
    case 'redis':
    case 'rediss':
      backend = await redisBackend(url, namespace);
      break;
    case 'memory':
      backend = memoryBackend(namespace);
      break;
    default:
      throw new Error(`STORE_URL "${url}" is not supported: use sqlite://<file>, redis://host:port or memory:`);
  }
  try {
    // A store that cannot be reached must fail now, at start, not at the first poll.
    await backend.values.get('status:probe');
    const store = new StateStore(backend);
    await upgradeLegacyState(store);
    return store;
  } catch (e) {
    await backend.close().catch(() => undefined);
    throw e;
  }
}
