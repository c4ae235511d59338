import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback fake of the parts of Slack dprk-watch talks to, on 127.0.0.1:
 *
 * - the Web API at `apiUrl` (`SLACK_API_URL`): auth.test, users.info, chat.postMessage —
 *   form-encoded like @slack/web-api sends them, Bearer token checked, answered with Slack's
 *   real shapes (`{ok:false,error:'channel_not_found'}`, HTTP 429 with Retry-After);
 * - response_urls (`responseUrl(id)`) and incoming webhooks (`webhookUrl(name)`), answered
 *   `ok` or with the real webhook errors (404 `no_service`, 410 `channel_is_archived`…).
 *
 * Every request is recorded (with its arrival time) for assertions; faults can be queued per
 * endpoint (`failNext`), per channel (`channelErrors`), per webhook (`webhookErrors`), and a
 * latency added (`delayMs`). Reusable by any delivery test (rate limits, fault injection):
 * - 429: `failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } })`;
 * - 5xx: `failNext(endpoint, { status: 500, body: 'internal error' })`;
 * - timeout: `failNext(endpoint, { status: 504, body: 'upstream request timeout', delayMs })`
 *   with `delayMs` beyond the client's timeout (the request is not processed);
 * - permanent: `channelErrors.set(channel, 'channel_not_found' | 'not_in_channel' | …)`, or
 *   `webhookErrors.set(name, { status: 404, body: 'no_service' })`.
 *
 * Rate limits (`rateLimits` option; off unless given): chat.postMessage about one message per
 * second per channel and each incoming webhook one per second, with short bursts allowed, as
 * Slack documents them — a token bucket per channel and per webhook (`burst` tokens, refilled
 * at `perSecond`). Over the limit Slack answers HTTP 429 with `Retry-After` (whole seconds)
 * and `{ok:false, error:'ratelimited'}` (a webhook: the text `rate_limited`). Queued faults
 * answer instead of Slack and are not counted. `rateLimited` counts the 429s sent.
 */

export interface RecordedRequest {
  /** performance.now() at arrival. */
  at: number;
  method: string;
  path: string;
  /** `chat.postMessage`, `users.info`…, `response`, `webhook`, or `other`. */
  endpoint: string;
  /** The response_url id or webhook name. */
  id?: string;
  headers: IncomingMessage['headers'];
  raw: string;
  /** Form fields (Web API) with JSON-looking values parsed, or the JSON body. */
  body: Record<string, unknown>;
  status?: number;
  /** Whether the answer was a success (`ok: true`, or a webhook's `ok`). */
  ok?: boolean;
}

export interface FakeUser {
  id: string;
  name?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_restricted?: boolean;
  deleted?: boolean;
}

export interface InjectedResponse {
  status: number;
  headers?: Record<string, string>;
  /** Object → JSON; string → as is. */
  body?: unknown;
  /** Answer this long after the request arrived (beyond the client's timeout: a hung Slack). */
  delayMs?: number;
}

/**
 * A Web API method added by a companion fake (FakeSlackSocketMode's apps.connections.open).
 * It is given the request's token and checks it itself: not every method takes the bot token.
 */
export type FakeMethod = (rec: RecordedRequest, token: string) => InjectedResponse;

export interface SlackRateLimitOptions {
  /** Sustained messages per second per channel, and per webhook (Slack: about 1). */
  perSecond?: number;
  /** How many may come at once before the limit bites (Slack: "short bursts >1 allowed"; unpublished). Default 3. */
  burst?: number;
}

export interface FakeSlackOptions {
  /** Enforce Slack's posting limits (`true` for the defaults); off by default. */
  rateLimits?: SlackRateLimitOptions | boolean;
}

export const FAKE_TEAM = { id: 'T0DPRKTEST', domain: 'dprk-watch-test' };
export const FAKE_BOT = { user_id: 'U0BOTUSER', bot_id: 'B0BOTID', token: 'xoxb-test-0000-dprk-watch' };

