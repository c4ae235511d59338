/**
 * Fact-check pages carrying schema.org ClaimReview JSON-LD (FACTCHECK_PAGES), served by the
 * loopback publisher fake. The pages are test data in publishers' shapes
 * (test/fixtures/factcheck/README.md).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractClaimReviews } from '../../src/sources/factcheck/claimreview.js';
import { pageSourceId } from '../../src/sources/factcheck/source.js';
import { readSourceState } from '../../src/factcheck/state.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { SourceServer } from '../helpers/source-server.js';
import { deps, fixture, googleConfig, pollClaimReviewPage, pollFactChecks } from './helpers.js';

const html = (name: string) => fixture(`factcheck/${name}`);
const SINGLE_URL = 'https://factdesk.example.org/factchecks/2025/mar/04/north-korea-internet-week/';
const ROUNDUP_URL = 'https://claimswatch.example.org/checks/2025-09-02-roundup';

describe('extractClaimReviews reads the shapes publishers use', () => {
  it('a single ClaimReview object (in an HTML comment, with a raw line break in a string)', () => {
    const page = extractClaimReviews(html('claimreview-single.html'), 'https://factdesk.example.org/x');
    expect(page).toMatchObject({ blocks: 1, broken: 0, warnings: [] });
    expect(page.reviews).toEqual([
      {
        claim: 'North Korea switched off its national internet for a whole week in February to hide a missile launch.',
        claimant: 'Viral social media post',
        claimDate: '2025-02-27',
        rating: 'Unproven',
        numeric: { value: '3', best: '6', worst: '0' },
        publisher: 'Example Fact Desk',
        publisherSite: 'factdesk.example.org',
        reviewDate: '2025-03-04T09:15:00-05:00',
        url: SINGLE_URL,
        title: 'No evidence North Korea switched off its internet for a week',
        language: 'en-US',
        appearances: ['https://video.example.org/watch/abc123'],
        origin: 'claimreview-page',
      },
    ]);
  });

  it('an @graph whose author/publisher are @id references, with a numeric-only rating and appearance arrays', () => {
    const page = extractClaimReviews(html('claimreview-graph.html'), 'https://verify.example.org/2025/06/lazarus-cold-wallet/');
    expect(page.reviews).toHaveLength(1);
    expect(page.reviews[0]).toMatchObject({
      claim: 'Lazarus Group hackers drained the entire cold wallet of a Seoul crypto exchange last week.',
      claimant: 'Crypto rumor channel',
      publisher: 'Sample Verify',
      publisherSite: 'verify.example.org',
      rating: '2 (scale 1–5)',
      numeric: { value: '2', best: '5', worst: '1' },
      reviewDate: '2025-06-18T02:10:00+00:00',
      appearances: ['https://social.example.org/posts/987', 'https://forum.example.org/t/555'],
      title: "Did Lazarus hackers drain a Seoul exchange's cold wallet? - Sample Verify",
    });
  });

  it('several ClaimReviews in one array beside other types, @type as an array, a second non-ClaimReview block', () => {
    const page = extractClaimReviews(html('claimreview-multiple.html'), ROUNDUP_URL);
    expect(page.blocks).toBe(2);
    expect(page.reviews.map((r) => [r.claim.slice(0, 30), r.rating, r.claimant ?? null, r.url])).toEqual([
      ['The UN 1718 Committee lifted a', 'Incorrect', 'A. Commentator', ROUNDUP_URL],
      ['The final of the city football', 'Exaggerated', 'City sports club', ROUNDUP_URL],
    ]);
    expect(page.reviews[0]!.appearances).toEqual(['https://news.example.org/opinion/42']);
  });

  it('broken JSON-LD is reported, not thrown', () => {
    const page = extractClaimReviews(html('claimreview-broken.html'), 'https://factdesk.example.org/broken');
    expect(page).toMatchObject({ reviews: [], blocks: 1, broken: 1 });
    expect(page.warnings[0]).toMatch(/JSON-LD block 1 of 1 is not valid JSON/);
  });
});

describe('polling ClaimReview pages', () => {
  let server: SourceServer;
  let store: Store;
  beforeEach(async () => {
    server = await new SourceServer().start();
    store = await openStore('memory:');
  });
  afterEach(async () => {
    await server.stop();
    await store.close();
  });

  const pageConfig = (pages: string[]) => googleConfig('http://127.0.0.1:9', { GOOGLE_FACTCHECK_API_KEY: undefined, FACTCHECK_PAGES: pages });

  it('stores every page as its own source: single, @graph, multiple; ids per the identity rule', async () => {
    for (const name of ['claimreview-single.html', 'claimreview-graph.html', 'claimreview-multiple.html'])
      server.set(`/${name}`, { kind: 'document', body: html(name), contentType: 'text/html' });
    const pages = ['claimreview-single.html', 'claimreview-graph.html', 'claimreview-multiple.html'].map((n) => server.url(`/${n}`));
    const report = await pollFactChecks(pageConfig(pages), deps(store));
    expect(report.sources.map((s) => s.result.outcome)).toEqual(['skipped', 'baseline', 'baseline', 'baseline']);
    expect(report.alerts).toEqual([]);

    const single = await readSourceState(store, pageSourceId(pages[0]!));
    expect(single!.entries[0]!.verdict).toMatchObject({ id: SINGLE_URL, url: SINGLE_URL, normalized: 'unproven', dprk: true, origin: 'claimreview-page' });
    const graph = await readSourceState(store, pageSourceId(pages[1]!));
    expect(graph!.entries[0]!.verdict).toMatchObject({ normalized: 'mostly-false', dprk: true }); // 2 on 1–5, from the number
    const multiple = await readSourceState(store, pageSourceId(pages[2]!));
    const ids = multiple!.entries.map((e) => e.verdict.id);
    expect(ids).toHaveLength(2);
    expect(ids.every((id) => id.startsWith(`${ROUNDUP_URL}#claim-`))).toBe(true);
    expect(multiple!.entries.map((e) => [e.verdict.normalized, e.verdict.dprk])).toEqual(
      expect.arrayContaining([
        ['false', true],
        ['mostly-false', false],
      ]),
    );
    const status = await store.getStatus(pageSourceId(pages[2]!));
    expect(status).toMatchObject({ recordCount: 2, dprkCount: 1, format: 'ClaimReview JSON-LD' });
  });

  it('an unchanged page costs a 304; a changed rating yields one verdict.changed', async () => {
    server.set('/p', { kind: 'document', body: html('claimreview-single.html'), contentType: 'text/html' });
    const url = server.url('/p');
    expect((await pollClaimReviewPage(url, deps(store, '2025-03-05T00:00:00Z'))).result.outcome).toBe('baseline');
    expect((await pollClaimReviewPage(url, deps(store, '2025-03-06T00:00:00Z'))).result.outcome).toBe('unchanged');
    expect(server.hits.get('/p')).toEqual({ total: 2, notModified: 1 });

    server.set('/p', { kind: 'document', body: html('claimreview-single-v2.html'), contentType: 'text/html' });
    const changed = await pollClaimReviewPage(url, deps(store, '2025-03-12T00:00:00Z'));
    expect(changed.alerts).toHaveLength(1);
    expect(changed.alerts[0]).toMatchObject({
      kind: 'verdict.changed',
      source: pageSourceId(url),
      sourceLabel: 'ClaimReview page 127.0.0.1',
      previous: { rating: 'Unproven', normalized: 'unproven' },
      verdict: { id: SINGLE_URL, rating: 'False', normalized: 'false', reviewDate: '2025-03-11T16:40:00-05:00' },
    });
    expect(changed.alerts[0]!.verdict.timeline.map((t) => [t.rating, t.reviewDate])).toEqual([['Unproven', '2025-03-04T09:15:00-05:00']]);
    expect((await pollClaimReviewPage(url, deps(store, '2025-03-13T00:00:00Z'))).alerts).toEqual([]);
  });

  it('broken JSON-LD degrades the page, keeps its verdicts, and the other pages still poll', async () => {
    server.set('/p', { kind: 'document', body: html('claimreview-single.html'), contentType: 'text/html' });
    server.set('/q', { kind: 'document', body: html('claimreview-graph.html'), contentType: 'text/html' });
    const [p, q] = [server.url('/p'), server.url('/q')];
    await pollFactChecks(pageConfig([p, q]), deps(store));
    const before = await readSourceState(store, pageSourceId(p));

    server.set('/p', { kind: 'document', body: html('claimreview-broken.html'), contentType: 'text/html' });
    server.set('/q', { kind: 'document', body: html('claimreview-graph.html').replace('"ratingValue":2', '"ratingValue":1'), contentType: 'text/html' });
    const report = await pollFactChecks(pageConfig([p, q]), deps(store));
    const [, pr, qr] = report.sources;
    expect(pr!.result).toEqual({ outcome: 'degraded', reason: expect.stringMatching(/no ClaimReview could be read \(JSON-LD block 1 of 1 is not valid JSON/) });
    expect(qr!.result).toMatchObject({ outcome: 'changed', changed: 1 });
    expect(await readSourceState(store, pageSourceId(p))).toEqual(before);
    const status = await store.getStatus(pageSourceId(p));
    expect(status?.degraded?.reason).toMatch(/kept the previous verdicts/);

    // Recovery: the next good fetch clears the degraded mark (a full fetch, not a 304).
    server.set('/p', { kind: 'document', body: html('claimreview-single.html'), contentType: 'text/html' });
    const back = await pollClaimReviewPage(p, deps(store));
    expect(back.result.outcome).toBe('unchanged'); // same verdicts as before the breakage
    expect((await store.getStatus(pageSourceId(p)))?.degraded).toBeUndefined();
  });

  it('a page without ClaimReview, an empty page, or a 404 is degraded, not a crash', async () => {
    server.set('/none', { kind: 'document', body: html('claimreview-none.html'), contentType: 'text/html' });
    server.set('/empty', { kind: 'document', body: '', contentType: 'text/html' });
    const results = await pollFactChecks(pageConfig([server.url('/none'), server.url('/empty'), server.url('/gone')]), deps(store));
    expect(results.sources.slice(1).map((s) => s.result)).toEqual([
      { outcome: 'degraded', reason: expect.stringMatching(/no usable ClaimReview in 1 JSON-LD block/) },
      { outcome: 'degraded', reason: expect.stringMatching(/empty body/) },
      { outcome: 'degraded', reason: expect.stringMatching(/404/) },
    ]);
  });

  it('a new DPRK ClaimReview on a page after its baseline is published once', async () => {
    const onlyFootball = html('claimreview-multiple.html').replace(/\{\s*"@context": "http:\/\/schema.org",\s*"@type": \["ClaimReview"\][\s\S]*?"Incorrect" \}\s*\},/, '');
    expect(onlyFootball).not.toContain('1718 Committee');
    server.set('/r', { kind: 'document', body: onlyFootball, contentType: 'text/html' });
    const r = server.url('/r');
    await pollClaimReviewPage(r, deps(store));
    server.set('/r', { kind: 'document', body: html('claimreview-multiple.html'), contentType: 'text/html' });
    const next = await pollClaimReviewPage(r, deps(store));
    expect(next.alerts.map((a) => [a.kind, a.verdict.claim.slice(0, 28), a.verdict.rating])).toEqual([
      ['verdict.published', 'The UN 1718 Committee lifted', 'Incorrect'],
    ]);
    // The football claim kept its id (the bare URL) although the URL now carries two claims.
    const ids = (await readSourceState(store, pageSourceId(r)))!.entries.map((e) => e.verdict.id).sort();
    expect(ids[0]).toBe(ROUNDUP_URL);
    expect(ids[1]).toMatch(/#claim-/);
  });
});
