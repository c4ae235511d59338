/**
 * Graceful shutdown (issue #6): `dprk-watch start` is sent SIGTERM in the middle of fanning
 * nine real alerts (OFAC sdn.csv 2023-11-30 → 2023-12-01) out to 60 Discord bot channels and 6
 * webhooks. It stops starting sends, lets the ones in flight finish and be recorded, keeps the
 * rest queued, and exits 0; a restart delivers the rest — nothing lost, and, because every
 * confirmed send was recorded before the exit, nothing repeated anywhere (not even on the
 * webhooks, which have no nonce), and no nonce repeated either.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { spawnBot, until } from '../helpers/bot-process.js';
import { runCli } from '../helpers/cli.js';
import { DISCORD_FANOUT_CONCURRENCY } from '../../src/adapters/discord-output.js';
import { audit, makeDestinations, subscriptionsFor, summarise } from '../helpers/delivery-audit.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { realFileUrl } from '../helpers/pipeline.js';
import { replaceSubscriptions } from '../helpers/subscriptions.js';

const discord = new FakeDiscord();

beforeAll(async () => {
  await discord.start();
});
// The bots are stopped by the children helper after the test (setup-children.ts), before this.
afterAll(async () => {
  await discord.stop();
});

describe('SIGTERM during a fan-out', () => {
  it('exits 0 after the sends in flight, with the rest queued; the restart finishes without loss or repeat', { timeout: 180_000 }, async () => {
    const dests = makeDestinations(discord, { discordChannels: 60, discordHooks: 6 }, 'term');
    const all = [...dests.discordChannels, ...dests.discordHooks.map((h) => h.channelId)];
    const storeUrl = `sqlite://${path.join(mkdtempSync(path.join(tmpdir(), 'dprk-sigterm-')), 'state.sqlite')}`;
    const seed = await openStore(storeUrl);
    await replaceSubscriptions(seed, subscriptionsFor(dests, discord));
    await seed.close();
    const env = {
      STORE_URL: storeUrl,
      SOURCES: 'ofac-sdn',
      ALERT_SCOPE: 'all',
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GATEWAY: 'off',
      OFAC_SDN_URL: realFileUrl('ofac_sdn_csv/sdn_2023-12-01.csv.gz'),
    };
    const baseline = await runCli(['poll', '--once'], { ...env, OFAC_SDN_URL: realFileUrl('ofac_sdn_csv/sdn_2023-11-30.csv.gz') });
    expect(baseline.code, baseline.stderr).toBe(0);

    const arrived = () => all.reduce((s, c) => s + discord.messagesIn(c).length, 0);
    const total = all.length * 9;
    const first = spawnBot(['start'], env, 'first');
    await until(() => arrived() >= 60 || !first.alive(), 90_000, 'the fan-out to be under way');
    expect(first.alive()).toBe(true);
    const atSignal = arrived();
    const signalledAt = performance.now();
    const end = await first.stop('SIGTERM');
    const exitMs = performance.now() - signalledAt;
    const afterSignal = arrived() - atSignal;

    expect(end).toEqual({ code: 0, signal: null });
    expect(first.stderr()).toMatch(/delivery stopped part-way/);
    const store = await openStore(storeUrl);
    const queued = (await store.pendingAlerts()).length;
    await store.close();
    console.info(
      `[sigterm] SIGTERM after ${atSignal} of ${total} messages: ${afterSignal} more arrived (the sends in flight), exit 0 after ${Math.round(exitMs)} ms, ${queued} of 9 alerts still queued`,
    );
    // It did not finish the fan-out first: only what was in flight arrived after the signal
    // (the Discord output has at most DISCORD_FANOUT_CONCURRENCY posts out at once), and the rest is queued.
    expect(afterSignal).toBeLessThanOrEqual(DISCORD_FANOUT_CONCURRENCY);
    expect(arrived()).toBeLessThan(total);
    expect(queued).toBeGreaterThan(0);

    // The restart delivers the rest, then is stopped while idle.
    const second = spawnBot(['start'], env, 'second');
    await second.waitFor(/dprk-watch is running/, 90_000);
    expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    const after = await openStore(storeUrl);
    const alerts = (await after.recentAlerts(50)).reverse();
    expect(await after.pendingAlerts()).toEqual([]);
    await after.close();
    const result = audit(alerts, dests, discord);
    console.info(`[sigterm] after the restart:\n${summarise(result)}\nrepeated nonces: ${result.repeatedNonces}`);
    for (const d of result.destinations) expect(d.received, `${d.kind} ${d.destination}`).toEqual(d.expected);
    expect(result.repeatedNonces).toBe(0);
    // The console printed each alert once across both runs.
    expect((first.stdout() + second.stdout()).match(/ADDED · OFAC SDN/g)).toHaveLength(9);
  });
});
