/**
 * The Discord alert output over REST against the fake Discord: which destinations get an
 * alert, what happens when Discord says a destination is gone (disabled, with the reason)
 * and when it fails for now (thrown so the outbox retries; the retry sends only what is missing).
 */
import { DiscordAPIError, HTTPError } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifyDiscordError, discordOutput } from '../../src/adapters/discord-output.js';
import type { Alert } from '../../src/core/alerts.js';
import { drainOutbox } from '../../src/delivery/outbox.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import type { Subscription } from '../../src/subscriptions/model.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { realLazarusAmendment, realPairAlerts, recordingLog } from '../helpers/pipeline.js';
import { instantSubscription } from '../helpers/subscriptions.js';

let fake: FakeDiscord;
let lazarus: Alert; // real: 2022-04-12 → 04-14, ETH address added to LAZARUS GROUP
let kimsuky: Alert[]; // real: 2023-11-30 → 12-01, nine designations
let n = 0;

beforeAll(async () => {
  fake = await new FakeDiscord().start();
  lazarus = await realLazarusAmendment();
  kimsuky = await realPairAlerts('ofac_sdn_csv/sdn_2023-11-30.csv.gz', 'ofac_sdn_csv/sdn_2023-12-01.csv.gz', 'dprk');
});

afterAll(async () => {
  await fake?.stop();
});

let store: Store;
beforeEach(async () => {
  store = await openStore('memory:', `alerts-out-${n++}`);
});

const sub = (channelId: string, over: Partial<Subscription> = {}): Subscription =>
  instantSubscription('discord', channelId, { workspaceId: fake.guild.id, ...over });

const output = (log = recordingLog(), webhookUrls: string[] = []) =>
  discordOutput({ services: { store }, token: fake.token, apiUrl: fake.apiUrl, log, webhookUrls });

