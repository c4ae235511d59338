/**
 * Crash test (issue #6): a real `dprk-watch poll --once` fans nine real alerts (OFAC sdn.csv
 * 2023-11-30 → 2023-12-01, Treasury jy1938: Kimsuky and eight more, ALERT_SCOPE=all) out to
 * 200 destinations — 150 Discord bot channels, 25 Discord webhooks, 13 Slack channels and 12
 * Slack webhooks — and is killed with SIGKILL at 20 random points of the fan-out, restarted
 * after each, then left to finish. The fakes count every message:
 *
 * - 0 lost anywhere;
 * - 0 duplicates in Discord bot channels (the nonce absorbs the repeats: counted too);
 * - elsewhere at most one duplicate per crash (sends there run one at a time, each recorded
 *   before the next), and never more than one per restart;
 * - every destination gets the alerts in the source's order.
 *
 * The kill points come from a seed (printed; CRASH_SEED=… reproduces a run). Some kills land
 * exactly on a confirmation (the fake has just answered, the bot has not recorded it yet) —
 * the worst case — the others after a random delay.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { sleep, spawnBot, until, type BotProcess } from '../helpers/bot-process.js';
import { seededRandom } from '../helpers/random.js';
import { audit, confirmedDeliveries, makeDestinations, subscriptionsFor, summarise } from '../helpers/delivery-audit.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FAKE_BOT, FakeSlack } from '../helpers/fake-slack.js';
import { realFileUrl } from '../helpers/pipeline.js';
import { replaceSubscriptions } from '../helpers/subscriptions.js';

const SEED = Number(process.env.CRASH_SEED ?? 20231201);
const CRASHES = 20;
/** The nine additions of 2023-12-01, in the order the list has them (test/pipeline/real-pairs.test.ts). */
const SOURCE_ORDER = ['37656', '37657', '37658', '45430', '46129', '46130', '46131', '46448', '46449'];

const discord = new FakeDiscord();
const slack = new FakeSlack();

beforeAll(async () => {
  await discord.start();
  await slack.start();
});
// Every bot run is stopped by the children helper after the test (setup-children.ts), before this.
afterAll(async () => {
  await discord.stop();
  await slack.stop();
});

