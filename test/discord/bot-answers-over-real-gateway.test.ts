/**
 * The real discord.js client, logged in to a loopback fake of Discord (REST + gateway),
 * answering /dprk from a store built from the real OFAC DPRK subsets, and the alert output
 * posting to the channel a member subscribed through the bot (and to a webhook).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { DiscordBot } from '../../src/adapters/discord.js';
import { discordOutput } from '../../src/adapters/discord-output.js';
import type { Services } from '../../src/commands/context.js';
import { loadConfig } from '../../src/config.js';
import { drainOutbox } from '../../src/delivery/outbox.js';
import { registerCommands } from '../../src/cli/register-commands.js';
import type { LookupService } from '../../src/search/lookup-service.js';
import { buildServices } from '../../src/services.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { FakeDiscord, MANAGER_PERMISSIONS, MEMBER_PERMISSIONS, messagePayloadProblems, type RecordedRequest } from '../helpers/fake-discord.js';
import { poll, realFileUrl, recordingLog } from '../helpers/pipeline.js';

const UNESCAPED_MENTION = /@(everyone|here)|<@[!&]?\d+>|<#\d+>/;

type CallbackBody = { type: number; data?: { content?: string; flags?: number; embeds?: Array<Record<string, unknown>>; allowed_mentions?: unknown; choices?: Array<{ name: string; value: string }> } };
const bodyOf = (r: RecordedRequest) => r.body as CallbackBody;

let fake: FakeDiscord;
let store: Store;
let services: Services;
let bot: DiscordBot;
const log = recordingLog();
/** Extra latency added to every lookup (the "slow answer" test turns it on). */
let lookupDelayMs = 0;

beforeAll(async () => {
  fake = await new FakeDiscord({ heartbeatIntervalMs: 250 }).start();
  store = await openStore('memory:', 'discord-gateway');
  // 2022-04-12 is the baseline; 04-14 adds an ETH address to LAZARUS GROUP: one queued alert.
  await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv')), store, 'dprk');
  const second = await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv')), store, 'dprk');
  expect(second.outcome).toBe('changed');
  services = buildServices(loadConfig({}), store);
  const real = services.lookup;
  // The real service, with its answer delayed when a test asks for a slow one.
  services.lookup = Object.assign(Object.create(real) as LookupService, {
    current: async () => {
      if (lookupDelayMs > 0) await sleep(lookupDelayMs);
      return real.current();
    },
  });
  await services.lookup.current(); // build the index once, as the app does at start

  // Register /dprk in the guild the way an operator does.
  const out: string[] = [];
  const code = await registerCommands(
    { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_GUILD_ID: fake.guild.id, DISCORD_API_URL: fake.apiUrl },
    { out: (l) => out.push(l), err: (l) => out.push(l) },
  );
  expect(code, out.join('\n')).toBe(0);

  bot = new DiscordBot({ token: fake.token, apiUrl: fake.apiUrl, services, log });
  await bot.start();
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
  await store?.close();
});

