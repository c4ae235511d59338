import http, { type RequestListener, type Server } from 'node:http';
import https from 'node:https';
import { App, ErrorCode, HTTPReceiver, LogLevel, webApi, type Logger as BoltLogger, type SlashCommand } from '@slack/bolt';
import { COMMANDS } from '../../commands/index.js';
import type { CommandModule } from '../commands/command.js';
import type { Invoker, Services } from '../commands/context.js';
import { ephemeral, runCommand } from '../commands/dispatch.js';
import { parseCommandText } from '../commands/text-args.js';
import type { Log } from '../log.js';
import { renderReplyForSlack, type SlackResponse } from '../render/slack.js';
import type { Reply } from '../reply.js';
import { slackSettings, type SlackConfig } from '../settings/slack.js';

export { renderAlertForSlack, renderReplyForSlack } from '../render/slack.js';
export { SlackConfigSchema, SlackConfigShape, slackBotEnabled, slackConfigProblems, slackSettings, type SlackConfig } from '../settings/slack.js';
export { classifySlackError, classifyWebhookResponse, PERMANENT_ERRORS, slackOutput, slackTargets, type SlackOutputOptions } from './slack-output.js';

type WebClient = InstanceType<typeof webApi.WebClient>;
type WebClientOptions = ConstructorParameters<typeof webApi.WebClient>[1];

/** The slash command in the manifest. Any command routed to this app is answered the same way. */
export const SLASH_COMMAND = '/dprk';
/** Where Slack sends slash commands in HTTP mode. */
export const EVENTS_PATH = '/slack/events';
/** How long a users.info answer (admin or not) is trusted. */
export const ADMIN_CACHE_MS = 60_000;
/**
 * Bolt's logger interface on top of ours (Bolt and @slack/web-api log through it). Their
 * debug lines (every request body and header, redacted) are dropped unless `debug` is set:
 * formatting them costs more than answering a lookup.
 */
export function boltLogger(log: Log, debug = false): BoltLogger {
  let level = debug ? LogLevel.DEBUG : LogLevel.INFO;
  const text = (msg: unknown[]) =>
    msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...m: unknown[]) => {
      if (level === LogLevel.DEBUG) log.debug({ component: 'slack' }, text(m));
    },
    info: (...m: unknown[]) => log.info({ component: 'slack' }, text(m)),
    warn: (...m: unknown[]) => log.warn({ component: 'slack' }, text(m)),
    error: (...m: unknown[]) => log.error({ component: 'slack' }, text(m)),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * Web API client options: SLACK_API_URL, a timeout, and rate limits surfaced as errors
 * (WebAPIRateLimitedError with Retry-After) instead of being waited out inside the client for
 * up to half an hour — delivery decides how to honour them, and the outbox retries.
 */
export function slackClientOptions(settings: Pick<SlackConfig, 'SLACK_API_URL'>, log: Log, retries = 0, debug = false): WebClientOptions {
  return {
    ...(settings.SLACK_API_URL ? { slackApiUrl: settings.SLACK_API_URL } : {}),
    logger: boltLogger(log, debug),
    rejectRateLimitedCalls: true,
    retryConfig: { retries, factor: 1, minTimeout: 250, maxTimeout: 1000 },
    timeout: 10_000,
  };
}

/**
 * Web API options for the Socket Mode client, whose one call is apps.connections.open (at
 * SLACK_API_URL, with the app-level token). It retries for as long as Slack is down (after
 * 1, 2, 4, 8, 16, 30 s, then the same again): when that call still fails with a network error
 * or an HTTP 5xx after its retries, @slack/socket-mode gives up the reconnect with an unhandled
 * rejection (which ends the process), so the bot's two quick retries made a short outage fatal.
 */
export function socketModeClientOptions(settings: Pick<SlackConfig, 'SLACK_API_URL'>, log: Log, debug = false): WebClientOptions {
  return { ...slackClientOptions(settings, log, 0, debug), retryConfig: { forever: true, retries: 6, factor: 2, minTimeout: 1000, maxTimeout: 30_000 } };
}

