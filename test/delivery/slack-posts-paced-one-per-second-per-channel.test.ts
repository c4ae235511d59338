/**
 * Slack delivery under Slack's posting limit — about one message per second per channel, and
 * per incoming webhook — against the fake Slack enforcing it (token buckets, 429 +
 * Retry-After), with the real slackOutput, @slack/web-api client and outbox. Posts to one
 * channel are spaced a second apart and meet no 429; other channels are not held back by
 * that pacing; a 429 is waited out for its Retry-After; 5xx, timeouts and permanent errors
 * are injected and handled as for Discord (retried by the outbox, arriving once; disabled).
 */
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackClient, slackClientOptions } from '../../src/adapters/slack.js';
import { SLACK_POST_INTERVAL_MS, slackOutput } from '../../src/adapters/slack-output.js';
import type { Alert } from '../../src/core/alerts.js';
import { drainOutbox } from '../../src/delivery/outbox.js';
import { renderAlertForSlack } from '../../src/render/slack.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import type { Subscription } from '../../src/subscriptions/model.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { FAKE_BOT, FAKE_TEAM, FakeSlack, type RecordedRequest } from '../helpers/fake-slack.js';
import { realPairAlerts, recordingLog } from '../helpers/pipeline.js';
import { instantSubscription, replaceSubscriptions } from '../helpers/subscriptions.js';

let fake: FakeSlack;
let kimsuky: Alert[]; // real: 2023-11-30 → 12-01, nine designations
let store: Store;
let n = 0;
const log = recordingLog();

beforeAll(async () => {
  fake = await new FakeSlack({ rateLimits: true }).start();
  kimsuky = await realPairAlerts('ofac_sdn_csv/sdn_2023-11-30.csv.gz', 'ofac_sdn_csv/sdn_2023-12-01.csv.gz', 'dprk');
});

afterAll(async () => {
  await fake?.stop();
});

beforeEach(async () => {
  store = await openStore('memory:', `slack-rl-${n++}`);
  fake.resetRateLimits();
});

const sub = (channelId: string, over: Partial<Subscription> = {}): Subscription =>
  instantSubscription('slack', channelId, { workspaceId: FAKE_TEAM.id, ...over });
const settings = () => ({ SLACK_BOT_TOKEN: FAKE_BOT.token, SLACK_API_URL: fake.apiUrl });
type WebClient = InstanceType<typeof webApi.WebClient>;
const output = (o: { client?: WebClient; webhookUrls?: string[] } = {}) =>
  slackOutput({ services: { store }, client: o.client ?? createSlackClient(settings(), log), log, webhookUrls: o.webhookUrls ?? [] });
/** A client that has made its first request (as the app does with auth.test at start), so arrival times show the pacing, not a cold start. */
async function warmClient(): Promise<WebClient> {
  const client = createSlackClient(settings(), log);
  await client.auth.test();
  return client;
}

const gaps = (rs: RecordedRequest[]) => rs.slice(1).map((r, i) => r.at - rs[i]!.at);
/**
 * Posts paced by Slack's rule (SLACK_POST_INTERVAL_MS apart), as Slack sees them. The pacer books
 * each turn an interval after the last one; what reaches the fake can come early only by how
 * late the earlier post arrived after its own turn (a stalled event loop, the fake's queue).
 * The margin allows that lateness up to half an interval, for every gap and for the whole span
 * (n posts need at least n − 1 intervals); posts that were not paced come milliseconds apart.
 * That no post was refused — Slack's own verdict (the fake's token buckets) — is asserted
 * beside it.
 */
const LATE = SLACK_POST_INTERVAL_MS / 2;
function expectPaced(rs: RecordedRequest[]): void {
  for (const g of gaps(rs)) expect(g).toBeGreaterThanOrEqual(SLACK_POST_INTERVAL_MS - LATE);
  expect(rs.at(-1)!.at - rs[0]!.at).toBeGreaterThanOrEqual((rs.length - 1) * SLACK_POST_INTERVAL_MS - LATE);
}
const posts = (channel: string) => fake.to('chat.postMessage').filter((r) => r.body.channel === channel);

