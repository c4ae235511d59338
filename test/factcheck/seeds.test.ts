import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSeedVerdicts, readSeedFile, SEEDS_FILE, SEEDS_SOURCE_ID, SeedFileSchema, UNNAMED_PUBLISHER } from '../../src/factcheck/seeds.js';
import { readIndex, readSourceState } from '../../src/factcheck/state.js';
import { VerdictService } from '../../src/factcheck/service.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { SourceServer } from '../helpers/source-server.js';
import { deps, fixture, pollClaimReviewPage } from './helpers.js';

const raw = JSON.parse(readFileSync(SEEDS_FILE, 'utf8'));
const seeds = SeedFileSchema.parse(raw);

// The source documents live beside the repository in the workspace (../shared/seeds); a
// fresh clone without them skips the provenance checks and says so.
const SHARED = path.resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/seeds');
const haveShared = existsSync(SHARED);
if (!haveShared) console.warn(`[seeds tests] ${SHARED} not found: skipping the checks against the source documents`);
const doc = (file: string) => readFileSync(path.join(SHARED, file), 'utf8');
const words = (s: string) => s.toLowerCase().replace(/[^a-z0-9$]+/g, ' ').trim().split(' ');

describe('seeds/verdicts.json', () => {
  it('validates, and holds the two fact-checked claims of the five documents', () => {
    expect(seeds.documents.map((d) => [d.file.slice(0, 3), d.factChecks])).toEqual([
      ['000', 1],
      ['001', 1],
      ['002', 0],
      ['003', 0],
      ['004', 0],
    ]);
    expect(seeds.verdicts.map((v) => [v.sourceDocument.slice(0, 3), v.rating, v.normalized, v.timeline.length, v.reviewDate])).toEqual([
      ['000', 'True', 'true', 2, '2026-01-13T08:49'],
      ['001', 'True', 'true', 2, '2026-01-13T08:57'],
    ]);
    for (const v of seeds.verdicts) {
      expect(v.timeline.map((e) => [e.kind, e.date])).toEqual([
        ['original-article', '2026-01-12'],
        ['update', v.reviewDate],
      ]);
      expect(v.publisher).toBeNull(); // the documents name none
      expect(v.sourceUrl).toBeNull(); // …and give no URL
      // Identified outside the documents, and kept apart (seeds/reports.json agrees).
      expect(v.identified).toMatchObject({ publisher: 'The Follow Up', publisherSite: 'thefollowup.ai', basis: 'external' });
      expect(v.identified!.url).toMatch(/^https:\/\/thefollowup\.ai\/claim\/the-msmt-report-/);
    }
    const reports = JSON.parse(readFileSync(new URL('../../seeds/reports.json', import.meta.url), 'utf8')) as { documents: Array<{ file: string; url: string }> };
    for (const v of seeds.verdicts) expect(reports.documents.find((d) => d.file === v.sourceDocument)?.url).toBe(v.identified!.url);
  });

  it('rejects a record whose normalized rating or timeline disagrees with its rating', () => {
    const bad = structuredClone(raw);
    bad.verdicts[0].normalized = 'false';
    expect(SeedFileSchema.safeParse(bad).success).toBe(false);
    const bad2 = structuredClone(raw);
    bad2.verdicts[1].timeline[1].rating = 'False';
    bad2.verdicts[1].timeline[1].normalized = 'false';
    expect(SeedFileSchema.safeParse(bad2).success).toBe(false);
  });

  it.skipIf(!haveShared)('matches the source documents: claims quoted exactly, ratings and dates as printed, notes in our own words', () => {
    for (const d of seeds.documents) expect(existsSync(path.join(SHARED, d.file))).toBe(true);
    for (const v of seeds.verdicts) {
      const text = doc(v.sourceDocument);
      expect(text.startsWith(`${v.claim}\n`)).toBe(true);
      if (v.checkedStatement) expect(text).toContain(v.checkedStatement);
      expect(text).toMatch(new RegExp(`\\n${v.rating}\\n`));
      const [date, time] = v.reviewDate.split('T');
      const [y, m, dd] = date!.split('-').map(Number);
      const month = new Date(Date.UTC(y!, m! - 1, dd!)).toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
      expect(text).toContain(`Update · ${month} ${dd}, ${y}, ${time} AM${v.rating}`);
      expect(text).toContain(`Original article · ${month} 12, ${y}`);
      for (const e of v.evidence.filter((x) => /38 North/.test(x))) expect(text).toContain('38 North');
      // No run of 6 words of the note is copied from the document.
      const docWords = ` ${words(text).join(' ')} `;
      const w = words(v.note);
      for (let i = 0; i + 6 <= w.length; i++) expect(docWords).not.toContain(` ${w.slice(i, i + 6).join(' ')} `);
    }
    // Documents listed with no fact-check really have none (no rating timeline).
    for (const d of seeds.documents.filter((x) => x.factChecks === 0)) expect(doc(d.file)).not.toMatch(/Latest fact check|\nTimeline\n/);
  });
});

