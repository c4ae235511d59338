/**
 * `/dprk` as Discord registers it is built from the command registry, follows Discord's
 * rules, and `register-commands` puts it globally or in one guild, failing with every
 * missing setting listed.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { buildDiscordCommand, commandTextLength, MAX_COMMAND_TEXT } from '../../src/adapters/discord-commands.js';
import { loadDiscordConfig } from '../../src/settings/discord.js';
import { EXIT_CONFIG, registerCommands } from '../../src/cli/register-commands.js';
import { defineCommand } from '../../src/commands/command.js';
import { commandProblems, FakeDiscord } from '../helpers/fake-discord.js';
import { spawnChild } from '../helpers/children.js';
import { PROCESS_TEST_TIMEOUT_MS } from '../helpers/cli.js';

const SCRIPT = fileURLToPath(new URL('../../src/cli/register-commands.ts', import.meta.url));

describe('the /dprk registration JSON', () => {
  const json = buildDiscordCommand(COMMANDS);

  it('is one chat-input command whose subcommands are the registry, in order, within every Discord rule', () => {
    expect(json).toMatchObject({ type: 1, name: 'dprk', default_member_permissions: null, contexts: [0, 1], integration_types: [0] });
    expect(json.options.map((o) => o.name)).toEqual(COMMANDS.map((c) => c.definition.name));
    expect(json.options.every((o) => o.type === 1)).toBe(true);
    expect(commandProblems(json)).toEqual([]);
    expect(commandTextLength(json)).toBeLessThanOrEqual(MAX_COMMAND_TEXT);
  });

  it('maps option types, required, autocomplete, choices and max_length', () => {
    const sub = (name: string) => json.options.find((o) => o.name === name)!;
    expect(sub('entity').options).toEqual([
      { type: 3, name: 'query', description: expect.any(String), required: true, autocomplete: true },
      { type: 4, name: 'limit', description: expect.any(String) },
    ]);
    expect(sub('address').options![0]).toMatchObject({ type: 3, name: 'wallet', required: true, max_length: 120 });
    expect(sub('latest').options![0]!.choices).toEqual(['designations', 'reports', 'verdicts', 'all'].map((v) => ({ name: v, value: v })));
    expect(sub('subscribe').options!.find((o) => o.name === 'mode')!.choices).toEqual([
      { name: 'instant', value: 'instant' },
      { name: 'digest', value: 'digest' },
    ]);
    // Manage Channels cannot be set per subcommand; the description says who may run it.
    expect(sub('unsubscribe').description).toMatch(/needs Manage Channels/);
  });

  it('picks up a command added to the registry, puts required options first, and refuses what Discord would refuse', () => {
    const extra = defineCommand({
      definition: {
        name: 'dossier',
        description: 'Everything dprk-watch knows about one party: designations, reports, verdicts. '.repeat(4),
        options: [
          { name: 'language', type: 'string', description: 'BCP-47 code' },
          { name: 'claim', type: 'string', description: 'The claim', required: true, maxLength: 300 },
        ],
        permission: 'everyone',
      },
      ArgsSchema: z.object({}),
      handler: async () => ({ text: '', data: {} }),
    });
    const built = buildDiscordCommand([...COMMANDS, extra]);
    const v = built.options.at(-1)!;
    expect(v.name).toBe('dossier');
    expect(v.description.length).toBeLessThanOrEqual(100);
    expect(v.options!.map((o) => o.name)).toEqual(['claim', 'language']);
    expect(commandProblems(built)).toEqual([]);

    const bad = (over: object) => defineCommand({ ...extra, definition: { ...extra.definition, ...over } } as never);
    expect(() => buildDiscordCommand([bad({ name: 'Dossier' })])).toThrow(/not a valid Discord command name/);
    expect(() => buildDiscordCommand([bad({ name: 'a'.repeat(33) })])).toThrow(/not a valid Discord command name/);
    expect(() => buildDiscordCommand([extra, extra])).toThrow(/defined twice/);
    expect(() => buildDiscordCommand([bad({ options: [{ name: 'x', type: 'string', description: 'x', autocomplete: true, choices: ['a'] }] })])).toThrow(/both choices and autocomplete/);
  });
});

describe('register-commands', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await new FakeDiscord().start();
  });
  afterAll(async () => {
    await fake?.stop();
  });

  const run = async (env: Record<string, string>) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await registerCommands(env, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('registers /dprk globally when DISCORD_GUILD_ID is unset, and says what it did', async () => {
    const r = await run({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl });
    expect(r.code).toBe(0);
    const put = fake.requestsTo('PUT', `/applications/${fake.applicationId}/commands`);
    expect(put).toHaveLength(1);
    expect(put[0]!.headers.authorization).toBe(`Bot ${fake.token}`);
    expect(put[0]!.body).toEqual([buildDiscordCommand(COMMANDS)]);
    expect(r.out).toMatch(new RegExp(`^Registered /dprk \\(command \\d+\\) globally for application ${fake.applicationId}`));
    expect(r.out).toContain('/dprk entity <query> [limit] — ');
    expect(r.out).toContain('/dprk help — ');
  });

  it('registers in one guild when DISCORD_GUILD_ID is set; running it again replaces, not duplicates', async () => {
    const env = { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_GUILD_ID: fake.guild.id, DISCORD_API_URL: `${fake.apiUrl}/` };
    expect((await run(env)).code).toBe(0);
    const r = await run(env);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`in guild ${fake.guild.id}`);
    expect(fake.requestsTo('PUT', `/applications/${fake.applicationId}/guilds/${fake.guild.id}/commands`)).toHaveLength(2);
    expect(fake.commands.get(`guild:${fake.guild.id}`)).toHaveLength(1);
  });

  it('fails listing every missing or invalid setting, never echoing a secret (exit 78)', async () => {
    const r = await run({});
    expect(r.code).toBe(EXIT_CONFIG);
    expect(r.err).toContain('DISCORD_TOKEN is not set');
    expect(r.err).toContain('DISCORD_APPLICATION_ID is not set');
    const bad = await run({ DISCORD_TOKEN: 'secret-token', DISCORD_APPLICATION_ID: 'my-app', DISCORD_GUILD_ID: '12', DISCORD_WEBHOOK_URLS: 'http://discord.com/api/webhooks/1/secret-hook' });
    expect(bad.code).toBe(EXIT_CONFIG);
    expect(bad.err).toContain('DISCORD_APPLICATION_ID must be a Discord id (17–20 digits) (got "my-app")');
    expect(bad.err).toContain('DISCORD_GUILD_ID must be a Discord id');
    expect(bad.err).toContain('DISCORD_WEBHOOK_URLS each must be an https:// Discord webhook URL');
    expect(bad.err).not.toContain('secret');
  });

  it('reports what Discord said when it refuses (bad token → exit 1, names DISCORD_TOKEN)', async () => {
    const r = await run({ DISCORD_TOKEN: 'wrong', DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/HTTP 401 .*check DISCORD_TOKEN/);
  });

  it('runs as `node --import tsx src/cli/register-commands.ts` (the npm script)', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const env = { PATH: process.env.PATH ?? '', DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl };
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawnChild(process.execPath, ['--import', 'tsx', SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Registered \/dprk .* globally/);
    const missing = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawnChild(process.execPath, ['--import', 'tsx', SCRIPT], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(missing.code).toBe(78);
    expect(missing.stderr).toContain('DISCORD_TOKEN is not set');
    expect(missing.stderr).toContain('DISCORD_APPLICATION_ID is not set');
  });
});

describe('Discord config fragment', () => {
  it('is all optional, trims the API URL, parses webhook lists and shard settings, and lists every bad value', () => {
    expect(loadDiscordConfig({})).toEqual({
      ok: true,
      config: { DISCORD_WEBHOOK_URLS: [], DISCORD_GATEWAY: 'on', DISCORD_SHARDS: 'auto', DISCORD_SHARD_SPAWN_DELAY_MS: 5500 },
    });
    expect(loadDiscordConfig({ DISCORD_SHARDS: '4', DISCORD_GATEWAY: 'off' })).toMatchObject({ ok: true, config: { DISCORD_SHARDS: 4, DISCORD_GATEWAY: 'off' } });
    const bad = loadDiscordConfig({ DISCORD_SHARDS: '0', DISCORD_GATEWAY: 'maybe' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.join('\n')).toMatch(/DISCORD_SHARDS must be auto or a whole number[\s\S]*DISCORD_GATEWAY must be on or off|DISCORD_GATEWAY must be on or off[\s\S]*DISCORD_SHARDS must be auto/);
    const r = loadDiscordConfig({
      DISCORD_API_URL: 'http://127.0.0.1:9/api/',
      DISCORD_WEBHOOK_URLS: ' https://discord.com/api/webhooks/123456789012345678/abc-DEF_1 , https://canary.discord.com/api/v10/webhooks/123456789012345679/x?thread_id=123456789012345680',
    });
    expect(r).toMatchObject({ ok: true, config: { DISCORD_API_URL: 'http://127.0.0.1:9/api' } });
    expect(r.ok && r.config.DISCORD_WEBHOOK_URLS).toHaveLength(2);
  });
});
