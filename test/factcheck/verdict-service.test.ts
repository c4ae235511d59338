import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FactCheckConfigSchema, googleEndpoint } from '../../src/sources/factcheck/config.js';
import { pollSource } from '../../src/pipeline/poll.js';
import { factCheckSources, pageSourceId } from '../../src/sources/factcheck/source.js';
import { loadSeedVerdicts, SEEDS_SOURCE_ID } from '../../src/factcheck/seeds.js';
import { readIndex } from '../../src/factcheck/state.js';
import { VerdictService } from '../../src/factcheck/service.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { SourceServer } from '../helpers/source-server.js';
import { deps, fixture, googleConfig, pollFactChecks } from './helpers.js';
import { MAPS } from '../../src/store/layout.js';

describe('VerdictService', () => {
  let store: Store;
  let server: SourceServer;
  beforeEach(async () => {
    store = await openStore('memory:');
    server = await new SourceServer().start();
  });
  afterEach(async () => {
    await server.stop();
    await store.close();
  });

  it('rebuilds its claim index only when the stored verdicts change', async () => {
    const service = new VerdictService(store);
    await loadSeedVerdicts(store);
    expect(await service.find('Are most North Korean IT workers based in China?')).toBeDefined();
    await service.find('North Korea plans to send 40,000 laborers to Russia');
    await service.all();
    expect(service.builds).toBe(1);

    await loadSeedVerdicts(store); // same seeds: nothing written
    await service.find('Are most North Korean IT workers based in China?');
    expect(service.builds).toBe(1);

    server.set('/p', { kind: 'document', body: fixture('factcheck/claimreview-single.html'), contentType: 'text/html' });
    const config = googleConfig('http://127.0.0.1:9', { GOOGLE_FACTCHECK_API_KEY: undefined, FACTCHECK_PAGES: [server.url('/p')] });
    await pollFactChecks(config, deps(store));
    expect((await service.find('North Korea shut down its internet for a week'))?.verdict.rating).toBe('Unproven');
    expect(service.builds).toBe(2);

    await pollFactChecks(config, deps(store)); // 304: nothing changed
    await service.find('North Korea shut down its internet for a week');
    expect(service.builds).toBe(2);

    server.set('/p', { kind: 'document', body: fixture('factcheck/claimreview-single-v2.html'), contentType: 'text/html' });
    await pollFactChecks(config, deps(store));
    expect((await service.find('North Korea shut down its internet for a week'))?.verdict.rating).toBe('False');
    expect(service.builds).toBe(3);
  });

  it('a source missing from the verdicts index (a store restored from an old backup) is put back by its next poll', async () => {
    await loadSeedVerdicts(store);
    server.set('/p', { kind: 'document', body: fixture('factcheck/claimreview-single.html'), contentType: 'text/html' });
    const config = googleConfig('http://127.0.0.1:9', { GOOGLE_FACTCHECK_API_KEY: undefined, FACTCHECK_PAGES: [server.url('/p')] });
    await pollFactChecks(config, deps(store));
    const full = await readIndex(store);
    expect(Object.keys(full.sources).sort()).toEqual([pageSourceId(server.url('/p')), SEEDS_SOURCE_ID]);

    await store.map(MAPS.verdictIndex).clear(); // both entries lost
    expect(await new VerdictService(store).all()).toEqual([]);
    await pollFactChecks(config, deps(store)); // answered 304
    await loadSeedVerdicts(store); // same seeds file
    expect(await readIndex(store)).toEqual(full);
    expect(await new VerdictService(store).all()).toHaveLength(3);
  });

  it('concurrent questions share one build', async () => {
    await loadSeedVerdicts(store);
    const service = new VerdictService(store);
    await Promise.all([service.all(), service.find('North Korean IT workers in China'), service.all()]);
    expect(service.builds).toBe(1);
  });
});

