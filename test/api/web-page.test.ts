/**
 * The web page at GET / over real HTTP on 127.0.0.1, on a store filled from real published lists
 * (UN DPRK list 2026-02-27, OFAC DPRK subset 2022-04-12 → 04-14): with PUBLIC_PAGE off the page
 * carries no data and its data needs a key; with it on, the page and its read-only GETs answer
 * without one while the rest still needs a key; text from data is escaped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, startApiServer, type ApiServer } from '../../src/adapters/api/server.js';
import { chartSvg, renderSections } from '../../src/adapters/api/page.js';
import { startSummary } from '../../src/cli/summary.js';
import { loadConfig } from '../../src/config.js';
import type { Designation } from '../../src/core/designation.js';
import type { Alert } from '../../src/core/alerts.js';
import { buildServices } from '../../src/services.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { unScSource } from '../../src/sources/un/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { poll, realFileUrl, recordingLog } from '../helpers/pipeline.js';

const KEY = 'page-key-0123456789abcdef';
let store: Store;
let closed: ApiServer;
let open: ApiServer;

async function get(server: ApiServer, path: string, key?: string): Promise<{ status: number; headers: Headers; text: string }> {
  const r = await fetch(`http://127.0.0.1:${server.port}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

beforeAll(async () => {
  const ofac = realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv');
  const un = realFileUrl('un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml');
  const env = { STORE_URL: 'memory:', SOURCES: 'ofac-sdn,un-sc', OFAC_SDN_URL: ofac, UN_SC_URL: un, REPORT_FEEDS: 'none', API_KEYS: KEY };
  store = await openStore('memory:', 'page-test');
  await poll(ofacSdnSource(ofac), store);
  await poll(unScSource(un), store);
  await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv')), store);
  const off = loadConfig(env);
  const on = loadConfig({ ...env, PUBLIC_PAGE: 'on' });
  expect(off.PUBLIC_PAGE).toBe('off');
  const services = buildServices(off, store);
  closed = await startApiServer({ port: 0, host: '127.0.0.1', handle: createApi({ services, log: recordingLog(), settings: off }).handle });
  open = await startApiServer({ port: 0, host: '127.0.0.1', handle: createApi({ services, log: recordingLog(), settings: on }).handle });
}, 120_000);

afterAll(async () => {
  await closed?.close();
  await open?.close();
  await store?.close();
});

describe('PUBLIC_PAGE', () => {
  it('the start summary says where the page is and whether it needs a key', () => {
    const facts = { sources: [], api: { port: 3000, sharedWithSlack: false }, discord: false };
    expect(startSummary(loadConfig({ STORE_URL: 'memory:', API_KEYS: KEY }), facts)).toMatch(/web page: http:\/\/localhost:3000\/ \(asks for an API key/);
    expect(startSummary(loadConfig({ STORE_URL: 'memory:', PUBLIC_PAGE: 'on' }), facts)).toMatch(/web page: http:\/\/localhost:3000\/ \(public/);
  });

  it('is refused at start unless on or off', () => {
    expect(() => loadConfig({ STORE_URL: 'memory:', PUBLIC_PAGE: 'yes' })).toThrow(/PUBLIC_PAGE.*must be on or off/s);
  });
});

describe('GET / with PUBLIC_PAGE off (the default)', () => {
  it('serves the page with a key form and no data, and never a key', async () => {
    const a = await get(closed, '/');
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/^text\/html/);
    expect(a.headers.get('content-security-policy')).toMatch(/script-src 'nonce-/);
    expect(a.text).toContain('id="key-form"');
    expect(a.text).toContain('type="password"');
    // No list data: no record names, no source table, no chart.
    expect(a.text).not.toMatch(/LAZARUS|KPi\.|ofac-sdn|<svg/);
    expect(a.text).not.toContain(KEY);
    // Even a request with a key gets the same empty shell (the data is fetched by the script).
    expect((await get(closed, '/', KEY)).text).not.toContain(KEY);
  });

  it('keeps the data sections and the read-only endpoints behind the key', async () => {
    for (const path of ['/page/sections', '/v1/status', '/v1/alerts', '/v1/lookup?q=Lazarus', '/v1/verdict?q=missile%20test'])
      expect((await get(closed, path)).status, path).toBe(401);
    const s = await get(closed, '/page/sections', KEY);
    expect(s.status).toBe(200);
    expect(s.text).toContain('ofac-sdn');
    expect(s.text).toContain('<svg id="chart"');
    // The real 2022-04-14 change (an Ethereum address added to LAZARUS GROUP) is a latest alert, linked.
    expect(s.text).toMatch(/designation\.amended · <a href="https:\/\/[^"]+"[^>]*>[^<]*LAZARUS GROUP/);
  });
});

describe('GET / with PUBLIC_PAGE on', () => {
  it('renders sources, alerts and the chart into the page without a key', async () => {
    const a = await get(open, '/');
    expect(a.status).toBe(200);
    expect(a.text).not.toContain('id="key-form"');
    expect(a.text).toMatch(/<td>un-sc<\/td><td class="state-ok">ok<\/td><td>2026-02-27/);
    expect(a.text).toContain('LAZARUS GROUP');
    expect(a.text).toMatch(/From the listedOn dates of the \d+ records/);
    expect(a.text).not.toContain(KEY);
  });

  it('opens only the read-only GETs the page uses', async () => {
    for (const path of ['/page/sections', '/v1/status', '/v1/alerts', '/v1/lookup?q=Lazarus%20Group', '/v1/verdict?q=missile%20test'])
      expect((await get(open, path)).status, path).toBe(200);
    expect((await get(open, '/openapi.json')).status).toBe(401);
    expect((await get(open, '/v1/entities/ofac-sdn/27307')).status).toBe(401);
    const post = await fetch(`http://127.0.0.1:${open.port}/v1/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"q":"Lazarus"}' });
    expect(post.status).toBe(401);
    // The OpenAPI document says so: the page's GETs take a key or none, the rest a key.
    type Paths = Record<string, Record<string, { security?: unknown[] }>>;
    const paths = async (server: ApiServer) => (JSON.parse((await get(server, '/openapi.json', KEY)).text) as { paths: Paths }).paths;
    expect((await paths(open))['/v1/status']!.get!.security).toEqual([{}, { bearer: [] }]);
    expect((await paths(open))['/v1/lookup']!.post!.security).toBeUndefined();
    expect((await paths(closed))['/v1/status']!.get!.security).toBeUndefined();
    // A valid key is accepted there too; a wrong one is refused rather than ignored.
    expect((await get(open, '/v1/status', KEY)).status).toBe(200);
    expect((await get(open, '/v1/status', 'wrong-key-0123456789abcdef')).status).toBe(401);
  });
});

describe('escaping over HTTP', () => {
  it('a stored alert whose text holds <script> and a javascript: link reaches the page as text', async () => {
    // Test input, not real data: a hostile health alert, as a compromised feed could word one.
    const hostile = { id: 'test-hostile', kind: 'source.degraded', source: 'feed:test', sourceLabel: 'test <b>feed</b>', dprk: false, detectedAt: new Date().toISOString(), url: 'javascript:alert(1)', summary: 'down <script>alert("x")</script> & out', reason: '<img src=x onerror=alert(1)>' };
    expect(await store.recordAlerts([hostile as unknown as Alert])).toHaveLength(1);
    for (const html of [(await get(open, '/')).text, (await get(closed, '/page/sections', KEY)).text]) {
      expect(html).toContain('down &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; out');
      expect(html).not.toContain('javascript:alert');
      expect((html.match(/<script/g) ?? []).length).toBe(html.startsWith('<!doctype') ? 1 : 0);
    }
  });
});

describe('escaping', () => {
  const evil = '<script>alert(1)</script>';
  const record = { source: 'ofac-sdn', sourceId: '1', name: `EVIL ${evil}`, type: 'entity', listedOn: '2020-03-01', programs: [], aliases: [], identifiers: [] } as unknown as Designation;
  const alert = { id: 'a', kind: 'designation.added', source: 'ofac-sdn', detectedAt: '2026-01-01T00:00:00Z', url: 'javascript:alert(1)', summary: `added ${evil}` } as unknown as Alert;

  it('escapes every text from data: record and alert names, source states, links', () => {
    const html = renderSections({
      sources: [{ source: 'ofac-sdn', state: 'degraded', listDate: null, lastSuccessAt: null, recordCount: 1, dprkCount: 1, degradedReason: `bad ${evil}` }],
      alerts: [alert],
      records: [record],
    });
    expect(html).not.toContain('<script');
    expect(html).toContain('added &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('bad &lt;script&gt;');
  });

  it('the chart counts designations per month by regime from listedOn', () => {
    const r = (source: string, listedOn: string | undefined) => ({ ...record, source, listedOn }) as unknown as Designation;
    const svg = chartSvg([r('ofac-sdn', '2020-03-01'), r('ofac-sdn', '2020-03-20'), r('un-sc', '2020-03-02'), r('un-sc', '2020-05-01'), r('un-sc', undefined)]);
    expect(svg).toContain('<title>2020-03: UN 1, US 2</title>');
    expect(svg).toContain('<title>2020-05: UN 1</title>');
    expect(svg).toContain('5 records of the lists stored (4 carry a date)');
    expect(svg.match(/class="bar"/g)).toHaveLength(2);
  });
});
