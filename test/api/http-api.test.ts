/**
 * The HTTP API over real HTTP on 127.0.0.1, on a store filled from real published lists (the UN
 * DPRK list of 2026-02-27 and OFAC's DPRK subset 2022-04-12 → 04-14, whose change is a real alert):
 * answers have the CLI's --json shapes and match their OpenAPI schemas; every bad input is a 4xx
 * problem+json; a burst past the rate limit gets 429s; keys never reach the logs.
 */
import { Writable } from 'node:stream';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { createApi, startApiServer, type ApiServer } from '../../src/adapters/api/server.js';
import { AlertsDataSchema, EntityDataSchema, LookupDataSchema, ProblemSchema, StatusDataSchema, VerdictDataApiSchema } from '../../src/adapters/api/schemas.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { buildServices } from '../../src/services.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { unScSource } from '../../src/sources/un/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import type { Services } from '../../src/commands/context.js';
import { poll, realFileUrl } from '../helpers/pipeline.js';

const KEY = 'test-key-0123456789abcdef';
const OTHER_KEY = 'other-key-0123456789abcdef';
const LIMITED_KEY = 'limited-key-0123456789abcdef';

let store: Store;
let services: Services;
let server: ApiServer;
let limitedServer: ApiServer;
let logText = '';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}

