/**
 * Discord command latency: from the moment the fake Discord writes INTERACTION_CREATE to
 * the bot's gateway socket to the moment it receives the bot's interaction callback (POST
 * /interactions/{id}/{token}/callback), for `/dprk entity` lookups sent 50 at a time.
 *
 *   node --import tsx bench/commands-discord.bench.ts
 *
 * Everything real but the network: the discord.js client (gateway + REST, its rate
 * limiter included), runCommand, the entity index over the full OFAC SDN list (sdn.csv
 * 2023-12-01, 13,436 records) and the UN consolidated list (2026-02-27), the Discord
 * renderer; the fake Discord runs in this process on 127.0.0.1. Queries cycle through
 * test/fixtures/lookup-queries.json (names, aliases, typos, Hangul, wallets, identifiers).
 *
 * BENCH_ROUNDS (default 20) rounds of BENCH_CONCURRENCY (default 50) concurrent lookups,
 * after one warm-up round. Target (printed, not asserted): p99 ≤ 100 ms. A burst of 50 is
 * answered by one Node thread, so p99 is about the CPU time of the whole burst: the CPU per
 * lookup is printed too, with the load average (a busy machine inflates the percentiles).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiscordBot } from '../src/adapters/discord.js';
import { registerCommands } from '../src/cli/register-commands.js';
import { loadConfig } from '../src/config.js';
import { buildServices } from '../src/services.js';
import { ofacSdnSource } from '../src/sources/ofac/source.js';
import { unScSource } from '../src/sources/un/source.js';
import { openStore } from '../src/store/open.js';
import { FakeDiscord, type FakeInteraction } from '../test/helpers/fake-discord.js';
import { FIXTURES } from '../test/helpers/fixtures.js';
import { poll, realFileUrl, recordingLog } from '../test/helpers/pipeline.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const TARGET_P99_MS = 100;

const queries = (JSON.parse(readFileSync(path.join(FIXTURES, 'lookup-queries.json'), 'utf8')) as Array<{ query: string }>)
  .map((q) => q.query)
  .filter((q) => q.trim().length >= 2 && q.length <= 200);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main(): Promise<void> {
  const t0 = performance.now();
  const store = await openStore('memory:', 'bench-discord');
  const log = recordingLog();
  await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_2023-12-01.csv.gz')), store, 'dprk', log);
  await poll(unScSource(realFileUrl('un_consolidated_xml/consolidated_2026-02-27.xml.gz')), store, 'dprk', log);
  const services = buildServices(loadConfig({}), store);
  const { editions } = await services.lookup.current(); // the app warms the index at start
  const records = editions.reduce((n, e) => n + e.recordCount, 0);

  const fake = await new FakeDiscord({ maxRecords: 2 * CONCURRENCY }).start();
  const reg = await registerCommands(
    { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_GUILD_ID: fake.guild.id, DISCORD_API_URL: fake.apiUrl },
    { out: () => undefined, err: (l) => console.error(l) },
  );
  if (reg !== 0) throw new Error('could not register /dprk with the fake');
  const bot = new DiscordBot({ token: fake.token, apiUrl: fake.apiUrl, services, log });
  await bot.start();
  const setupMs = performance.now() - t0;

  let q = 0;
  const round = async (): Promise<{ latencies: number[]; types: number[]; statuses: number[] }> => {
    const sent: FakeInteraction[] = [];
    for (let i = 0; i < CONCURRENCY; i++) sent.push(fake.chatInput({ subcommand: 'entity', options: { query: queries[q++ % queries.length]! } }));
    const callbacks = await Promise.all(sent.map((s) => s.callback));
    return {
      latencies: callbacks.map((c, i) => c.at - sent[i]!.dispatchedAt),
      types: callbacks.map((c) => (c.body as { type: number }).type),
      statuses: callbacks.map((c) => c.status),
    };
  };

  await round(); // warm-up: JIT, sockets, discord.js caches
  const latencies: number[] = [];
  const deferred: number[] = [];
  let failed = 0;
  const tRun = performance.now();
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < ROUNDS; r++) {
    const res = await round();
    latencies.push(...res.latencies);
    deferred.push(...res.types.filter((t) => t === 5));
    failed += res.statuses.filter((s) => s !== 204).length;
  }
  const runMs = performance.now() - tRun;
  const cpu = process.cpuUsage(cpu0);
  const cpuPerLookupMs = (cpu.user + cpu.system) / 1000 / latencies.length;
  await bot.stop();
  await fake.stop();
  await store.close();

  const sorted = [...latencies].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  const lines = [
    'dprk-watch — Discord /dprk entity latency (INTERACTION_CREATE dispatched → interaction callback received)',
    `  machine            ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}`,
    `  index              ${records.toLocaleString('en')} records (${editions.map((e) => `${e.source} ${e.recordCount}`).join(', ')})`,
    `  load               ${ROUNDS} rounds × ${CONCURRENCY} concurrent lookups (${latencies.length} measured, after 1 warm-up round); ${queries.length} distinct queries`,
    `  setup              ${ms(setupMs)} (ingest both lists, build index, register, gateway login)`,
    `  p50                ${ms(p50)}`,
    `  p90                ${ms(percentile(sorted, 90))}`,
    `  p99                ${ms(p99)}`,
    `  max                ${ms(sorted.at(-1) ?? NaN)}`,
    `  mean               ${ms(latencies.reduce((a, b) => a + b, 0) / latencies.length)}`,
    `  throughput         ${((latencies.length / runMs) * 1000).toFixed(0)} lookups/s`,
    `  CPU per lookup     ${ms(cpuPerLookupMs)} (bot and fake together, this process) → ${ms(cpuPerLookupMs * CONCURRENCY)} of CPU per burst of ${CONCURRENCY}`,
    `  load average       ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs (other processes inflate the percentiles)`,
    `  deferred / failed  ${deferred.length} / ${failed}`,
    `  target             p99 ≤ ${TARGET_P99_MS} ms — ${p99 <= TARGET_P99_MS && failed === 0 ? 'MET' : 'NOT MET'}`,
  ];
  console.log(lines.join('\n'));
}

await main();