/** A Web API client for posting alerts (no internal retries: the outbox retries). */
export function createSlackClient(settings: Pick<SlackConfig, 'SLACK_BOT_TOKEN' | 'SLACK_API_URL'>, log: Log, debug = false): WebClient {
  return new webApi.WebClient(settings.SLACK_BOT_TOKEN, slackClientOptions(settings, log, 0, debug));
}

export interface ResponseAgents {
  http: http.Agent;
  https: https.Agent;
}
export const responseAgents = (): ResponseAgents => ({
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
});
const sharedAgents = responseAgents();

/**
 * POST a reply to a slash command's response_url (what Bolt's `respond` does, over node:http
 * with a keep-alive agent: a third of the CPU of fetch per reply, which is most of the cost
 * of answering a lookup). Only https URLs, or http on loopback (tests). Throws on non-2xx.
 */
export function postToResponseUrl(responseUrl: string, payload: unknown, opts: { timeoutMs?: number; agents?: ResponseAgents } = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const agents = opts.agents ?? sharedAgents;
  let url: URL;
  try {
    url = new URL(responseUrl);
  } catch {
    return Promise.reject(new Error('response_url is not a URL'));
  }
  const loopback = /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return Promise.reject(new Error(`response_url must be https (got ${url.protocol})`));
  const body = JSON.stringify(payload);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: 'POST',
        agent: url.protocol === 'https:' ? agents.https : agents.http,
        headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`response_url answered ${status} ${Buffer.concat(chunks).toString('utf8').slice(0, 100)}`));
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`response_url did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

const ENTITY: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/**
 * What the user typed, from Slack's slash-command text: `&amp;` `&lt;` `&gt;` decoded, and
 * Slack's escaped mentions and links (`<@U123|ann>`, `<#C1|general>`, `<!here>`,
 * `<https://x|x>`) turned back into the words shown in the composer. Rendering escapes it
 * all again, so nothing typed here can become a mention in a reply.
 */
