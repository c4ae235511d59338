/**
 * Fan-out under Discord's rate limits: one real alert to 500 Discord channel subscriptions,
 * through the outbox, discordOutput and fanOut as in production (discord.js' REST client and
 * its limiter, a SQLite store), against the fake Discord enforcing the global limit of 50
 * requests/s and the per-channel buckets (5 per 5 s).
 *
 *   node --import tsx bench/fanout.bench.ts
 *
 * Prints the total time beside the physical bound (channels / 50 per second = 10 s; target
 * ≤ 1.15×), the 429s received (target 0), and the messages delivered (must be one per channel).
 * Exits non-zero when a channel did not get exactly one message.
 *
 * BENCH_CHANNELS (default 500); BENCH_LATENCY_MS (default 0) adds a round trip to every request
 * (real Discord is 20–200 ms away); BENCH_CONCURRENCY overrides discordOutput's default.
 *
 * Discord's and @discordjs/rest's global limit are fixed 1 s windows: 500 requests fill ten, the
 * last starting after nine (plus discord.js' 50 ms offset each), so a limiter that is never idle
 * finishes a little under the 10 s bound.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discordOutput } from '../src/adapters/discord-output.js';
import { drainOutbox } from '../src/delivery/outbox.js';
import { ofacSdnSource } from '../src/sources/ofac/source.js';
import { openStore } from '../src/store/open.js';
import { TOPICS, type Subscription } from '../src/subscriptions/model.js';
import { SubscriptionStore } from '../src/subscriptions/store.js';
import { FakeDiscord, snowflake, type FakeChannel } from '../test/helpers/fake-discord.js';
import { poll, realFileUrl, recordingLog } from '../test/helpers/pipeline.js';

const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 500);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 0);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined;
const GLOBAL_PER_SECOND = 50;
const TARGET_RATIO = 1.15;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dprk-fanout-bench-'));
  try {
    const log = recordingLog();
    // A real alert: the 2022-04-14 amendment adding an ETH address to LAZARUS GROUP.
    const src = await openStore('memory:', 'bench-fanout-alerts');
    await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv')), src, 'dprk', log);
    const r = await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv')), src, 'dprk', log);
    if (r.outcome !== 'changed') throw new Error('expected the real 2022-04-14 amendment');
    const alert = r.alerts[0]!;

    const channels: FakeChannel[] = Array.from({ length: CHANNELS }, (_, i) => ({ id: snowflake(), name: `alerts-${i}`, type: 0 }));
    const fake = await new FakeDiscord({
      guilds: [{ id: snowflake(), name: 'Sanctions Desks', ownerId: snowflake(), channels }],
      rateLimits: { globalPerSecond: GLOBAL_PER_SECOND },
      latencyMs: LATENCY_MS,
    }).start();

    const store = await openStore(`sqlite://${path.join(dir, 'state.sqlite')}`, 'bench-fanout');
    const now = new Date().toISOString();
    const subscriptions = new SubscriptionStore(store);
    for (const sub of channels.map(
        (c): Subscription => ({
          platform: 'discord',
          workspaceId: fake.guild.id,
          channelId: c.id,
          topics: [...TOPICS],
          filters: { lists: [], programs: [], types: [], keywords: [] },
          delivery: { mode: 'instant' },
          createdAt: now,
          updatedAt: now,
        }),
      ))
      await subscriptions.put(sub);
    if ((await subscriptions.all()).length !== CHANNELS) throw new Error('the subscriptions did not round-trip through the store');
    await store.recordAlerts([alert]);
    const out = discordOutput({ services: { store }, token: fake.token, apiUrl: fake.apiUrl, log, webhookUrls: [], ...(CONCURRENCY ? { concurrency: CONCURRENCY } : {}) });

    const t0 = performance.now();
    const delivered = await drainOutbox(store, [out], log);
    const seconds = (performance.now() - t0) / 1000;

    const counts = channels.map((c) => fake.messagesIn(c.id).length);
    const exactlyOnce = counts.filter((n) => n === 1).length;
    const posts = fake.requestsTo('POST', /^\/channels\/\d+\/messages$/);
    const status429 = posts.filter((p) => p.status === 429).length;
    const rl = fake.rateLimited;
    const bound = CHANNELS / GLOBAL_PER_SECOND;
    const ratio = seconds / bound;
    const errors = log.lines.filter((l) => l.level === 'error' || l.level === 'warn');

    console.log(`fan-out: one alert → ${CHANNELS} Discord channels, fake at ${GLOBAL_PER_SECOND} req/s global, 5 per 5 s per channel, latency ${LATENCY_MS} ms`);
    console.log(`  total time        ${seconds.toFixed(2)} s`);
    console.log(`  physical bound    ${bound.toFixed(2)} s  (${CHANNELS} / ${GLOBAL_PER_SECOND} per s)`);
    console.log(`  ratio             ${ratio.toFixed(3)}×  (target ≤ ${TARGET_RATIO}×) ${ratio <= TARGET_RATIO ? 'OK' : 'MISSED'}`);
    console.log(`  429s received     ${rl.global + rl.route + rl.injected}  (global ${rl.global}, route ${rl.route}; ${status429} seen on POSTs; target 0)`);
    console.log(`  requests          ${posts.length} POSTs for ${CHANNELS} messages`);
    console.log(`  delivered         ${counts.reduce((a, b) => a + b, 0)} messages; ${exactlyOnce}/${CHANNELS} channels exactly once; alert off the queue: ${delivered.length === 1}`);
    if (errors.length > 0) console.log(`  log warnings/errors: ${errors.length} (first: ${errors[0]!.msg})`);

    await store.close();
    await fake.stop();
    if (exactlyOnce !== CHANNELS || delivered.length !== 1) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
