/**
 * A loopback fake of the Discord API for tests and benchmarks: the REST routes dprk-watch
 * uses and the gateway over WebSocket, on 127.0.0.1, speaking the real protocol closely
 * enough that the real discord.js client logs in and answers through it.
 *
 * REST (under /api/v{N}): GET /gateway, /gateway/bot, /users/@me, /applications/@me;
 * GET/PUT application commands (global and per guild); POST interaction callbacks; GET,
 * PATCH, DELETE the original response and follow-ups (/webhooks/{app}/{token}/messages/…);
 * POST follow-ups; POST /channels/{id}/messages; webhook execute (/webhooks/{id}/{token}).
 * Bot auth is checked; interaction tokens expire (3 s to acknowledge, 15 min to edit);
 * message payloads are validated against Discord's limits and refused with the real
 * 50035 "Invalid Form Body" shape. Every request is recorded.
 *
 * Gateway: HELLO (op 10) → IDENTIFY (op 2) → READY and one GUILD_CREATE per guild;
 * heartbeats (op 1 → op 11); RESUME (op 6) → RESUMED; close codes 4002/4003/4004/4005 as
 * Discord uses them. `chatInput()` / `autocomplete()` dispatch INTERACTION_CREATE with a
 * real-shaped payload and hand back a handle whose `callback` resolves when the bot answers.
 *
 * Extension points for delivery tests: `inject()` answers matching requests with any status,
 * body, headers or delay a number of times; `use()` installs an arbitrary handler in front of
 * the routes; channels and webhooks can be deleted or made inaccessible to produce 10003 /
 * 10015 / 50001 / 50013. The faults a delivery test needs:
 * - 429: `inject(rateLimitFault(path, { retryAfter: 0.5, global?, scope? }))` — Discord's body
 *   `{message, retry_after, global}` and headers (Retry-After, X-RateLimit-*, -Global, -Scope);
 * - 5xx: `inject({ path, status: 500, body: {...}, times: 4 })` (@discordjs/rest retries a
 *   5xx three times itself, so four exhaust one call);
 * - timeout: `inject({ path, delayMs })` with `delayMs` beyond the client's timeout. Without
 *   `status` Discord did the work and only the answer is late (a retry must not post twice);
 *   with a `status` the request is never processed (a hung proxy);
 * - permanent: delete a channel or webhook, set `access`, or inject e.g. 404 `{code: 10003}`.
 * Injected faults with a status and `use()` handlers answer instead of Discord: they are
 * neither rate limited nor counted in the rate-limit windows (a delay-only fault is).
 * `latencyMs` adds a round trip to every request.
 *
 * Rate limits (`rateLimits` option; off unless given): the global limit of 50 requests per
 * second per bot token (per IP without one; interaction endpoints exempt, as on Discord) and
 * per-route buckets — POST /channels/{id}/messages 5 per 5 s per channel, webhook execute 5
 * per 2 s per webhook. Both are fixed windows that open at the first request after the last
 * one closed, as @discordjs/rest's own global limiter counts (it opens a 1 s window at its
 * first request and, once it is used up, waits until the window's end plus a 50 ms offset).
 * Route buckets tell the client their reset, so they cannot drift. The global limit is counted
 * by when the client sent each request, as the client's own limiter counts: a client in this
 * process (discord.js REST, fetch — both undici) has its send time stamped on the request through
 * undici's diagnostics channel (`undici:request:create`), so an arrival delayed by a busy event
 * loop (this fake shares it with the client) is not held against the client; requests from
 * other processes are counted by arrival. The windows' edges still get a tolerance
 * (`globalToleranceMs`, 100 ms) for the moment between the client's limiter deciding and the
 * request being created, so a client that keeps to the limits never meets a 429 made by the
 * fake's bookkeeping.
 * Every answer on a limited route carries X-RateLimit-Limit, -Remaining, -Reset,
 * -Reset-After and -Bucket; a 429 has Retry-After, X-RateLimit-Scope (and -Global when global)
 * and the body `{message, retry_after, global}`. `rateLimited` counts the 429s sent.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';

// ─── Ids ──────────────────────────────────────────────────────────────────────────────────

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** A real-shaped snowflake (timestamp, worker, process, increment): 18–19 digits. */
export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return String(((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | (1n << 12n) | increment);
}

const interactionToken = () => `aW50ZXJhY3Rpb246${randomBytes(48).toString('base64url')}`;

// ─── Permissions ──────────────────────────────────────────────────────────────────────────

export const PERMISSIONS = {
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  EMBED_LINKS: 1n << 14n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  USE_APPLICATION_COMMANDS: 1n << 31n,
  MANAGE_CHANNELS: 1n << 4n,
  ADMINISTRATOR: 1n << 3n,
} as const;

/** What an ordinary member has in a text channel (no Manage Channels). */
export const MEMBER_PERMISSIONS = String(
  PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS | PERMISSIONS.READ_MESSAGE_HISTORY | PERMISSIONS.USE_APPLICATION_COMMANDS,
);
/** A moderator: an ordinary member plus Manage Channels. */
export const MANAGER_PERMISSIONS = String(BigInt(MEMBER_PERMISSIONS) | PERMISSIONS.MANAGE_CHANNELS);

// ─── Limits (what Discord refuses with 50035) ─────────────────────────────────────────────

/** Characters as Discord counts them (code points), without allocating. */
function chars(s: unknown): number {
  if (typeof s !== 'string') return 0;
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * Why Discord would refuse a message body (content, embeds, allowed_mentions, flags), as
 * "path: reason" strings; empty when it would accept it. `count: 'utf16'` counts UTF-16
 * units instead of code points (stricter: what dprk-watch's renderer promises).
 */
export function messagePayloadProblems(body: unknown, opts: { count?: 'codepoints' | 'utf16'; interaction?: boolean } = {}): string[] {
  const len = opts.count === 'utf16' ? (s: unknown) => (typeof s === 'string' ? s.length : 0) : chars;
  const problems: string[] = [];
  if (typeof body !== 'object' || body === null) return ['body: must be an object'];
  const b = body as Record<string, unknown>;
  if (b.content !== undefined && b.content !== null) {
    if (typeof b.content !== 'string') problems.push('content: must be a string');
    else if (len(b.content) > 2000) problems.push(`content: Must be 2000 or fewer in length (${len(b.content)})`);
  }
  const embeds = b.embeds;
  if (embeds !== undefined && embeds !== null) {
    if (!Array.isArray(embeds)) problems.push('embeds: must be an array');
    else {
      if (embeds.length > 10) problems.push(`embeds: Must be 10 or fewer in length (${embeds.length})`);
      let total = 0;
      embeds.forEach((raw, i) => {
        const e = raw as Record<string, unknown>;
        const at = `embeds.${i}`;
        const text = (v: unknown, max: number, where: string, required = false) => {
          if (v === undefined || v === null) {
            if (required) problems.push(`${where}: This field is required`);
            return;
          }
          if (typeof v !== 'string') return problems.push(`${where}: must be a string`);
          if (required && v.trim() === '') problems.push(`${where}: This field is required`);
          if (len(v) > max) problems.push(`${where}: Must be ${max} or fewer in length (${len(v)})`);
          total += len(v);
        };
        text(e.title, 256, `${at}.title`);
        text(e.description, 4096, `${at}.description`);
        if (e.url !== undefined && (typeof e.url !== 'string' || !/^https?:\/\/[^\s]+$/.test(e.url) || !URL.canParse(e.url)))
          problems.push(`${at}.url: Not a well formed URL.`);
        if (e.color !== undefined && (!Number.isInteger(e.color) || (e.color as number) < 0 || (e.color as number) > 0xffffff))
          problems.push(`${at}.color: Int value should be less than or equal to 16777215.`);
        if (e.timestamp !== undefined && (typeof e.timestamp !== 'string' || Number.isNaN(Date.parse(e.timestamp))))
          problems.push(`${at}.timestamp: Could not parse timestamp.`);
        const footer = e.footer as Record<string, unknown> | undefined;
        if (footer) text(footer.text, 2048, `${at}.footer.text`, true);
        const author = e.author as Record<string, unknown> | undefined;
        if (author) text(author.name, 256, `${at}.author.name`, true);
        const fields = e.fields;
        if (fields !== undefined) {
          if (!Array.isArray(fields)) problems.push(`${at}.fields: must be an array`);
          else {
            if (fields.length > 25) problems.push(`${at}.fields: Must be 25 or fewer in length (${fields.length})`);
            fields.forEach((f: Record<string, unknown>, j) => {
              text(f.name, 256, `${at}.fields.${j}.name`, true);
              text(f.value, 1024, `${at}.fields.${j}.value`, true);
            });
          }
        }
      });
      if (total > 6000) problems.push(`embeds: Embed size exceeds maximum size of 6000 (${total})`);
    }
  }
  const hasContent = typeof b.content === 'string' && b.content.trim() !== '';
  const hasEmbeds = Array.isArray(embeds) && embeds.length > 0;
  if (!hasContent && !hasEmbeds && !b.components && !b.attachments) problems.push('(body): Cannot send an empty message (50006)');
  if (b.allowed_mentions !== undefined) {
    const am = b.allowed_mentions as Record<string, unknown>;
    if (am.parse !== undefined && (!Array.isArray(am.parse) || am.parse.some((p) => !['users', 'roles', 'everyone'].includes(p as string))))
      problems.push('allowed_mentions.parse: must be a list of users, roles, everyone');
  }
  if (b.flags !== undefined && b.flags !== null) {
    const allowed = opts.interaction ? 64 | 4 | 4096 | 32768 : 4 | 4096 | 32768;
    if (!Number.isInteger(b.flags) || ((b.flags as number) & ~allowed) !== 0) problems.push(`flags: invalid flags ${String(b.flags)}`);
  }
  return problems;
}

/** Why Discord would refuse an autocomplete result. */
export function choicesProblems(data: unknown): string[] {
  const choices = (data as { choices?: unknown })?.choices;
  if (!Array.isArray(choices)) return ['data.choices: This field is required'];
  const problems: string[] = [];
  if (choices.length > 25) problems.push(`data.choices: Must be 25 or fewer in length (${choices.length})`);
  choices.forEach((c: { name?: unknown; value?: unknown }, i) => {
    if (typeof c.name !== 'string' || chars(c.name) < 1 || chars(c.name) > 100) problems.push(`data.choices.${i}.name: Must be between 1 and 100 in length`);
    if (typeof c.value === 'string' ? chars(c.value) > 100 : typeof c.value !== 'number') problems.push(`data.choices.${i}.value: Must be 100 or fewer in length`);
  });
  return problems;
}

const COMMAND_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Why Discord would refuse one application command of a bulk overwrite. */
export function commandProblems(cmd: unknown, at = '0'): string[] {
  const problems: string[] = [];
  const c = cmd as Record<string, unknown>;
  const check = (o: Record<string, unknown>, where: string, depth: number) => {
    if (typeof o.name !== 'string' || !COMMAND_NAME.test(o.name) || o.name !== o.name.toLowerCase())
      problems.push(`${where}.name: Command name is invalid`);
    if (typeof o.description !== 'string' || chars(o.description) < 1 || chars(o.description) > 100)
      problems.push(`${where}.description: Must be between 1 and 100 in length.`);
    const options = (o.options ?? []) as Array<Record<string, unknown>>;
    if (options.length > 25) problems.push(`${where}.options: Must be 25 or fewer in length.`);
    let optionalSeen = false;
    options.forEach((opt, i) => {
      const w = `${where}.options.${i}`;
      if (opt.required) {
        if (optionalSeen) problems.push(`${w}.required: Required options must be placed before non-required options`);
      } else optionalSeen = true;
      if (opt.autocomplete && Array.isArray(opt.choices) && opt.choices.length > 0) problems.push(`${w}: Autocomplete cannot be set with choices`);
      if (Array.isArray(opt.choices)) {
        if (opt.choices.length > 25) problems.push(`${w}.choices: Must be 25 or fewer in length.`);
        (opt.choices as Array<{ name: string; value: unknown }>).forEach((ch, j) => {
          if (chars(ch.name) < 1 || chars(ch.name) > 100) problems.push(`${w}.choices.${j}.name: Must be between 1 and 100 in length.`);
        });
      }
      if (opt.max_length !== undefined && (!Number.isInteger(opt.max_length) || (opt.max_length as number) < 1 || (opt.max_length as number) > 6000))
        problems.push(`${w}.max_length: int value should be between 1 and 6000`);
      if (![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].includes(opt.type as number)) problems.push(`${w}.type: Value is not a valid enum value`);
      if (opt.type === 1 || opt.type === 2) {
        if (depth >= 1 && opt.type === 2) problems.push(`${w}: subcommand groups cannot nest`);
        check(opt, w, depth + 1);
      }
    });
  };
  if (c.type !== undefined && c.type !== 1) return problems; // only chat-input commands are checked
  check(c, at, 0);
  return problems;
}

// ─── Shapes ───────────────────────────────────────────────────────────────────────────────

export interface FakeChannel {
  id: string;
  name: string;
  /** 0 text, 5 announcement, 15 forum. */
  type: number;
  /** The bot may not see it (50001) or may not post in it (50013). */
  access?: 'ok' | 'missing-access' | 'missing-permissions';
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  channels: FakeChannel[];
}

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
}

export interface RecordedRequest {
  method: string;
  /** Path without /api/v{N}, e.g. /channels/123/messages. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** performance.now() when the request was fully received. */
  at: number;
  /**
   * performance.now() when a client in this process created the request (undici's diagnostics
   * channel); undefined for requests from other processes.
   */
  sentAt?: number;
  status: number;
  response?: unknown;
}

export interface GatewayFrame {
  direction: 'sent' | 'received';
  session: string;
  op: number;
  t?: string | null;
  s?: number | null;
  d?: unknown;
  at: number;
}

export interface Fault {
  method?: string;
  path: string | RegExp;
  /** The answer's status; without one the request goes to Discord's routes and only `delayMs` applies. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests it answers (default 1; Infinity for all). */
  times?: number;
  /** Wait this long before answering (a slow or hanging API). */
  delayMs?: number;
}

export type Handler = (req: RecordedRequest) => { status: number; body?: unknown; headers?: Record<string, string> } | undefined;

interface StoredMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: unknown[];
  flags: number;
  webhook_id?: string;
  interaction?: string;
  body: unknown;
}

interface InteractionState {
  id: string;
  token: string;
  type: number;
  /** For messages' interaction_metadata. */
  metadata: Record<string, unknown>;
  channelId: string;
  guildId?: string;
  createdAt: number;
  acknowledged?: { type: number; at: number };
  original?: StoredMessage;
  deleted?: boolean;
  followUps: StoredMessage[];
  resolveCallback: (r: RecordedRequest) => void;
}

export interface InteractionOptions {
  /** Subcommand of /dprk. */
  subcommand: string;
  options?: Record<string, string | number | boolean>;
  /** For autocomplete: the option being typed in. */
  focused?: string;
  user?: Partial<FakeUser>;
  /** The member's permissions in the channel (decimal string). Default MEMBER_PERMISSIONS. */
  permissions?: string;
  guildId?: string;
  channelId?: string;
  /** Run it in a DM with the bot instead of a guild channel. */
  dm?: boolean;
  commandName?: string;
}

/** What a test holds after dispatching an interaction. */
export interface FakeInteraction {
  id: string;
  token: string;
  payload: Record<string, unknown>;
  /** performance.now() when INTERACTION_CREATE was written to the gateway socket. */
  dispatchedAt: number;
  /** The POST …/callback request (whatever its status). */
  callback: Promise<RecordedRequest>;
  /** The interaction's messages as they stand now (original, then follow-ups). */
  messages(): { original?: StoredMessage; followUps: StoredMessage[]; deleted: boolean; acknowledged?: { type: number; at: number } };
}

interface Session {
  id: string;
  ws: WebSocket;
  seq: number;
  identified: boolean;
  intents?: number;
  heartbeats: number;
  /** [shard_id, num_shards] from IDENTIFY: which guilds this session is sent. */
  shard: [number, number];
}

/** The shard a guild's events go to, by Discord's formula: (guild_id >> 22) % num_shards. */
export const shardOf = (guildId: string, shards: number): number => Number((BigInt(guildId) >> 22n) % BigInt(shards));
const owns = (s: Session, guildId: string | undefined): boolean => guildId === undefined || shardOf(guildId, s.shard[1]) === s.shard[0];

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  botUsername?: string;
  guilds?: FakeGuild[];
  /** HELLO's heartbeat_interval (Discord: 41250). */
  heartbeatIntervalMs?: number;
  /** An interaction must be acknowledged within this long (Discord: 3 s). */
  ackWindowMs?: number;
  /** Refuse over-limit payloads with 50035 as Discord does (default true). */
  validate?: boolean;
  /** Keep at most about this many recorded requests and gateway frames (default: all). Benchmarks cap it. */
  maxRecords?: number;
  /** How long a nonce sent with enforce_nonce is remembered ("the past few minutes"; default 5 min). */
  nonceWindowMs?: number;
  /** The shard count GET /gateway/bot recommends (default 1). */
  recommendedShards?: number;
  /** Enforce Discord's rate limits (`true` for Discord's numbers); off by default. */
  rateLimits?: RateLimitOptions | boolean;
  /** Wait this long before handling each request: a network round trip (default 0). */
  latencyMs?: number;
}

