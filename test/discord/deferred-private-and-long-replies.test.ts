/**
 * How the bot acknowledges and completes answers that are slow, private, long or failing,
 * with the real discord.js client against the fake Discord (test commands, short defer).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBot } from '../../src/adapters/discord.js';
import { defineCommand, type CommandModule } from '../../src/commands/command.js';
import type { Services } from '../../src/commands/context.js';
import { loadConfig } from '../../src/config.js';
import type { Card } from '../../src/reply.js';
import { buildServices } from '../../src/services.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { FakeDiscord, MANAGER_PERMISSIONS, messagePayloadProblems } from '../helpers/fake-discord.js';
import { recordingLog } from '../helpers/pipeline.js';

const SLOW_MS = 600;
const DEFER_MS = 200;

const cmd = (name: string, permission: 'everyone' | 'manage-channel', handler: CommandModule['handler']): CommandModule =>
  defineCommand({ definition: { name, description: `test ${name}`, options: [], permission }, ArgsSchema: z.object({}), handler });

const bigCard = (n: number): Card => ({
  title: `Card ${n} ${'T'.repeat(300)}`,
  url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=27307',
  severity: 'critical',
  description: 'D'.repeat(5000),
  fields: Array.from({ length: 30 }, (_, i) => ({ name: `Field ${i}`, value: `v${i} `.repeat(300) })),
  footer: 'F'.repeat(3000),
  timestamp: '2022-04-14T18:48:23Z',
});

const COMMANDS_UNDER_TEST: CommandModule[] = [
  cmd('slowprivate', 'everyone', async () => (await sleep(SLOW_MS), { text: 'only you can see this', data: {}, ephemeral: true })),
  cmd('slowmanage', 'manage-channel', async () => (await sleep(SLOW_MS), { text: 'channel settings changed', data: {}, ephemeral: true })),
  cmd('slowlong', 'everyone', async () => (await sleep(SLOW_MS), { text: 'many cards', data: {}, cards: [bigCard(1), bigCard(2), bigCard(3)] })),
  cmd('long', 'everyone', async () => ({ text: `${'line of text\n'.repeat(600)}end`, data: {} })),
  cmd('boom', 'everyone', async () => {
    throw new Error('database on fire');
  }),
];

let fake: FakeDiscord;
let store: Store;
let services: Services;
let bot: DiscordBot;
const log = recordingLog();

beforeAll(async () => {
  fake = await new FakeDiscord().start();
  store = await openStore('memory:', 'discord-deferred');
  services = buildServices(loadConfig({}), store);
  bot = new DiscordBot({ token: fake.token, apiUrl: fake.apiUrl, services, log, commands: COMMANDS_UNDER_TEST, deferAfterMs: DEFER_MS });
  await bot.start();
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
  await store?.close();
});

const base = () => `/webhooks/${fake.applicationId}`;

describe('slow, private, long and failing answers', () => {
  it('a slow private answer to a public command: defers publicly, deletes the placeholder, answers privately in a follow-up', async () => {
    const i = fake.chatInput({ subcommand: 'slowprivate' });
    const cb = await i.callback;
    expect(cb.body).toEqual({ type: 5, data: { flags: 0 } }); // public "thinking…"
    const followUp = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `${base()}/${i.token}`);
    expect((followUp.body as { flags: number }).flags).toBe(64);
    expect((followUp.body as { content: string }).content).toBe('only you can see this');
    const del = fake.requestsTo('DELETE', `${base()}/${i.token}/messages/@original`);
    expect(del).toHaveLength(1);
    expect(del[0]!.at).toBeLessThan(followUp.at);
    expect(i.messages().deleted).toBe(true);
  });

  it('a slow answer to a manage-channel command: defers privately and edits the private placeholder', async () => {
    const i = fake.chatInput({ subcommand: 'slowmanage', permissions: MANAGER_PERMISSIONS });
    expect((await i.callback).body).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path === `${base()}/${i.token}/messages/@original`);
    expect(edit.body).toMatchObject({ content: 'channel settings changed', allowed_mentions: { parse: [] } });
    expect((edit.body as { flags?: number }).flags).toBeUndefined();
  });

  it('a slow answer too big for one message: edits the original, then follow-ups, each within every limit', async () => {
    const i = fake.chatInput({ subcommand: 'slowlong' });
    expect(((await i.callback).body as { type: number }).type).toBe(5);
    await fake.waitForRequest((r) => r.method === 'PATCH' && r.path === `${base()}/${i.token}/messages/@original`);
    await sleep(300);
    await bot.idle();
    const sent = fake.requests.filter((r) => r.path.startsWith(`${base()}/${i.token}`) && r.method !== 'DELETE');
    expect(sent.length).toBeGreaterThan(1);
    for (const r of sent) {
      expect(r.status).toBe(200);
      expect(messagePayloadProblems(r.body, { interaction: true, count: 'utf16' })).toEqual([]);
      expect((r.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
    }
    expect(i.messages().followUps.length).toBe(sent.length - 1);
  });

  it('a long plain-text answer goes out in pieces of at most 2,000 characters (response and follow-ups)', async () => {
    const i = fake.chatInput({ subcommand: 'long' });
    const cb = await i.callback;
    expect(cb.status).toBe(204);
    await bot.idle();
    const pieces = [cb.body as { data: { content: string } }, ...fake.requestsTo('POST', `${base()}/${i.token}`).map((r) => ({ data: r.body as { content: string } }))];
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.data.content.length).toBeLessThanOrEqual(2000);
    expect(pieces.map((p) => p.data.content).join('\n')).toContain('end');
  });

  it('a handler that throws gets a private apology, and the error is logged', async () => {
    const body = (await fake.chatInput({ subcommand: 'boom' }).callback).body as { data: { content: string; flags: number } };
    expect(body.data.flags).toBe(64);
    expect(body.data.content).toMatch(/^Sorry, \/dprk boom failed on our side/);
    expect(log.lines.some((l) => l.level === 'error' && JSON.stringify(l.obj).includes('database on fire'))).toBe(true);
  });

  it('a callback Discord refuses (token expired) is logged, not thrown', async () => {
    fake.inject({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, status: 404, body: { message: 'Unknown interaction', code: 10062 } });
    const cb = await fake.chatInput({ subcommand: 'long' }).callback;
    expect(cb.status).toBe(404);
    await bot.idle();
    expect(log.lines.some((l) => l.msg === 'could not answer a Discord interaction' && JSON.stringify(l.obj).includes('Unknown interaction'))).toBe(true);
    // The bot keeps answering.
    expect(((await fake.chatInput({ subcommand: 'long' }).callback).body as { type: number }).type).toBe(4);
  });
});
