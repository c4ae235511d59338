/**
 * Two real `dprk-watch start` processes on the real Redis (a database of their own), sharing
 * one store, one lease and one fake Discord with 30 bot channels and 6 webhooks:
 *
 * 1. the list changes (real OFAC sdn.csv 2023-11-30 → 2023-12-01: nine additions): exactly one
 *    post per channel per alert — one process delivered, the other stood by (not one repeated
 *    nonce: the lease, not the nonce, kept it to one);
 * 2. the list changes back (nine removals) and the leader is killed with SIGKILL mid-fan-out:
 *    the other takes the lease, resumes from the shared delivery record and finishes — every
 *    destination gets every alert, bot channels exactly once, webhooks at most one repeat.
 */
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { spawnBot, until } from '../helpers/bot-process.js';
import { DISCORD_FANOUT_CONCURRENCY } from '../../src/adapters/discord-output.js';
import { audit, makeDestinations, subscriptionsFor, summarise } from '../helpers/delivery-audit.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { fixtureBytes } from '../helpers/fixtures.js';
import { claimRedisDb, type OwnedRedisDb } from '../helpers/redis-db.js';
import { SourceServer } from '../helpers/source-server.js';
import { replaceSubscriptions } from '../helpers/subscriptions.js';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn('[two-instances-deliver-once] REDIS_URL is not set: skipping the two-process delivery test (set REDIS_URL=redis://127.0.0.1:6379 to run it)');

const discord = new FakeDiscord();
const source = new SourceServer();
let redis: ReturnType<typeof createClient> | undefined;
let owned: OwnedRedisDb | undefined;
const LEASE_TTL_MS = 20_000;
const BEFORE = fixtureBytes('real/ofac_sdn_csv/sdn_2023-11-30.csv.gz');
const AFTER = fixtureBytes('real/ofac_sdn_csv/sdn_2023-12-01.csv.gz');

beforeAll(async () => {
  await discord.start();
  await source.start();
});
// The bots are stopped by the children helper after the test (setup-children.ts), before this.
afterAll(async () => {
  if (redis?.isOpen) await redis.close();
  await owned?.release();
  await discord.stop();
  await source.stop();
});

