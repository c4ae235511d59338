import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackBot, createSlackClient, slackOutput, type SlackBot } from '../../src/adapters/slack.js';
import type { SlackConfig } from '../../src/settings/slack.js';
import type { Services } from '../../src/commands/context.js';
import { loadConfig } from '../../src/config.js';
import { drainOutbox } from '../../src/delivery/outbox.js';
import { messageTexts, slackMessageProblems, type SlackMessage } from '../../src/render/slack.js';
import { buildServices } from '../../src/services.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { FAKE_BOT, FAKE_TEAM, FakeSlack, sendSlashCommand, type RecordedRequest } from '../helpers/fake-slack.js';
import { poll, realFileUrl, recordingLog } from '../helpers/pipeline.js';
import { replaceSubscriptions } from '../helpers/subscriptions.js';

const SECRET = 'test-signing-secret-8f3a1c';
const ADMIN = 'U0WSADMIN';
const OWNER = 'U0WSOWNER';
const MEMBER = 'U0ANALYST';
const ALLOWED = 'U0ALLOWED';

let fake: FakeSlack;
let store: Store;
let services: Services;
let bot: SlackBot;
let events: string;
let settings: Partial<SlackConfig>;
const log = recordingLog();
let n = 0;

/** Send `/dprk <text>` signed like Slack, and wait for the answer posted to its response_url. */
async function command(text: string, fields: { user_id?: string; channel_id?: string } = {}) {
  const id = `r${++n}`;
  const sent = await sendSlashCommand(events, SECRET, { text, response_url: fake.responseUrl(id), ...fields });
  const answer = sent.status === 200 ? await fake.waitFor((r) => r.endpoint === 'response' && r.id === id) : undefined;
  return { ...sent, answer, payload: answer?.body as (SlackMessage & { response_type: string }) | undefined };
}

const allText = (m: SlackMessage) => messageTexts(m).join('\n');