describe('loadSeedVerdicts', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore('memory:');
  });
  afterEach(() => store.close());

  it('loads the seeds as verdicts once (idempotent), alerting nothing', async () => {
    expect(await loadSeedVerdicts(store, { now: () => new Date('2026-02-01T00:00:00Z') })).toEqual({ loaded: 2, written: true });
    const state = await readSourceState(store, SEEDS_SOURCE_ID);
    const index = await readIndex(store);
    expect(await loadSeedVerdicts(store, { now: () => new Date('2026-03-01T00:00:00Z') })).toEqual({ loaded: 2, written: false });
    expect(await readSourceState(store, SEEDS_SOURCE_ID)).toEqual(state);
    expect(await readIndex(store)).toEqual(index);
    expect(await store.pendingAlerts()).toEqual([]);

    for (const e of state!.entries) {
      expect(e.verdict).toMatchObject({
        origin: 'seed',
        publisher: 'The Follow Up',
        publisherSite: 'thefollowup.ai',
        rating: 'True',
        normalized: 'true',
        dprk: true,
        claimDate: '2026-01-12',
        timeline: [],
      });
      expect(e.verdict.id).toBe(e.verdict.url); // the (identified) review URL is the id
      expect(e.provenance).toMatch(/publisher and review URL identified from a public copy of the page/);
      expect(e.appearances).toEqual([expect.stringMatching(/^https:\/\/www\.thefollowup\.ai\/article\/.*-2026-01-12$/)]);
      expect(e.seedDocument && e.evidence!.length > 0 && e.note && e.detail).toBeTruthy();
    }
  });

  it('a record without URL or identified publisher gets the hash id and says its publisher is unnamed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dprk-seeds-'));
    const file = path.join(dir, 'verdicts.json');
    const bare = structuredClone(raw);
    for (const v of bare.verdicts) delete v.identified;
    writeFileSync(file, JSON.stringify(bare));
    await loadSeedVerdicts(store, { file });
    for (const e of (await readSourceState(store, SEEDS_SOURCE_ID))!.entries) {
      expect(e.verdict).toMatchObject({ publisher: UNNAMED_PUBLISHER, url: '' });
      expect(e.verdict.id).toMatch(/^claim:[0-9a-f]{16}$/); // hash of publisher + normalized claim
      expect(e.provenance).toBeUndefined();
    }
  });

  it('reloads a changed seeds file, keeping when unchanged ratings were first seen', async () => {
    await loadSeedVerdicts(store, { now: () => new Date('2026-02-01T00:00:00Z') });
    const dir = mkdtempSync(path.join(tmpdir(), 'dprk-seeds-'));
    const file = path.join(dir, 'verdicts.json');
    const edited = structuredClone(raw);
    edited.description += ' (edited)';
    writeFileSync(file, JSON.stringify(edited));
    expect((await loadSeedVerdicts(store, { file, now: () => new Date('2026-03-01T00:00:00Z') })).written).toBe(true);
    const state = await readSourceState(store, SEEDS_SOURCE_ID);
    expect(state!.entries.map((e) => e.ratingSeenAt)).toEqual(['2026-02-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
  });

  it('never lets a seed override a newer polled rating of the same claim', async () => {
    // A seeds file whose record names the URL of a review that a page source also polls.
    const REVIEW = 'https://factdesk.example.org/factchecks/2025/mar/04/north-korea-internet-week/';
    const dir = mkdtempSync(path.join(tmpdir(), 'dprk-seeds-'));
    const file = path.join(dir, 'verdicts.json');
    const custom = structuredClone(raw);
    custom.verdicts = [
      {
        ...raw.verdicts[0],
        key: 'test-internet-week',
        claim: 'North Korea switched off its national internet for a whole week in February to hide a missile launch.',
        checkedStatement: undefined,
        identified: undefined,
        rating: 'Unproven',
        normalized: 'unproven',
        publisher: 'Example Fact Desk',
        reviewDate: '2025-03-04',
        sourceUrl: REVIEW,
        timeline: [{ date: '2025-03-04', kind: 'rating', rating: 'Unproven', normalized: 'unproven' }],
        note: 'Test record: an older rating of the same review, bundled as a seed.',
      },
    ];
    writeFileSync(file, JSON.stringify(custom));
    await loadSeedVerdicts(store, { file });

    const server = await new SourceServer().start();
    try {
      server.set('/p', { kind: 'document', body: fixture('factcheck/claimreview-single-v2.html'), contentType: 'text/html' });
      await pollClaimReviewPage(server.url('/p'), deps(store));
    } finally {
      await server.stop();
    }
    const service = new VerdictService(store);
    const merged = (await service.entries()).find((e) => e.verdict.id === REVIEW)!;
    expect(merged.verdict).toMatchObject({ rating: 'False', origin: 'claimreview-page' });
    expect(merged.verdict.timeline.map((t) => [t.rating, t.reviewDate])).toEqual([['Unproven', '2025-03-04']]);
    expect(merged.heldBy.sort()).toEqual([expect.stringMatching(/^factcheck:page:/), SEEDS_SOURCE_ID]);

    // Loading the seeds again (a new build, same record) changes nothing about that.
    custom.description += ' v2';
    writeFileSync(file, JSON.stringify(custom));
    await loadSeedVerdicts(store, { file });
    expect((await service.entries()).find((e) => e.verdict.id === REVIEW)!.verdict.rating).toBe('False');
  });

  it('readSeedFile reports every problem of an invalid file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dprk-seeds-'));
    const file = path.join(dir, 'verdicts.json');
    writeFileSync(file, JSON.stringify({ ...raw, verdicts: [{ ...raw.verdicts[0], rating: 'False' }] }));
    await expect(readSeedFile(file)).rejects.toThrow(/seeds file is invalid: .*normalized/);
  });
});
