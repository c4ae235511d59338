/**
 * Discord delivery under Discord's rate limits and faults: the real discordOutput (discord.js
 * REST and its limiter) and the outbox, against the fake Discord enforcing the global limit
 * (50 requests/s) and the per-channel buckets (5 per 5 s). A burst to many channels finishes
 * in about the time the global limit allows and meets no 429; a client that ignores the
 * limits does meet them; injected 429s are waited out, 5xx and timeouts retried by the outbox
 * with each message arriving once, and permanent errors disable the subscription.
 */
import { REST } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DISCORD_FANOUT_CONCURRENCY, discordOutput } from '../../src/adapters/discord-output.js';
import type { Alert } from '../../src/core/alerts.js';
import { drainOutbox } from '../../src/delivery/outbox.js';
import { renderAlertForDiscord } from '../../src/render/discord.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import type { Subscription } from '../../src/subscriptions/model.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { FakeDiscord, rateLimitFault, type FakeChannel, type RecordedRequest } from '../helpers/fake-discord.js';
import { realLazarusAmendment, realPairAlerts, recordingLog } from '../helpers/pipeline.js';
import { instantSubscription, replaceSubscriptions } from '../helpers/subscriptions.js';

let fake: FakeDiscord;
let lazarus: Alert; // real: 2022-04-12 → 04-14, an ETH address added to LAZARUS GROUP
let kimsuky: Alert[]; // real: 2023-11-30 → 12-01, nine designations
let store: Store;
let n = 0;

beforeAll(async () => {
  fake = await new FakeDiscord({ rateLimits: true }).start();
  lazarus = await realLazarusAmendment();
  kimsuky = await realPairAlerts('ofac_sdn_csv/sdn_2023-11-30.csv.gz', 'ofac_sdn_csv/sdn_2023-12-01.csv.gz', 'dprk');
});

afterAll(async () => {
  await fake?.stop();
});

beforeEach(async () => {
  store = await openStore('memory:', `rl-out-${n++}`);
  // Every test starts with a new REST client, so the fake forgets the windows of the last one.
  fake.resetRateLimits();
});

const sub = (channelId: string, over: Partial<Subscription> = {}): Subscription =>
  instantSubscription('discord', channelId, { workspaceId: fake.guild.id, ...over });

async function subscribe(channels: FakeChannel[]): Promise<void> {
  await replaceSubscriptions(store, channels.map((c) => sub(c.id)));
}

const output = (o: { rest?: REST; webhookUrls?: string[] } = {}) =>
  discordOutput({ services: { store }, log: recordingLog(), webhookUrls: o.webhookUrls ?? [], ...(o.rest ? { rest: o.rest } : { token: fake.token, apiUrl: fake.apiUrl }) });

const postsTo = (c: FakeChannel): RecordedRequest[] => fake.requestsTo('POST', `/channels/${c.id}/messages`);
const total429 = () => fake.rateLimited.global + fake.rateLimited.route + fake.rateLimited.injected;