beforeAll(async () => {
  fake = await new FakeSlack().start();
  fake.addUser({ id: ADMIN, is_admin: true }).addUser({ id: OWNER, is_owner: true }).addUser({ id: MEMBER });
  store = await openStore('memory:', `slack-app-${process.pid}`);
  // The real DPRK subset of sdn.csv, 2022-04-12 then 2022-04-14 (an ETH address added to LAZARUS GROUP).
  await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv')), store, 'dprk');
  await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv')), store, 'dprk');
  services = buildServices(loadConfig({}), store);
  settings = {
    SLACK_BOT_TOKEN: FAKE_BOT.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_ADMIN_USER_IDS: [ALLOWED],
    SLACK_WEBHOOK_URLS: [],
  };
  bot = createSlackBot({ services, log, settings, host: '127.0.0.1' });
  const { port } = await bot.start(0);
  events = `http://127.0.0.1:${port}/slack/events`;
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('the Bolt app over HTTP on loopback', () => {
  it('checks the token with auth.test at start and serves /healthz', async () => {
    expect(fake.to('auth.test')).toHaveLength(1);
    const res = await fetch(events.replace('/slack/events', '/healthz'));
    expect(res.status).toBe(200);
  });

  it('acks a signed /dprk entity Kim Jong-un within 3 s and answers via response_url with KIM, Jong Un', async () => {
    const r = await command('entity Kim Jong-un');
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    expect(r.ms).toBeLessThan(3000);
    const p = r.payload!;
    expect(p.response_type).toBe('in_channel');
    expect(slackMessageProblems(p)).toEqual([]);
    const first = p.attachments![0]!;
    expect(first.color).toBe('#D7263D'); // DPRK-related: critical
    expect(JSON.stringify(first.blocks[0])).toContain('KIM, Jong Un');
    expect(allText(p)).toContain('<https://sanctionssearch.ofac.treas.gov/Details.aspx?id=20157|KIM, Jong Un>');
    expect(allText(p)).toContain('DPRK3');
    // The response went to the response_url as JSON, nothing else was posted; a lookup needs no admin check.
    expect(String(r.answer!.headers['content-type'])).toContain('application/json');
    expect(fake.to('chat.postMessage')).toHaveLength(0);
    expect(fake.to('users.info')).toHaveLength(0);
  });

  it('answers 401 to a forged signature, and never runs the command', async () => {
    const before = fake.requests.length;
    const forged = await sendSlashCommand(events, SECRET, { text: 'entity Kim', response_url: fake.responseUrl('forged') }, { signature: `v0=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    const wrongSecret = await sendSlashCommand(events, SECRET, { text: 'entity Kim', response_url: fake.responseUrl('forged') }, { secret: 'not-the-secret-000' });
    expect(wrongSecret.status).toBe(401);
    const unsigned = await fetch(events, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'command=%2Fdprk&text=help' });
    expect(unsigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.requests.length).toBe(before);
  });

  it('rejects a replayed request signed more than 5 minutes ago', async () => {
    const before = fake.requests.length;
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    const replay = await sendSlashCommand(events, SECRET, { text: 'entity Kim', response_url: fake.responseUrl('replay') }, { timestamp: old });
    expect(replay.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.requests.length).toBe(before);
  });

  it('gives a bad argument an ephemeral, helpful reply', async () => {
    const bad = await command('latest limit:99');
    expect(bad.payload!.response_type).toBe('ephemeral');
    expect(allText(bad.payload!)).toContain('limit: limit is at most 25. Try /dprk help.');
    const unknown = await command('entiy Kim');
    expect(unknown.payload!.response_type).toBe('ephemeral');
    expect(allText(unknown.payload!)).toContain('Did you mean /dprk entity?');
    const missing = await command('entity');
    expect(allText(missing.payload!)).toContain('/dprk entity needs a query');
  });

  it('answers /dprk (no text) with help, escaped: <query> shows as text, not a link', async () => {
    const r = await command('');
    expect(r.payload!.response_type).toBe('ephemeral');
    expect(allText(r.payload!)).toContain('/dprk entity &lt;query&gt; [limit]');
    expect(slackMessageProblems(r.payload!)).toEqual([]);
  });
});

describe('subscriptions over Slack, and alerts to subscribed channels', () => {
  beforeEach(async () => {
    await replaceSubscriptions(store, []);
  });

  it('refuses /dprk subscribe to a non-admin (ephemeral); an admin subscribes the channel; the alert is then posted there and to a webhook', async () => {
    const refused = await command('subscribe topics:designations', { user_id: MEMBER, channel_id: 'C0SANCTIONS' });
    expect(refused.payload!.response_type).toBe('ephemeral');
    expect(allText(refused.payload!)).toContain('Only workspace admins (or people on the allow-list) can run /dprk subscribe here.');
    expect(await new SubscriptionStore(store).all()).toEqual([]);

    const usersInfoBefore = fake.to('users.info').length;
    const done = await command('subscribe topics:designations', { user_id: ADMIN, channel_id: 'C0SANCTIONS' });
    expect(done.payload!.response_type).toBe('ephemeral');
    expect(allText(done.payload!)).toContain('Subscribed this channel: designations');
    expect(fake.to('users.info').length).toBe(usersInfoBefore + 1);
    const subs = await new SubscriptionStore(store).all();
    expect(subs).toMatchObject([{ platform: 'slack', workspaceId: FAKE_TEAM.id, channelId: 'C0SANCTIONS', topics: ['designations'], createdBy: ADMIN }]);

    // The admin answer is cached: a second command does not call users.info again.
    await command('subscriptions', { user_id: ADMIN, channel_id: 'C0SANCTIONS' });
    expect(fake.to('users.info').length).toBe(usersInfoBefore + 1);
    // Owners and the allow-list may manage too.
    expect(allText((await command('subscribe', { user_id: OWNER, channel_id: 'C0OWNER' })).payload!)).toContain('Subscribed this channel');
    expect(allText((await command('subscribe', { user_id: ALLOWED, channel_id: 'C0ALLOW' })).payload!)).toContain('Subscribed this channel');
    expect(fake.to('users.info', undefined).some((r) => r.body.user === ALLOWED)).toBe(false);

    // The queued alert from the 04-12 → 04-14 poll: LAZARUS GROUP amended.
    const pending = await store.pendingAlerts();
    expect(pending.map((a) => a.summary)).toEqual([expect.stringContaining('LAZARUS GROUP')]);
    const output = slackOutput({ services, client: createSlackClient(settings as SlackConfig, log), log, webhookUrls: [fake.webhookUrl('ops')] });
    const posted = fake.to('chat.postMessage').length;
    const delivered = await drainOutbox(store, [output], log);
    expect(delivered).toHaveLength(1);
    const posts = fake.to('chat.postMessage').slice(posted);
    expect(posts.map((p) => p.body.channel).sort()).toEqual(['C0ALLOW', 'C0OWNER', 'C0SANCTIONS']);
    const post = posts.find((p) => p.body.channel === 'C0SANCTIONS')!;
    expect(post.headers.authorization).toBe(`Bearer ${FAKE_BOT.token}`);
    const msg = post.body as unknown as SlackMessage;
    expect(slackMessageProblems(msg)).toEqual([]);
    expect(allText(msg)).toContain('*🟠 AMENDED* · *<https://sanctionssearch.ofac.treas.gov/Details.aspx?id=27307|LAZARUS GROUP>*');
    expect(allText(msg)).toContain('0x098B716B8Aaf21512996dC57EB0615e2383E2f96');
    expect(post.body.unfurl_links).toBe('false');
    const hook = fake.to('webhook', 'ops');
    expect(hook).toHaveLength(1);
    expect(allText(hook[0]!.body as unknown as SlackMessage)).toContain('LAZARUS GROUP');
  });

  it('disables a subscription when Slack says channel_not_found (and a webhook that answers 404 no_service); other channels still get the alert', async () => {
    await command('subscribe', { user_id: ADMIN, channel_id: 'C0DELETED' });
    await command('subscribe', { user_id: ADMIN, channel_id: 'C0ALIVE' });
    fake.channelErrors.set('C0DELETED', 'channel_not_found');
    fake.webhookErrors.set('removed', { status: 404, body: 'no_service' });
    const [alert] = await store.recentAlerts(1);
    const output = slackOutput({ services, client: createSlackClient(settings as SlackConfig, log), log, webhookUrls: [fake.webhookUrl('removed')] });
    await output.deliver(alert!);

    const subs = new SubscriptionStore(store);
    const gone = await subs.get({ platform: 'slack', workspaceId: FAKE_TEAM.id, channelId: 'C0DELETED' });
    expect(gone?.disabled?.reason).toContain('channel_not_found');
    const hook = await subs.get({ platform: 'slack-webhook', channelId: fake.webhookUrl('removed') });
    expect(hook?.disabled?.reason).toContain('no_service');
    expect((await subs.get({ platform: 'slack', workspaceId: FAKE_TEAM.id, channelId: 'C0ALIVE' }))?.disabled).toBeUndefined();
    expect(fake.to('chat.postMessage').filter((p) => p.body.channel === 'C0ALIVE')).toHaveLength(1);

    // /dprk subscriptions says why; the next alert skips the disabled destinations.
    const listing = await command('subscriptions', { user_id: ADMIN, channel_id: 'C0DELETED' });
    expect(allText(listing.payload!)).toMatch(/DISABLED since \d{4}-\d\d-\d\d: Slack: channel_not_found/);
    const before = fake.requests.length;
    await output.deliver({ ...alert!, id: `${alert!.id}-next` });
    const after = fake.requests.slice(before);
    expect(after.map((r) => r.body.channel ?? r.endpoint)).toEqual(['C0ALIVE']);
    fake.channelErrors.clear();
  });
});

describe('alert delivery faults', () => {
  beforeEach(async () => {
    await replaceSubscriptions(store, []);
    await command('subscribe', { user_id: ADMIN, channel_id: 'C0ONE' });
    await command('subscribe', { user_id: ADMIN, channel_id: 'C0TWO' });
  });

  const posts = (from: number): RecordedRequest[] => fake.requests.slice(from).filter((r) => r.endpoint === 'chat.postMessage');

  it('waits out a short Retry-After and delivers', async () => {
    const [alert] = await store.recentAlerts(1);
    fake.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } });
    const output = slackOutput({ services, client: createSlackClient(settings as SlackConfig, log), log, webhookUrls: [] });
    const from = fake.requests.length;
    await output.deliver({ ...alert!, id: 'ratelimit-short' });
    const p = posts(from);
    expect(p.map((r) => r.status)).toEqual([429, 200, 200]);
    expect(p[1]!.at - p[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('a long Retry-After fails the delivery for the outbox to retry, and Slack is not called again before it is over', async () => {
    const [alert] = await store.recentAlerts(1);
    fake.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '120' }, body: { ok: false, error: 'ratelimited' } });
    const output = slackOutput({ services, client: createSlackClient(settings as SlackConfig, log), log, webhookUrls: [] });
    const from = fake.requests.length;
    await expect(output.deliver({ ...alert!, id: 'ratelimit-long' })).rejects.toThrow(/will retry.*rate limited/);
    expect(posts(from)).toHaveLength(1);
    await expect(output.deliver({ ...alert!, id: 'ratelimit-long' })).rejects.toThrow(/not calling Slack for another 1\d\ds/);
    expect(posts(from)).toHaveLength(1);
  });

  it('a 5xx or network failure throws after the others were served; the retry sends only what did not arrive', async () => {
    const [alert] = await store.recentAlerts(1);
    const output = slackOutput({ services, client: createSlackClient(settings as SlackConfig, log), log, webhookUrls: [] });
    fake.failNext('chat.postMessage', { status: 503, body: 'upstream unavailable' });
    const from = fake.requests.length;
    await expect(output.deliver({ ...alert!, id: 'five-hundred' })).rejects.toThrow(/HTTP 503/);
    expect(posts(from).map((r) => r.status)).toEqual([503, 200]);
    const served = posts(from)[1]!.body.channel;
    const retryFrom = fake.requests.length;
    await output.deliver({ ...alert!, id: 'five-hundred' });
    const retried = posts(retryFrom);
    expect(retried).toHaveLength(1);
    expect(retried[0]!.body.channel).not.toBe(served);

    // Nothing listening: a network error is transient too.
    const dead = slackOutput({ services, client: createSlackClient({ ...settings, SLACK_API_URL: 'http://127.0.0.1:9/api/' } as SlackConfig, log), log, webhookUrls: [] });
    await expect(dead.deliver({ ...alert!, id: 'network' })).rejects.toThrow(/network/);
  });

  it('a payload Slack refuses (invalid_blocks) is sent again as plain text, not retried forever', async () => {
    const [alert] = await store.recentAlerts(1);
    const output = slackOutput({ services, client: createSlackClient(settings as SlackConfig, log), log, webhookUrls: [] });
    fake.failNext('chat.postMessage', { status: 200, body: { ok: false, error: 'invalid_blocks' } });
    const from = fake.requests.length;
    await output.deliver({ ...alert!, id: 'invalid-blocks' });
    const p = posts(from);
    expect(p).toHaveLength(3);
    expect(p[1]!.body.blocks).toBeUndefined();
    expect(String(p[1]!.body.text)).toContain('LAZARUS GROUP');
  });
});

describe('start-up', () => {
  it('a revoked or wrong bot token fails at start (auth.test: invalid_auth), not at the first command', async () => {
    const wrong = createSlackBot({ services, log, settings: { ...settings, SLACK_BOT_TOKEN: 'xoxb-not-the-token' }, host: '127.0.0.1' });
    await expect(wrong.start(0)).rejects.toThrow(/invalid_auth/);
  });
});

describe('Socket Mode', () => {
  it('is chosen when SLACK_APP_TOKEN is set (no signing secret needed)', () => {
    const socket = createSlackBot({
      services,
      log,
      settings: { SLACK_BOT_TOKEN: FAKE_BOT.token, SLACK_APP_TOKEN: 'xapp-1-A0TEST-123-abc', SLACK_SIGNING_SECRET: undefined, SLACK_API_URL: fake.apiUrl },
    });
    expect(socket.mode).toBe('socket');
    expect(() => createSlackBot({ services, log, settings: { SLACK_BOT_TOKEN: FAKE_BOT.token, SLACK_SIGNING_SECRET: undefined } })).toThrow(/SLACK_SIGNING_SECRET/);
  });
});
