import { createClient } from '@redis/client';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { consoleOutput, jsonLinesOutput } from '../delivery/console-output.js';
import type { AlertOutput } from '../delivery/output.js';
import { createLogger, type Log } from '../log.js';
import { PACKAGE_VERSION } from '../version.js';
import { App, type PollReport } from '../app.js';
import { fileURLToPath } from 'node:url';
import { DiscordBot, discordOutput } from '../adapters/discord.js';
import { startShards } from '../adapters/discord-shards.js';
import { createSlackBot, createSlackClient, slackBotEnabled, slackOutput } from '../adapters/slack.js';
import { startOps } from '../ops/index.js';
import { createApi, startApiServer } from '../adapters/api/server.js';
import { startSummary } from './summary.js';
import { startScheduler } from '../scheduler.js';
import { openStore } from '../store/open.js';
import { dryRunStore } from '../store/overlay.js';
import { downloadProgress } from './download-progress.js';
import { COMMANDS } from '../../commands/index.js';
import type { CommandModule } from '../commands/command.js';
import type { Invoker, Services } from '../commands/context.js';
import { runCommand } from '../commands/dispatch.js';
import { buildServices } from '../services.js';
import { runDemo, DEMO_PAIRS } from './demo.js';
import { addRegistryVerbs } from './verbs.js';
import { addScreenVerb } from './screen.js';
import { checkWatchlists } from '../watch/match.js';

/** A node-redis client for the API's shared rate limit; connection errors are logged once each. */
function redisClient(url: string) {
  return createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) } });
}
async function connectRedis(url: string, log: Log): Promise<ReturnType<typeof redisClient>> {
  const client = redisClient(url);
  let last = '';
  client.on('error', (e: Error) => {
    if (e.message !== last) log.warn({ component: 'api', err: e.message }, 'API rate limit: Redis connection error (counting in memory meanwhile)');
    last = e.message;
  });
  await client.connect();
  return client;
}

/** Load config or exit 78 (EX_CONFIG) listing every problem at once. */
function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`dprk-watch: ${e.message}\nSee .env.example for every setting.\n`);
      process.exit(78);
    }
    throw e;
  }
}

/** What every long-running or delivering command starts from: config (or exit 78), logger, store, services. */
async function runtime(): Promise<{ config: Config; log: Log; store: Awaited<ReturnType<typeof openStore>>; services: Services }> {
  const config = configOrExit();
  const log = createLogger(config.LOG_LEVEL, { format: config.LOG_FORMAT });
  const store = await openStore(config.STORE_URL, config.STORE_NAMESPACE);
  return { config, log, store, services: buildServices(config, store) };
}

function outputsFor(config: Config, json: boolean): AlertOutput[] {
  if (json) return [jsonLinesOutput()];
  return config.ALERT_OUTPUTS.map(() => consoleOutput());
}

/**
 * Alert outputs for the chat platforms that are configured: Discord over REST (sharing the
 * gateway bot's rate limiter when it runs) and Slack by chat.postMessage, plus webhooks.
 */
function chatOutputs(config: Config, services: Services, log: Log, discord?: DiscordBot): AlertOutput[] {
  const out: AlertOutput[] = [];
  if (config.DISCORD_TOKEN || config.DISCORD_WEBHOOK_URLS.length > 0)
    out.push(discordOutput({ services, log, ...(discord ? { rest: discord.client.rest } : {}) }));
  if (config.SLACK_BOT_TOKEN || config.SLACK_WEBHOOK_URLS.length > 0)
    out.push(slackOutput({ services, log, ...(config.SLACK_BOT_TOKEN ? { client: createSlackClient(config, log) } : {}) }));
  return out;
}

function reportUnreachable(reports: readonly PollReport[]): void {
  for (const r of reports) process.stderr.write(`${r.result.outcome === 'degraded' ? '✗' : '✓'} ${r.source}: ${r.result.summary}
`);
}