function parseValue(v: string): unknown {
  if (/^[[{]/.test(v)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

export class FakeSlack {
  readonly requests: RecordedRequest[] = [];
  readonly users = new Map<string, FakeUser>();
  /** chat.postMessage to this channel answers `{ok:false, error}`. */
  readonly channelErrors = new Map<string, string>();
  /** A webhook name → the failure it answers with (every time). */
  readonly webhookErrors = new Map<string, InjectedResponse>();
  /** Web API methods added by companion fakes, by name (answered after queued faults). */
  readonly methods = new Map<string, FakeMethod>();
  /** Added before every answer (ms). */
  delayMs = 0;
  token = FAKE_BOT.token;
  private readonly queued = new Map<string, InjectedResponse[]>();
  private readonly waiters: Array<{ pred: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }> = [];
  private server?: Server;
  private ts = 1_700_000_000;
  private readonly limits?: Required<SlackRateLimitOptions>;
  /** Token buckets by channel (`post:C…`) and webhook (`hook:name`). */
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** 429s sent: by the per-channel limit, the per-webhook limit, and queued by a test. */
  readonly rateLimited = { channel: 0, webhook: 0, injected: 0 };

  constructor(options: FakeSlackOptions = {}) {
    const limits = options.rateLimits === true ? {} : options.rateLimits || undefined;
    if (limits) this.limits = { perSecond: limits.perSecond ?? 1, burst: limits.burst ?? 3 };
  }

  /** Messages chat.postMessage accepted for a channel, in order. */
  posted(channel: string): RecordedRequest[] {
    return this.requests.filter((r) => r.endpoint === 'chat.postMessage' && r.body.channel === channel && r.status === 200 && r.ok === true);
  }

  /** Forget the rate-limit buckets and the 429 counts. */
  resetRateLimits(): void {
    this.buckets.clear();
    Object.assign(this.rateLimited, { channel: 0, webhook: 0, injected: 0 });
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }
  /** SLACK_API_URL for the fake. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }
  responseUrl(id: string): string {
    return `${this.origin}/response/${encodeURIComponent(id)}`;
  }
  webhookUrl(name: string): string {
    return `${this.origin}/services/${FAKE_TEAM.id}/B0HOOK/${encodeURIComponent(name)}`;
  }

  addUser(u: FakeUser): this {
    this.users.set(u.id, u);
    return this;
  }

  /** The next `times` requests to `endpoint` (`chat.postMessage`, `response`, `webhook`…) get this answer. */
  failNext(endpoint: string, response: InjectedResponse, times = 1): this {
    const q = this.queued.get(endpoint) ?? [];
    for (let i = 0; i < times; i++) q.push(response);
    this.queued.set(endpoint, q);
    return this;
  }

  /** Requests to one endpoint (optionally one response_url id / webhook name). */
  to(endpoint: string, id?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.endpoint === endpoint && (id === undefined || r.id === id));
  }

  /** Resolves with the first request (already received or future) that matches. */
  waitFor(pred: (r: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    const seen = this.requests.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (r: RecordedRequest) => (clearTimeout(timer), resolve(r)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no matching request to the fake Slack within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    let endpoint = 'other';
    let id: string | undefined;
    if (path.startsWith('/api/')) endpoint = path.slice(5);
    else if (path.startsWith('/response/')) [endpoint, id] = ['response', decodeURIComponent(path.slice(10))];
    else if (path.startsWith('/services/')) [endpoint, id] = ['webhook', decodeURIComponent(path.split('/').pop() ?? '')];

    let body: Record<string, unknown> = {};
    const type = String(req.headers['content-type'] ?? '');
    if (type.includes('application/json')) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        body = {};
      }
    } else if (raw) {
      for (const [k, v] of new URLSearchParams(raw)) body[k] = parseValue(v);
    }
    const rec: RecordedRequest = { at: performance.now(), method: req.method ?? 'GET', path, endpoint, headers: req.headers, raw, body, ...(id !== undefined ? { id } : {}) };
    this.requests.push(rec);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));

    const answer = this.answer(rec, req);
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    rec.status = answer.status;
    rec.ok = answer.status === 200 && (answer.body === 'ok' || (answer.body as { ok?: unknown } | undefined)?.ok === true);
    const isJson = typeof answer.body === 'object' && answer.body !== null;
    res.writeHead(answer.status, { 'content-type': isJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8', ...answer.headers });
    res.end(isJson ? JSON.stringify(answer.body) : String(answer.body ?? ''));
    for (const w of [...this.waiters]) {
      if (w.pred(rec)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(rec);
      }
    }
  }

  private answer(rec: RecordedRequest, req: IncomingMessage): InjectedResponse {
    const queued = this.queued.get(rec.endpoint)?.shift();
    if (queued) {
      if (queued.status === 429) this.rateLimited.injected++;
      return queued;
    }
    if (rec.endpoint === 'response') return { status: 200, body: 'ok' };
    if (rec.endpoint === 'webhook') {
      const wait = this.take(`hook:${rec.id ?? ''}`);
      if (wait !== undefined) {
        this.rateLimited.webhook++;
        return { status: 429, headers: { 'retry-after': String(wait) }, body: 'rate_limited' };
      }
      return this.webhookErrors.get(rec.id ?? '') ?? { status: 200, body: 'ok' };
    }
    if (rec.endpoint === 'other') return { status: 404, body: 'not found' };

    // Web API: the token comes as a Bearer header (or a `token` form field).
    const auth = String(req.headers.authorization ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : String(rec.body.token ?? '');
    if (!token) return { status: 200, body: { ok: false, error: 'not_authed' } };
    const method = this.methods.get(rec.endpoint);
    if (method) return method(rec, token);
    if (token !== this.token) return { status: 200, body: { ok: false, error: 'invalid_auth' } };

    switch (rec.endpoint) {
      case 'auth.test':
        return {
          status: 200,
          body: { ok: true, url: `https://${FAKE_TEAM.domain}.slack.com/`, team: FAKE_TEAM.domain, user: 'dprk-watch', team_id: FAKE_TEAM.id, user_id: FAKE_BOT.user_id, bot_id: FAKE_BOT.bot_id, is_enterprise_install: false },
        };
      case 'users.info': {
        const u = this.users.get(String(rec.body.user ?? ''));
        if (!u) return { status: 200, body: { ok: false, error: 'user_not_found' } };
        return {
          status: 200,
          body: {
            ok: true,
            user: { team_id: FAKE_TEAM.id, name: u.name ?? u.id.toLowerCase(), deleted: false, is_admin: false, is_owner: false, is_primary_owner: false, is_restricted: false, is_bot: false, ...u },
          },
        };
      }
      case 'chat.postMessage': {
        const channel = String(rec.body.channel ?? '');
        if (!channel) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
        const wait = this.take(`post:${channel}`);
        if (wait !== undefined) {
          this.rateLimited.channel++;
          return { status: 429, headers: { 'retry-after': String(wait) }, body: { ok: false, error: 'ratelimited' } };
        }
        const error = this.channelErrors.get(channel);
        if (error) return { status: 200, body: { ok: false, error } };
        if (!rec.body.text && !rec.body.blocks && !rec.body.attachments) return { status: 200, body: { ok: false, error: 'no_text' } };
        const ts = `${this.ts++}.000100`;
        return { status: 200, body: { ok: true, channel, ts, message: { type: 'message', ts, bot_id: FAKE_BOT.bot_id, text: rec.body.text } } };
      }
      default:
        return { status: 200, body: { ok: false, error: 'unknown_method' } };
    }
  }

  /** Take a token from a bucket: undefined when there was one, else the whole seconds to wait (Retry-After). */
  private take(key: string): number | undefined {
    if (!this.limits) return undefined;
    const now = performance.now();
    const { perSecond, burst } = this.limits;
    const b = this.buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
  }
}

/** Headers Slack sends with a request: v0 HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret. */
export function signSlackRequest(body: string, signingSecret: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature,
  };
}

export interface SlashCommandFields {
  text: string;
  response_url: string;
  command?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  team_id?: string;
  team_domain?: string;
}

/** The form body of a slash command, field for field as Slack sends it. */
export function slashCommandBody(f: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: f.team_id ?? FAKE_TEAM.id,
    team_domain: f.team_domain ?? FAKE_TEAM.domain,
    channel_id: f.channel_id ?? 'C0SANCTIONS',
    channel_name: f.channel_name ?? 'sanctions',
    user_id: f.user_id ?? 'U0ANALYST',
    user_name: f.user_name ?? 'analyst',
    command: f.command ?? '/dprk',
    text: f.text,
    api_app_id: 'A0DPRKWATCH',
    is_enterprise_install: 'false',
    response_url: f.response_url,
    trigger_id: '1234567890.0987654321.abcdef0123456789',
  }).toString();
}

export interface SendOptions {
  /** Seconds since the epoch to sign with (default now). */
  timestamp?: number;
  /** Replace the computed signature (forgeries). */
  signature?: string;
  /** Sign with this secret instead. */
  secret?: string;
}

/** POST a signed slash command to a running app (e.g. http://127.0.0.1:PORT/slack/events). */
export async function sendSlashCommand(eventsUrl: string, signingSecret: string, fields: SlashCommandFields, opts: SendOptions = {}): Promise<{ status: number; body: string; ms: number }> {
  const body = slashCommandBody(fields);
  const headers = signSlackRequest(body, opts.secret ?? signingSecret, opts.timestamp);
  if (opts.signature) headers['x-slack-signature'] = opts.signature;
  const t0 = performance.now();
  const res = await fetch(eventsUrl, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text, ms: performance.now() - t0 };
}
