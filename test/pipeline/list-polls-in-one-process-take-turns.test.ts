/**
 * `dprk-watch poll` polls every source at once, but the sanctions lists take turns within the
 * process: each holds a whole document, its text and its records in memory, and seven at once
 * measured 700 MB (npm run bench:lists). A report feed is not a whole list: it does not wait.
 *
 * Data: the real UN consolidated list (DPRK subset) and OFAC sdn.csv DPRK subset, served by a
 * loopback publisher that takes its time over each answer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import type { Source } from '../../src/sources/source.js';
import { unScSource } from '../../src/sources/un/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { fixtureText } from '../helpers/fixtures.js';
import { recordingLog, testApp } from '../helpers/pipeline.js';

const BODIES: Record<string, string> = {
  '/consolidated.xml': fixtureText('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml'),
  '/sdn.csv': fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv'),
};

describe('list polls in one process', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('take turns: a list is fetched only once the list before it is stored; every list is polled', async () => {
    const events: string[] = [];
    const server: Server = createServer((req, res) => {
      const body = BODIES[req.url ?? ''];
      if (!body) return void res.writeHead(404).end();
      events.push(`fetch ${req.url}`);
      // Slow enough that, without turns, both requests would arrive before either list is stored.
      setTimeout(() => res.writeHead(200).end(body), 300);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const observed = (source: Source): Source => ({
      ...source,
      save: async (ctx, next, changed) => {
        await source.save(ctx, next, changed);
        events.push(`stored ${source.id}`);
      },
    });
    const sources = [observed(unScSource(`${base}/consolidated.xml`)), observed(ofacSdnSource(`${base}/sdn.csv`))];
    const store: Store = await openStore('memory:', 'turns');
    cleanups.push(() => store.close());
    const config = loadConfig({ STORE_URL: 'memory:', REPORT_FEEDS: 'none' });
    const app = new App({ config: { ...config, SOURCE_DEGRADED_ALERT_MS: 3_600_000 }, store, log: recordingLog(), outputs: [], sources });

    const reports = await app.pollAll();
    expect(reports.map((r) => [r.source, r.result.outcome])).toEqual([
      ['un-sc', 'baseline'],
      ['ofac-sdn', 'baseline'],
    ]);
    // One list at a time: each fetch comes after the previous list was stored.
    expect(events).toEqual(['fetch /consolidated.xml', 'stored un-sc', 'fetch /sdn.csv', 'stored ofac-sdn']);
  });

  it('a list that fails gives the next one its turn', async () => {
    const store: Store = await openStore('memory:', 'turns-fail');
    cleanups.push(() => store.close());
    const config = loadConfig({ STORE_URL: 'memory:', REPORT_FEEDS: 'none' });
    const sources = [unScSource('http://127.0.0.1:9/nothing-listens-here.xml'), ofacSdnSource('http://127.0.0.1:9/sdn.csv')];
    const app = new App({ config: { ...config, FETCH_TIMEOUT_MS: 2_000, SOURCE_DEGRADED_ALERT_MS: 3_600_000 }, store, log: recordingLog(), outputs: [], sources });
    const reports = await app.pollAll();
    expect(reports.map((r) => r.result.outcome)).toEqual(['degraded', 'degraded']);
  });

  it('go largest stored list first once lists are stored (a list never stored keeps the configured order); reports keep the configured order', async () => {
    const events: string[] = [];
    const server: Server = createServer((req, res) => {
      const body = BODIES[req.url ?? ''];
      if (!body) return void res.writeHead(404).end();
      events.push(`fetch ${req.url}`);
      res.writeHead(200).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const store: Store = await openStore('memory:', 'turns-largest');
    cleanups.push(() => store.close());
    // The UN DPRK subset is configured first and is the smaller list.
    const app = testApp(store, [unScSource(`${base}/consolidated.xml`), ofacSdnSource(`${base}/sdn.csv`)]);
    await app.pollAll();
    expect(events).toEqual(['fetch /consolidated.xml', 'fetch /sdn.csv']);
    const [un, ofac] = [(await store.getStatus('un-sc'))!.recordCount ?? 0, (await store.getStatus('ofac-sdn'))!.recordCount ?? 0];
    expect(ofac).toBeGreaterThan(un);

    events.length = 0;
    const reports = await app.pollAll();
    expect(events).toEqual(['fetch /sdn.csv', 'fetch /consolidated.xml']);
    expect(reports.map((r) => r.source)).toEqual(['un-sc', 'ofac-sdn']);
  });
});