/** A fixed-window limit: `limit` requests per `periodMs`. */
export interface WindowLimit {
  limit: number;
  periodMs: number;
}

export interface RateLimitOptions {
  /** Requests per second per bot token (per IP without one); interactions are exempt. Discord: 50. */
  globalPerSecond?: number;
  /**
   * How far the times the global limit counts by (send times, or arrival times for other
   * processes' requests) may stray from the client's own limiter before the global windows'
   * edges are held against it; default 100 ms. See `takeGlobal`.
   */
  globalToleranceMs?: number;
  /** POST /channels/{id}/messages, per channel. Discord: 5 per 5 s. */
  channelMessages?: WindowLimit;
  /** POST /webhooks/{id}/{token}, per webhook. Discord: 5 per 2 s. */
  webhookExecute?: WindowLimit;
}

/** The 429s the fake sent: by its global limit, by a route bucket, and injected by a test. */
export interface RateLimitCounts {
  global: number;
  route: number;
  injected: number;
}

/** Bucket hashes as Discord sends them: one per route, whatever the channel or webhook. */
const BUCKETS = { channelMessages: '80c17d2f203122d936070c88c8d10f33', webhookExecute: 'b7ed9ee1c09d3d4e8bc4f1c0a2b9d6e1' } as const;

/** The header a client in this process gets its send time in (see `stampSendTime`). */
const SENT_AT_HEADER = 'x-fake-sent-at';
const REQUEST_CREATED = 'undici:request:create';