describe.skipIf(!REDIS_URL)('two instances on one Redis', () => {
  it('deliver one poll’s alerts exactly once per channel; when the leader is killed mid-fan-out the other finishes it', { timeout: 300_000 }, async () => {
    const t0 = performance.now();
    // A Redis database of this run's own (empty when claimed, emptied after): no other run's
    // lease or state counts, and none is left behind.
    owned = await claimRedisDb(REDIS_URL!);
    const url = owned.url;
    redis = createClient({ url });
    await redis.connect();
    /** Which instance holds the lease now (the key's value is "<instance>:<token>"). */
    const holder = async () => (await redis!.get('dprk-watch:leader'))?.split(':')[0];

    const dests = makeDestinations(discord, { discordChannels: 30, discordHooks: 6 }, 'two');
    const seed = await openStore(url);
    await replaceSubscriptions(seed, subscriptionsFor(dests, discord));
    await seed.close();

    source.set('/sdn.csv', { kind: 'document', body: BEFORE, contentType: 'text/csv' });
    const env = {
      STORE_URL: url,
      // Longer than any stretch a poll of the full list keeps the event loop busy (a leader that
      // cannot renew for a whole TTL steps down, by design): the lease must not change hands
      // before the kill. Parsing sdn.csv takes about a second of CPU; on a machine loaded far beyond
      // two burners (load average 14 on two cores) an 8 s lease was seen to change hands mid-poll.
      LEASE_TTL_MS: String(LEASE_TTL_MS),
      SOURCES: 'ofac-sdn',
      OFAC_SDN_URL: source.url('/sdn.csv'),
      // Every 2 s: unchanged polls are conditional GETs answered 304.
      OFAC_SDN_CRON: '*/2 * * * * *',
      POLL_JITTER_MS: '0',
      ALERT_SCOPE: 'all',
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GATEWAY: 'off',
    };
    const a = spawnBot(['start'], { ...env, INSTANCE_ID: 'a' }, 'a');
    await a.waitFor(/dprk-watch is running/, 60_000);
    expect(a.stderr()).toMatch(/✓ ofac-sdn: baseline/);
    const b = spawnBot(['start'], { ...env, INSTANCE_ID: 'b' }, 'b');
    await b.waitFor(/dprk-watch is running/, 60_000);
    expect(b.stderr()).toMatch(/another instance holds the lease/);

    const all = [...dests.discordChannels, ...dests.discordHooks.map((h) => h.channelId)];
    const arrived = () => all.reduce((s, c) => s + discord.messagesIn(c).length, 0);
    const pending = async () => {
      const store = await openStore(url);
      try {
        return (await store.pendingAlerts()).length;
      } finally {
        await store.close();
      }
    };
    const settled = async (messages: number, what: string) => {
      await until(() => arrived() >= messages, 90_000, what, 50);
      const deadline = Date.now() + 30_000;
      while ((await pending()) > 0) {
        if (Date.now() > deadline) throw new Error(`${what}: alerts still queued`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    // 1. Nine additions, one leader.
    source.set('/sdn.csv', { kind: 'document', body: AFTER, contentType: 'text/csv' });
    await settled(all.length * 9, 'the nine additions in every channel');
    const store1 = await openStore(url);
    const added = (await store1.recentAlerts(50)).reverse();
    await store1.close();
    expect(added).toHaveLength(9);
    const first = audit(added, dests, discord);
    const postsPhase1 = discord.requests.filter((r) => r.method === 'POST').length;
    console.info(`[two-instances] one poll, two processes:\n${summarise(first)}\nrepeated nonces: ${first.repeatedNonces}; POSTs: ${postsPhase1}`);
    for (const d of first.destinations) {
      expect(d.received, `${d.kind} ${d.destination}`).toEqual(d.expected);
    }
    // Exactly one POST per message: only one process sent (a second sender would show as repeated nonces at least).
    expect(first.repeatedNonces).toBe(0);
    expect(postsPhase1).toBe(all.length * 9);
    expect(b.stderr()).not.toMatch(/this instance now polls and delivers/);
    expect(await holder()).toBe('a');

    // 2. Nine removals; the leader dies mid-fan-out.
    const from = arrived();
    const requestsBefore = discord.requests.length;
    source.set('/sdn.csv', { kind: 'document', body: BEFORE, contentType: 'text/csv' });
    await until(() => arrived() >= from + 40 || !a.alive(), 60_000, 'the leader to be part-way through the removals');
    expect(await holder()).toBe('a');
    a.child.kill('SIGKILL');
    const killedAt = arrived();
    await a.exited;
    // Once the dead leader's lease has run out (at most one TTL) and the follower's next try.
    await b.waitFor(/this instance now polls and delivers/, LEASE_TTL_MS + 60_000);
    await settled(all.length * 18, 'the nine removals in every channel');

    const store2 = await openStore(url);
    const alerts = (await store2.recentAlerts(50)).reverse();
    await store2.close();
    expect(alerts.map((x) => x.kind)).toEqual([...Array(9).fill('designation.added'), ...Array(9).fill('designation.removed')]);
    const result = audit(alerts, dests, discord);
    const afterKill = arrived() - killedAt;
    console.info(
      [
        `[two-instances] leader killed after ${killedAt - from} of ${all.length * 9} messages of the second poll; the other sent ${afterKill}`,
        summarise(result),
        `repeated nonces (posts in flight when the leader died, absorbed by Discord): ${result.repeatedNonces}`,
        `POSTs in the second poll: ${discord.requests.slice(requestsBefore).filter((r) => r.method === 'POST').length}`,
        `took ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      ].join('\n'),
    );
    expect(killedAt - from).toBeLessThan(all.length * 9);
    expect(afterKill).toBeGreaterThan(0);
    for (const d of result.destinations) {
      expect(d.lost, `${d.kind} ${d.destination}: ${d.received.join(' ')}`).toBe(0);
      expect(d.inOrder, `${d.kind} ${d.destination}: ${d.received.join(' ')}`).toBe(true);
    }
    expect(result.byKind['discord-channel']).toEqual({ destinations: 30, messages: 30 * 18, lost: 0, duplicates: 0 });
    // Webhooks take no nonce: at most the one post in flight when the leader died is repeated.
    expect(result.byKind['discord-webhook'].duplicates).toBeLessThanOrEqual(1);
    // Only the posts in flight at the kill were repeated (one per worker at most).
    expect(result.repeatedNonces).toBeLessThanOrEqual(DISCORD_FANOUT_CONCURRENCY);

    expect(await holder()).toBe('b');
    await b.stop('SIGTERM');
  });
});
