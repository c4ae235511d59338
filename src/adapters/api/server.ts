import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { listen, type Listening } from '../../ops/listen.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { z } from 'zod';
import { createDocument, type ZodOpenApiPathsObject } from 'zod-openapi';
import { COMMANDS } from '../../../commands/index.js';
import { ArgsSchema as EntityArgs } from '../../../commands/entity.js';
import { LATEST_KINDS } from '../../../commands/latest.js';
import { ArgsSchema as VerdictArgs } from '../../../commands/verdict.js';
import type { CommandModule } from '../../commands/command.js';
import type { Services } from '../../commands/context.js';
import { runCommand } from '../../commands/dispatch.js';
import { DESIGNATION_ALERT_KINDS } from '../../core/alerts.js';
import { SourceIdSchema } from '../../core/designation.js';
import type { Log } from '../../log.js';
import { regimeRows } from '../../search/regimes.js';
import { resultData } from '../../search/entity-index.js';
import type { ApiConfig } from '../../settings/api.js';
import { PACKAGE_VERSION } from '../../version.js';
import { renderPage, renderSections, type SourceRow } from './page.js';
import { AlertsDataSchema, EntityDataSchema, LookupDataSchema, ProblemSchema, ScreenDataSchema, StatusDataSchema, VerdictDataApiSchema, type Problem } from './schemas.js';
import { SCREEN_BODIES, ScreenQuerySchema, ScreenRequestError, screenBody, type RawBody } from './screen.js';

/** How far back `/v1/alerts` can look: the store keeps this many recent alerts (state-store.ts). */
const ALERT_SCAN = 5000;
const ALERT_KINDS = [...DESIGNATION_ALERT_KINDS, 'report.published', 'verdict.published', 'verdict.changed', 'source.degraded', 'source.recovered'] as const;
const GROUP_PREFIX: Record<(typeof LATEST_KINDS)[number], string> = { designations: 'designation.', reports: 'report.', verdicts: 'verdict.', all: '' };

/** A 4xx/5xx answered as RFC 9457 problem details. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: Pick<Problem, 'errors'> & { headers?: Record<string, string> } = {},
  ) {
    super(detail);
  }
}

const bad = (issues: z.core.$ZodIssue[]) =>
  new ApiProblem(400, 'The request has invalid parameters (see errors).', {
    errors: issues.map((i) => ({ parameter: i.path.length > 0 ? String(i.path[0]) : '(query)', message: i.message })),
  });

interface RouteContext {
  query: Record<string, string>;
  params: Record<string, string>;
  body: unknown;
  /** The body as sent, for a route that reads it itself (`raw`). */
  raw?: RawBody;
}


interface Route {
  method: 'GET' | 'POST';
  /** OpenAPI path template; `{name}` segments match one path segment. */
  path: string;
  summary: string;
  query?: z.ZodObject;
  params?: z.ZodObject;
  body?: z.ZodObject;
  /** Bodies this route reads itself (media type → schema for the OpenAPI document). */
  raw?: Record<string, z.ZodType>;
  response: z.ZodType;
  /** A read-only GET the web page uses: open without a key when PUBLIC_PAGE=on. */
  page?: true;
  run(c: RouteContext): Promise<unknown>;
}

export interface ApiOptions {
  services: Services;
  log: Log;
  settings: Pick<ApiConfig, 'API_KEYS' | 'API_RATE_LIMIT' | 'API_RATE_WINDOW_S' | 'API_MAX_BODY_BYTES' | 'API_MAX_URL_BYTES'> & Partial<Pick<ApiConfig, 'PUBLIC_PAGE'>>;
  /** The command registry (default: commands/index.ts). */
  commands?: readonly CommandModule[];
  /**
   * A connected node-redis client: the rate limit is then counted in Redis under `redisPrefix`,
   * so several instances behind one address share each key's budget. Default: in memory.
   */
  redis?: { client: unknown; prefix: string };
}