/** One request over a fresh connection (node:http, so a test can send what fetch would refuse to). */
function call(path: string, o: { method?: string; key?: string | null; body?: string | Buffer; headers?: Record<string, string>; port?: number } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.key !== null) headers.authorization = `Bearer ${o.key ?? KEY}`;
    if (o.body !== undefined) headers['content-length'] = String(Buffer.byteLength(o.body));
    const req = request({ host: '127.0.0.1', port: o.port ?? server.port, path, method: o.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** A problem+json answer with this status, with no stack trace in it. */
function expectProblem(a: Answer, status: number): ReturnType<typeof ProblemSchema.parse> {
  expect(a.status).toBe(status);
  expect(a.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = ProblemSchema.parse(a.json());
  expect(p.status).toBe(status);
  expect(a.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  return p;
}

/** The schema describes every field of the answer: parsing (which drops undeclared keys) changes nothing. */
function expectShape(schema: { parse(v: unknown): unknown }, body: unknown): void {
  expect(JSON.parse(JSON.stringify(schema.parse(body)))).toEqual(body);
}

/** What the CLI prints with --json: the command's Reply.data. */
async function cliJson(name: string, args: Record<string, unknown>): Promise<unknown> {
  const reply = await runCommand(COMMANDS.find((c) => c.definition.name === name)!, { services, invoker: { platform: 'cli', canManageChannel: true } }, args);
  return JSON.parse(JSON.stringify(reply.data));
}

beforeAll(async () => {
  const ofac = realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv');
  const un = realFileUrl('un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml');
  const config = loadConfig({ STORE_URL: 'memory:', SOURCES: 'ofac-sdn,un-sc', OFAC_SDN_URL: ofac, UN_SC_URL: un, REPORT_FEEDS: 'none', API_KEYS: `${KEY},${OTHER_KEY}` });
  store = await openStore('memory:', 'api-test');
  await poll(ofacSdnSource(ofac), store);
  await poll(unScSource(un), store);
  // The real 2022-04-14 list: an Ethereum address added to LAZARUS GROUP → a designation.amended alert.
  const changed = await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv')), store);
  expect(changed.alerts.length).toBeGreaterThan(0);
  services = buildServices(config, store);
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logText += chunk.toString();
      done();
    },
  });
  const log = createLogger('debug', { destination: sink, format: 'json' });
  server = await startApiServer({ port: 0, host: '127.0.0.1', handle: createApi({ services, log, settings: config }).handle });
  const limited = { ...config, API_KEYS: [LIMITED_KEY], API_RATE_LIMIT: 5, API_RATE_WINDOW_S: 3600 };
  limitedServer = await startApiServer({ port: 0, host: '127.0.0.1', handle: createApi({ services, log, settings: limited }).handle });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await limitedServer?.close();
  await store?.close();
});

describe('HTTP API answers', () => {
  it('GET /v1/lookup answers what `dprk-watch lookup --json` prints, on the real lists', async () => {
    const a = await call('/v1/lookup?q=Lazarus%20Group&limit=3');
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toMatch(/^application\/json/);
    const body = a.json() as { results: Array<{ name: string; source: string }> };
    expect(body.results[0]!.name).toMatch(/LAZARUS GROUP/);
    expectShape(LookupDataSchema, body);
    expect(body).toEqual(await cliJson('entity', { query: 'Lazarus Group', limit: 3 }));
    // The JSON body form answers the same.
    const posted = await call('/v1/lookup', { method: 'POST', body: JSON.stringify({ q: 'Lazarus Group', limit: 3 }), headers: { 'content-type': 'application/json' } });
    expect(posted.json()).toEqual(body);
  });

  it('GET /v1/verdict, /v1/status and /v1/alerts answer the CLI shapes', async () => {
    const v = await call('/v1/verdict?q=North%20Korea%20stole%20crypto');
    expect(v.status).toBe(200);
    expectShape(VerdictDataApiSchema, v.json());
    expect(v.json()).toEqual(await cliJson('verdict', { claim: 'North Korea stole crypto' }));

    const s = await call('/v1/status');
    expectShape(StatusDataSchema, s.json());
    expect(s.json()).toEqual(await cliJson('status', {}));
    expect((s.json() as { sources: Array<{ source: string; state: string }> }).sources.filter((x) => !x.source.includes(':')).map((x) => x.state)).toEqual(['ok', 'ok']);

    const all = (await call('/v1/alerts')).json() as { alerts: Array<{ kind: string; source: string; detectedAt: string }> };
    expectShape(AlertsDataSchema, all);
    expect(all.alerts.length).toBeGreaterThan(0);
    const latest = (await cliJson('latest', { kind: 'designations', limit: 25 })) as { alerts: unknown[] };
    const designations = (await call('/v1/alerts?kind=designations&source=ofac-sdn')).json() as { alerts: unknown[] };
    expect(designations.alerts.slice(0, 25)).toEqual(latest.alerts);
    expect(((await call('/v1/alerts?source=un-sc')).json() as { alerts: unknown[] }).alerts).toEqual([]);
    const future = (await call('/v1/alerts?since=2999-01-01')).json() as { alerts: unknown[] };
    expect(future.alerts).toEqual([]);
    const kind = all.alerts[0]!.kind;
    const exact = (await call(`/v1/alerts?kind=${kind}`)).json() as { alerts: Array<{ kind: string }> };
    expect(exact.alerts.every((x) => x.kind === kind)).toBe(true);
  });

  it('GET /v1/entities/{source}/{id} answers one record; an unknown one is 404', async () => {
    const found = (await call('/v1/lookup?q=Lazarus%20Group&limit=1')).json() as { results: Array<{ source: string; sourceId: string }> };
    const { source, sourceId } = found.results[0]!;
    const a = await call(`/v1/entities/${source}/${encodeURIComponent(sourceId)}`);
    expect(a.status).toBe(200);
    const body = a.json() as { record: { name: string; sourceId: string } };
    expectShape(EntityDataSchema, body);
    expect(body.record.sourceId).toBe(sourceId);
    expect(expectProblem(await call(`/v1/entities/${source}/999999999`), 404).detail).toMatch(/No record 999999999 on ofac-sdn/);
    expect(expectProblem(await call('/v1/entities/no-such-list/1'), 404).detail).toMatch(/No list no-such-list/);
  });

  it('/openapi.json is an OpenAPI 3.1 document of every endpoint, generated from the zod schemas', async () => {
    const doc = (await call('/openapi.json')).json() as { openapi: string; paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/v1/alerts', '/v1/entities/{source}/{id}', '/v1/lookup', '/v1/screen', '/v1/status', '/v1/verdict']);
    expect(doc.paths['/v1/lookup']!.get!.parameters!.map((p) => p.name)).toEqual(['q', 'limit']);
    expect(Object.keys(doc.paths['/v1/lookup']!)).toEqual(['get', 'post']);
    const components = (doc as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas;
    for (const id of ['LookupData', 'VerdictData', 'AlertsData', 'StatusData', 'EntityData', 'ScreenData', 'Problem']) expect(components[id], id).toBeDefined();
  });

  it('/healthz needs no key; everything else does', async () => {
    expect((await call('/healthz', { key: null })).status).toBe(200);
    const none = expectProblem(await call('/v1/status', { key: null }), 401);
    expect(none.detail).toMatch(/API key is required/);
    expect(expectProblem(await call('/openapi.json', { key: null }), 401).status).toBe(401);
    const wrong = await call('/v1/status', { key: 'wrong-key-0123456789abcdef' });
    expectProblem(wrong, 401);
    expect(wrong.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expectProblem(await call('/v1/status', { key: null, headers: { authorization: `Basic ${KEY}` } }), 401);
    expect((await call('/v1/status', { key: OTHER_KEY })).status).toBe(200);
  });
});

describe('HTTP API refuses bad input with problem+json', () => {
  it('a bad query is 400 naming the parameter', async () => {
    const short = expectProblem(await call('/v1/lookup?q=a'), 400);
    expect(short.errors).toEqual([{ parameter: 'q', message: 'type at least 2 characters' }]);
    expect(expectProblem(await call('/v1/lookup?q=Kim&limit=99'), 400).errors![0]!.parameter).toBe('limit');
    expect(expectProblem(await call('/v1/lookup'), 400).errors![0]!.parameter).toBe('q');
    expect(expectProblem(await call('/v1/lookup?q=Kim&nope=1'), 400).errors![0]!.message).toMatch(/nope/);
    expect(expectProblem(await call('/v1/lookup?q=Kim&q=Pak'), 400).detail).toMatch(/more than once/);
    expect(expectProblem(await call('/v1/alerts?since=yesterday'), 400).errors![0]!.parameter).toBe('since');
    expect(expectProblem(await call('/v1/alerts?kind=everything'), 400).errors![0]!.parameter).toBe('kind');
    expect(expectProblem(await call('/v1/status?x=1'), 400).detail).toMatch(/no query parameters/);
  });

  it('malformed JSON, a wrong content type and a body where none is taken are 4xx', async () => {
    const json = { 'content-type': 'application/json' };
    expect(expectProblem(await call('/v1/lookup', { method: 'POST', body: '{"q": "Kim', headers: json }), 400).detail).toMatch(/not valid JSON/);
    expectProblem(await call('/v1/lookup', { method: 'POST', body: '[1,2]', headers: json }), 400);
    expectProblem(await call('/v1/lookup', { method: 'POST', body: 'q=Kim', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
    expectProblem(await call('/v1/status', { body: '{}', headers: json }), 400);
  });

  it('an oversized body is 413, by Content-Length or as it streams; an overlong URL is 414', async () => {
    const big = Buffer.alloc(65 * 1024, 'a');
    expectProblem(await call('/v1/lookup', { method: 'POST', body: big, headers: { 'content-type': 'application/json' } }), 413);
    const chunked = await new Promise<Answer>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/v1/lookup', method: 'POST', agent: false, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown }));
      });
      req.on('error', reject);
      for (let i = 0; i < 80; i++) req.write(Buffer.alloc(1024, 'b'));
      req.end();
    });
    expectProblem(chunked, 413);
    expectProblem(await call(`/v1/lookup?q=${'k'.repeat(5000)}`), 414);
  });

  it('unknown paths are 404 and wrong methods 405', async () => {
    expectProblem(await call('/v2/lookup'), 404);
    expectProblem(await call('/v1/status', { method: 'DELETE' }), 405);
  });
});

describe('HTTP API limits and logs', () => {
  it('a burst past the per-key rate limit gets 429 with Retry-After for everything over the limit', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => call('/v1/status', { key: LIMITED_KEY, port: limitedServer.port })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(7);
    for (const r of refused) {
      expectProblem(r, 429);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('never logs a key, right or wrong, nor the Authorization header', async () => {
    await call('/v1/status');
    await call('/v1/status', { key: 'guessed-key-0123456789abcdef' });
    await call('/v1/lookup', { method: 'POST', body: '{bad', headers: { 'content-type': 'application/json' } });
    expect(logText).toMatch(/api request/);
    for (const secret of [KEY, OTHER_KEY, LIMITED_KEY, 'guessed-key-0123456789abcdef', 'Bearer']) expect(logText).not.toContain(secret);
  });
});