describe('a burst within the limits', () => {
  it('one alert to 120 channels: each gets it once, in about the time 50 requests/s allow, with no 429', async () => {
    expect(renderAlertForDiscord(lazarus)).toHaveLength(1);
    const channels = Array.from({ length: 120 }, (_, i) => fake.addChannel(`burst-${i}`));
    await subscribe(channels);
    await store.recordAlerts([lazarus]);
    const from = fake.requests.length;

    const t0 = performance.now();
    expect((await drainOutbox(store, [output()], recordingLog())).map((a) => a.id)).toEqual([lazarus.id]);
    const seconds = (performance.now() - t0) / 1000;

    for (const c of channels) expect(fake.messagesIn(c.id)).toHaveLength(1);
    const posts = fake.requests.slice(from).filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(120); // not one retry
    expect(posts.every((p) => p.status === 200)).toBe(true);
    expect(fake.rateLimited).toEqual({ global: 0, route: 0, injected: 0 });
    // 120 requests need three 1 s windows: at least two must have closed (else the client
    // outran the limit and the fake would have said so).
    expect(seconds).toBeGreaterThanOrEqual(1.95);
    // Sends overlap up to the pool's size, never beyond it: from each request's send (the
    // client's clock) to its arrival it was in flight, so this count is at most the true one.
    const inFlight = posts.map((p) => posts.filter((q) => q.sentAt! <= p.sentAt! && q.at > p.sentAt!).length);
    expect(Math.max(...inFlight)).toBe(DISCORD_FANOUT_CONCURRENCY);
  });

  it("seven alerts to one channel: discord.js follows the channel's bucket (5 per 5 s) from the fake's headers, with no 429", async () => {
    const c = fake.addChannel('bucket');
    await subscribe([c]);
    const seven = kimsuky.slice(0, 7);
    await store.recordAlerts(seven);

    expect(await drainOutbox(store, [output()], recordingLog())).toHaveLength(7);

    const posts = postsTo(c);
    expect(posts.map((p) => p.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    expect(fake.rateLimited).toEqual({ global: 0, route: 0, injected: 0 });
    expect(fake.messagesIn(c.id).map((m) => m.embeds.length > 0)).toEqual(Array(7).fill(true));
    // The sixth waited for the bucket to reset, five seconds after the first.
    expect(posts[5]!.at - posts[0]!.at).toBeGreaterThanOrEqual(4900);
  });
});

describe('the fake enforces the limits (so the tests above could fail)', () => {
  it('a client that ignores the global limit gets 429s with Discord’s body and headers', async () => {
    const channels = Array.from({ length: 80 }, (_, i) => fake.addChannel(`raw-${i}`));
    const answers = await Promise.all(
      channels.map((c) =>
        fetch(`${fake.apiUrl}/v10/channels/${c.id}/messages`, {
          method: 'POST',
          headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content: 'no limiter here' }),
        }),
      ),
    );
    const refused = answers.filter((a) => a.status === 429);
    // The fake counts by send time, and the 80 were sent at once (within one window): exactly
    // 50 pass, the other 30 are refused, however long the burst took to arrive.
    const sent = fake.requests.filter((r) => r.method === 'POST' && r.body && (r.body as { content?: string }).content === 'no limiter here').map((r) => r.sentAt!);
    expect(sent).toHaveLength(80);
    expect(Math.max(...sent) - Math.min(...sent)).toBeLessThan(1000);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(50);
    expect(refused).toHaveLength(30);
    expect(fake.rateLimited.global).toBe(refused.length);
    const r = refused[0]!;
    expect(r.headers.get('x-ratelimit-global')).toBe('true');
    expect(r.headers.get('x-ratelimit-scope')).toBe('global');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await r.json()) as { message: string; retry_after: number; global: boolean };
    expect(body).toMatchObject({ message: 'You are being rate limited.', global: true });
    expect(body.retry_after).toBeGreaterThan(0);
    expect(body.retry_after).toBeLessThanOrEqual(1);
  });

  it('a client that ignores a route bucket gets 429s after five, with the bucket’s headers on every answer; a webhook has its own bucket', async () => {
    const c = fake.addChannel('raw-bucket');
    const post = (url: string, auth = true) =>
      fetch(url, { method: 'POST', headers: { ...(auth ? { authorization: `Bot ${fake.token}` } : {}), 'content-type': 'application/json' }, body: JSON.stringify({ content: 'x' }) });
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await post(`${fake.apiUrl}/v10/channels/${c.id}/messages`));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(answers.map((a) => a.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0', '0', '0']);
    for (const a of answers) {
      expect(a.headers.get('x-ratelimit-limit')).toBe('5');
      expect(a.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
      expect(Number(a.headers.get('x-ratelimit-reset-after'))).toBeLessThanOrEqual(5);
      expect(Number(a.headers.get('x-ratelimit-reset')) * 1000).toBeGreaterThan(Date.now());
    }
    expect(answers[5]!.headers.get('x-ratelimit-scope')).toBe('user');
    expect(answers[5]!.headers.get('x-ratelimit-global')).toBeNull();
    expect(await answers[5]!.json()).toMatchObject({ global: false, message: 'You are being rate limited.' });
    expect(fake.rateLimited.route).toBe(2);
    expect(fake.messagesIn(c.id)).toHaveLength(5);

    const hook = fake.createWebhook(c.id);
    const hookAnswers = [];
    for (let i = 0; i < 6; i++) hookAnswers.push((await post(`${fake.apiUrl}/v10/webhooks/${hook.id}/${hook.token}?wait=true`, false)).status);
    expect(hookAnswers).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('faults', () => {
  it('an injected 429 (route, then global) is waited out for its retry_after and the message arrives once', async () => {
    const [a, b] = [fake.addChannel('429-route'), fake.addChannel('429-global')];
    await subscribe([a]);
    fake.inject(rateLimitFault(`/channels/${a.id}/messages`, { retryAfter: 1 }));
    await output().deliver(lazarus);
    let posts = postsTo(a);
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(fake.messagesIn(a.id)).toHaveLength(1);

    await subscribe([b]);
    fake.inject(rateLimitFault(`/channels/${b.id}/messages`, { retryAfter: 0.4, global: true }));
    await output().deliver(lazarus);
    posts = postsTo(b);
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(350);
    expect(fake.messagesIn(b.id)).toHaveLength(1);
    expect(fake.rateLimited).toEqual({ global: 0, route: 0, injected: 2 });
  });

  it('a 500 that outlasts the REST client’s own retries: the outbox retries, and every channel has the message once', async () => {
    const [flaky, steady] = [fake.addChannel('500'), fake.addChannel('500-steady')];
    await subscribe([flaky, steady]);
    // @discordjs/rest retries a 5xx three times: four 500s exhaust one delivery.
    fake.inject({ method: 'POST', path: `/channels/${flaky.id}/messages`, status: 500, body: { message: '500: Internal Server Error', code: 0 }, times: 4 });
    await store.recordAlerts([lazarus]);
    const out = output();

    expect(await drainOutbox(store, [out], recordingLog())).toEqual([]);
    expect(fake.messagesIn(flaky.id)).toHaveLength(0);
    expect(fake.messagesIn(steady.id)).toHaveLength(1);
    expect((await drainOutbox(store, [out], recordingLog())).map((a) => a.id)).toEqual([lazarus.id]);
    expect(fake.messagesIn(flaky.id)).toHaveLength(1);
    expect(fake.messagesIn(steady.id)).toHaveLength(1);
    expect(postsTo(flaky).map((p) => p.status)).toEqual([500, 500, 500, 500, 200]);
    expect(await store.pendingAlerts()).toEqual([]);
  });

  it('a timeout — Discord hung, or did the work and answered too late — is retried by the outbox, and the message arrives once', async () => {
    const [hung, slow] = [fake.addChannel('hung'), fake.addChannel('slow')];
    await subscribe([hung, slow]);
    // A client that gives up after 1.5 s and does not retry by itself: the outbox must.
    const rest = new REST({ api: fake.apiUrl, version: '10', timeout: 1500, retries: 0 }).setToken(fake.token);
    // Hung: no answer in time, nothing posted. Slow: posted, but the answer comes after the client gave up.
    fake.inject({ method: 'POST', path: `/channels/${hung.id}/messages`, status: 200, body: {}, delayMs: 4000 });
    fake.inject({ method: 'POST', path: `/channels/${slow.id}/messages`, delayMs: 4000 });
    await store.recordAlerts([lazarus]);
    const log = recordingLog();
    const out = output({ rest });

    expect(await drainOutbox(store, [out], log)).toEqual([]);
    expect(log.lines.some((l) => l.level === 'error' && /will retry/.test(JSON.stringify(l.obj)))).toBe(true);
    expect(fake.messagesIn(hung.id)).toHaveLength(0);
    expect(fake.messagesIn(slow.id)).toHaveLength(1); // Discord has it; we do not know

    expect((await drainOutbox(store, [out], log)).map((a) => a.id)).toEqual([lazarus.id]);
    expect(fake.messagesIn(hung.id)).toHaveLength(1);
    // The retry carried the same nonce: Discord answered with the message it already had.
    expect(fake.messagesIn(slow.id)).toHaveLength(1);
    expect(postsTo(slow)).toHaveLength(2);
    expect(await store.pendingAlerts()).toEqual([]);
  });

  it('permanent errors disable the subscription with the reason, under the limits, and the others still get the alert', async () => {
    const [unknown, forbidden, fine] = [fake.addChannel('perm-10003'), fake.addChannel('perm-50013'), fake.addChannel('perm-fine')];
    fake.inject({ method: 'POST', path: `/channels/${unknown.id}/messages`, status: 404, body: { message: 'Unknown Channel', code: 10003 } });
    fake.inject({ method: 'POST', path: `/channels/${forbidden.id}/messages`, status: 403, body: { message: 'Missing Permissions', code: 50013 } });
    const hook = fake.createWebhook(fine.id);
    fake.deleteWebhook(hook.id);
    await subscribe([unknown, forbidden, fine]);
    await store.recordAlerts([lazarus]);

    expect((await drainOutbox(store, [output({ webhookUrls: [hook.url] })], recordingLog())).map((a) => a.id)).toEqual([lazarus.id]);

    const reason = async (id: string) => (await new SubscriptionStore(store).all()).find((s) => s.channelId === id)?.disabled?.reason;
    expect(await reason(unknown.id)).toMatch(/Unknown Channel.*10003/);
    expect(await reason(forbidden.id)).toMatch(/Missing Permissions.*50013/);
    expect(await reason(hook.url)).toMatch(/Unknown Webhook.*10015/);
    expect(await reason(fine.id)).toBeUndefined();
    expect(fake.messagesIn(fine.id)).toHaveLength(1);
    // Each permanent error was asked once: no retry, no 429.
    expect(postsTo(unknown)).toHaveLength(1);
    expect(postsTo(forbidden)).toHaveLength(1);
    expect(total429()).toBe(0);
  });
});
