import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackBot, type SlackBot } from '../../src/adapters/slack.js';
import type { Services } from '../../src/commands/context.js';
import { loadConfig } from '../../src/config.js';
import { messageTexts, slackMessageProblems, type SlackMessage } from '../../src/render/slack.js';
import { buildServices } from '../../src/services.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { FAKE_BOT, FAKE_TEAM, FakeSlack, type SlashCommandFields } from '../helpers/fake-slack.js';
import { FAKE_APP, FakeSlackSocketMode, type DisconnectReason } from '../helpers/fake-slack-socket.js';
import { poll, realFileUrl, recordingLog } from '../helpers/pipeline.js';
import { replaceSubscriptions } from '../helpers/subscriptions.js';

/**
 * The real Bolt app from createSlackBot in Socket Mode (SLACK_APP_TOKEN set), against a
 * loopback fake of Slack: apps.connections.open → WebSocket hello → slash_commands envelopes,
 * each acked with its envelope_id and answered through its response_url; and the app opens a
 * new connection when Slack asks it to (`disconnect`) or when the TCP connection dies.
 */

const ADMIN = 'U0WSADMIN';
const MEMBER = 'U0ANALYST';
const ALLOWED = 'U0ALLOWED';

let store: Store;
let services: Services;
let fake: FakeSlack | undefined;
let socket: FakeSlackSocketMode | undefined;
let bot: SlackBot | undefined;
const log = recordingLog();
let n = 0;

type Answer = SlackMessage & { response_type: string };
const allText = (m: SlackMessage) => messageTexts(m).join('\n');

/** Run `/dprk <text>` over the socket; resolves with its ack and the answer posted to its response_url. */
async function command(text: string, fields: Partial<SlashCommandFields> = {}) {
  const id = `sock${++n}`;
  const envelope = socket!.slashCommand({ text, response_url: fake!.responseUrl(id), ...fields });
  const ack = await socket!.waitForAck(envelope.envelope_id);
  const answer = await fake!.waitFor((r) => r.endpoint === 'response' && r.id === id, 30_000);
  return { envelope, ack, answer, payload: answer.body as unknown as Answer };
}

beforeAll(async () => {
  store = await openStore('memory:', `slack-socket-${process.pid}`);
  // The real DPRK subset of sdn.csv, 2022-04-12 then 2022-04-14.
  await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv')), store, 'dprk');
  await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv')), store, 'dprk');
  services = buildServices(loadConfig({}), store);
});

beforeEach(async () => {
  await replaceSubscriptions(store, []);
  fake = await new FakeSlack().start();
  fake.addUser({ id: ADMIN, is_admin: true }).addUser({ id: MEMBER });
  socket = await new FakeSlackSocketMode(fake).start();
  bot = createSlackBot({
    services,
    log,
    settings: {
      SLACK_BOT_TOKEN: FAKE_BOT.token,
      SLACK_APP_TOKEN: FAKE_APP.token,
      SLACK_SIGNING_SECRET: undefined,
      SLACK_API_URL: fake.apiUrl,
      SLACK_ADMIN_USER_IDS: [ALLOWED],
      SLACK_WEBHOOK_URLS: [],
    },
  });
  await bot.start();
});

afterEach(async () => {
  // Each step runs even when the one before throws: no socket or server outlives a test.
  try {
    await bot?.stop();
  } finally {
    bot = undefined;
    try {
      await socket?.stop();
    } finally {
      socket = undefined;
      await fake?.stop();
      fake = undefined;
    }
  }
});