describe('fact-check configuration fragment', () => {
  it('has the documented defaults', () => {
    const c = FactCheckConfigSchema.parse({});
    expect(c).toEqual({
      GOOGLE_FACTCHECK_URL: 'https://factchecktools.googleapis.com/v1alpha1/claims:search',
      FACTCHECK_QUERIES: ['North Korea', 'DPRK', 'Lazarus Group', 'Kim Jong Un'],
      FACTCHECK_MAX_PAGES: 5,
      FACTCHECK_PAGES: [],
      FACTCHECK_CRON: '0 */6 * * *',
    });
    expect(c.GOOGLE_FACTCHECK_API_KEY).toBeUndefined();
    expect(c.FACTCHECK_LANGUAGE).toBeUndefined();
  });

  it('parses lists and rejects bad values, naming each problem', () => {
    const c = FactCheckConfigSchema.parse({
      GOOGLE_FACTCHECK_API_KEY: 'k',
      FACTCHECK_QUERIES: ' Kimsuky , APT38 ,,',
      FACTCHECK_PAGES: 'https://a.example.org/x, file:///tmp/page.html',
      FACTCHECK_LANGUAGE: 'en-US',
      FACTCHECK_MAX_PAGES: '2',
    });
    expect(c).toMatchObject({ FACTCHECK_QUERIES: ['Kimsuky', 'APT38'], FACTCHECK_PAGES: ['https://a.example.org/x', 'file:///tmp/page.html'], FACTCHECK_MAX_PAGES: 2 });
    const bad = FactCheckConfigSchema.safeParse({ FACTCHECK_CRON: 'every day', FACTCHECK_PAGES: 'ftp://x', FACTCHECK_LANGUAGE: 'english please', GOOGLE_FACTCHECK_URL: 'factchecktools' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path[0]).sort()).toEqual(['FACTCHECK_CRON', 'FACTCHECK_LANGUAGE', 'FACTCHECK_PAGES', 'GOOGLE_FACTCHECK_URL']);
  });

  it('GOOGLE_FACTCHECK_URL may be the endpoint or a base; status lists every fact-check source without the key', () => {
    expect(googleEndpoint('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/v1alpha1/claims:search');
    expect(googleEndpoint('https://factchecktools.googleapis.com/v1alpha1/claims:search')).toBe('https://factchecktools.googleapis.com/v1alpha1/claims:search');
    const sources = factCheckSources({ ...googleConfig('http://127.0.0.1:1'), FACTCHECK_PAGES: ['https://www.factdesk.example.org/a'] });
    expect(sources.map(({ id, label, url }) => ({ id, label, url }))).toEqual([
      { id: 'factcheck:google', label: 'Google Fact Check Tools', url: 'http://127.0.0.1:1/v1alpha1/claims:search' },
      { id: 'factcheck:page:https://www.factdesk.example.org/a', label: 'ClaimReview page factdesk.example.org', url: 'https://www.factdesk.example.org/a' },
    ]);
  });
});

describe('fact-check sources (for the app scheduler)', () => {
  it('one source per configured source on FACTCHECK_CRON; a missing key is a skipped source, not a failure', async () => {
    const store = await openStore('memory:');
    const server = await new SourceServer().start();
    try {
      server.set('/p', { kind: 'document', body: fixture('factcheck/claimreview-single.html'), contentType: 'text/html' });
      const config = FactCheckConfigSchema.parse({ FACTCHECK_PAGES: server.url('/p'), FACTCHECK_CRON: '*/15 * * * *' });
      const sources = factCheckSources(config);
      expect(sources.map((s) => [s.id, s.cron])).toEqual([
        ['factcheck:google', '*/15 * * * *'],
        [`factcheck:page:${server.url('/p')}`, '*/15 * * * *'],
      ]);
      const d = deps(store);
      const [google, page] = await Promise.all(sources.map((s) => pollSource(s, d)));
      expect(google).toEqual({ outcome: 'skipped', alerts: [], summary: expect.stringMatching(/^skipped: GOOGLE_FACTCHECK_API_KEY is not set/), reason: expect.stringMatching(/^skipped: GOOGLE_FACTCHECK_API_KEY is not set/) });
      expect(page).toEqual({ outcome: 'baseline', alerts: [], summary: 'baseline of 1 fact-checked claim(s) stored, 1 DPRK-related (no alerts on a first poll)', counts: { verdicts: 1, dprk: 1 } });
      server.set('/p', { kind: 'document', body: fixture('factcheck/claimreview-single-v2.html'), contentType: 'text/html' });
      const again = await pollSource(sources[1]!, d);
      expect(again).toMatchObject({ outcome: 'changed', summary: '0 new claim(s), 1 rating change(s), 1 new alert(s)' });
      expect(again.alerts.map((a) => a.kind)).toEqual(['verdict.changed']);
    } finally {
      await server.stop();
      await store.close();
    }
  });
});