export interface Api {
  /** node:http request listener: mount it on a server of its own or beside Slack's /slack/events. */
  handle: RequestListener;
  /** The OpenAPI 3.1 document served at /openapi.json. */
  openapi: ReturnType<typeof createDocument>;
}

/** A key's name in logs and in the rate limiter: a digest prefix, never the key. */
export const keyId = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 12);

/**
 * The HTTP API: the lookups the CLI and /dprk answer (through the same commands, so the same
 * JSON as `--json`), behind bearer keys with a per-key rate limit. Every bad input is a 4xx
 * problem+json; a failure on our side a 500 that says nothing about our internals.
 */
export function createApi(o: ApiOptions): Api {
  const { services, log, settings } = o;
  const commands = o.commands ?? COMMANDS;
  const command = (name: string): CommandModule => {
    const c = commands.find((x) => x.definition.name === name);
    if (!c) throw new Error(`the command registry has no ${name}`);
    return c;
  };
  const invoker = { platform: 'api' as const, canManageChannel: false };

  /** Run a registry command; its refusals are 400s, its failures 500s. */
  const ask = async (name: string, args: Record<string, unknown>): Promise<unknown> => {
    const reply = await runCommand(command(name), { services, invoker }, args, log);
    const error = (reply.data as { error?: unknown } | undefined)?.error;
    if (reply.ephemeral && error === 'internal') throw new Error(`${name} failed`);
    if (reply.ephemeral && error !== undefined) throw new ApiProblem(400, reply.text);
    return reply.data;
  };

  const routes: Route[] = [
    {
      method: 'GET',
      path: '/v1/lookup',
      page: true,
      summary: 'Is this name, alias, wallet or identifier sanctioned? (`dprk-watch lookup --json`)',
      query: z.strictObject({
        q: EntityArgs.shape.query.meta({ description: 'A name, alias, wallet address, SWIFT/BIC, IMO, passport, website or e-mail' }),
        limit: EntityArgs.shape.limit.meta({ description: 'How many results (1–25, default 5)' }),
      }),
      response: LookupDataSchema,
      run: ({ query }) => ask('entity', { query: query.q, ...(query.limit !== undefined ? { limit: query.limit } : {}) }),
    },
    {
      method: 'POST',
      path: '/v1/lookup',
      summary: 'The same lookup with a JSON body, for names that are awkward in a URL',
      body: z.strictObject({ q: EntityArgs.shape.query, limit: EntityArgs.shape.limit }),
      response: LookupDataSchema,
      run: ({ body }) => {
        const b = body as { q: string; limit: number };
        return ask('entity', { query: b.q, limit: b.limit });
      },
    },
    {
      method: 'GET',
      path: '/v1/verdict',
      page: true,
      summary: 'The latest fact-check verdict on a claim (`dprk-watch verdict --json`)',
      query: z.strictObject({ q: VerdictArgs.shape.claim.meta({ description: 'The claim, in your own words' }) }),
      response: VerdictDataApiSchema,
      run: ({ query }) => ask('verdict', { claim: query.q }),
    },
    {
      method: 'GET',
      path: '/v1/alerts',
      page: true,
      summary: 'Recent alerts, newest first (`dprk-watch latest --json`, with more filters)',
      query: z.strictObject({
        since: z.iso
          .datetime({ offset: true, message: 'since must be an ISO 8601 date-time such as 2026-01-31T00:00:00Z' })
          .or(z.iso.date({ message: 'since must be an ISO 8601 date or date-time' }))
          .optional()
          .meta({ description: 'Only alerts detected at or after this date or date-time' }),
        kind: z
          .enum([...LATEST_KINDS, ...ALERT_KINDS], { message: `kind must be one of: ${[...LATEST_KINDS, ...ALERT_KINDS].join(', ')}` })
          .default('all')
          .meta({ description: 'A group (designations, reports, verdicts, all) or one alert kind' }),
        source: z.string().trim().min(1).max(100).optional().meta({ description: 'A list id (ofac-sdn, un-sc, …) or another source id (feed:treasury, …)' }),
        limit: z.coerce.number().int().min(1).max(ALERT_SCAN).default(100).meta({ description: `How many (1–${ALERT_SCAN}, default 100)` }),
      }),
      response: AlertsDataSchema,
      run: async ({ query }) => {
        const q = query as unknown as { since?: string; kind: string; source?: string; limit: number };
        const since = q.since ? new Date(q.since).toISOString() : undefined;
        const prefix = GROUP_PREFIX[q.kind as keyof typeof GROUP_PREFIX];
        const alerts = (await services.store.recentAlerts(ALERT_SCAN))
          .filter((a) => (prefix !== undefined ? a.kind.startsWith(prefix) : a.kind === q.kind))
          .filter((a) => !q.source || a.source === q.source)
          .filter((a) => !since || a.detectedAt >= since)
          .slice(0, q.limit);
        return { kind: q.kind, since: since ?? null, source: q.source ?? null, alerts };
      },
    },
    {
      method: 'POST',
      path: '/v1/screen',
      summary: 'Screen many names and wallet addresses at once: a JSON array of strings or a CSV (`dprk-watch screen --json`)',
      query: ScreenQuerySchema,
      raw: SCREEN_BODIES,
      response: ScreenDataSchema,
      run: async ({ query, raw }) => {
        const q = query as unknown as z.infer<typeof ScreenQuerySchema>;
        const { index, editions } = await services.lookup.current();
        const engine = { index, attributions: services.attributions, ...(q.minScore !== undefined ? { minScore: q.minScore } : {}) };
        try {
          const rows = await screenBody(engine, raw!, q.column, parseJson);
          const matched = rows.filter((r) => r.match).length;
          const attributed = rows.filter((r) => r.attributions.length > 0).length;
          return { rows, summary: { rows: rows.length, matched, attributed }, editions };
        } catch (e) {
          if (e instanceof ScreenRequestError) throw new ApiProblem(400, e.message, e.errors.length > 0 ? { errors: e.errors } : {});
          throw e;
        }
      },
    },
    {
      method: 'GET',
      path: '/v1/status',
      page: true,
      summary: 'Health of every source (`dprk-watch status --json`)',
      response: StatusDataSchema,
      run: () => ask('status', {}),
    },
    {
      method: 'GET',
      path: '/v1/entities/{source}/{id}',
      summary: "One record by its list and the publisher's own key (OFAC ent_num, UN reference, …)",
      params: z.object({
        source: SourceIdSchema.meta({ description: 'The list id' }),
        id: z.string().min(1).max(200).meta({ description: "The publisher's key (a designation's sourceId)" }),
      }),
      response: EntityDataSchema,
      run: async ({ params }) => {
        const { index, editions } = await services.lookup.current();
        const found = index.find(params.source as z.infer<typeof SourceIdSchema>, params.id!);
        if (!found) throw new ApiProblem(404, `No record ${params.id} on ${params.source} (among the lists stored: ${editions.map((e) => e.source).join(', ') || 'none yet'}).`);
        return {
          result: resultData(found),
          listedBy: regimeRows(found, editions).flatMap((row) => (row.listing ? [row.listing] : [])),
          record: found.record,
          edition: editions.find((e) => e.source === found.source) ?? null,
        };
      },
    },
  ];

  const publicPage = settings.PUBLIC_PAGE === 'on';
  /** The page's data sections: what /v1/status and /v1/alerts answer, and the lists' records for the chart. */
  const sections = async (): Promise<string> => {
    const [status, alerts, { index }] = await Promise.all([ask('status', {}), services.store.recentAlerts(20), services.lookup.current()]);
    return renderSections({ sources: (status as { sources: SourceRow[] }).sources, alerts, records: index.all });
  };

  const openapi = createDocument({
    openapi: '3.1.0',
    info: {
      title: 'dprk-watch API',
      version: PACKAGE_VERSION,
      description: 'North Korea sanctions lookups, verdicts, alerts and source health. Answers have the shapes `dprk-watch <verb> --json` prints.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'One of API_KEYS' } } },
    security: [{ bearer: [] }],
    paths: openapiPaths(routes, publicPage),
  });
  const openapiJson = JSON.stringify(openapi);

  // Unknown callers are limited per address with the same budget, so guessing keys is slow too.
  const budget = { points: settings.API_RATE_LIMIT, duration: settings.API_RATE_WINDOW_S };
  const limiter: RateLimiterAbstract = o.redis
    ? new RateLimiterRedis({
        ...budget,
        storeClient: o.redis.client,
        useRedisPackage: true,
        keyPrefix: o.redis.prefix,
        // While Redis is down each instance counts on its own rather than refusing every request.
        insuranceLimiter: new RateLimiterMemory(budget),
      })
    : new RateLimiterMemory(budget);
  const keys = settings.API_KEYS.map((k) => ({ digest: createHash('sha256').update(k).digest(), id: keyId(k) }));
  const authenticate = (header: string | undefined): string | undefined => {
    const m = /^Bearer ([\x21-\x7e]{1,256})$/.exec(header ?? '');
    if (!m) return undefined;
    const digest = createHash('sha256').update(m[1]!).digest();
    // Every key is compared, in constant time each, so timing says nothing about which matched.
    let found: string | undefined;
    for (const k of keys) if (timingSafeEqual(k.digest, digest)) found = k.id;
    return found;
  };

  const match = (method: string, path: string): { route: Route; params: Record<string, string> } | 'method' | undefined => {
    let wrongMethod = false;
    const segments = path.split('/');
    for (const route of routes) {
      const template = route.path.split('/');
      if (template.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < template.length && ok; i++) {
        const t = template[i]!;
        if (t.startsWith('{')) {
          try {
            params[t.slice(1, -1)] = decodeURIComponent(segments[i]!);
          } catch {
            throw new ApiProblem(400, 'The path is not valid percent-encoding.');
          }
        } else ok = t === segments[i];
      }
      if (!ok) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
      wrongMethod = true;
    }
    return wrongMethod ? 'method' : undefined;
  };

  const handleRequest = async (req: IncomingMessage, res: ServerResponse, started: number): Promise<{ status: number; key?: string }> => {
    const target = req.url ?? '/';
    if (Buffer.byteLength(target) > settings.API_MAX_URL_BYTES)
      throw new ApiProblem(414, `The request target is longer than ${settings.API_MAX_URL_BYTES} bytes.`);
    const url = new URL(target, 'http://api.invalid');
    if (url.pathname === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendJson(res, 200, { ok: true });
      return { status: 200 };
    }
    const get = req.method === 'GET' || req.method === 'HEAD';
    const key = authenticate(req.headers.authorization);
    const who = key ? `key:${key}` : `anon:${req.socket.remoteAddress ?? '?'}`;
    try {
      await limiter.consume(who);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const retry = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      throw new ApiProblem(429, `Too many requests: at most ${settings.API_RATE_LIMIT} per ${settings.API_RATE_WINDOW_S} s per key. Retry after ${retry} s.`, {
        headers: { 'retry-after': String(retry) },
      });
    }
    // The page itself carries no data unless it is public, so it is served to anyone (the
    // visitor then types a key); its data sections need a key unless PUBLIC_PAGE=on.
    if (url.pathname === '/' && get) {
      const nonce = randomBytes(16).toString('base64');
      const html = renderPage({ publicPage, nonce, version: PACKAGE_VERSION, ...(publicPage ? { sections: await sections() } : {}) });
      sendHtml(res, html, nonce, req.method === 'HEAD');
      return { status: 200, ...(key ? { key } : {}) };
    }
    const open = publicPage && get && (url.pathname === '/page/sections' || routes.some((r) => r.page && r.method === 'GET' && r.path === url.pathname));
    // A key that is sent must be valid, even where none is needed: the caller should know.
    if (!key && (!open || req.headers.authorization !== undefined))
      throw new ApiProblem(401, req.headers.authorization ? 'The API key is not valid.' : 'An API key is required: send Authorization: Bearer <key>.', {
        headers: { 'www-authenticate': `Bearer realm="dprk-watch"${req.headers.authorization ? ', error="invalid_token"' : ''}` },
      });
    if (url.pathname === '/page/sections' && get) {
      send(res, 200, await sections(), 'text/html; charset=utf-8', req.method === 'HEAD');
      return { status: 200, ...(key ? { key } : {}) };
    }
    if (url.pathname === '/openapi.json' && (req.method === 'GET' || req.method === 'HEAD')) {
      send(res, 200, openapiJson, 'application/json; charset=utf-8');
      return { status: 200, key };
    }
    const found = match(req.method ?? 'GET', url.pathname);
    if (found === 'method') throw new ApiProblem(405, `${req.method} is not allowed on ${url.pathname}.`);
    if (!found) throw new ApiProblem(404, `No endpoint ${url.pathname}. The endpoints are listed in /openapi.json.`);
    const { route, params } = found;
    const body = await readBody(req, settings.API_MAX_BODY_BYTES, route.raw ? Object.keys(route.raw) : route.body !== undefined);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) {
      if (k in query) throw new ApiProblem(400, `The query parameter ${k} is given more than once.`);
      query[k] = v;
    }
    const c: RouteContext = { query, params, body: undefined, ...(route.raw ? { raw: body as RawBody } : {}) };
    if (route.query) {
      const parsed = route.query.safeParse(query);
      if (!parsed.success) throw bad(parsed.error.issues);
      c.query = parsed.data as Record<string, string>;
    } else if (Object.keys(query).length > 0) throw new ApiProblem(400, `${route.path} takes no query parameters.`);
    if (route.params) {
      const parsed = route.params.safeParse(params);
      if (!parsed.success) {
        // An unknown list is a resource that does not exist, not a malformed request.
        if (parsed.error.issues.some((i) => i.path[0] === 'source'))
          throw new ApiProblem(404, `No list ${params.source}; the lists are: ${SourceIdSchema.options.join(', ')}.`);
        throw bad(parsed.error.issues);
      }
    }
    if (route.body) {
      const parsed = route.body.safeParse(body);
      if (!parsed.success) throw bad(parsed.error.issues);
      c.body = parsed.data;
    }
    const data = await route.run(c);
    sendJson(res, 200, data, req.method === 'HEAD');
    log.debug({ component: 'api', ms: Date.now() - started }, 'api answered');
    return { status: 200, key };
  };

  const handle: RequestListener = (req, res) => {
    const started = Date.now();
    const path = (req.url ?? '/').split('?')[0]!.slice(0, 200);
    handleRequest(req, res, started)
      .then(({ status, key }) => log.debug({ component: 'api', method: req.method, path, status, keyId: key ?? null, ms: Date.now() - started }, 'api request'))
      .catch((e: unknown) => {
        const p = e instanceof ApiProblem ? e : undefined;
        if (!p) log.error({ component: 'api', method: req.method, path, err: (e as Error).message }, 'api request failed');
        else log.debug({ component: 'api', method: req.method, path, status: p.status }, 'api request refused');
        if (res.headersSent) return void res.destroy();
        const status = p?.status ?? 500;
        const problem: Problem = {
          type: 'about:blank',
          title: STATUS_CODES[status] ?? 'Error',
          status,
          detail: p?.detail ?? 'The request failed on our side; it was logged. Please try again shortly.',
          instance: path,
          ...(p?.extra.errors ? { errors: p.extra.errors } : {}),
        };
        for (const [k, v] of Object.entries(p?.extra.headers ?? {})) res.setHeader(k, v);
        // A request whose body we did not read is answered and its connection closed.
        if (status === 413 || !req.complete) res.setHeader('connection', 'close');
        send(res, status, `${JSON.stringify(ProblemSchema.parse(problem))}\n`, 'application/problem+json; charset=utf-8');
        if (!req.complete) req.resume();
      });
  };
  return { handle, openapi };
}