describe('Slack Socket Mode against a loopback fake', () => {
  it('connects with the app-level token (apps.connections.open at SLACK_API_URL, then hello) and answers /dprk entity: acked with its envelope_id, answered via response_url', async () => {
    expect(bot!.mode).toBe('socket');
    // auth.test with the bot token; apps.connections.open with the app-level token, once.
    expect(fake!.to('auth.test').map((r) => r.headers.authorization)).toEqual([`Bearer ${FAKE_BOT.token}`]);
    expect(fake!.to('apps.connections.open').map((r) => r.headers.authorization)).toEqual([`Bearer ${FAKE_APP.token}`]);
    expect(socket!.connections.map((c) => c.n)).toEqual([1]);
    expect(socket!.live).toHaveLength(1);

    const r = await command('entity Kim Jong-un');
    // One ack, on the same connection, carrying the envelope_id; it comes before the answer.
    expect(socket!.acksOf(r.envelope.envelope_id)).toHaveLength(1);
    expect(r.ack).toMatchObject({ envelope_id: r.envelope.envelope_id, connection: 1 });
    expect(r.ack.payload ?? {}).toEqual({});
    expect(r.ack.at).toBeLessThanOrEqual(r.answer.at);
    // The answer: the real card of KIM, Jong Un from the polled sdn.csv subset.
    const p = r.payload;
    expect(p.response_type).toBe('in_channel');
    expect(slackMessageProblems(p)).toEqual([]);
    expect(allText(p)).toContain('<https://sanctionssearch.ofac.treas.gov/Details.aspx?id=20157|KIM, Jong Un>');
    expect(allText(p)).toContain('DPRK3');
    expect(String(r.answer.headers['content-type'])).toContain('application/json');
    expect(socket!.strays).toEqual([]);
  });

  it('/dprk subscribe from a workspace admin (users.info) and from the allow-list is acked, answered and stored', async () => {
    const byAdmin = await command('subscribe topics:designations programs:DPRK3', { user_id: ADMIN, channel_id: 'C0SANCTIONS' });
    expect(byAdmin.ack.envelope_id).toBe(byAdmin.envelope.envelope_id);
    expect(byAdmin.payload.response_type).toBe('ephemeral');
    expect(allText(byAdmin.payload)).toContain('Subscribed this channel: designations');
    // The admin check went to the fake's users.info with the bot token.
    expect(fake!.to('users.info').map((u) => [u.body.user, u.headers.authorization])).toEqual([[ADMIN, `Bearer ${FAKE_BOT.token}`]]);

    const byAllowed = await command('subscribe', { user_id: ALLOWED, channel_id: 'C0ALLOW' });
    expect(allText(byAllowed.payload)).toContain('Subscribed this channel');
    expect(fake!.to('users.info')).toHaveLength(1); // the allow-list needs no lookup

    const subs = new SubscriptionStore(store);
    expect(await subs.get({ platform: 'slack', workspaceId: FAKE_TEAM.id, channelId: 'C0SANCTIONS' })).toMatchObject({
      topics: ['designations'],
      filters: { programs: ['DPRK3'] },
      delivery: { mode: 'instant' },
      createdBy: ADMIN,
    });
    expect((await subs.all()).map((s) => s.channelId).sort()).toEqual(['C0ALLOW', 'C0SANCTIONS']);
  });

  it('a refused /dprk subscribe (not an admin; a bad topic) is acked and answered with an ephemeral reason, and stores nothing', async () => {
    const member = await command('subscribe topics:designations', { user_id: MEMBER, channel_id: 'C0SANCTIONS' });
    expect(member.ack.envelope_id).toBe(member.envelope.envelope_id);
    expect(member.payload.response_type).toBe('ephemeral');
    expect(allText(member.payload)).toContain('Only workspace admins (or people on the allow-list) can run /dprk subscribe here.');

    const badTopic = await command('subscribe topics:weather', { user_id: ADMIN, channel_id: 'C0SANCTIONS' });
    expect(badTopic.payload.response_type).toBe('ephemeral');
    expect(allText(badTopic.payload)).toContain('topics are: designations, reports, verdicts, source-health');

    expect(await new SubscriptionStore(store).all()).toEqual([]);
    expect(socket!.acks).toHaveLength(2);
  });

  it.each<DisconnectReason>(['refresh_requested', 'warning'])('after a `disconnect` (%s) the app closes the socket, opens a new one with apps.connections.open, and answers there', async (reason) => {
    await command('entity Kim Jong-un');
    socket!.disconnect(reason);

    const second = await socket!.waitForConnection(2);
    // The app closed the old socket itself, with a close frame (1000), and asked for a new URL.
    expect(socket!.connections[0]!.closed).toEqual({ by: 'app', code: 1000 });
    expect(fake!.to('apps.connections.open')).toHaveLength(2);
    expect(second.ticket).not.toBe(socket!.connections[0]!.ticket);

    const r = await command('entity LAZARUS GROUP');
    expect(r.ack.connection).toBe(2);
    expect(allText(r.payload)).toContain('LAZARUS GROUP');
    expect(socket!.connections).toHaveLength(2);
  });

  it('after the TCP connection drops (no close frame) the app opens a new one and answers there', async () => {
    await command('entity Kim Jong-un');
    socket!.dropTcp();

    await socket!.waitForConnection(2);
    expect(socket!.connections[0]!.closed).toEqual({ by: 'fake', code: 1006 });
    expect(fake!.to('apps.connections.open')).toHaveLength(2);

    const r = await command('subscribe topics:designations', { user_id: ADMIN, channel_id: 'C0AFTERDROP' });
    expect(r.ack.connection).toBe(2);
    expect(allText(r.payload)).toContain('Subscribed this channel: designations');
    expect(await new SubscriptionStore(store).get({ platform: 'slack', workspaceId: FAKE_TEAM.id, channelId: 'C0AFTERDROP' })).toMatchObject({ topics: ['designations'] });
    expect(socket!.connections).toHaveLength(2);
  });

  it('when apps.connections.open fails during a reconnect (HTTP 503, more often than the bot’s own calls retry) the app keeps trying and reconnects', async () => {
    await command('entity Kim Jong-un');
    fake!.failNext('apps.connections.open', { status: 503, body: 'upstream unavailable' }, 3);
    socket!.dropTcp();

    await socket!.waitForConnection(2, 45_000);
    expect(fake!.to('apps.connections.open').map((r) => r.status)).toEqual([200, 503, 503, 503, 200]);
    const r = await command('entity LAZARUS GROUP');
    expect(r.ack.connection).toBe(2);
    expect(allText(r.payload)).toContain('LAZARUS GROUP');
  });
});