describe('a fan-out to 200 destinations killed 20 times', () => {
  // 21 cold starts of the bin (each a tsx load and an sdn.csv parse): the hang guard allows a loaded machine.
  it('loses nothing, never repeats in a Discord bot channel, repeats at most one message per crash elsewhere, and keeps the source order', { timeout: 600_000 }, async () => {
    const t0 = performance.now();
    const random = seededRandom(SEED);
    console.info(`[crash-fanout] seed ${SEED} (set CRASH_SEED to reproduce)`);

    const dests = makeDestinations(discord, { discordChannels: 150, discordHooks: 25, slackChannels: 13, slackHooks: 12 }, 'k');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dprk-crash-')), 'state.sqlite');
    const storeUrl = `sqlite://${file}`;
    const seed = await openStore(storeUrl);
    await replaceSubscriptions(seed, subscriptionsFor(dests, discord, slack));
    await seed.close();
    const env = {
      STORE_URL: storeUrl,
      SOURCES: 'ofac-sdn',
      ALERT_SCOPE: 'all',
      LOG_LEVEL: 'warn',
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: FAKE_BOT.token,
      SLACK_SIGNING_SECRET: 'crash-test-signing-secret',
      SLACK_API_URL: slack.apiUrl,
    };
    const runs: BotProcess[] = [];
    const run = (sdn: string, name: string) => {
      const bot = spawnBot(['poll', '--once'], { ...env, OFAC_SDN_URL: realFileUrl(`ofac_sdn_csv/${sdn}`) }, name);
      runs.push(bot);
      return bot;
    };

    // The baseline: no alerts yet, nothing sent.
    const baseline = run('sdn_2023-11-30.csv.gz', 'baseline');
    expect((await baseline.exited).code, baseline.stderr()).toBe(0);
    expect(discord.requests.filter((r) => r.method === 'POST')).toEqual([]);

    // Messages the fakes accepted (bot-channel repeats the nonce absorbed do not count).
    const arrived = () =>
      [...dests.discordChannels, ...dests.discordHooks.map((h) => h.channelId)].reduce((s, c) => s + discord.messagesIn(c).length, 0) +
      slack.requests.filter((r) => (r.endpoint === 'chat.postMessage' || r.endpoint === 'webhook') && r.status === 200).length;
    const TOTAL = SOURCE_ORDER.length * 200;
    // Kill points: random message counts between the first few dozen and 85 % of the fan-out
    // (each run must get at least a few messages out before it is killed).
    const points = Array.from({ length: CRASHES }, () => Math.round(40 + random() * (TOTAL * 0.85 - 40))).sort((x, y) => x - y);
    const modes = Array.from({ length: CRASHES }, (_, i) => (['bot-confirmation', 'other-confirmation', 'random'] as const)[i % 3]!);

    const botPost = /^\/channels\/\d+\/messages$/;
    const isHook = (p: string) => p.startsWith('/webhooks/');
    const kills: Array<{ run: number; mode: string; arrivedBefore: number; at: number }> = [];
    const runStarts: number[] = [];
    for (let i = 0; i < CRASHES; i++) {
      const from = arrived();
      runStarts.push(performance.now());
      const bot = run('sdn_2023-12-01.csv.gz', `run-${i}`);
      const target = Math.max(points[i]!, from + 3);
      await until(() => arrived() >= target || !bot.alive(), 60_000, `${target} messages (run ${i})`);
      if (!bot.alive()) throw new Error(`run ${i} ended before it could be killed (${(await bot.exited).code}): ${bot.stderr().slice(-2000)}`);
      const mode = modes[i]!;
      const since = performance.now();
      let killed = false;
      const kill = (how: string) => {
        if (killed || !bot.alive()) return;
        killed = true;
        kills.push({ run: i, mode: how, arrivedBefore: arrived(), at: performance.now() });
        bot.child.kill('SIGKILL');
      };
      if (mode === 'random') {
        await sleep(Math.floor(random() * 60));
        kill(mode);
      } else {
        // Kill the moment a fake confirms a post, before the bot can record it (or, if no such
        // post comes within half a second — another phase of the fan-out — then).
        const pending: Array<Promise<unknown>> =
          mode === 'bot-confirmation'
            ? [discord.waitForRequest((r) => r.at >= since && r.method === 'POST' && botPost.test(r.path) && r.status === 200, 500)]
            : [
                discord.waitForRequest((r) => r.at >= since && r.method === 'POST' && isHook(r.path) && r.status === 200, 500),
                slack.waitFor((r) => r.at >= since && r.status === 200 && (r.endpoint === 'webhook' || r.endpoint === 'chat.postMessage'), 500),
              ];
        for (const p of pending) p.catch(() => undefined);
        await Promise.race([
          Promise.any(pending).then(
            () => kill(mode),
            () => kill('random'),
          ),
          bot.exited,
        ]);
        kill('random');
      }
      expect((await bot.exited).signal).toBe('SIGKILL');
    }

    // The last restart finishes the fan-out (and polls: the list is unchanged).
    runStarts.push(performance.now());
    const last = run('sdn_2023-12-01.csv.gz', 'final');
    const end = await last.exited;
    expect(end.code, last.stderr()).toBe(0);
    expect(last.stderr()).toMatch(/✓ ofac-sdn: unchanged/);

    const store = await openStore(storeUrl);
    const alerts = (await store.recentAlerts(50)).reverse();
    expect(alerts.map((a) => ('sourceId' in a ? a.sourceId : a.id))).toEqual(SOURCE_ORDER);
    expect(await store.pendingAlerts()).toEqual([]);
    // Housekeeping: delivery records are dropped once an alert is delivered (a kill between the
    // two leaves one behind: harmless, the alert is off the queue).
    const leftovers: string[] = [];
    for (const a of alerts)
      for (const p of ['discord', 'slack']) if ((await confirmedDeliveries(store, p, a.id)).length > 0) leftovers.push(`${p}:${a.id}`);
    await store.close();

    const result = audit(alerts, dests, discord, slack);
    // Which run (1 = the first restart) each duplicate arrived in.
    const runOf = (at: number) => runStarts.filter((s) => s <= at).length - 1;
    const dupRuns = result.destinations.flatMap((d) => d.duplicateAt.map(runOf));
    const perRun = new Map<number, number>();
    for (const r of dupRuns) perRun.set(r, (perRun.get(r) ?? 0) + 1);
    // A repeat comes from a restart resending what the killed run had in flight; one inside a
    // run would mean a process resent a post it had been told arrived.
    const repeatsWithinRun = result.repeats.filter((r) => runOf(r.first) === runOf(r.repeat)).length;
    const repeatsPerRestart = new Map<number, number>();
    for (const r of result.repeats) repeatsPerRestart.set(runOf(r.repeat), (repeatsPerRestart.get(runOf(r.repeat)) ?? 0) + 1);
    const elsewhere = result.byKind['discord-webhook'].duplicates + result.byKind['slack-channel'].duplicates + result.byKind['slack-webhook'].duplicates;
    // The console printed each alert once, not once per restart.
    const printed = runs.reduce((s, c) => s + (c.stdout().match(/ADDED · OFAC SDN/g)?.length ?? 0), 0);
    console.info(
      [
        `[crash-fanout] seed ${SEED}: ${kills.length} SIGKILLs (${kills.filter((k) => k.mode === 'bot-confirmation').length} on a bot-channel confirmation, ${kills.filter((k) => k.mode === 'other-confirmation').length} on a webhook/Slack confirmation, ${kills.filter((k) => k.mode === 'random').length} at another moment) at ${kills.map((k) => k.arrivedBefore).join(', ')} of ${TOTAL} messages`,
        summarise(result),
        `repeated nonces the fake answered with the first message: ${result.repeatedNonces} (per restart: ${JSON.stringify(Object.fromEntries(repeatsPerRestart))}; within one run: ${repeatsWithinRun})`,
        `duplicates outside Discord bot channels: ${elsewhere} in ${kills.length} crashes (per restart: ${JSON.stringify(Object.fromEntries(perRun))})`,
        `console: ${printed} alerts printed over ${runs.length - 1} runs (9 alerts)`,
        `delivery records left behind by a kill right after an alert was delivered: ${leftovers.length}`,
        `took ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      ].join('\n'),
    );

    expect(kills).toHaveLength(CRASHES);
    // Every kill landed mid-fan-out: messages had arrived, and not all of them.
    for (const k of kills) expect(k.arrivedBefore).toBeLessThan(TOTAL);
    expect(result.destinations).toHaveLength(200);
    for (const d of result.destinations) {
      expect(d.lost, `${d.kind} ${d.destination} lost messages: ${d.received.join(' ')}`).toBe(0);
      expect(d.inOrder, `${d.kind} ${d.destination} out of order: ${d.received.join(' ')}`).toBe(true);
    }
    expect(result.byKind['discord-channel']).toEqual({ destinations: 150, messages: 150 * result.order.length, lost: 0, duplicates: 0 });
    // The nonce did that work: the bot repeated posts after kills, and Discord answered them with the first message.
    expect(result.repeatedNonces).toBeGreaterThan(0);
    expect(elsewhere).toBeLessThanOrEqual(kills.length);
    // No restart repeated more than one message (at most one send was unrecorded when it was killed).
    for (const [r, n] of perRun) {
      expect(r).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(1);
    }
    expect(printed).toBeGreaterThanOrEqual(SOURCE_ORDER.length);
    expect(printed).toBeLessThanOrEqual(SOURCE_ORDER.length + kills.length);
    expect(leftovers.length).toBeLessThanOrEqual(2 * kills.length);
  });
});
