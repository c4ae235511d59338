import type { Log } from '../log.js';
import { startOps } from '../ops/index.js';
import { startScheduler } from '../scheduler.js';
import { slackBotEnabled } from '../settings/slack.js';
import { chatOutputs, createApp, outputsFor, reportUnreachable, runtime } from './runtime.js';
import { startSummary } from './summary.js';

/** A node-redis client for the API's shared rate limit; connection errors are logged once each. */
async function connectRedis(url: string, log: Log) {
  const { createClient } = await import('@redis/client');
  const client = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) } });
  let last = '';
  client.on('error', (e: Error) => {
    if (e.message !== last) log.warn({ component: 'api', err: e.message }, 'API rate limit: Redis connection error (counting in memory meanwhile)');
    last = e.message;
  });
  await client.connect();
  return client;
}

/**
 * `dprk-watch start`: poll every source now and then on its schedule, delivering alerts, and
 * answer /dprk on the chat platforms that are configured. A platform's library (discord.js,
 * Bolt) and the HTTP API are loaded only when configured.
 */
export async function start(): Promise<void> {
  const rt = await runtime();
  const { config, log, store, services } = rt;
  const outputs = outputsFor(config, false);
  // Discord: the gateway bot answers /dprk (unless the gateway runs as shards elsewhere:
  // DISCORD_GATEWAY=off); alerts go over REST to subscribed channels and webhooks.
  const discord =
    config.DISCORD_TOKEN && config.DISCORD_GATEWAY === 'on'
      ? new (await import('../adapters/discord.js')).DiscordBot({ token: config.DISCORD_TOKEN, services, log, ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}) })
      : undefined;
  if (discord) await discord.start();
  // The HTTP API (with API_KEYS): on PORT, sharing Slack's server when Slack listens over HTTP.
  // With a Redis store the per-key rate limit is counted in Redis, shared by every instance.
  // PUBLIC_PAGE=on serves the web page and its read-only GETs even without keys.
  const apiOn = config.API_KEYS.length > 0 || config.PUBLIC_PAGE === 'on';
  const apiModule = apiOn ? await import('../adapters/api/server.js') : undefined;
  const rateRedis = apiOn && /^rediss?:/.test(config.STORE_URL) ? await connectRedis(config.STORE_URL, log) : undefined;
  const api = apiModule?.createApi({
    services,
    log,
    settings: config,
    ...(rateRedis ? { redis: { client: rateRedis, prefix: `${config.STORE_NAMESPACE}::api-rate` } } : {}),
  });
  // Slack: the Bolt app answers /dprk (HTTP or Socket Mode); alerts go by chat.postMessage and webhooks.
  const slack = slackBotEnabled(config)
    ? (await import('../adapters/slack.js')).createSlackBot({
        services,
        log,
        debug: config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace',
        ...(api ? { fallback: api.handle } : {}),
      })
    : undefined;
  const slackPort = slack ? (await slack.start()).port : undefined;
  const apiServer = api && apiModule && slack?.mode !== 'http' ? await apiModule.startApiServer({ port: config.PORT, handle: api.handle, log }) : undefined;
  outputs.push(...(await chatOutputs(config, services, log, discord)));
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
  const app = createApp(rt, { store, outputs, watching: services, shouldDeliver: () => !stopping && ops.lease.isLeader() });
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
  // Index the stored lists now, not at the first question: with seven lists that is a second
  // or more, which a chat command would otherwise spend inside its reply deadline.
  void services.lookup.current().catch((e: unknown) => log.warn({ err: (e as Error).message }, 'could not index the stored lists yet; lookups will try again'));
  process.stderr.write('dprk-watch is running; Ctrl-C to stop.\n');
}
