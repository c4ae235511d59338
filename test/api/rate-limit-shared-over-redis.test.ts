/**
 * With a Redis store, two API instances count one key's requests together: a burst spread over
 * both gets exactly the budget through and 429 for the rest. Runs when REDIS_URL is set (the
 * skip is printed, as for the other Redis tests).
 */
import { createClient } from '@redis/client';
import { afterAll, describe, expect, it } from 'vitest';
import { createApi, startApiServer, type ApiServer } from '../../src/adapters/api/server.js';
import { loadConfig } from '../../src/config.js';
import { buildServices } from '../../src/services.js';
import { openStore } from '../../src/store/open.js';
import { deleteRedisNamespace } from '../helpers/stores.js';
import { recordingLog } from '../helpers/pipeline.js';

const REDIS = process.env.REDIS_URL;
const KEY = 'redis-limit-key-0123456789abcdef';
const namespace = `dprk-test-api-rate-${process.pid}-${Date.now()}`;
if (!REDIS) console.warn('[api rate limit] REDIS_URL is not set: skipping the shared Redis rate limit (set REDIS_URL=redis://127.0.0.1:6379 to run it)');

const servers: ApiServer[] = [];
const clients: Array<{ quit(): Promise<unknown> }> = [];
afterAll(async () => {
  for (const s of servers) await s.close();
  for (const c of clients) await c.quit();
  if (REDIS) await deleteRedisNamespace(REDIS, namespace);
});

describe.skipIf(!REDIS)('API rate limit over Redis', () => {
  it('two instances share one budget per key', async () => {
    const config = loadConfig({ STORE_URL: 'memory:', SOURCES: 'ofac-sdn', REPORT_FEEDS: 'none', API_KEYS: KEY, API_RATE_LIMIT: '6', API_RATE_WINDOW_S: '3600' });
    const store = await openStore('memory:', 'api-redis-rate');
    const services = buildServices(config, store);
    for (let i = 0; i < 2; i++) {
      const client = createClient({ url: REDIS });
      await client.connect();
      clients.push(client);
      const api = createApi({ services, log: recordingLog(), settings: config, redis: { client, prefix: `${namespace}::api-rate` } });
      servers.push(await startApiServer({ port: 0, host: '127.0.0.1', handle: api.handle }));
    }
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => fetch(`http://127.0.0.1:${servers[i % 2]!.port}/v1/status`, { headers: { authorization: `Bearer ${KEY}` } })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    for (const a of answers.filter((x) => x.status === 429)) expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
    await store.close();
  });
});