const retryAfterHeader = (seconds: number) => String(Math.max(1, Math.ceil(seconds)));

/**
 * A 429 as Discord sends it, for `inject()`: `retryAfter` in seconds; `global` for the global
 * limit, otherwise a route bucket (`scope` 'user', or 'shared' for a per-resource limit).
 */
export function rateLimitFault(
  path: string | RegExp,
  o: { retryAfter: number; global?: boolean; scope?: 'user' | 'shared'; method?: string; times?: number },
): Fault {
  const scope = o.global ? 'global' : (o.scope ?? 'user');
  const headers: Record<string, string> = o.global
    ? { 'retry-after': retryAfterHeader(o.retryAfter), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' }
    : {
        'retry-after': retryAfterHeader(o.retryAfter),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': ((Date.now() + o.retryAfter * 1000) / 1000).toFixed(3),
        'x-ratelimit-reset-after': o.retryAfter.toFixed(3),
        'x-ratelimit-bucket': BUCKETS.channelMessages,
        'x-ratelimit-scope': scope,
      };
  const message = scope === 'shared' ? 'The resource is being rate limited.' : 'You are being rate limited.';
  return { method: o.method ?? 'POST', path, status: 429, body: { message, retry_after: o.retryAfter, global: Boolean(o.global) }, headers, times: o.times ?? 1 };
}

const TRACE = ['["gateway-prd-us-east1-b-fake",{"micros":512,"calls":["id_created",{"micros":0,"calls":[]}]}]'];

const json = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
  if (status === 204 || body === undefined) {
    res.writeHead(status === 200 && body === undefined ? 204 : status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers }).end(text);
};

const safeDecode = (p: string): string => {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
};

const apiError = (code: number, message: string, errors?: unknown) => ({ message, code, ...(errors ? { errors } : {}) });

/** 50035 with Discord's nested `errors` object. */
function formBodyError(problems: string[]) {
  const errors: Record<string, unknown> = {};
  for (const p of problems) {
    const [path, ...rest] = p.split(': ');
    let node = errors as Record<string, unknown>;
    for (const k of (path ?? '').split('.')) node = (node[k] ??= {}) as Record<string, unknown>;
    ((node._errors ??= []) as unknown[]).push({ code: 'BASE_TYPE_INVALID', message: rest.join(': ') });
  }
  return apiError(50035, 'Invalid Form Body', errors);
}