export function decodeSlackText(text: string): string {
  return String(text ?? '')
    .replace(/<([@#!])([^<>|]*)(?:\|([^<>]*))?>/g, (_m, sigil: string, id: string, label?: string) => {
      if (label) return sigil === '#' ? `#${label.replace(/^#/, '')}` : label.startsWith('@') ? label : `@${label}`;
      if (sigil === '!') return `@${id.split('^')[0]}`;
      return `${sigil}${id}`;
    })
    .replace(/<([^<>|]+)\|([^<>]*)>/g, (_m, _url: string, label: string) => label)
    .replace(/<([^<>|]+)>/g, (_m, url: string) => url)
    .replace(/&(lt|gt|amp);/g, (m) => ENTITY[m]!);
}

/**
 * Who may manage subscriptions: SLACK_ADMIN_USER_IDS, else a workspace admin or owner per
 * users.info (scope users:read), cached for ADMIN_CACHE_MS; concurrent checks of one user
 * share a call. When users.info fails the answer is "no" (logged) and not cached.
 */
export class AdminCheck {
  private readonly cache = new Map<string, { admin: boolean; until: number }>();
  private readonly inFlight = new Map<string, Promise<boolean>>();

  constructor(
    private readonly allowList: ReadonlySet<string>,
    private readonly log: Log,
    private readonly ttlMs = ADMIN_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async canManage(client: WebClient, teamId: string | undefined, userId: string | undefined): Promise<boolean> {
    if (!userId) return false;
    if (this.allowList.has(userId)) return true;
    const key = `${teamId ?? '-'}:${userId}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > this.now()) return hit.admin;
    const running = this.inFlight.get(key);
    if (running) return running;
    const check = (async () => {
      try {
        const res = await client.users.info({ user: userId });
        const u = res.user;
        const admin = Boolean(u && !u.deleted && !u.is_restricted && (u.is_admin || u.is_owner || u.is_primary_owner));
        this.cache.set(key, { admin, until: this.now() + this.ttlMs });
        if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
        return admin;
      } catch (e) {
        this.log.warn({ user: userId, err: (e as Error).message }, 'users.info failed: treating the user as not a workspace admin');
        return false;
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, check);
    return check;
  }
}

export interface SlackBotOptions {
  services: Services;
  log: Log;
  /** The Slack settings; default: from services.config (once the lead merged SlackConfigShape). */
  settings?: Partial<SlackConfig>;
  /** The subcommands of /dprk. Default: the registry. */
  commands?: readonly CommandModule[];
  /** Interface to listen on in HTTP mode (default all; tests use 127.0.0.1). */
  host?: string;
  adminCacheMs?: number;
  /** Pass Bolt's and @slack/web-api's debug lines to the log (LOG_LEVEL=debug). */
  debug?: boolean;
  /**
   * HTTP mode: requests Bolt does not route (anything but /slack/events and /healthz) go here —
   * the HTTP API shares PORT with Slack this way. Default: Bolt's 404.
   */
  fallback?: RequestListener;
}

/**
 * The Slack bot: a Bolt App answering `/dprk <subcommand> …` — over HTTP at /slack/events
 * (every request's signature and timestamp verified by Bolt with SLACK_SIGNING_SECRET), or
 * over Socket Mode when SLACK_APP_TOKEN is set. Each command is acknowledged at once (Slack
 * waits 3 s), then run through `runCommand` and answered through the response_url; an
 * ephemeral reply stays visible only to the person who asked. Alerts are not sent from
 * here: `slackOutput` posts them.
 */
export class SlackBot {
  readonly app: App;
  readonly mode: 'http' | 'socket';
  readonly settings: SlackConfig;
  private readonly commands: readonly CommandModule[];
  private readonly admins: AdminCheck;
  private readonly allowList: ReadonlySet<string>;
  private readonly inFlight = new Set<Promise<void>>();
  private server?: Server;
  private readonly agents = responseAgents();

  constructor(private readonly opts: SlackBotOptions) {
    const s = { ...slackSettings((opts.services.config ?? {}) as object), ...opts.settings };
    this.settings = s;
    if (!s.SLACK_BOT_TOKEN) throw new Error('SLACK_BOT_TOKEN is not set');
    this.commands = opts.commands ?? COMMANDS;
    this.mode = s.SLACK_APP_TOKEN ? 'socket' : 'http';
    if (this.mode === 'http' && !s.SLACK_SIGNING_SECRET) throw new Error('SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
    this.allowList = new Set(s.SLACK_ADMIN_USER_IDS);
    this.admins = new AdminCheck(this.allowList, opts.log, opts.adminCacheMs);
    const logger = boltLogger(opts.log, opts.debug);
    const common = {
      token: s.SLACK_BOT_TOKEN,
      logger,
      clientOptions: slackClientOptions(s, opts.log, 2, opts.debug),
      // auth.test runs in start(), so a bad token fails there, not at the first command.
      deferInitialization: true,
      convoStore: false as const,
    };
    this.app =
      this.mode === 'socket'
        ? new App({
            ...common,
            appToken: s.SLACK_APP_TOKEN!,
            socketMode: true,
            // Bolt hands installerOptions.clientOptions to the Socket Mode client (default: common.clientOptions).
            installerOptions: { clientOptions: socketModeClientOptions(s, opts.log, opts.debug) },
          })
        : new App({
            ...common,
            // Our own receiver, so that requests Bolt does not route can reach `fallback` (the API on the same port).
            receiver: new HTTPReceiver({
              signingSecret: s.SLACK_SIGNING_SECRET!,
              endpoints: EVENTS_PATH,
              port: s.PORT,
              logger,
              processBeforeResponse: false,
              ...(opts.fallback ? { dispatchErrorHandler: deferTo(opts.fallback, opts.log) } : {}),
              customRoutes: [
                {
                  path: '/healthz',
                  method: ['GET'],
                  handler: (_req, res) => {
                    res.writeHead(200, { 'content-type': 'text/plain' });
                    res.end('ok');
                  },
                },
              ],
            }),
          });
    this.app.command(/^\/.+/, async ({ command, ack, client }) => {
      await ack();
      const work = this.answerAndRespond(command, client).finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
      await work;
    });
    this.app.error(async (e) => {
      opts.log.error({ err: e.message, code: (e as { code?: string }).code }, 'Slack listener error');
    });
  }

  /** Check the token (auth.test), then listen (HTTP) or connect (Socket Mode). Resolves with the HTTP port. */
  async start(port: number = this.settings.PORT): Promise<{ port?: number }> {
    await this.app.init();
    if (this.mode === 'socket') {
      await this.app.start();
      this.opts.log.info({ mode: 'socket' }, 'Slack bot connected (Socket Mode)');
      return {};
    }
    const listen = this.opts.host ? { port, host: this.opts.host } : port;
    this.server = (await this.app.start(listen as number)) as Server;
    const address = this.server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    this.opts.log.info({ mode: 'http', port: actual, path: EVENTS_PATH }, 'Slack bot listening');
    return { port: actual };
  }

  /** Resolves when no command is being answered. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stop accepting commands, finish the answers in flight. */
  async stop(): Promise<void> {
    this.server?.closeIdleConnections?.();
    await this.app.stop().catch((e: Error) => this.opts.log.warn({ err: e.message }, 'Slack receiver did not stop cleanly'));
    await this.idle();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /** The Reply to one slash command (what is posted to its response_url). Never throws. */
  async answer(command: Pick<SlashCommand, 'text' | 'team_id' | 'channel_id' | 'user_id'> & { command?: string }, client: WebClient): Promise<Reply> {
    const prefix = command.command && command.command.startsWith('/') ? command.command : SLASH_COMMAND;
    try {
      const parsed = parseCommandText(decodeSlackText(command.text ?? ''), this.commands, { prefix });
      if (!parsed.ok) return parsed.reply;
      const d = parsed.command.definition;
      // Only commands about the channel pay a users.info call (channel commands show managers
      // more); any other gets canManageChannel from SLACK_ADMIN_USER_IDS alone, so a lookup never waits for Slack.
      const needsAdminCheck = d.permission === 'manage-channel' || d.channelScoped === true;
      const invoker: Invoker = {
        platform: 'slack',
        ...(command.team_id ? { workspaceId: command.team_id } : {}),
        ...(command.channel_id ? { channelId: command.channel_id } : {}),
        ...(command.user_id ? { userId: command.user_id } : {}),
        canManageChannel: needsAdminCheck
          ? await this.admins.canManage(client, command.team_id, command.user_id)
          : Boolean(command.user_id && this.allowList.has(command.user_id)),
      };
      return await runCommand(parsed.command, { services: this.opts.services, invoker }, parsed.rawArgs, this.opts.log);
    } catch (e) {
      this.opts.log.error({ err: (e as Error).message }, 'Slack command failed');
      return ephemeral(`Sorry, ${prefix} failed on our side. The error was logged; please try again shortly.`, { error: 'internal' });
    }
  }

  private async answerAndRespond(command: SlashCommand, client: WebClient): Promise<void> {
    const started = Date.now();
    const reply = await this.answer(command, client);
    try {
      const payload: SlackResponse = renderReplyForSlack(reply);
      await postToResponseUrl(command.response_url, payload, { agents: this.agents });
      this.opts.log.debug({ command: command.command, ms: Date.now() - started, ephemeral: Boolean(reply.ephemeral) }, 'Slack command answered');
    } catch (e) {
      this.opts.log.warn({ err: (e as Error).message, ms: Date.now() - started }, 'could not post the answer to the response_url');
    }
  }
}

/**
 * Bolt's dispatch error handler with a fallback: Bolt throws HTTPReceiverDeferredRequestError,
 * before reading the body, for a path it does not route; that request goes to `fallback`.
 */
function deferTo(fallback: RequestListener, log: Log) {
  return ({ error, request, response }: { error: Error & { code?: string }; request: http.IncomingMessage; response: http.ServerResponse }): void => {
    if (error.code === ErrorCode.HTTPReceiverDeferredRequestError) return void fallback(request, response);
    log.error({ component: 'slack', err: error.message }, 'Slack receiver could not dispatch a request');
    if (!response.headersSent) response.writeHead(500);
    response.end();
  };
}

/** Build the Slack bot (see SlackBot). */
export function createSlackBot(opts: SlackBotOptions): SlackBot {
  return new SlackBot(opts);
}