/** Run a platform-neutral command from the terminal; argument errors exit 64 (EX_USAGE). */
async function runFromCli(command: CommandModule, args: Record<string, unknown>, { json, invoker }: { json: boolean; invoker: Invoker }): Promise<void> {
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
  .action(async () => {
    const { config, log, store, services } = await runtime();
    const outputs = outputsFor(config, false);
    // Discord: the gateway bot answers /dprk (unless the gateway runs as shards elsewhere:
    // DISCORD_GATEWAY=off); alerts go over REST to subscribed channels and webhooks.
    const discord = config.DISCORD_TOKEN && config.DISCORD_GATEWAY === 'on'
      ? new DiscordBot({ token: config.DISCORD_TOKEN, services, log, ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}) })
      : undefined;
    if (discord) await discord.start();
    // The HTTP API (with API_KEYS): on PORT, sharing Slack's server when Slack listens over HTTP.
    // With a Redis store the per-key rate limit is counted in Redis, shared by every instance.
    // PUBLIC_PAGE=on serves the web page and its read-only GETs even without keys.
    const apiOn = config.API_KEYS.length > 0 || config.PUBLIC_PAGE === 'on';
    const rateRedis = apiOn && /^rediss?:/.test(config.STORE_URL) ? await connectRedis(config.STORE_URL, log) : undefined;
    const api =
      apiOn
        ? createApi({ services, log, settings: config, ...(rateRedis ? { redis: { client: rateRedis, prefix: `${config.STORE_NAMESPACE}::api-rate` } } : {}) })
        : undefined;
    // Slack: the Bolt app answers /dprk (HTTP or Socket Mode); alerts go by chat.postMessage and webhooks.
    const slack = slackBotEnabled(config)
      ? createSlackBot({ services, log, debug: config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace', ...(api ? { fallback: api.handle } : {}) })
      : undefined;
    const slackPort = slack ? (await slack.start()).port : undefined;
    const apiServer = api && slack?.mode !== 'http' ? await startApiServer({ port: config.PORT, handle: api.handle, log }) : undefined;
    outputs.push(...chatOutputs(config, services, log, discord));
    // Health, metrics and (with a Redis store) the lease that lets exactly one instance poll and deliver.
    let schedulerRunning = false;
    const ops = await startOps({
      config,
      store,
      sources: () => services.sources.map((s) => s.id),
      schedulerRunning: () => schedulerRunning,
      log,
      leaseKey: `${config.STORE_NAMESPACE}:leader`,
    });
    let stopping = false;
    // Checked before each alert and each send: a leader that is stopping, or lost the lease, starts nothing new.
    const app = new App({
      config,
      store,
      outputs,
      log,
      downloadProgress: downloadProgress(),
      shouldDeliver: () => !stopping && ops.lease.isLeader(),
      afterListStored: () => checkWatchlists({ store, lookup: services.lookup, attributions: services.attributions, log }),
    });
    const apiPort = apiServer?.port ?? (api ? slackPort : undefined);
    process.stderr.write(
      startSummary(config, {
        sources: app.sources,
        discord: Boolean(discord),
        ...(slack ? { slack: slack.mode } : {}),
        ...(apiPort !== undefined ? { api: { port: apiPort, sharedWithSlack: !apiServer } } : {}),
        ...(ops.server ? { healthPort: ops.server.port } : {}),
      }),
    );
    ops.lease.onChange((leader) => {
      log.info({ instance: config.INSTANCE_ID, leader }, leader ? 'this instance now polls and delivers' : 'another instance holds the lease');
      // A new leader delivers what the old one left undelivered, then catches up on polls.
      if (leader && schedulerRunning) void app.deliver().then(() => app.pollAll()).then(reportUnreachable);
    });
    const scheduler = startScheduler(app, log, {
      timezone: config.CRON_TIMEZONE,
      jitterMs: config.POLL_JITTER_MS,
      ...(ops.lease.distributed ? { runCoordinator: ops.lease.coordinator } : {}),
    });
    schedulerRunning = true;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'stopping: no new polls; finishing the current ones');
      schedulerRunning = false;
      await scheduler.stop();
      await app.close();
      await ops.close(); // releases the lease so another instance takes over at once
      await discord?.stop();
      await slack?.stop();
      await apiServer?.close();
      await rateRedis?.quit().catch(() => undefined);
      await store.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
    if (ops.lease.isLeader()) {
      await app.deliver(); // alerts a previous run persisted but never delivered
      reportUnreachable(await app.pollAll());
    } else process.stderr.write('another instance holds the lease: this one answers commands and stands by.\n');
    process.stderr.write('dprk-watch is running; Ctrl-C to stop.\n');
  });

