/**
 * Google Fact Check Tools `claims:search`, served by a loopback fake from the two real
 * responses in test/fixtures/real/factcheck (SOURCES.md §8). Page 1 is the 2021-10-14 response
 * as stored (it carries nextPageToken "CAo"); page 2 is the 2021-10-30 response with its
 * nextPageToken removed, so the result ends there.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseClaimsSearch } from '../../src/sources/factcheck/google.js';
import { GOOGLE_SOURCE_ID } from '../../src/sources/factcheck/source.js';
import { readSourceState } from '../../src/factcheck/state.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { deps, fixture, GOOGLE_PATH, pollFactChecks, pollGoogleFactCheck, GoogleFake, googleConfig, KEY, lastPage, REAL_GOOGLE_1014, REAL_GOOGLE_1030 } from './helpers.js';

let store: Store;
let fake: GoogleFake;

beforeEach(async () => {
  store = await openStore('memory:');
  fake = await new GoogleFake((p) => ({ body: p.pageToken === 'CAo' ? lastPage(REAL_GOOGLE_1030) : fixture(REAL_GOOGLE_1014) })).start();
});
afterEach(async () => {
  await fake.stop();
  await store.close();
});

describe('Google claims:search (real samples on a loopback fake)', () => {
  it('sends query, key, languageCode and pageToken, and follows nextPageToken', async () => {
    const report = await pollGoogleFactCheck(googleConfig(fake.base, { FACTCHECK_LANGUAGE: 'en' }), deps(store));
    expect(report.result.outcome).toBe('baseline');
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests.every((r) => r.path === GOOGLE_PATH)).toBe(true);
    expect(fake.requests[0]!.params).toEqual({ query: 'North Korea', languageCode: 'en', key: KEY });
    expect(fake.requests[1]!.params).toEqual({ query: 'North Korea', languageCode: 'en', pageToken: 'CAo', key: KEY });
  });

  it('runs every configured query, and omits languageCode when none is configured', async () => {
    await pollGoogleFactCheck(googleConfig(fake.base, { FACTCHECK_QUERIES: ['DPRK', 'Lazarus Group'] }), deps(store));
    expect(fake.requests.map((r) => [r.params.query, r.params.pageToken ?? null])).toEqual([
      ['DPRK', null],
      ['DPRK', 'CAo'],
      ['Lazarus Group', null],
      ['Lazarus Group', 'CAo'],
    ]);
    expect(fake.requests.every((r) => !('languageCode' in r.params))).toBe(true);
  });

  it('stops at FACTCHECK_MAX_PAGES when every page has a next token, and says so', async () => {
    fake.answer = () => ({ body: fixture(REAL_GOOGLE_1014) }); // always "CAo": a token that never ends
    const d = deps(store);
    const report = await pollGoogleFactCheck(googleConfig(fake.base, { FACTCHECK_MAX_PAGES: 1 }), d);
    expect(fake.requests).toHaveLength(1);
    expect(report.result.outcome).toBe('baseline');
    const status = await store.getStatus(GOOGLE_SOURCE_ID);
    expect(status?.warnings.join('\n')).toMatch(/stopped after 1 page\(s\) \(FACTCHECK_MAX_PAGES\)/);
  });

  it('stops when the API repeats a page token', async () => {
    fake.answer = () => ({ body: fixture(REAL_GOOGLE_1014) });
    await pollGoogleFactCheck(googleConfig(fake.base, { FACTCHECK_MAX_PAGES: 10 }), deps(store));
    expect(fake.requests).toHaveLength(2); // first page, then "CAo" once; "CAo" again ends it
  });

  it('parses every claim × review into a verdict, including reviews without reviewDate or title', async () => {
    await pollGoogleFactCheck(googleConfig(fake.base), deps(store, '2026-02-01T00:00:00Z'));
    const state = await readSourceState(store, GOOGLE_SOURCE_ID);
    const verdicts = state!.entries.map((e) => e.verdict);
    expect(verdicts).toHaveLength(20);
    expect(verdicts.every((v) => v.origin === 'google-factcheck' && v.dprk === false)).toBe(true);

    const byClaim = (start: string) => state!.entries.find((e) => e.verdict.claim.startsWith(start))!;
    // PolitiFact item with no reviewDate.
    const reinstated = byClaim('“Trump has been reinstated.”');
    expect(reinstated.verdict).toMatchObject({
      rating: 'Pants on Fire',
      normalized: 'false',
      publisher: 'PolitiFact',
      publisherSite: 'politifact.com',
      claimant: 'Facebook posts',
      claimDate: '2021-10-26T00:00:00Z',
      url: 'https://www.politifact.com/factchecks/2021/oct/26/facebook-posts/no-trump-has-not-been-reinstated/',
      id: 'https://www.politifact.com/factchecks/2021/oct/26/facebook-posts/no-trump-has-not-been-reinstated/',
      language: 'en',
      timeline: [],
    });
    expect(reinstated.verdict.reviewDate).toBeUndefined();
    expect(reinstated.title).toBe('No, Trump has not been reinstated');
    // AFP item with no title.
    const afp = byClaim('Joe Biden said Donald Trump was still US president');
    expect(afp.title).toBeUndefined();
    expect(afp.verdict).toMatchObject({ rating: 'Missing context', normalized: 'mixed', reviewDate: '2021-10-28T03:24:00Z' });
    // Non-English ratings are kept as published and normalized.
    expect(byClaim('20 Ekim 2021').verdict).toMatchObject({ rating: 'Yanlış', normalized: 'false', language: 'tr' });
    expect(byClaim('Auf Intensivstationen').verdict.normalized).toBe('mostly-false');
  });

  it('gives two claims reviewed in one round-up article (one URL) two ids', async () => {
    await pollGoogleFactCheck(googleConfig(fake.base), deps(store));
    const state = await readSourceState(store, GOOGLE_SOURCE_ID);
    const roundup = 'https://www.politifact.com/article/2021/jan/20/one-last-time-president-fact-checking-donald-trump/';
    const inRoundup = state!.entries.filter((e) => e.verdict.url === roundup);
    expect(inRoundup.map((e) => e.verdict.rating).sort()).toEqual(['Exaggerates the number', 'Wrong, for the umpteenth time']);
    expect(new Set(inRoundup.map((e) => e.verdict.id)).size).toBe(2);
    for (const e of inRoundup) expect(e.verdict.id).toMatch(new RegExp(`^${roundup.replace(/[.?]/g, '\\$&')}#claim-[0-9a-f]{12}$`));
  });

  it('stores non-DPRK claims for lookup but alerts nothing about them, even after the baseline', async () => {
    const config = googleConfig(fake.base);
    expect((await pollGoogleFactCheck(config, deps(store))).result.outcome).toBe('baseline');
    fake.answer = () => ({ body: lastPage(REAL_GOOGLE_1030) }); // only page 2 now: nothing new
    const again = await pollGoogleFactCheck(config, deps(store));
    expect(again.alerts).toEqual([]);
    expect(await store.pendingAlerts()).toEqual([]);
  });

  it('parses an empty result ({}) as no claims', () => {
    expect(parseClaimsSearch('{}')).toEqual({ reviews: [], warnings: [] });
  });
});

describe('Google source without a key, or failing', () => {
  it('is skipped with a clear status (not an error) when GOOGLE_FACTCHECK_API_KEY is unset', async () => {
    const report = await pollFactChecks(googleConfig(fake.base, { GOOGLE_FACTCHECK_API_KEY: undefined }), deps(store));
    expect(report.sources[0]!.result).toEqual({ outcome: 'skipped', reason: expect.stringMatching(/GOOGLE_FACTCHECK_API_KEY is not set/) });
    expect(fake.requests).toHaveLength(0);
    const status = await store.getStatus(GOOGLE_SOURCE_ID);
    expect(status?.degraded).toBeUndefined();
    expect(status?.warnings[0]).toMatch(/^skipped: GOOGLE_FACTCHECK_API_KEY is not set/);
  });

  it('a 403 marks the source degraded, keeps the stored verdicts, and never writes the key anywhere', async () => {
    const config = googleConfig(fake.base);
    await pollGoogleFactCheck(config, deps(store));
    const before = await readSourceState(store, GOOGLE_SOURCE_ID);
    fake.answer = () => ({ status: 403, body: '{"error":{"code":403,"message":"API key not valid.","status":"PERMISSION_DENIED"}}' });
    const d = deps(store);
    const report = await pollGoogleFactCheck(config, d);
    expect(report.result).toEqual({ outcome: 'degraded', reason: expect.stringMatching(/HTTP 403/) });
    expect(await readSourceState(store, GOOGLE_SOURCE_ID)).toEqual(before);
    const status = await store.getStatus(GOOGLE_SOURCE_ID);
    expect(status?.degraded?.reason).toMatch(/query "North Korea" page 1: .*HTTP 403/);
    const everything = JSON.stringify([report, status, d.log.lines]);
    expect(everything).not.toContain(KEY);
    expect(everything).toContain('[redacted]');
  });

  it('a body that is not claims:search JSON marks the source degraded', async () => {
    fake.answer = () => ({ body: '<html>Service Unavailable</html>', contentType: 'text/html' });
    const report = await pollGoogleFactCheck(googleConfig(fake.base), deps(store));
    expect(report.result).toEqual({ outcome: 'degraded', reason: expect.stringMatching(/not JSON/) });
    expect(await readSourceState(store, GOOGLE_SOURCE_ID)).toBeUndefined();
  });

  it('a failure on page 2 fails the whole poll (no partial state)', async () => {
    fake.answer = (p) => (p.pageToken ? { status: 500, body: '{}' } : { body: fixture(REAL_GOOGLE_1014) });
    const report = await pollGoogleFactCheck(googleConfig(fake.base), deps(store));
    expect(report.result).toEqual({ outcome: 'degraded', reason: expect.stringMatching(/page 2: .*HTTP 500/) });
    expect(await readSourceState(store, GOOGLE_SOURCE_ID)).toBeUndefined();
  });
});