describe('the discord.js client against the fake Discord', () => {
  it('logs in through the gateway handshake: GET /gateway/bot, HELLO, IDENTIFY (Guilds intent only), READY, GUILD_CREATE, heartbeats', async () => {
    const gw = fake.requestsTo('GET', '/gateway/bot');
    expect(gw).toHaveLength(1);
    expect(gw[0]!.headers.authorization).toBe(`Bot ${fake.token}`);

    const sent = fake.frames.filter((f) => f.direction === 'sent');
    const received = fake.frames.filter((f) => f.direction === 'received');
    expect(sent[0]).toMatchObject({ op: 10, d: { heartbeat_interval: 250 } });
    const identify = received.find((f) => f.op === 2)!;
    expect(identify.d).toMatchObject({ token: fake.token, intents: 1, shard: [0, 1], properties: expect.any(Object) });
    expect(sent.filter((f) => f.op === 0).map((f) => f.t).slice(0, 2)).toEqual(['READY', 'GUILD_CREATE']);

    expect(bot.client.isReady()).toBe(true);
    expect(bot.client.user?.id).toBe(fake.bot.id);
    expect(bot.client.application?.id).toBe(fake.applicationId);
    expect(bot.client.guilds.cache.get(fake.guild.id)?.name).toBe('Sanctions Desk');

    // The client beats on the HELLO interval and the fake acknowledges each beat.
    const deadline = Date.now() + 3000;
    while (!fake.frames.some((f) => f.direction === 'received' && f.op === 1) && Date.now() < deadline) await sleep(50);
    expect(fake.frames.some((f) => f.direction === 'received' && f.op === 1)).toBe(true);
    expect(fake.frames.some((f) => f.direction === 'sent' && f.op === 11)).toBe(true);
  });

  it('registered /dprk in the guild with one subcommand per registry command', () => {
    const put = fake.requestsTo('PUT', `/applications/${fake.applicationId}/guilds/${fake.guild.id}/commands`);
    expect(put).toHaveLength(1);
    const [cmd] = put[0]!.body as Array<{ name: string; options: Array<{ name: string }> }>;
    expect(cmd!.name).toBe('dprk');
    expect(cmd!.options.map((o) => o.name)).toEqual(COMMANDS.map((c) => c.definition.name));
    expect(cmd!.options.map((o) => o.name)).toEqual(expect.arrayContaining(['entity', 'address', 'latest', 'subscribe', 'unsubscribe', 'subscriptions', 'status', 'help']));
  });

  it('answers /dprk entity Kim Jong-un with an embed naming KIM, Jong Un and no mentions allowed', async () => {
    const i = fake.chatInput({ subcommand: 'entity', options: { query: 'Kim Jong-un' } });
    const cb = await i.callback;
    expect(cb.status).toBe(204);
    const body = bodyOf(cb);
    expect(body.type).toBe(4); // CHANNEL_MESSAGE_WITH_SOURCE: answered at once, no defer
    expect(body.data!.allowed_mentions).toEqual({ parse: [] });
    expect(body.data!.flags ?? 0).toBe(0); // a lookup answer is public
    const first = body.data!.embeds![0]!;
    expect(first.title).toContain('KIM, Jong Un');
    expect(first.url).toBe('https://sanctionssearch.ofac.treas.gov/Details.aspx?id=20157');
    expect(JSON.stringify(first.fields)).toContain('DPRK3');
    expect(messagePayloadProblems(body.data, { interaction: true })).toEqual([]);
  });

  it('defers an answer that is not ready within 1.5 s, then edits the original response', async () => {
    lookupDelayMs = 2500;
    try {
      const i = fake.chatInput({ subcommand: 'entity', options: { query: 'LAZARUS GROUP' } });
      const cb = await i.callback;
      expect(cb.status).toBe(204);
      expect(bodyOf(cb).type).toBe(5); // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
      const ackAfter = cb.at - i.dispatchedAt;
      expect(ackAfter).toBeGreaterThan(1300);
      expect(ackAfter).toBeLessThan(3000); // inside Discord's 3 s (the fake refuses later callbacks with 10062)
      const edit = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path === `/webhooks/${fake.applicationId}/${i.token}/messages/@original`, 5000);
      expect(edit.status).toBe(200);
      expect(edit.at - i.dispatchedAt).toBeGreaterThan(2500);
      const b = edit.body as { embeds: Array<{ title: string }>; allowed_mentions: unknown };
      expect(b.allowed_mentions).toEqual({ parse: [] });
      expect(b.embeds[0]!.title).toContain('LAZARUS GROUP');
      expect(i.messages().original?.embeds).toHaveLength(b.embeds.length);
    } finally {
      lookupDelayMs = 0;
    }
  });

  it('refuses /dprk subscribe, privately, to a member without Manage Channels', async () => {
    const i = fake.chatInput({ subcommand: 'subscribe', options: { topics: 'designations' }, permissions: MEMBER_PERMISSIONS });
    const body = bodyOf(await i.callback);
    expect(body.type).toBe(4);
    expect(body.data!.flags).toBe(64);
    expect(body.data!.content).toContain('Manage Channels');
    expect(body.data!.allowed_mentions).toEqual({ parse: [] });
    expect(await new SubscriptionStore(store).all()).toEqual([]);
  });

  it('refuses /dprk subscribe in a DM (nobody manages a DM channel for the server)', async () => {
    const body = bodyOf(await fake.chatInput({ subcommand: 'subscribe', options: {}, dm: true, permissions: MANAGER_PERMISSIONS }).callback);
    expect(body.data!.flags).toBe(64);
    expect(body.data!.content).toContain('Manage Channels');
  });

  it('lets a member with Manage Channels subscribe the channel; the alert output then posts the queued alert there and to a webhook', async () => {
    const alerts = fake.guild.channels[1]!;
    const i = fake.chatInput({ subcommand: 'subscribe', options: { topics: 'designations', programs: 'DPRK3' }, permissions: MANAGER_PERMISSIONS, channelId: alerts.id });
    const body = bodyOf(await i.callback);
    expect(body.data!.flags).toBe(64);
    expect(body.data!.content).toMatch(/^Subscribed this channel: designations; programs DPRK3; instant/);
    const subs = await new SubscriptionStore(store).all();
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ platform: 'discord', workspaceId: fake.guild.id, channelId: alerts.id, topics: ['designations'] });
    // A channel subscribed to reports only must not get a designation alert.
    const ops = fake.guild.channels[2]!;
    await fake.chatInput({ subcommand: 'subscribe', options: { topics: 'reports' }, permissions: MANAGER_PERMISSIONS, channelId: ops.id }).callback;

    const hook = fake.createWebhook(ops.id);
    const output = discordOutput({ services, rest: bot.client.rest, log, webhookUrls: [hook.url] });
    const delivered = await drainOutbox(store, [output], log);
    expect(delivered.map((a) => [a.kind, 'name' in a ? a.name : ''])).toEqual([['designation.amended', 'LAZARUS GROUP']]);
    expect(await store.pendingAlerts()).toEqual([]);

    const posted = fake.requestsTo('POST', `/channels/${alerts.id}/messages`);
    expect(posted.length).toBeGreaterThanOrEqual(1);
    for (const p of posted) {
      expect(p.status).toBe(200);
      expect(p.headers.authorization).toBe(`Bot ${fake.token}`);
      expect((p.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
      expect(messagePayloadProblems(p.body)).toEqual([]);
    }
    const first = posted[0]!.body as { content: string; embeds: Array<{ title: string; color: number; fields: Array<{ name: string; value: string }> }> };
    expect(first.content).toContain('AMENDED');
    expect(first.embeds[0]!.title).toBe('🟠 AMENDED · LAZARUS GROUP');
    expect(first.embeds[0]!.color).toBe(0xe67e22);
    expect(first.embeds[0]!.fields.find((f) => f.name === 'Changes')?.value).toMatch(/\+ identifiers: .*0x098B716B8Aaf21512996dC57EB0615e2383E2f96/i);
    expect(fake.requestsTo('POST', `/channels/${ops.id}/messages`)).toEqual([]);

    const viaHook = fake.requestsTo('POST', `/webhooks/${hook.id}/${hook.token}`);
    expect(viaHook.length).toBe(posted.length);
    expect(viaHook[0]!.headers.authorization).toBeUndefined(); // webhooks are authorised by their token
    expect(viaHook[0]!.query.wait).toBe('true');
    expect(fake.messagesIn(ops.id).map((m) => m.webhook_id)).toEqual(viaHook.map(() => hook.id));
  });

  it('gives a bad argument a private, helpful answer', async () => {
    const body = bodyOf(await fake.chatInput({ subcommand: 'entity', options: { query: 'x' } }).callback);
    expect(body.type).toBe(4);
    expect(body.data!.flags).toBe(64);
    expect(body.data!.content).toBe('Cannot run /dprk entity — query: type at least 2 characters. Try /dprk help.');
    const latest = bodyOf(await fake.chatInput({ subcommand: 'latest', options: { kind: 'designations', limit: 99 } }).callback);
    expect(latest.data!.flags).toBe(64);
    expect(latest.data!.content).toContain('limit: limit is at most 25');
  });

  it('answers autocomplete with at most 25 choices of at most 100 characters', async () => {
    const i = fake.autocomplete({ subcommand: 'entity', options: { query: 'kim' }, focused: 'query' });
    const cb = await i.callback;
    expect(cb.status).toBe(204);
    const body = bodyOf(cb);
    expect(body.type).toBe(8);
    const choices = body.data!.choices!;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const c of choices) {
      expect(c.name.length).toBeGreaterThan(0);
      expect([...c.name].length).toBeLessThanOrEqual(100);
      expect([...c.value].length).toBeLessThanOrEqual(100);
    }
    expect(choices.map((c) => c.name)).toContain('KIM, Jong Un');
    // Options without autocomplete, unknown subcommands: an empty list, still in time.
    const none = bodyOf(await fake.autocomplete({ subcommand: 'nonexistent', options: { q: 'a' }, focused: 'q' }).callback);
    expect(none).toEqual({ type: 8, data: { choices: [] } });
  });

  it('answers in a DM, and answers a subcommand it does not know with a private hint', async () => {
    const dm = bodyOf(await fake.chatInput({ subcommand: 'entity', options: { query: 'KIM, Jong Un' }, dm: true }).callback);
    expect(dm.data!.embeds![0]!.title).toContain('KIM, Jong Un');
    const unknown = bodyOf(await fake.chatInput({ subcommand: 'verdict-of-the-day', options: {} }).callback);
    expect(unknown.data!.flags).toBe(64);
    expect(unknown.data!.content).toContain('/dprk help');
  });

  it('never lets a reply ping: hostile input is echoed neutralised', async () => {
    const body = bodyOf(await fake.chatInput({ subcommand: 'entity', options: { query: '@everyone <@&123456789012345678> **x**' } }).callback);
    expect(body.data!.allowed_mentions).toEqual({ parse: [] });
    expect(JSON.stringify(body.data)).not.toMatch(UNESCAPED_MENTION);
  });

  it('a wrong token fails the login (401 on GET /gateway/bot) instead of hanging', async () => {
    const wrong = new DiscordBot({ token: 'not-the-token', apiUrl: fake.apiUrl, services, log: recordingLog() });
    await expect(wrong.start()).rejects.toThrow(/invalid token/i);
    await wrong.stop();
    expect(fake.identifiedSessions).toBe(1);
  });

  it('logged no errors while answering', () => {
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
