/**
 * One registry (commands/index.ts), three surfaces: the CLI's verbs, Discord's /dprk
 * subcommands and Slack's help all come from it, under the same names, so a command added
 * there shows up everywhere at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { buildDiscordCommand } from '../../src/adapters/discord-commands.js';
import { createSlackBot } from '../../src/adapters/slack.js';
import { addRegistryVerbs, type RunVerb } from '../../src/cli/verbs.js';
import { defineCommand, type CommandModule } from '../../src/commands/command.js';
import type { Services } from '../../src/commands/context.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { loadConfig } from '../../src/config.js';
import { buildServices } from '../../src/services.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { PACKAGE_VERSION } from '../../src/version.js';
import { PROCESS_TEST_TIMEOUT_MS, runCli } from '../helpers/cli.js';
import { recordingLog } from '../helpers/pipeline.js';

const NAMES = COMMANDS.map((c) => c.definition.name);
const named = (name: string) => COMMANDS.find((c) => c.definition.name === name)!;

/** A command that is not in the registry yet. */
const dossier = defineCommand({
  definition: {
    name: 'dossier',
    description: 'Everything known about one party.',
    options: [
      { name: 'party', type: 'string', description: 'A name', required: true },
      { name: 'depth', type: 'integer', description: 'How deep' },
    ],
    permission: 'everyone',
  },
  ArgsSchema: z.object({}),
  handler: async () => ({ text: '', data: {} }),
});

/** The CLI's verbs over `commands`, recording what each run would do instead of doing it. */
function cli(commands: readonly CommandModule[] = COMMANDS) {
  const runs: Array<{ command: string; args: Record<string, unknown>; opts: Parameters<RunVerb>[2] }> = [];
  const program = new Command().exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  addRegistryVerbs(program, commands, async (command, args, opts) => void runs.push({ command: command.definition.name, args, opts }));
  const verb = (name: string) => program.commands.find((c) => c.name() === name);
  const parse = async (...argv: string[]) => {
    await program.parseAsync(argv, { from: 'user' });
    return runs.at(-1);
  };
  return { program, verb, parse };
}