export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly bot: FakeUser;
  readonly guilds: FakeGuild[];
  readonly requests: RecordedRequest[] = [];
  readonly frames: GatewayFrame[] = [];
  /** Messages per channel id (bot posts and webhook executes). */
  readonly channelMessages = new Map<string, StoredMessage[]>();
  readonly commands = new Map<string, Array<Record<string, unknown>>>();
  private readonly interactions = new Map<string, InteractionState>();
  private readonly byToken = new Map<string, InteractionState>();
  private readonly webhooks = new Map<string, { id: string; token: string; channelId: string }>();
  private readonly sessions = new Map<string, Session>();
  private readonly faults: Array<Fault & { left: number }> = [];
  /** Messages created with enforce_nonce, by channel, author and nonce. */
  private readonly nonces = new Map<string, { at: number; message: StoredMessage }>();
  private readonly handlers: Handler[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly limits?: Required<RateLimitOptions>;
  /** Open route buckets, by route and major parameter. */
  private readonly windows = new Map<string, { start: number; count: number }>();
  /** Global windows by bot token or IP: the open one and the one before it. */
  private readonly globals = new Map<string, { cur: { start: number; count: number }; prev?: { start: number; count: number } }>();
  /** 429s sent so far. */
  readonly rateLimited: RateLimitCounts = { global: 0, route: 0, injected: 0 };
  private readonly latencyMs: number;
  private server?: Server;
  private wss?: WebSocketServer;
  private readonly opts: Required<Pick<FakeDiscordOptions, 'heartbeatIntervalMs' | 'ackWindowMs' | 'validate' | 'maxRecords' | 'nonceWindowMs' | 'recommendedShards'>>;
  /** Who runs commands when a test does not say: one analyst, as in a real server. */
  readonly analyst: FakeUser = { id: snowflake(), username: 'analyst', global_name: 'Analyst' };

  constructor(options: FakeDiscordOptions = {}) {
    this.token = options.token ?? `MTE.fake.${randomBytes(16).toString('base64url')}`;
    this.applicationId = options.applicationId ?? snowflake();
    this.bot = { id: this.applicationId, username: options.botUsername ?? 'dprk-watch', global_name: null };
    const guildId = snowflake();
    this.guilds = options.guilds ?? [
      {
        id: guildId,
        name: 'Sanctions Desk',
        ownerId: snowflake(),
        channels: [
          { id: snowflake(), name: 'general', type: 0 },
          { id: snowflake(), name: 'dprk-alerts', type: 0 },
          { id: snowflake(), name: 'ops', type: 0 },
        ],
      },
    ];
    this.opts = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41250,
      ackWindowMs: options.ackWindowMs ?? 3000,
      validate: options.validate ?? true,
      maxRecords: options.maxRecords ?? Number.POSITIVE_INFINITY,
      nonceWindowMs: options.nonceWindowMs ?? 5 * 60_000,
      recommendedShards: options.recommendedShards ?? 1,
    };
    const limits = options.rateLimits === true ? {} : options.rateLimits || undefined;
    if (limits)
      this.limits = {
        globalPerSecond: limits.globalPerSecond ?? 50,
        globalToleranceMs: limits.globalToleranceMs ?? 100,
        channelMessages: limits.channelMessages ?? { limit: 5, periodMs: 5000 },
        webhookExecute: limits.webhookExecute ?? { limit: 5, periodMs: 2000 },
      };
    this.latencyMs = options.latencyMs ?? 0;
  }

  get guild(): FakeGuild {
    return this.guilds[0]!;
  }

  /** The first text channel of the first guild (where interactions happen by default). */
  get channel(): FakeChannel {
    return this.guild.channels[0]!;
  }

  private get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** DISCORD_API_URL for the bot: discord.js appends /v10. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** What GET /gateway/bot answers (discord.js appends ?v=10&encoding=json). */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Stamps the send time on a request this process makes to this fake (fetch and discord.js REST are undici). */
  private readonly stampSendTime = (message: unknown): void => {
    const { request } = message as { request: { origin?: unknown; addHeader?: (name: string, value: string) => unknown } };
    if (!this.server?.listening || typeof request.addHeader !== 'function') return;
    let origin: string;
    try {
      origin = new URL(String(request.origin)).origin;
    } catch {
      return;
    }
    if (origin === `http://127.0.0.1:${this.port}`) request.addHeader(SENT_AT_HEADER, String(performance.now()));
  };

  async start(): Promise<this> {
    diagnostics.subscribe(REQUEST_CREATED, this.stampSendTime);
    this.server = createServer((req, res) => void this.onHttp(req, res));
    this.server.keepAliveTimeout = 30_000;
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (ws, req) => this.onSocket(ws, req));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    diagnostics.unsubscribe(REQUEST_CREATED, this.stampSendTime);
    for (const s of this.sessions.values()) s.ws.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private trim(list: unknown[]): void {
    const max = this.opts.maxRecords;
    if (list.length > max * 2) list.splice(0, list.length - max);
  }

  // ─── Test controls ──────────────────────────────────────────────────────────────────────

  /** Answer matching requests with this instead of the route (before auth and validation). */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Forget every rate-limit window and the 429 counts (a new test on a shared fake starts clean). */
  resetRateLimits(): void {
    this.windows.clear();
    this.globals.clear();
    Object.assign(this.rateLimited, { global: 0, route: 0, injected: 0 });
  }

  /** Put a handler in front of the routes (return undefined to fall through). */
  use(handler: Handler): void {
    this.handlers.push(handler);
  }

  addChannel(name: string, guild = this.guild): FakeChannel {
    const channel: FakeChannel = { id: snowflake(), name, type: 0 };
    guild.channels.push(channel);
    return channel;
  }

  /** The channel disappears: posting to it answers 404 Unknown Channel (10003). */
  deleteChannel(id: string): void {
    for (const g of this.guilds) g.channels = g.channels.filter((c) => c.id !== id);
  }

  /** A channel webhook; its URL has Discord's shape (https://discord.com/api/webhooks/{id}/{token}). */
  createWebhook(channelId = this.guild.channels[1]?.id ?? this.channel.id): { id: string; token: string; url: string } {
    const hook = { id: snowflake(), token: randomBytes(34).toString('base64url'), channelId };
    this.webhooks.set(hook.id, hook);
    return { ...hook, url: `https://discord.com/api/webhooks/${hook.id}/${hook.token}` };
  }

  deleteWebhook(id: string): void {
    this.webhooks.delete(id);
  }

  messagesIn(channelId: string): StoredMessage[] {
    return this.channelMessages.get(channelId) ?? [];
  }

  /** Requests matching method and path (string: exact path; RegExp: tested on the path). */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  /** Resolve with the first recorded request (past or future) matching, or fail after timeoutMs. */
  waitForRequest(match: (r: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.requests.find(match);
        if (hit) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`fake Discord: no matching request within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves when a gateway session has identified and received READY. */
  async waitForSession(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (![...this.sessions.values()].some((s) => s.identified)) {
      if (Date.now() > deadline) throw new Error('fake Discord: no identified gateway session');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Each identified session's id and [shard_id, num_shards]. */
  shardsConnected(): Array<{ session: string; shard: [number, number] }> {
    return [...this.sessions.values()].filter((s) => s.identified).map((s) => ({ session: s.id, shard: s.shard }));
  }

  get identifiedSessions(): number {
    return [...this.sessions.values()].filter((s) => s.identified).length;
  }

  /**
   * Send a dispatch (op 0) to every identified session — or, for a guild's event, to the
   * session whose shard owns the guild — and return how many got it.
   */
  dispatch(t: string, d: unknown, guildId?: string): number {
    let n = 0;
    for (const s of this.sessions.values()) {
      if (!s.identified || !owns(s, guildId)) continue;
      this.send(s, { op: 0, t, s: ++s.seq, d });
      n++;
    }
    return n;
  }

  /** Dispatch a `/dprk <subcommand>` (type 2) interaction, as Discord does when someone runs it. */
  chatInput(o: InteractionOptions): FakeInteraction {
    return this.interact(2, o);
  }

  /** Dispatch an autocomplete (type 4) interaction while `o.focused` is being typed. */
  autocomplete(o: InteractionOptions & { focused: string }): FakeInteraction {
    return this.interact(4, o);
  }

  // ─── Interactions ───────────────────────────────────────────────────────────────────────

  private registeredCommand(name: string, guildId?: string): Record<string, unknown> | undefined {
    const scopes = [guildId ? `guild:${guildId}` : undefined, 'global'].filter(Boolean) as string[];
    for (const scope of scopes) {
      const hit = this.commands.get(scope)?.find((c) => c.name === name);
      if (hit) return hit;
    }
    return undefined;
  }

  private optionType(cmd: Record<string, unknown> | undefined, sub: string, name: string, value: unknown): number {
    const subs = (cmd?.options ?? []) as Array<{ name: string; options?: Array<{ name: string; type: number }> }>;
    const declared = subs.find((s) => s.name === sub)?.options?.find((x) => x.name === name)?.type;
    if (declared) return declared;
    return typeof value === 'boolean' ? 5 : typeof value === 'number' ? (Number.isInteger(value) ? 4 : 10) : 3;
  }

  private interact(type: 2 | 4, o: InteractionOptions): FakeInteraction {
    const id = snowflake();
    const token = interactionToken();
    const guild = o.dm ? undefined : (this.guilds.find((g) => g.id === o.guildId) ?? this.guild);
    const channelId = o.channelId ?? (o.dm ? snowflake() : this.channel.id);
    const channel = guild?.channels.find((c) => c.id === channelId);
    const user = {
      id: o.user?.id ?? this.analyst.id,
      username: o.user?.username ?? this.analyst.username,
      global_name: o.user?.global_name ?? this.analyst.global_name,
      discriminator: '0',
      avatar: null,
      avatar_decoration_data: null,
      collectibles: null,
      display_name_styles: null,
      primary_guild: null,
      clan: null,
      public_flags: 0,
    };
    const commandName = o.commandName ?? 'dprk';
    const cmd = this.registeredCommand(commandName, guild?.id);
    const options = Object.entries(o.options ?? {}).map(([name, value]) => {
      const focused = type === 4 && name === o.focused;
      const declared = this.optionType(cmd, o.subcommand, name, value);
      // While typing, Discord sends the partial text as a string whatever the option's type.
      return { type: declared, name, value: focused ? String(value) : value, ...(focused ? { focused: true } : {}) };
    });
    const permissions = o.permissions ?? MEMBER_PERMISSIONS;
    const appPermissions = String(
      PERMISSIONS.VIEW_CHANNEL | PERMISSIONS.SEND_MESSAGES | PERMISSIONS.EMBED_LINKS | PERMISSIONS.READ_MESSAGE_HISTORY | PERMISSIONS.USE_APPLICATION_COMMANDS,
    );
    const payload: Record<string, unknown> = {
      id,
      application_id: this.applicationId,
      type,
      data: {
        id: (cmd?.id as string | undefined) ?? snowflake(),
        name: commandName,
        type: 1,
        ...(cmd?.guild_id ? { guild_id: cmd.guild_id } : {}),
        options: [{ type: 1, name: o.subcommand, options }],
      },
      token,
      version: 1,
      app_permissions: appPermissions,
      locale: 'en-US',
      entitlements: [],
      entitlement_sku_ids: [],
      attachment_size_limit: 10_485_760,
      channel_id: channelId,
    };
    if (guild) {
      Object.assign(payload, {
        guild_id: guild.id,
        guild: { id: guild.id, locale: 'en-US', features: [] },
        guild_locale: 'en-US',
        channel: {
          id: channelId,
          type: channel?.type ?? 0,
          guild_id: guild.id,
          name: channel?.name ?? 'unknown',
          position: 0,
          parent_id: null,
          topic: null,
          nsfw: false,
          last_message_id: null,
          rate_limit_per_user: 0,
          flags: 0,
          permissions,
        },
        member: {
          user,
          roles: [],
          premium_since: null,
          permissions,
          pending: false,
          nick: null,
          mute: false,
          joined_at: new Date(Date.now() - 86_400_000).toISOString(),
          flags: 0,
          deaf: false,
          communication_disabled_until: null,
          unusual_dm_activity_until: null,
          avatar: null,
          banner: null,
        },
        authorizing_integration_owners: { '0': guild.id },
        context: 0,
      });
    } else {
      Object.assign(payload, {
        user,
        channel: { id: channelId, type: 1, last_message_id: null, flags: 0, recipients: [user] },
        authorizing_integration_owners: { '0': '0' },
        context: 1,
      });
    }
    let resolveCallback!: (r: RecordedRequest) => void;
    const callback = new Promise<RecordedRequest>((r) => (resolveCallback = r));
    const state: InteractionState = {
      id,
      token,
      type,
      metadata: {
        id,
        type,
        name: `${commandName} ${o.subcommand}`,
        command_type: 1,
        user,
        authorizing_integration_owners: payload.authorizing_integration_owners,
      },
      channelId,
      ...(guild ? { guildId: guild.id } : {}),
      createdAt: performance.now(),
      followUps: [],
      resolveCallback,
    };
    this.interactions.set(id, state);
    this.byToken.set(token, state);
    const dispatchedAt = performance.now();
    if (this.dispatch('INTERACTION_CREATE', payload, guild?.id) === 0) throw new Error('fake Discord: no identified gateway session to receive the interaction');
    return {
      id,
      token,
      payload,
      dispatchedAt,
      callback,
      messages: () => ({
        ...(state.original ? { original: state.original } : {}),
        followUps: state.followUps,
        deleted: Boolean(state.deleted),
        ...(state.acknowledged ? { acknowledged: state.acknowledged } : {}),
      }),
    };
  }

  // ─── Gateway ────────────────────────────────────────────────────────────────────────────

  private send(s: Session, payload: { op: number; t?: string | null; s?: number | null; d?: unknown }): void {
    const frame = { t: payload.t ?? null, s: payload.s ?? null, op: payload.op, d: payload.d ?? null };
    this.frames.push({ direction: 'sent', session: s.id, ...frame, at: performance.now() });
    this.trim(this.frames);
    if (s.ws.readyState === s.ws.OPEN) s.ws.send(JSON.stringify(frame));
  }

  private onSocket(ws: WebSocket, req: IncomingMessage): void {
    const session: Session = { id: randomUUID().replace(/-/g, ''), ws, seq: 0, identified: false, heartbeats: 0, shard: [0, 1] };
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
    if (params.get('encoding') && params.get('encoding') !== 'json') {
      ws.close(4012, 'Invalid API version or encoding');
      return;
    }
    this.sessions.set(session.id, session);
    ws.on('close', () => this.sessions.delete(session.id));
    ws.on('message', (raw) => this.onFrame(session, raw.toString()));
    this.send(session, { op: 10, d: { heartbeat_interval: this.opts.heartbeatIntervalMs, _trace: TRACE } });
  }

  private onFrame(s: Session, raw: string): void {
    let msg: { op?: number; d?: unknown };
    try {
      msg = JSON.parse(raw) as { op?: number; d?: unknown };
    } catch {
      s.ws.close(4002, 'Error while decoding payload.');
      return;
    }
    this.frames.push({ direction: 'received', session: s.id, op: msg.op ?? -1, d: msg.d, at: performance.now() });
    switch (msg.op) {
      case 1:
        s.heartbeats++;
        this.send(s, { op: 11 });
        return;
      case 2: {
        const d = msg.d as { token?: string; intents?: number; shard?: [number, number] };
        if (s.identified) return void s.ws.close(4005, 'Already authenticated.');
        if (d?.token !== this.token) return void s.ws.close(4004, 'Authentication failed.');
        const [shardId, shards] = d.shard ?? [0, 1];
        if (!(Number.isInteger(shards) && shards >= 1 && Number.isInteger(shardId) && shardId >= 0 && shardId < shards))
          return void s.ws.close(4010, 'Invalid shard.');
        s.identified = true;
        s.intents = d.intents;
        s.shard = [shardId, shards];
        this.send(s, { op: 0, t: 'READY', s: ++s.seq, d: this.readyPayload(s) });
        for (const g of this.guilds) if (owns(s, g.id)) this.send(s, { op: 0, t: 'GUILD_CREATE', s: ++s.seq, d: this.guildPayload(g) });
        return;
      }
      case 6: {
        const d = msg.d as { token?: string; session_id?: string; seq?: number };
        if (d?.token !== this.token) return void s.ws.close(4004, 'Authentication failed.');
        s.identified = true;
        s.seq = d.seq ?? 0;
        this.send(s, { op: 0, t: 'RESUMED', s: ++s.seq, d: { _trace: TRACE } });
        return;
      }
      default:
        if (!s.identified) s.ws.close(4003, 'Not authenticated.');
    }
  }

  private botUserPayload() {
    return {
      id: this.bot.id,
      username: this.bot.username,
      global_name: this.bot.global_name,
      discriminator: '0',
      avatar: null,
      avatar_decoration_data: null,
      primary_guild: null,
      clan: null,
      bot: true,
      verified: true,
      mfa_enabled: false,
      email: null,
      flags: 0,
    };
  }

  private readyPayload(s: Session) {
    return {
      v: 10,
      user_settings: {},
      user: this.botUserPayload(),
      session_type: 'normal',
      session_id: s.id,
      resume_gateway_url: this.gatewayUrl,
      relationships: [],
      private_channels: [],
      presences: [],
      guilds: this.guilds.filter((g) => owns(s, g.id)).map((g) => ({ id: g.id, unavailable: true })),
      guild_join_requests: [],
      geo_ordered_rtc_regions: ['us-east', 'us-central', 'atlanta', 'us-south', 'newark'],
      auth: {},
      application: { id: this.applicationId, flags: 565248 },
      shard: s.shard,
      _trace: TRACE,
    };
  }

  private guildPayload(g: FakeGuild) {
    const joinedAt = new Date(Date.now() - 7 * 86_400_000).toISOString();
    return {
      id: g.id,
      name: g.name,
      icon: null,
      description: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      owner_id: g.ownerId,
      application_id: null,
      region: 'deprecated',
      afk_channel_id: null,
      afk_timeout: 300,
      system_channel_id: g.channels[0]?.id ?? null,
      system_channel_flags: 0,
      widget_enabled: false,
      verification_level: 1,
      default_message_notifications: 1,
      explicit_content_filter: 2,
      mfa_level: 0,
      nsfw_level: 0,
      nsfw: false,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: 'en-US',
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      max_members: 500000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      vanity_url_code: null,
      features: [],
      hub_type: null,
      incidents_data: null,
      latest_onboarding_question_id: null,
      home_header: null,
      lazy: true,
      large: false,
      unavailable: false,
      member_count: 42,
      joined_at: joinedAt,
      roles: [
        {
          id: g.id,
          name: '@everyone',
          permissions: MEMBER_PERMISSIONS,
          position: 0,
          color: 0,
          colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
          hoist: false,
          managed: false,
          mentionable: false,
          icon: null,
          unicode_emoji: null,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      soundboard_sounds: [],
      members: [
        {
          user: this.botUserPayload(),
          roles: [],
          premium_since: null,
          pending: false,
          nick: null,
          mute: false,
          joined_at: joinedAt,
          flags: 0,
          deaf: false,
          communication_disabled_until: null,
          avatar: null,
          banner: null,
        },
      ],
      channels: g.channels.map((c, i) => ({
        id: c.id,
        type: c.type,
        name: c.name,
        position: i,
        parent_id: null,
        topic: null,
        nsfw: false,
        last_message_id: null,
        rate_limit_per_user: 0,
        permission_overwrites: [],
        flags: 0,
        version: Date.now(),
      })),
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      embedded_activities: [],
      activity_instances: [],
      application_command_counts: {},
      version: Date.now(),
    };
  }

  // ─── REST ───────────────────────────────────────────────────────────────────────────────

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const stamp = req.headers[SENT_AT_HEADER];
    const sentAt = typeof stamp === 'string' ? Number(stamp) : undefined;
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      // Clients percent-encode some characters (@original → %40original); Discord decodes them.
      path: safeDecode(url.pathname).replace(/^\/api(\/v\d+)?/, ''),
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      at: performance.now(),
      ...(sentAt !== undefined && Number.isFinite(sentAt) ? { sentAt } : {}),
      status: 0,
    };
    this.requests.push(rec);
    this.trim(this.requests);
    const callbackOf = /^\/interactions\/(\d+)\/[^/]+\/callback$/.exec(rec.path);
    const answer = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      rec.response = payload;
      json(res, status, payload, headers);
      if (callbackOf && rec.method === 'POST') this.interactions.get(callbackOf[1]!)?.resolveCallback(rec);
      for (const w of [...this.waiters]) w();
    };

    const fault = this.faults.find((f) => f.left > 0 && (!f.method || f.method === rec.method) && (typeof f.path === 'string' ? f.path === rec.path : f.path.test(rec.path)));
    if (fault) fault.left--;
    if (fault?.status !== undefined) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.status === 429) this.rateLimited.injected++;
      return answer(fault.status, fault.body, fault.headers);
    }
    for (const h of this.handlers) {
      const r = h(rec);
      if (r) return answer(r.status, r.body, r.headers);
    }
    if (!url.pathname.startsWith('/api')) return answer(404, apiError(0, '404: Not Found'));
    const limited = this.rateLimit(rec, req.socket.remoteAddress ?? '?');
    const [status, payload] = limited.refused ?? this.route(rec);
    // A slow answer after the work was done (the client may have given up by then).
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    answer(status, payload, limited.headers);
  }

  /**
   * Count one request against a global limit: undefined when it may pass, else when the full
   * window closes. Windows last 1 s and open at the first request after the last one closed,
   * as Discord and @discordjs/rest count. `now` is the request's send time when the client is in
   * this process (else its arrival). The client opens its window when its limiter decides, a
   * moment before the request is created (or long before it arrives); so that their windows'
   * edges cannot drift apart into 429s for a client within the limit, within `globalToleranceMs` of an edge
   * a request goes to whichever window can take it: just after a window closed, to that window
   * while it has room (sent before its end); in a full window's last moments, to a new window
   * opened then (the client's next window has begun).
   */
  private takeGlobal(key: string, now: number): number | undefined {
    const { globalPerSecond: limit, globalToleranceMs: tolerance } = this.limits!;
    let g = this.globals.get(key);
    if (!g || now >= g.cur.start + 1000) this.globals.set(key, (g = { cur: { start: now, count: 0 }, ...(g ? { prev: g.cur } : {}) }));
    if (g.prev && now < g.prev.start + 1000 + tolerance && g.prev.count < limit) {
      g.prev.count++;
      return undefined;
    }
    if (g.cur.count >= limit && now >= g.cur.start + 1000 - tolerance) this.globals.set(key, (g = { cur: { start: now, count: 0 }, prev: g.cur }));
    if (g.cur.count >= limit) return g.cur.start + 1000;
    g.cur.count++;
    return undefined;
  }

  /**
   * Count a request against the global limit and its route's bucket (fixed windows, opened by
   * the first request after the previous one closed). Answers the 429 when one is exceeded,
   * and the bucket's headers either way.
   */
  private rateLimit(rec: RecordedRequest, ip: string): { refused?: [number, unknown]; headers: Record<string, string> } {
    if (!this.limits) return { headers: {} };
    const now = performance.now();
    const seg = rec.path.split('/').filter(Boolean);
    const windowOf = (key: string, periodMs: number) => {
      let w = this.windows.get(key);
      if (!w || now >= w.start + periodMs) this.windows.set(key, (w = { start: now, count: 0 }));
      return w;
    };
    // Interaction callbacks and follow-ups are not bound to the global limit.
    const interaction = seg[0] === 'interactions' || (seg[0] === 'webhooks' && seg[1] === this.applicationId);
    if (!interaction) {
      const sent = rec.sentAt ?? now;
      const closesAt = this.takeGlobal(this.authorized(rec) ? 'bot' : `ip:${ip}`, sent);
      if (closesAt !== undefined) {
        this.rateLimited.global++;
        const retryAfter = Math.max(0.001, (closesAt - sent) / 1000);
        return {
          refused: [429, { message: 'You are being rate limited.', retry_after: Number(retryAfter.toFixed(3)), global: true }],
          headers: { 'retry-after': retryAfterHeader(retryAfter), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
        };
      }
    }
    let bucket: { key: string; hash: string; limit: WindowLimit } | undefined;
    if (rec.method === 'POST' && seg[0] === 'channels' && seg[2] === 'messages' && seg.length === 3)
      bucket = { key: `channel-messages:${seg[1]}`, hash: BUCKETS.channelMessages, limit: this.limits.channelMessages };
    else if (rec.method === 'POST' && seg[0] === 'webhooks' && seg.length === 3 && !interaction)
      bucket = { key: `webhook-execute:${seg[1]}/${seg[2]}`, hash: BUCKETS.webhookExecute, limit: this.limits.webhookExecute };
    if (!bucket) return { headers: {} };
    const w = windowOf(bucket.key, bucket.limit.periodMs);
    w.count++;
    const resetAfter = Math.max(0, (w.start + bucket.limit.periodMs - now) / 1000);
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(bucket.limit.limit),
      'x-ratelimit-remaining': String(Math.max(0, bucket.limit.limit - w.count)),
      'x-ratelimit-reset': ((Date.now() + resetAfter * 1000) / 1000).toFixed(3),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': bucket.hash,
    };
    if (w.count <= bucket.limit.limit) return { headers };
    this.rateLimited.route++;
    return {
      refused: [429, { message: 'You are being rate limited.', retry_after: Number(resetAfter.toFixed(3)), global: false }],
      headers: { ...headers, 'retry-after': retryAfterHeader(resetAfter), 'x-ratelimit-scope': 'user' },
    };
  }

  private authorized(rec: RecordedRequest): boolean {
    return rec.headers.authorization === `Bot ${this.token}`;
  }

  private route(rec: RecordedRequest): [number, unknown?] {
    const { method, path } = rec;
    const seg = path.split('/').filter(Boolean);
    const unauthorized: [number, unknown] = [401, apiError(0, '401: Unauthorized')];

    // Interaction callback and interaction webhooks are authorised by their token.
    if (seg[0] === 'interactions' && seg[3] === 'callback' && method === 'POST') return this.onCallback(seg[1]!, seg[2]!, rec);
    if (seg[0] === 'webhooks' && seg[1] === this.applicationId && this.byToken.has(seg[2]!)) return this.onInteractionWebhook(this.byToken.get(seg[2]!)!, seg.slice(3), rec);
    if (seg[0] === 'webhooks' && seg.length === 3 && method === 'POST') return this.onWebhookExecute(seg[1]!, seg[2]!, rec);
    if (seg[0] === 'webhooks' && seg[1] === this.applicationId) return [404, apiError(10015, 'Unknown Webhook')];

    if (!this.authorized(rec)) return unauthorized;
    if (method === 'GET' && path === '/gateway/bot')
      return [200, { url: this.gatewayUrl, shards: this.opts.recommendedShards, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } }];
    if (method === 'GET' && path === '/gateway') return [200, { url: this.gatewayUrl }];
    if (method === 'GET' && path === '/users/@me') return [200, this.botUserPayload()];
    if (method === 'GET' && path === '/applications/@me') return [200, { id: this.applicationId, name: this.bot.username, bot_public: true, flags: 565248, bot: this.botUserPayload() }];

    if (seg[0] === 'applications') {
      if (seg[1] !== this.applicationId) return [403, apiError(50001, 'Missing Access')];
      let scope = 'global';
      if (seg[2] === 'guilds') {
        if (!this.guilds.some((g) => g.id === seg[3])) return [403, apiError(50001, 'Missing Access')];
        scope = `guild:${seg[3]}`;
        if (seg[4] !== 'commands') return [404, apiError(0, '404: Not Found')];
      } else if (seg[2] !== 'commands') return [404, apiError(0, '404: Not Found')];
      if (method === 'GET') return [200, this.commands.get(scope) ?? []];
      if (method === 'PUT') {
        if (!Array.isArray(rec.body)) return [400, formBodyError(['(body): Must be an array'])];
        const problems = rec.body.flatMap((c, i) => commandProblems(c, String(i)));
        if (problems.length > 0) return [400, formBodyError(problems)];
        const stored = (rec.body as Array<Record<string, unknown>>).map((c) => ({
          id: snowflake(),
          application_id: this.applicationId,
          version: snowflake(),
          type: 1,
          default_member_permissions: null,
          nsfw: false,
          ...c,
          ...(scope === 'global' ? {} : { guild_id: scope.slice(6) }),
        }));
        this.commands.set(scope, stored);
        return [200, stored];
      }
    }

    if (seg[0] === 'channels' && seg[2] === 'messages' && seg.length === 3 && method === 'POST') {
      const channel = this.guilds.flatMap((g) => g.channels).find((c) => c.id === seg[1]);
      if (!channel) return [404, apiError(10003, 'Unknown Channel')];
      if (channel.access === 'missing-access') return [403, apiError(50001, 'Missing Access')];
      if (channel.access === 'missing-permissions') return [403, apiError(50013, 'Missing Permissions')];
      const problems = this.opts.validate ? messagePayloadProblems(rec.body) : [];
      const { nonce, enforce_nonce: enforce } = (rec.body ?? {}) as { nonce?: unknown; enforce_nonce?: unknown };
      if (nonce !== undefined && !(typeof nonce === 'string' ? nonce.length <= 25 : Number.isSafeInteger(nonce)))
        problems.push('nonce: Must be 25 or fewer in length.');
      if (problems.length > 0) return [400, formBodyError(problems)];
      // enforce_nonce: the same author repeating a nonce within the window gets the first message back.
      const nonceKey = enforce === true && nonce !== undefined ? `${channel.id}:${this.bot.id}:${String(nonce)}` : undefined;
      const earlier = nonceKey ? this.nonces.get(nonceKey) : undefined;
      if (earlier && performance.now() - earlier.at <= this.opts.nonceWindowMs) return [200, this.messageJson(earlier.message)];
      const created = this.store(channel.id, rec.body, {});
      if (nonceKey) this.nonces.set(nonceKey, { at: performance.now(), message: this.messagesIn(channel.id).at(-1)! });
      return [200, created];
    }
    return [404, apiError(0, '404: Not Found')];
  }

  private message(channelId: string, body: unknown, extra: Partial<StoredMessage>) {
    const b = (body ?? {}) as { content?: string; embeds?: unknown[]; flags?: number };
    const m: StoredMessage = {
      id: snowflake(),
      channel_id: channelId,
      content: b.content ?? '',
      embeds: b.embeds ?? [],
      flags: b.flags ?? 0,
      body,
      ...extra,
    };
    return m;
  }

  private store(channelId: string, body: unknown, extra: Partial<StoredMessage>) {
    const m = this.message(channelId, body, extra);
    const list = this.channelMessages.get(channelId) ?? [];
    list.push(m);
    this.channelMessages.set(channelId, list);
    return this.messageJson(m);
  }

  /** A message object as the API returns it. */
  private messageJson(m: StoredMessage) {
    const guildId = this.guilds.find((g) => g.channels.some((c) => c.id === m.channel_id))?.id;
    return {
      id: m.id,
      type: m.interaction ? 20 : 0,
      channel_id: m.channel_id,
      ...(guildId ? { guild_id: guildId } : {}),
      author: m.webhook_id
        ? { id: m.webhook_id, username: 'Spidey Bot', avatar: null, discriminator: '0000', public_flags: 0, flags: 0, bot: true, global_name: null }
        : this.botUserPayload(),
      content: m.content,
      embeds: m.embeds,
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: m.flags,
      components: [],
      ...(m.webhook_id ? { webhook_id: m.webhook_id } : {}),
      ...(m.interaction ? { application_id: this.applicationId, interaction_metadata: this.interactions.get(m.interaction)?.metadata } : {}),
    };
  }

  private onCallback(id: string, token: string, rec: RecordedRequest): [number, unknown?] {
    const state = this.interactions.get(id);
    if (!state || state.token !== token) return [404, apiError(10062, 'Unknown interaction')];
    if (performance.now() - state.createdAt > this.opts.ackWindowMs) return [404, apiError(10062, 'Unknown interaction')];
    if (state.acknowledged) return [400, apiError(40060, 'Interaction has already been acknowledged.')];
    const body = rec.body as { type?: number; data?: Record<string, unknown> };
    const type = body?.type;
    if (state.type === 4) {
      if (type !== 8) return [400, formBodyError([`type: an autocomplete interaction takes response type 8 (got ${String(type)})`])];
      const problems = choicesProblems(body.data);
      if (problems.length > 0) return [400, formBodyError(problems)];
    } else if (type === 4) {
      const problems = this.opts.validate ? messagePayloadProblems(body.data, { interaction: true }).map((p) => `data.${p}`) : [];
      if (problems.length > 0) return [400, formBodyError(problems)];
      state.original = this.message(state.channelId, body.data, { interaction: state.id });
    } else if (type === 5) {
      state.original = this.message(state.channelId, { content: '', flags: ((body.data?.flags as number) ?? 0) | 128 }, { interaction: state.id });
    } else return [400, formBodyError([`type: unsupported response type ${String(type)}`])];
    state.acknowledged = { type: type!, at: rec.at };
    if (rec.query.with_response === 'true')
      return [200, { interaction: { id, type: state.type, response_message_loading: type === 5, response_message_ephemeral: Boolean(((body.data?.flags as number) ?? 0) & 64) }, resource: { type, ...(state.original ? { message: this.messageJson(state.original) } : {}) } }];
    return [204];
  }

  private onInteractionWebhook(state: InteractionState, rest: string[], rec: RecordedRequest): [number, unknown?] {
    const { method } = rec;
    if (performance.now() - state.createdAt > 15 * 60_000) return [401, apiError(50027, 'Invalid Webhook Token')];
    if (!state.acknowledged) return [404, apiError(10008, 'Unknown Message')];
    const validate = (body: unknown) => (this.opts.validate ? messagePayloadProblems(body, { interaction: true }) : []);
    // POST /webhooks/{app}/{token}: a follow-up.
    if (rest.length === 0 && method === 'POST') {
      const problems = validate(rec.body);
      if (problems.length > 0) return [400, formBodyError(problems)];
      const m = this.message(state.channelId, rec.body, { interaction: state.id });
      state.followUps.push(m);
      return rec.query.wait === 'false' ? [204] : [200, this.messageJson(m)];
    }
    if (rest[0] !== 'messages' || rest.length !== 2) return [404, apiError(0, '404: Not Found')];
    const target = rest[1] === '@original' ? (state.deleted ? undefined : state.original) : state.followUps.find((m) => m.id === rest[1]);
    if (!target) return [404, apiError(10008, 'Unknown Message')];
    if (method === 'GET') return [200, this.messageJson(target)];
    if (method === 'DELETE') {
      if (rest[1] === '@original') state.deleted = true;
      else state.followUps = state.followUps.filter((m) => m !== target);
      return [204];
    }
    if (method === 'PATCH') {
      const b = (rec.body ?? {}) as { content?: string; embeds?: unknown[] };
      const merged = { content: b.content ?? target.content, embeds: b.embeds ?? target.embeds };
      const problems = validate(merged);
      if (problems.length > 0) return [400, formBodyError(problems)];
      target.content = merged.content;
      target.embeds = merged.embeds;
      target.body = rec.body;
      // Editing a deferred response ends its "thinking…" state.
      target.flags &= ~128;
      return [200, this.messageJson(target)];
    }
    return [405, apiError(0, '405: Method Not Allowed')];
  }

  private onWebhookExecute(id: string, token: string, rec: RecordedRequest): [number, unknown?] {
    const hook = this.webhooks.get(id);
    if (!hook) return [404, apiError(10015, 'Unknown Webhook')];
    if (hook.token !== token) return [401, apiError(50027, 'Invalid Webhook Token')];
    const problems = this.opts.validate ? messagePayloadProblems(rec.body) : [];
    if (problems.length > 0) return [400, formBodyError(problems)];
    const m = this.store(hook.channelId, rec.body, { webhook_id: hook.id });
    return rec.query.wait === 'true' ? [200, m] : [204];
  }
}
