import type { DiscordBot } from '../adapters/discord.js';
import { App, type PollReport } from '../app.js';
import type { Services } from '../commands/context.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { consoleOutput, jsonLinesOutput } from '../delivery/console-output.js';
import type { AlertOutput } from '../delivery/output.js';
import { createLogger, type Log } from '../log.js';
import { buildServices } from '../services.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { checkWatchlists } from '../watch/match.js';
import { downloadProgress } from './download-progress.js';

/** Load config or exit 78 (EX_CONFIG) listing every problem at once. */
export function configOrExit(): Config {
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

export interface Runtime {
  config: Config;
  log: Log;
  store: Store;
  services: Services;
}

/** What every long-running or delivering command starts from: config (or exit 78), logger, store, services. */
export async function runtime(): Promise<Runtime> {
  const config = configOrExit();
  const log = createLogger(config.LOG_LEVEL, { format: config.LOG_FORMAT });
  const store = await openStore(config.STORE_URL, config.STORE_NAMESPACE);
  return { config, log, store, services: buildServices(config, store) };
}

export function outputsFor(config: Config, json: boolean): AlertOutput[] {
  if (json) return [jsonLinesOutput()];
  return config.ALERT_OUTPUTS.map(() => consoleOutput());
}

/**
 * Alert outputs for the chat platforms that are configured: Discord over REST (sharing the
 * gateway bot's rate limiter when it runs) and Slack by chat.postMessage, plus webhooks. Each
 * platform's library is loaded only when that platform is configured: discord.js alone costs
 * a poll about 40 MB and a quarter of a second.
 */
export async function chatOutputs(config: Config, services: Services, log: Log, discord?: DiscordBot): Promise<AlertOutput[]> {
  const out: AlertOutput[] = [];
  if (config.DISCORD_TOKEN || config.DISCORD_WEBHOOK_URLS.length > 0) {
    const { discordOutput } = await import('../adapters/discord-output.js');
    out.push(discordOutput({ services, log, ...(discord ? { rest: discord.client.rest } : {}) }));
  }
  if (config.SLACK_BOT_TOKEN || config.SLACK_WEBHOOK_URLS.length > 0) {
    const { createSlackClient, slackOutput } = await import('../adapters/slack.js');
    out.push(slackOutput({ services, log, ...(config.SLACK_BOT_TOKEN ? { client: createSlackClient(config, log) } : {}) }));
  }
  return out;
}

/**
 * The App that polls and delivers, for `start` and `poll`. The watch check after each stored
 * list reads through `store` (a dry run's overlay included), with `watching`'s lookups.
 */
export function createApp(rt: Runtime, opts: { store: Store; outputs: AlertOutput[]; watching: Services; shouldDeliver?: () => boolean }): App {
  return new App({
    config: rt.config,
    store: opts.store,
    outputs: opts.outputs,
    log: rt.log,
    downloadProgress: downloadProgress(),
    ...(opts.shouldDeliver ? { shouldDeliver: opts.shouldDeliver } : {}),
    afterListStored: () =>
      checkWatchlists({ store: opts.store, lookup: opts.watching.lookup, attributions: opts.watching.attributions, log: rt.log }),
  });
}

export function reportUnreachable(reports: readonly PollReport[]): void {
  for (const r of reports) process.stderr.write(`${r.result.outcome === 'degraded' ? '✗' : '✓'} ${r.source}: ${r.result.summary}\n`);
}