describe('discordOutput', () => {
  it('posts to every instant subscription that wants the alert, and to every configured webhook; skips digests, other topics, other filters and other platforms', async () => {
    const [want, digest, reportsOnly, otherProgram, slack] = [fake.addChannel('a'), fake.addChannel('b'), fake.addChannel('c'), fake.addChannel('d'), fake.addChannel('e')];
    const subs = new SubscriptionStore(store);
    await subs.put(sub(want.id, { filters: { lists: ['ofac-sdn'], programs: ['DPRK3'], types: ['entity'], keywords: ['lazarus'] } }));
    await subs.put(sub(digest.id, { delivery: { mode: 'digest', time: '09:00', timezone: 'Asia/Seoul', quiet: 'skip' } }));
    await subs.put(sub(reportsOnly.id, { topics: ['reports'] }));
    await subs.put(sub(otherProgram.id, { filters: { lists: [], programs: ['IRAN'], types: [], keywords: [] } }));
    await subs.put(sub(slack.id, { platform: 'slack' }));
    const hook = fake.createWebhook(want.id);

    await output(recordingLog(), [hook.url]).deliver(lazarus);

    expect(fake.requestsTo('POST', `/channels/${want.id}/messages`).map((r) => r.status)).toEqual([200]);
    for (const c of [digest, reportsOnly, otherProgram, slack]) expect(fake.requestsTo('POST', `/channels/${c.id}/messages`)).toEqual([]);
    expect(fake.requestsTo('POST', `/webhooks/${hook.id}/${hook.token}`).map((r) => r.status)).toEqual([200]);
    // Both copies landed in the channel: one from the bot, one through the webhook.
    expect(fake.messagesIn(want.id).map((m) => Boolean(m.webhook_id))).toEqual([false, true]);
  });

  it('disables a subscription whose channel is gone (10003), lost (50001), forbidden (50013) or whose webhook is gone (10015) — and still serves the others', async () => {
    const [deleted, noAccess, noPerms, fine] = [fake.addChannel('deleted'), fake.addChannel('no-access'), fake.addChannel('no-perms'), fake.addChannel('fine')];
    noAccess.access = 'missing-access';
    noPerms.access = 'missing-permissions';
    fake.deleteChannel(deleted.id);
    const hook = fake.createWebhook(fine.id);
    fake.deleteWebhook(hook.id);
    const subs = new SubscriptionStore(store);
    for (const c of [deleted, noAccess, noPerms, fine]) await subs.put(sub(c.id));
    const log = recordingLog();

    await expect(output(log, [hook.url]).deliver(lazarus)).resolves.toBeUndefined();

    expect(fake.requestsTo('POST', `/channels/${deleted.id}/messages`).map((r) => (r.response as { code: number }).code)).toEqual([10003]);
    expect(fake.messagesIn(fine.id)).toHaveLength(1);
    const after = await subs.all();
    const reason = (id: string) => after.find((s) => s.channelId === id)?.disabled?.reason;
    expect(reason(deleted.id)).toMatch(/Unknown Channel.*10003/);
    expect(reason(noAccess.id)).toMatch(/Missing Access.*50001/);
    expect(reason(noPerms.id)).toMatch(/Missing Permissions.*50013/);
    expect(reason(fine.id)).toBeUndefined();
    expect(reason(hook.url)).toMatch(/Unknown Webhook.*10015/); // the configured webhook now has a stored, disabled entry
    expect(log.lines.filter((l) => l.msg.includes('subscription disabled'))).toHaveLength(4);
    // The token of the webhook never reaches the logs.
    expect(JSON.stringify(log.lines)).not.toContain(hook.token);

    // The next alert skips every disabled destination.
    const before = fake.requests.length;
    await output(recordingLog(), [hook.url]).deliver(kimsuky[0]!);
    const next = fake.requests.slice(before);
    expect(next.map((r) => r.path)).toEqual([`/channels/${fine.id}/messages`]);
  });

  it('throws on a transient failure (5xx after the REST client retries) so the outbox keeps the alert; the retry sends only what did not arrive', async () => {
    const [flaky, steady] = [fake.addChannel('flaky'), fake.addChannel('steady')];
    const subs = new SubscriptionStore(store);
    await subs.put(sub(flaky.id));
    await subs.put(sub(steady.id));
    // @discordjs/rest retries a 5xx three times: four answers of 502 exhaust it.
    fake.inject({ method: 'POST', path: `/channels/${flaky.id}/messages`, status: 502, body: { message: 'Bad Gateway' }, times: 4 });
    await store.recordAlerts([lazarus]);
    const log = recordingLog();
    const out = output(log);

    expect(await drainOutbox(store, [out], log)).toEqual([]);
    expect((await store.pendingAlerts()).map((a) => a.id)).toEqual([lazarus.id]);
    expect(log.lines.some((l) => l.level === 'error' && JSON.stringify(l.obj).includes('will retry'))).toBe(true);
    expect(fake.messagesIn(steady.id)).toHaveLength(1);
    expect((await subs.all()).every((s) => !s.disabled)).toBe(true);

    // Discord is back: the retry posts to the flaky channel only; the steady one is not sent a duplicate.
    expect((await drainOutbox(store, [out], log)).map((a) => a.id)).toEqual([lazarus.id]);
    expect(fake.messagesIn(flaky.id)).toHaveLength(1);
    expect(fake.messagesIn(steady.id)).toHaveLength(1);
    expect(await store.pendingAlerts()).toEqual([]);
  });

  it('waits out a 429 rate limit (the REST client honours retry_after) and delivers', async () => {
    const c = fake.addChannel('rate-limited');
    await new SubscriptionStore(store).put(sub(c.id));
    fake.inject({
      method: 'POST',
      path: `/channels/${c.id}/messages`,
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 0.2, global: false },
      headers: { 'retry-after': '0.2', 'x-ratelimit-scope': 'user', 'x-ratelimit-bucket': 'abc' },
    });
    const t0 = Date.now();
    await output().deliver(lazarus);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(fake.requestsTo('POST', `/channels/${c.id}/messages`).map((r) => r.status)).toEqual([429, 200]);
  });

  it('delivers nine real designations to a channel, one message each, every one within the limits and pinging no one', async () => {
    const c = fake.addChannel('kimsuky');
    await new SubscriptionStore(store).put(sub(c.id));
    const out = output();
    for (const a of kimsuky) await out.deliver(a);
    const msgs = fake.messagesIn(c.id);
    expect(msgs).toHaveLength(9);
    expect(msgs.map((m) => (m.embeds[0] as { title: string }).title)).toContain('🔴 ADDED · KIMSUKY');
    for (const m of msgs) expect((m.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
  });

  it('without a token, channel subscriptions are skipped with one warning and webhooks still get alerts', async () => {
    const c = fake.addChannel('no-token');
    await new SubscriptionStore(store).put(sub(c.id));
    const hook = fake.createWebhook(c.id);
    const log = recordingLog();
    const out = discordOutput({ services: { store }, apiUrl: fake.apiUrl, log, webhookUrls: [hook.url] });
    await out.deliver(lazarus);
    await out.deliver(kimsuky[0]!);
    expect(fake.requestsTo('POST', `/channels/${c.id}/messages`)).toEqual([]);
    expect(fake.messagesIn(c.id)).toHaveLength(2);
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });

  it('classifies errors: gone (disable), rejected (log, do not retry), transient (retry)', () => {
    const api = (status: number, code: number, message: string) =>
      new DiscordAPIError({ code, message }, code, status, 'POST', 'https://discord.com/api/v10/channels/1/messages', { body: undefined, files: undefined });
    expect(classifyDiscordError(api(404, 10003, 'Unknown Channel'))).toMatchObject({ kind: 'gone', reason: expect.stringMatching(/10003/) });
    expect(classifyDiscordError(api(404, 10015, 'Unknown Webhook')).kind).toBe('gone');
    expect(classifyDiscordError(api(403, 50001, 'Missing Access')).kind).toBe('gone');
    expect(classifyDiscordError(api(403, 50013, 'Missing Permissions')).kind).toBe('gone');
    expect(classifyDiscordError(api(400, 50035, 'Invalid Form Body')).kind).toBe('rejected');
    expect(classifyDiscordError(api(401, 0, '401: Unauthorized')).kind).toBe('transient');
    expect(classifyDiscordError(api(429, 0, 'You are being rate limited.')).kind).toBe('transient');
    expect(classifyDiscordError(new HTTPError(503, 'Service Unavailable', 'POST', 'u', { body: undefined, files: undefined })).kind).toBe('transient');
    expect(classifyDiscordError(new Error('ECONNRESET')).kind).toBe('transient');
  });
});
