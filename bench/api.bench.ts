/**
 * HTTP API benchmark: `GET /v1/lookup` under 50 concurrent clients, beside a baseline measured
 * in the same run — the same lookups through the same command (`entity`, what the API calls)
 * in-process, with no HTTP.
 *
 *   npm run bench:api          (BENCH_SECONDS per phase, default 10; BENCH_CLIENTS, default 50)
 *
 * Data: a memory store polled from the full OFAC SDN CSV (2023-12-01, 13,436 records) and the
 * full UN consolidated list (2026-02-27) through file:// URLs, as a deployment polls them.
 * Queries: test/fixtures/lookup-queries.json (names, variants, wallets, identifiers, negatives),
 * cycled. Clients: node:http with a keep-alive agent, one request in flight per client.
 * Latency is per request, from send to the last byte (performance.now()).
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { COMMANDS } from '../commands/index.js';
import { createApi, startApiServer } from '../src/adapters/api/server.js';
import { runCommand } from '../src/commands/dispatch.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { pollSource } from '../src/pipeline/poll.js';
import { buildServices } from '../src/services.js';
import { ofacSdnSource } from '../src/sources/ofac/source.js';
import { unScSource } from '../src/sources/un/source.js';
import { openStore } from '../src/store/open.js';
import { FIXTURES } from '../test/helpers/fixtures.js';
import { realFileUrl } from '../test/helpers/pipeline.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const KEY = 'bench-key-0123456789abcdef';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (x: number) => `${x.toFixed(2)} ms`;

const queries = (JSON.parse(readFileSync(path.join(FIXTURES, 'lookup-queries.json'), 'utf8')) as Array<{ query: string }>)
  .map((q) => q.query.trim())
  .filter((q) => q.length >= 2 && q.length <= 200);

const sdn = realFileUrl('ofac_sdn_csv/sdn_2023-12-01.csv.gz');
const un = realFileUrl('un_consolidated_xml/consolidated_2026-02-27.xml.gz');
const config = loadConfig({ STORE_URL: 'memory:', SOURCES: 'ofac-sdn,un-sc', OFAC_SDN_URL: sdn, UN_SC_URL: un, REPORT_FEEDS: 'none', API_KEYS: KEY, API_RATE_LIMIT: '1000000' });
const log = createLogger('warn', { format: 'json' });
const store = await openStore('memory:', 'bench-api');
const fetchOpts = { timeoutMs: 60_000, maxBytes: 200 * 1024 * 1024, userAgent: 'dprk-watch-bench' };
for (const source of [ofacSdnSource(sdn), unScSource(un)]) await pollSource(source, { store, log, scope: 'all', maxRemovalShare: 0.05, fetch: fetchOpts });
const services = buildServices(config, store);
const entity = COMMANDS.find((c) => c.definition.name === 'entity')!;
const { editions } = await services.lookup.current(); // build the index once, as a running bot has
console.log(`data: ${editions.map((e) => `${e.source} ${e.recordCount}`).join(', ')}; ${queries.length} queries cycled; ${CLIENTS} clients; ${SECONDS} s per phase`);

// Baseline: the same command in-process, one after another (Node runs one at a time anyway).
let baselineRate: number;
{
  const lat: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  let i = 0;
  const t0 = performance.now();
  while (performance.now() < end) {
    const s = performance.now();
    await runCommand(entity, { services, invoker: { platform: 'api', canManageChannel: false } }, { query: queries[i++ % queries.length], limit: 5 });
    lat.push(performance.now() - s);
  }
  const took = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  console.log(`baseline (in-process entity command, no HTTP): ${(lat.length / took).toFixed(0)} lookups/s, p50 ${ms(pct(lat, 50))}, p99 ${ms(pct(lat, 99))}`);
  baselineRate = lat.length / took;
}

const server = await startApiServer({ port: 0, host: '127.0.0.1', handle: createApi({ services, log, settings: config }).handle });
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
const get = (q: string) =>
  new Promise<number>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: `/v1/lookup?q=${encodeURIComponent(q)}&limit=5`, agent, headers: { authorization: `Bearer ${KEY}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
  });

async function load(seconds: number): Promise<{ lat: number[]; statuses: Map<number, number>; took: number }> {
  const lat: number[] = [];
  const statuses = new Map<number, number>();
  const end = performance.now() + seconds * 1000;
  let i = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        const status = await get(queries[i++ % queries.length]!);
        lat.push(performance.now() - s);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  return { lat, statuses, took: (performance.now() - t0) / 1000 };
}

await load(Math.min(2, SECONDS)); // warm-up: connections, JIT
const { lat, statuses, took } = await load(SECONDS);
lat.sort((a, b) => a - b);
const rate = lat.length / took;
console.log(
  `HTTP API GET /v1/lookup, ${CLIENTS} concurrent clients: ${rate.toFixed(0)} requests/s, p50 ${ms(pct(lat, 50))}, p99 ${ms(pct(lat, 99))}, max ${ms(lat.at(-1)!)}; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
);
console.log(`HTTP API throughput / in-process baseline: ${(rate / baselineRate).toFixed(2)}×`);
agent.destroy();
await server.close();
await store.close();