describe('pacing', () => {
  it('six alerts to one channel: a second apart, no 429 — where a burst without pacing meets 429s', async () => {
    for (const a of kimsuky.slice(0, 6)) expect(renderAlertForSlack(a)).toHaveLength(1);
    await replaceSubscriptions(store, [sub('C0SIX')]);
    await store.recordAlerts(kimsuky.slice(0, 6));
    const out = output({ client: await warmClient() });
    expect(await drainOutbox(store, [out], log)).toHaveLength(6);

    const sent = posts('C0SIX');
    expect(sent.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(fake.posted('C0SIX')).toHaveLength(6);
    expectPaced(sent);
    expect(fake.rateLimited).toEqual({ channel: 0, webhook: 0, injected: 0 });

    // The control: posts at once, without pacing — the fake lets a burst of three through and refuses the rest.
    const raw = createSlackClient(settings(), log);
    const answers = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => raw.chat.postMessage({ channel: 'C0BURST', text: `burst ${i}` })));
    expect(answers.filter((a) => a.status === 'fulfilled').length).toBeGreaterThanOrEqual(3);
    const refused = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected').map((a) => a.reason as InstanceType<typeof webApi.WebAPIRateLimitedError>);
    expect(refused.length).toBeGreaterThanOrEqual(5);
    for (const e of refused) {
      expect(e).toBeInstanceOf(webApi.WebAPIRateLimitedError);
      expect(e.retryAfter).toBeGreaterThanOrEqual(1);
    }
    expect(fake.rateLimited.channel).toBe(refused.length);
  });

  it('eight channels, two alerts: each channel’s two posts a second apart, the channels not held back by each other’s pacing, no 429', async () => {
    const channels = Array.from({ length: 8 }, (_, i) => `C0PAR${i}`);
    await replaceSubscriptions(store, channels.map((c) => sub(c)));
    await store.recordAlerts(kimsuky.slice(0, 2));

    expect(await drainOutbox(store, [output({ client: await warmClient() })], log)).toHaveLength(2);

    for (const c of channels) {
      expect(fake.posted(c)).toHaveLength(2);
      expectPaced(posts(c));
    }
    expect(fake.to('chat.postMessage').filter((r) => channels.includes(String(r.body.channel)))).toHaveLength(16);
    // Per channel they do not wait for each other: paced as one lane, the eight first posts would
    // need seven intervals between them; the bound is that, however long the sends take.
    const firsts = channels.map((c) => posts(c)[0]!.at);
    expect(Math.max(...firsts) - Math.min(...firsts)).toBeLessThan((channels.length - 1) * SLACK_POST_INTERVAL_MS);
    // And in each channel the alerts came in order.
    for (const c of channels) expect(fake.posted(c).map((m) => m.body.text)).toEqual(kimsuky.slice(0, 2).map((a) => renderAlertForSlack(a)[0]!.text));
    expect(fake.rateLimited).toEqual({ channel: 0, webhook: 0, injected: 0 });
  });

  it('four alerts to one incoming webhook: a second apart, no 429', async () => {
    const hook = fake.webhookUrl('paced');
    await replaceSubscriptions(store, []);
    await fetch(fake.webhookUrl('warm-up'), { method: 'POST', body: '{"text":"hello"}' }); // the first fetch of the process loads undici
    await store.recordAlerts(kimsuky.slice(0, 4));
    expect(await drainOutbox(store, [output({ webhookUrls: [hook] })], log)).toHaveLength(4);
    const sent = fake.to('webhook', 'paced');
    expect(sent.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expectPaced(sent);
    expect(fake.rateLimited.webhook).toBe(0);
  });
});

describe('faults', () => {
  it('a 429 with Retry-After is waited out, and the message arrives once', async () => {
    await replaceSubscriptions(store, [sub('C0TOOMANY')]);
    fake.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } });
    await store.recordAlerts([kimsuky[0]!]);
    expect(await drainOutbox(store, [output()], log)).toHaveLength(1);
    const sent = posts('C0TOOMANY');
    expect(sent.map((r) => r.status)).toEqual([429, 200]);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(950);
    expect(fake.posted('C0TOOMANY')).toHaveLength(1);
    expect(fake.rateLimited).toEqual({ channel: 0, webhook: 0, injected: 1 });
  });

  it('a 500 and a timeout are retried by the outbox and the message arrives once; a channel gone for good is disabled with the reason', async () => {
    await replaceSubscriptions(store, [sub('C0FIVEHUNDRED'), sub('C0GONE'), sub('C0PRIVATE')]);
    fake.channelErrors.set('C0GONE', 'channel_not_found');
    fake.channelErrors.set('C0PRIVATE', 'not_in_channel');
    const log = recordingLog();
    // A client that gives up after 1.5 s.
    const client = new webApi.WebClient(FAKE_BOT.token, { ...slackClientOptions(settings(), log), timeout: 1500 });
    const out = slackOutput({ services: { store }, client, log, webhookUrls: [] });
    await store.recordAlerts([kimsuky[0]!]);

    fake.failNext('chat.postMessage', { status: 500, body: 'internal error' });
    expect(await drainOutbox(store, [out], log)).toEqual([]);
    fake.failNext('chat.postMessage', { status: 504, body: 'upstream request timeout', delayMs: 4000 });
    expect(await drainOutbox(store, [out], log)).toEqual([]);
    expect(log.lines.some((l) => l.level === 'error' && /network/.test(JSON.stringify(l.obj)))).toBe(true);
    expect((await drainOutbox(store, [out], log)).map((a) => a.id)).toEqual([kimsuky[0]!.id]);

    // The 500, the one that hung (the client gave up before its 504), and the one that arrived.
    expect(posts('C0FIVEHUNDRED').map((r) => r.status)).toEqual([500, undefined, 200]);
    expect(fake.posted('C0FIVEHUNDRED')).toHaveLength(1);
    const disabled = Object.fromEntries((await new SubscriptionStore(store).all()).map((s) => [s.channelId, s.disabled?.reason]));
    expect(disabled.C0GONE).toMatch(/channel_not_found/);
    expect(disabled.C0PRIVATE).toMatch(/not_in_channel.*invite/);
    expect(disabled.C0FIVEHUNDRED).toBeUndefined();
    // Each gone channel was asked once.
    expect(posts('C0GONE')).toHaveLength(1);
    expect(posts('C0PRIVATE')).toHaveLength(1);
    fake.channelErrors.clear();
  });
});