function send(res: ServerResponse, status: number, body: string, type: string, headOnly = false): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff' });
  res.end(headOnly ? undefined : body);
}

/** The page, with a CSP that lets only its own inline script run and only same-origin fetches. */
function sendHtml(res: ServerResponse, html: string, nonce: string, headOnly: boolean): void {
  res.setHeader(
    'content-security-policy',
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  res.setHeader('referrer-policy', 'no-referrer');
  send(res, 200, html, 'text/html; charset=utf-8', headOnly);
}

const sendJson = (res: ServerResponse, status: number, data: unknown, headOnly = false) =>
  send(res, status, `${JSON.stringify(data)}\n`, 'application/json; charset=utf-8', headOnly);

/**
 * The request body, at most `max` bytes (413 past it, counted as it arrives, whatever
 * Content-Length says): parsed as JSON when the route takes a JSON body, or handed over as it is
 * (with its media type) when the route reads it itself and it is of a type the route accepts; a
 * route without a body refuses one.
 */
async function readBody(req: IncomingMessage, max: number, wanted: boolean | readonly string[]): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) throw new ApiProblem(413, `The request body is larger than ${max} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new ApiProblem(413, `The request body is larger than ${max} bytes.`);
    chunks.push(chunk);
  }
  if (wanted === false) {
    if (size > 0) throw new ApiProblem(400, 'This endpoint takes no request body.');
    return undefined;
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (Array.isArray(wanted)) {
    if (!wanted.includes(type)) throw new ApiProblem(415, `Send the body as ${wanted.join(' or ')}.`);
    return { type, bytes: Buffer.concat(chunks) } satisfies RawBody;
  }
  if (type !== 'application/json') throw new ApiProblem(415, 'Send the body as application/json.');
  return parseJson(Buffer.concat(chunks).toString('utf8'));
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ApiProblem(400, `The body is not valid JSON: ${(e as Error).message}`);
  }
}

/** The OpenAPI paths of the route table: parameters, bodies and answers from the routes' zod schemas. */
function openapiPaths(routes: readonly Route[], publicPage: boolean): ZodOpenApiPathsObject {
  const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } });
  const paths: ZodOpenApiPathsObject = {};
  for (const r of routes) {
    const op = {
      summary: r.summary,
      // With PUBLIC_PAGE=on the page's read-only GETs need no key (a key is still accepted).
      ...(publicPage && r.page ? { security: [{}, { bearer: [] }] } : {}),
      ...(r.query || r.params ? { requestParams: { ...(r.query ? { query: r.query } : {}), ...(r.params ? { path: r.params } : {}) } } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
      ...(r.raw ? { requestBody: { required: true, content: Object.fromEntries(Object.entries(r.raw).map(([type, schema]) => [type, { schema }])) } } : {}),
      responses: {
        '200': { description: 'The answer', content: { 'application/json': { schema: r.response } } },
        '400': problem('An invalid parameter or body'),
        '401': problem('No API key, or not a valid one'),
        ...(r.params ? { '404': problem('No such list or record') } : {}),
        ...(r.body ? { '413': problem('The body is too large'), '415': problem('The body is not JSON') } : {}),
        '429': { ...problem('Over the rate limit; Retry-After says when to try again'), headers: { 'retry-after': { schema: { type: 'integer' as const } } } },
      },
    };
    paths[r.path] = { ...paths[r.path], [r.method.toLowerCase()]: op };
  }
  return paths;
}

export type ApiServer = Listening;

/** Serve `handle` on its own server (when Slack does not listen over HTTP on the same port). */
export async function startApiServer(o: { port: number; host?: string; handle: RequestListener; log?: Log }): Promise<ApiServer> {
  const server = createServer(o.handle);
  // Slow or idle clients cannot hold connections open for long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  const listening = await listen(server, o.port, o.host);
  o.log?.info({ component: 'api', port: listening.port }, `HTTP API on :${listening.port} (/v1/…, /openapi.json)`);
  return listening;
}