describe('the CLI verbs', () => {
  it('are the registry commands, under their /dprk names, with every option; help is the help verb', () => {
    const { program, verb } = cli();
    for (const { definition: d } of COMMANDS) {
      if (d.name === 'help') {
        expect(program.helpInformation()).toMatch(new RegExp(`help \\[verb\\] +${d.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        continue;
      }
      const v = verb(d.name);
      expect(v, d.name).toBeDefined();
      expect(v!.description()).toBe(d.description);
      const takes = [...v!.registeredArguments.map((a) => a.name()), ...v!.options.map((o) => o.attributeName())];
      expect(takes).toEqual(expect.arrayContaining([...d.options.map((o) => o.name), 'json']));
      // A channel command needs a channel on the command line; no other command takes one.
      expect(v!.options.find((o) => o.long === '--channel')?.mandatory ?? false, d.name).toBe(d.channelScoped === true);
    }
    // Nothing else: the registry's verbs are exactly the registry (help aside).
    expect(program.commands.map((c) => c.name())).toEqual(NAMES.filter((n) => n !== 'help'));
  });

  it('`lookup` is an alias of entity, and runs it with the same arguments', async () => {
    const { verb, parse } = cli();
    expect(verb('entity')!.aliases()).toEqual(['lookup']);
    const viaLookup = await parse('lookup', 'Kim Jong Un', '--limit', '3', '--json');
    expect(viaLookup).toEqual({ command: 'entity', args: { query: 'Kim Jong Un', limit: '3' }, opts: { json: true, invoker: { platform: 'cli', canManageChannel: true } } });
    expect(await parse('entity', 'Kim Jong Un', '--limit', '3', '--json')).toEqual(viaLookup);
    expect(await parse('latest')).toEqual({ command: 'latest', args: {}, opts: { json: false, invoker: { platform: 'cli', canManageChannel: true } } });
  });

  it('a channel command acts in the --channel it names, as a channel manager; a bad or missing --channel is a usage error', async () => {
    const { parse } = cli();
    expect(await parse('subscribe', 'designations', '--channel', 'slack:T0TEAM/C0ALERTS', '--mode', 'digest', '--time', '08:00')).toEqual({
      command: 'subscribe',
      args: { topics: 'designations', mode: 'digest', time: '08:00' },
      opts: { json: false, invoker: { platform: 'slack', workspaceId: 'T0TEAM', channelId: 'C0ALERTS', canManageChannel: true } },
    });
    expect((await parse('subscriptions', '--channel', 'discord:123'))!.opts.invoker).toEqual({ platform: 'discord', channelId: '123', canManageChannel: true });
    await expect(parse('unsubscribe', '--channel', 'C0ALERTS')).rejects.toThrow(CommanderError);
    await expect(parse('unsubscribe')).rejects.toThrow(/required option '--channel/);
    await expect(parse('subscribe', '--mode', 'weekly', '--channel', 'slack:T/C')).rejects.toThrow(/Allowed choices are instant, digest/);
  });

  it('a command added to the registry becomes a verb', async () => {
    const { verb, parse } = cli([...COMMANDS, dossier]);
    expect(verb('dossier')).toBeDefined();
    expect(await parse('dossier', 'LAZARUS GROUP', '--depth', '2')).toMatchObject({ command: 'dossier', args: { party: 'LAZARUS GROUP', depth: '2' } });
  });
});

describe('Discord', () => {
  it('/dprk has one subcommand per registry command, in order, and picks up a new one', () => {
    expect(buildDiscordCommand(COMMANDS).options.map((o) => o.name)).toEqual(NAMES);
    expect(buildDiscordCommand([...COMMANDS, dossier]).options.map((o) => o.name)).toEqual([...NAMES, 'dossier']);
  });
});

describe('Slack help and the services behind the commands', () => {
  let store: Store;
  let services: Services;
  beforeAll(async () => {
    store = await openStore('memory:', `registry-${process.pid}`);
    services = buildServices(loadConfig({}), store);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('`/dprk` (no text) on Slack answers with a line for every registry command, and its data is the registry', async () => {
    const bot = createSlackBot({ services, log: recordingLog(), settings: { SLACK_BOT_TOKEN: 'xoxb-registry-test', SLACK_SIGNING_SECRET: 'registry-test-secret' } });
    const reply = await bot.answer({ text: '', team_id: 'T0TEAM', channel_id: 'C0ALERTS', user_id: 'U0ANALYST' }, bot.app.client);
    const lines = reply.text.split('\n').filter((l) => l.startsWith('• /dprk '));
    expect(lines.map((l) => l.split(' ')[2])).toEqual(NAMES);
    expect((reply.data as { commands: Array<{ name: string }> }).commands.map((c) => c.name)).toEqual(NAMES);
  });

  it('/dprk verdict answers from the bundled seeds through the services buildServices makes (their VerdictService)', async () => {
    const reply = await runCommand(named('verdict'), { services, invoker: { platform: 'cli', canManageChannel: true } }, { claim: 'Are most North Korean IT workers based in China?' });
    expect(reply.text).toMatch(/^Closest fact-checked claim/);
    expect(services.verdicts.builds).toBe(1);
    await runCommand(named('entity'), { services, invoker: { platform: 'cli', canManageChannel: true } }, { query: 'Lazarus Group' });
    await runCommand(named('verdict'), { services, invoker: { platform: 'cli', canManageChannel: true } }, { claim: 'North Korean IT workers in China' });
    // Built once per process, not once per command.
    expect(services.verdicts.builds).toBe(1);
  });
});

describe('the dprk-watch bin', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('lists every registry command as a verb, and manages a channel subscription from the terminal', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const name of NAMES) expect(help.stdout, name).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(help.stdout).toMatch(/^ {2}entity\|lookup /m);

    const env = { STORE_URL: `sqlite://${path.join(mkdtempSync(path.join(tmpdir(), 'dprk-verbs-')), 'state.sqlite')}` };
    const channel = ['--channel', 'discord:900000000000000001/900000000000000002'];
    const subscribed = await runCli(['subscribe', 'designations', '--keywords', 'lazarus', ...channel], env);
    expect(subscribed.code).toBe(0);
    expect(subscribed.stdout).toBe('Subscribed this channel: designations; keywords lazarus; instant\n');
    const listed = await runCli(['subscriptions', '--json', ...channel], env);
    expect(JSON.parse(listed.stdout).subscriptions).toMatchObject([
      { platform: 'discord', workspaceId: '900000000000000001', channelId: '900000000000000002', topics: ['designations'] },
    ]);
    // A value the command's schema refuses is a usage error: exit 64, the reason on stderr.
    const refused = await runCli(['subscribe', 'weather', ...channel], env);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toMatch(/topics are: designations, reports, verdicts, source-health/);
    rmSync(path.dirname(env.STORE_URL.slice('sqlite://'.length)), { recursive: true, force: true });
  });

  it('every usage error exits 64 with the reason: a missing argument, a missing --channel, an unknown verb or choice', async () => {
    const [noQuery, noChannel, noVerb, badChoice, version] = await Promise.all([
      runCli(['entity']),
      runCli(['subscribe', 'designations']),
      runCli(['lookups', 'Kim']),
      runCli(['latest', 'weather']),
      runCli(['--version']),
    ]);
    expect([noQuery.code, noChannel.code, noVerb.code, badChoice.code]).toEqual([64, 64, 64, 64]);
    expect(noQuery.stderr).toMatch(/missing required argument 'query'/);
    expect(noChannel.stderr).toMatch(/required option '--channel <where>' not specified/);
    expect(noVerb.stderr).toMatch(/unknown command 'lookups'/);
    expect(badChoice.stderr).toMatch(/Allowed choices are designations, reports, verdicts, all/);
    expect(version).toMatchObject({ code: 0, stdout: `${PACKAGE_VERSION}\n` });
  });

  it('a value the command refuses exits 64 and is explained in the terminal\'s words, not the chat\'s', async () => {
    const short = await runCli(['entity', 'K'], { STORE_URL: 'memory:' });
    expect(short.code).toBe(64);
    expect(short.stderr).toBe('Cannot run dprk-watch entity — query: type at least 2 characters. Try dprk-watch help entity.\n');
    expect(short.stdout).toBe('');
  });
});