program
  .command('discord-shards')
  .description('run the Discord gateway as shards (discord.js ShardingManager) answering /dprk; run `start` with DISCORD_GATEWAY=off beside it to poll and deliver')
  .action(async () => {
    const config = configOrExit();
    const log = createLogger(config.LOG_LEVEL, { format: config.LOG_FORMAT });
    if (!config.DISCORD_TOKEN) {
      process.stderr.write('dprk-watch: discord-shards needs DISCORD_TOKEN\n');
      process.exit(78);
    }
    const manager = await startShards({
      token: config.DISCORD_TOKEN,
      ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}),
      shards: config.DISCORD_SHARDS,
      spawnDelayMs: config.DISCORD_SHARD_SPAWN_DELAY_MS,
      file: fileURLToPath(new URL('../../bin/dprk-watch.js', import.meta.url)),
      args: ['discord-shard'],
      log,
    });
    const stop = () => {
      for (const shard of manager.shards.values()) shard.kill();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.stderr.write(`dprk-watch: ${manager.shards.size} Discord shard(s) running; Ctrl-C to stop.\n`);
  });

program
  .command('discord-shard', { hidden: true })
  .description('one Discord gateway shard (started by discord-shards): answers /dprk for its guilds, polls nothing')
  .action(async () => {
    const { config, log, store, services } = await runtime();
    // The shard id and count come from ShardingManager's environment (SHARDS, SHARD_COUNT).
    const bot = new DiscordBot({ token: config.DISCORD_TOKEN ?? '', services, log, ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}) });
    await bot.start();
    const stop = async () => {
      await bot.stop();
      await store.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
    // The manager kills a shard by closing its IPC channel.
    process.on('disconnect', () => void stop());
  });

program
  .command('poll')
  .description('poll every source once, deliver, and exit (exit code 2 when a source could not be used)')
  .option('--once', 'poll once and exit (the only mode of this command; use `start` to keep polling)')
  .option('--json', 'print alerts as one JSON object per line on stdout (logs stay on stderr); delivery is unchanged')
  .option('--dry-run', 'fetch and diff against the stored lists, print the alerts that would be raised, and change nothing: no state is stored, nothing is delivered')
  .action(async (opts: { json?: boolean; dryRun?: boolean }) => {
    const { config, log, store: real, services } = await runtime();
    // --json changes only how alerts are printed; --dry-run is the one that keeps them off the chats.
    const store = opts.dryRun ? dryRunStore(real) : real;
    const outputs = outputsFor(config, opts.json ?? false);
    if (!opts.dryRun) outputs.push(...chatOutputs(config, services, log));
    else process.stderr.write('dry run: the stored state is read, nothing is stored or delivered.\n');
    // The watch check reads the lists through this store (the dry-run overlay included).
    const watching = opts.dryRun ? buildServices(config, store) : services;
    const app = new App({
      config,
      store,
      outputs,
      log,
      downloadProgress: downloadProgress(),
      afterListStored: () => checkWatchlists({ store, lookup: watching.lookup, attributions: watching.attributions, log }),
    });
    try {
      await app.deliver();
      const reports = await app.pollAll();
      reportUnreachable(reports);
      process.exitCode = reports.some((r) => r.result.outcome === 'degraded') ? 2 : 0;
    } finally {
      await store.close();
    }
  });

// `/dprk <name>` as `dprk-watch <name>`, for every command in the registry.
addRegistryVerbs(program, COMMANDS, runFromCli);

// A file of names and wallets against every list at once: CLI-only (a file is not a chat message).
addScreenVerb(program, async () => {
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
