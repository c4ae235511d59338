import { Command, CommanderError, Option } from 'commander';
import { COMMANDS } from '../../commands/index.js';
import type { CommandModule } from '../commands/command.js';
import type { Invoker } from '../commands/context.js';
import { PACKAGE_VERSION } from '../version.js';
import { DEMO_PAIRS } from './demo-pairs.js';
import { addScreenVerb } from './screen.js';
import { addRegistryVerbs } from './verbs.js';

// Each verb loads what it runs when it runs: a lookup never loads discord.js, Bolt, the HTTP API
// or the poller, so it starts in a fraction of the time `start` needs (README, "Start-up").

/** Run a platform-neutral command from the terminal; argument errors exit 64 (EX_USAGE). */
async function runFromCli(command: CommandModule, args: Record<string, unknown>, { json, invoker }: { json: boolean; invoker: Invoker }): Promise<void> {
  const [{ configOrExit }, { openStore }, { runCommand }, { buildServices }] = await Promise.all([
    import('./runtime.js'),
    import('../store/open.js'),
    import('../commands/dispatch.js'),
    import('../services.js'),
  ]);
  const config = configOrExit();
  const store = await openStore(config.STORE_URL, config.STORE_NAMESPACE);
  try {
    const reply = await runCommand(command, { services: buildServices(config, store), invoker }, args);
    const out = json ? `${JSON.stringify(reply.data, null, 2)}\n` : `${reply.text}\n`;
    if (reply.ephemeral && (reply.data as { error?: unknown }).error) {
      process.stderr.write(out);
      process.exitCode = 64;
    } else process.stdout.write(out);
  } finally {
    await store.close();
  }
}

const program = new Command()
  .name('dprk-watch')
  .description('North Korea sanctions and threat-intelligence alerts for Discord, Slack and the terminal.')
  .version(PACKAGE_VERSION)
  .showHelpAfterError()
  // Usage errors (a missing argument, an unknown option or choice) exit 64 (EX_USAGE), as a value
  // a command refuses does; commander has already printed the reason. Verbs inherit this.
  .exitOverride((e) => {
    throw e;
  });

program
  .command('start')
  .description('run the bot: poll every source now and then on its schedule, delivering alerts')
  .action(async () => (await import('./start.js')).start());

program
  .command('discord-shards')
  .description('run the Discord gateway as shards (discord.js ShardingManager) answering /dprk; run `start` with DISCORD_GATEWAY=off beside it to poll and deliver')
  .action(async () => (await import('./discord-shards.js')).runShards());

program
  .command('discord-shard', { hidden: true })
  .description('one Discord gateway shard (started by discord-shards): answers /dprk for its guilds, polls nothing')
  .action(async () => (await import('./discord-shards.js')).runShard());

program
  .command('poll')
  .description('poll every source once, deliver, and exit (exit code 2 when a source could not be used)')
  .option('--once', 'poll once and exit (the only mode of this command; use `start` to keep polling)')
  .option('--json', 'print alerts as one JSON object per line on stdout (logs stay on stderr); delivery is unchanged')
  .option('--dry-run', 'fetch and diff against the stored lists, print the alerts that would be raised, and change nothing: no state is stored, nothing is delivered')
  .action(async (opts: { json?: boolean; dryRun?: boolean }) => (await import('./poll.js')).pollOnce(opts));

// `/dprk <name>` as `dprk-watch <name>`, for every command in the registry.
addRegistryVerbs(program, COMMANDS, runFromCli);

// A file of names and wallets against every list at once: CLI-only (a file is not a chat message).
addScreenVerb(program, async () => {
  const [{ configOrExit }, { openStore }, { buildServices }] = await Promise.all([import('./runtime.js'), import('../store/open.js'), import('../services.js')]);
  const config = configOrExit();
  const store = await openStore(config.STORE_URL, config.STORE_NAMESPACE);
  const services = buildServices(config, store);
  return { lookup: services.lookup, attributions: services.attributions, close: () => store.close() };
});

program
  .command('demo')
  .description('replay a bundled pair of real published lists through the whole pipeline (no network, no tokens)')
  .addOption(new Option('--pair <name>', 'which real change to replay').choices(Object.keys(DEMO_PAIRS)).default('kimsuky'))
  .option('--json', 'print alerts as JSON lines')
  .addOption(new Option('--scope <scope>', 'alert scope').choices(['dprk', 'all']))
  .action(async (opts: { pair: keyof typeof DEMO_PAIRS; json?: boolean; scope?: 'dprk' | 'all' }) => {
    const [{ configOrExit, outputsFor }, { createLogger }, { runDemo }] = await Promise.all([import('./runtime.js'), import('../log.js'), import('./demo.js')]);
    const config = configOrExit();
    const code = await runDemo({
      config: opts.scope ? { ...config, ALERT_SCOPE: opts.scope } : config,
      pair: opts.pair,
      outputs: outputsFor(config, opts.json ?? false),
      log: createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, { format: config.LOG_FORMAT }),
    });
    process.exitCode = code;
  });

await program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 64;
    return;
  }
  process.stderr.write(`dprk-watch: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
