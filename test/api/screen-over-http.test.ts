/**
 * POST /v1/screen over real HTTP on 127.0.0.1: a JSON array or a CSV, screened by the engine
 * `dprk-watch screen` uses (src/screen), one row per value in order; bad bodies are 4xx problems
 * with the line. Data: the real OFAC sdn.csv DPRK subset of 2022-04-14 (LAZARUS GROUP with its
 * Ethereum address), the real UN DPRK list, and the FBI's attributed addresses.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScreenDataSchema, ProblemSchema } from '../../src/adapters/api/schemas.js';
import { createApi, startApiServer, type ApiServer } from '../../src/adapters/api/server.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { screenValue } from '../../src/screen/engine.js';
import { buildServices } from '../../src/services.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { unScSource } from '../../src/sources/un/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import type { Services } from '../../src/commands/context.js';
import { fixtureText } from '../helpers/fixtures.js';
import { poll, realFileUrl } from '../helpers/pipeline.js';

const KEY = 'screen-key-0123456789abcdef';
const LAZARUS_ETH = '0x098B716B8Aaf21512996dC57EB0615e2383E2f96';
const FBI = fixtureText('real/fbi_attributed_addresses/fbi_psa250226_tradertraitor_eth_addresses.csv')
  .split('\n')
  .map((l) => /0x[0-9a-fA-F]{40}/.exec(l)?.[0])
  .filter((a): a is string => a !== undefined);

let store: Store;
let services: Services;
let server: ApiServer;

function post(path: string, body: string | Buffer, type: string, key: string | null = KEY): Promise<{ status: number; type: string; json: () => unknown }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': type, 'content-length': String(Buffer.byteLength(body)) };
    if (key) headers.authorization = `Bearer ${key}`;
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), json: () => JSON.parse(text) as unknown });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const problem = (a: { status: number; type: string; json: () => unknown }, status: number) => {
  expect(a.status).toBe(status);
  expect(a.type).toMatch(/^application\/problem\+json/);
  return ProblemSchema.parse(a.json());
};

beforeAll(async () => {
  const ofac = realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv');
  const un = realFileUrl('un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml');
  const config = loadConfig({ STORE_URL: 'memory:', SOURCES: 'ofac-sdn,un-sc', OFAC_SDN_URL: ofac, UN_SC_URL: un, REPORT_FEEDS: 'none', API_KEYS: KEY });
  store = await openStore('memory:', 'api-screen');
  await poll(ofacSdnSource(ofac), store);
  await poll(unScSource(un), store);
  services = buildServices(config, store);
  server = await startApiServer({ port: 0, host: '127.0.0.1', handle: createApi({ services, log: createLogger('error'), settings: config }).handle });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await store?.close();
});

describe('POST /v1/screen', () => {
  it('screens a JSON array in order, with what the CLI engine answers for each value', async () => {
    const values = ['Lazarus Group', LAZARUS_ETH.toLowerCase(), FBI[3]!.toUpperCase().replace('0X', '0x'), 'John Smith Bakery', ''];
    const a = await post('/v1/screen', JSON.stringify(values), 'application/json');
    expect(a.status).toBe(200);
    const body = ScreenDataSchema.parse(a.json());
    expect(body.rows.map((r) => [r.line, r.kind, r.match?.sourceId ?? null, r.attributions.length, r.hit])).toEqual([
      [1, 'name', '27307', 0, true],
      [2, 'address', '27307', 0, true],
      [3, 'address', null, 1, true],
      [4, 'name', null, 0, false],
      [5, 'empty', null, 0, false],
    ]);
    expect(body.rows[2]!.attributions[0]!.sanctioned).toBe(false);
    expect(body.summary).toEqual({ rows: 5, matched: 2, attributed: 1 });
    // The same engine `dprk-watch screen` runs, value for value.
    const { index } = await services.lookup.current();
    const engine = { index, attributions: services.attributions };
    expect(body.rows).toEqual(values.map((v, i) => JSON.parse(JSON.stringify(screenValue(engine, v, i + 1)))));
  });

  it('screens a CSV by its header column, with the CSV line numbers', async () => {
    const csv = `counterparty,note\nLazarus Group,first\n${LAZARUS_ETH},second\nJohn Smith Bakery,third\n`;
    const a = await post('/v1/screen?column=counterparty', csv, 'text/csv');
    expect(a.status).toBe(200);
    const body = ScreenDataSchema.parse(a.json());
    expect(body.rows.map((r) => [r.line, r.input, r.hit])).toEqual([
      [2, 'Lazarus Group', true],
      [3, LAZARUS_ETH, true],
      [4, 'John Smith Bakery', false],
    ]);
    // A minimum score of 1 keeps exact matches only.
    const strict = ScreenDataSchema.parse((await post('/v1/screen?minScore=1', 'Lazarus Grup\nLazarus Group\n', 'text/csv')).json());
    expect(strict.rows.map((r) => r.hit)).toEqual([false, true]);
  });

  it('refuses what it cannot read with a 4xx problem that says why, with the line', async () => {
    expect(problem(await post('/v1/screen?column=name', 'counterparty\nLazarus Group\n', 'text/csv'), 400).detail).toMatch(/column/i);
    expect(problem(await post('/v1/screen', 'a,b\nc,d\n"unclosed\n', 'text/csv'), 400).detail).toMatch(/line 3/);
    expect(problem(await post('/v1/screen', Buffer.from([0x4c, 0x61, 0xff, 0x0a]), 'text/csv'), 400).detail).toMatch(/CSV cannot be read/);
    expect(problem(await post('/v1/screen', '{"values": ["x"]}', 'application/json'), 400).detail).toMatch(/JSON array of strings/);
    expect(problem(await post('/v1/screen', '["x", 1]', 'application/json'), 400).errors?.[0]?.parameter).toBe('body[1]');
    expect(problem(await post('/v1/screen', '[', 'application/json'), 400).detail).toMatch(/not valid JSON/);
    expect(problem(await post('/v1/screen', '[]', 'application/json'), 400).errors?.[0]?.message).toMatch(/at least one value/);
    expect(problem(await post('/v1/screen', JSON.stringify(Array.from({ length: 10_001 }, () => 'x')), 'application/json'), 400).errors?.[0]?.message).toMatch(/at most 10000 values/);
    expect(problem(await post('/v1/screen', '["x"]', 'application/json; charset=utf-8'.replace('json', 'xml')), 415).detail).toMatch(/application\/json or text\/csv/);
    expect(problem(await post('/v1/screen?minScore=2', '["x"]', 'application/json'), 400).errors?.[0]?.message).toMatch(/between 0 and 1/);
    expect(problem(await post('/v1/screen?column=x', '["x"]', 'application/json'), 400).detail).toMatch(/CSV body only/);
    problem(await post('/v1/screen', '["x"]', 'application/json', null), 401);
  });

  it('is in the OpenAPI document with both body types', async () => {
    const doc = await new Promise<{ paths: Record<string, { post?: { requestBody?: { content: Record<string, unknown> } } }> }>((resolve, reject) =>
      request({ host: '127.0.0.1', port: server.port, path: '/openapi.json', headers: { authorization: `Bearer ${KEY}` }, agent: false }, (res) => {
        let t = '';
        res.on('data', (c: Buffer) => (t += c.toString()));
        res.on('end', () => resolve(JSON.parse(t)));
      })
        .on('error', reject)
        .end(),
    );
    expect(Object.keys(doc.paths['/v1/screen']!.post!.requestBody!.content).sort()).toEqual(['application/json', 'text/csv']);
  });
});
