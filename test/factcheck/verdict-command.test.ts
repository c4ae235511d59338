/**
 * `/dprk verdict <claim>`: every seed claim is found when asked in other words, and DPRK
 * questions that no stored fact-check answers get "No fact-check found" — never the nearest
 * unrelated claim. Run over two stores: the seeds alone (a fresh install without a Google
 * key), and the seeds beside the 20 real Google claims and the ClaimReview test pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import verdictCommand, { ArgsSchema, definition, verdictReply, VerdictDataSchema, type VerdictData } from '../../commands/verdict.js';
import type { Services } from '../../src/commands/context.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { loadSeedVerdicts, SeedFileSchema, SEEDS_FILE } from '../../src/factcheck/seeds.js';
import { VerdictService } from '../../src/factcheck/service.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { SourceServer } from '../helpers/source-server.js';
import { deps, fixture, GoogleFake, googleConfig, lastPage, pollFactChecks, REAL_GOOGLE_1014, REAL_GOOGLE_1030 } from './helpers.js';
import { readFileSync } from 'node:fs';

const seeds = SeedFileSchema.parse(JSON.parse(readFileSync(SEEDS_FILE, 'utf8'))).verdicts;
const claimOf = (key: string) => seeds.find((s) => s.key === key)!.claim;

/** Each seed claim asked in other words: at least two per claim (here four). */
const PARAPHRASES: Record<string, string[]> = {
  'msmt-cyber-it-workers-fund-wmd': [
    'Does the MSMT report say North Korea breaks UN sanctions with hackers and IT workers to pay for weapons?',
    'North Korean cyber operations and IT workers fund its nuclear and missile programs, according to the Multilateral Sanctions Monitoring Team',
    "Sanctions monitors found Pyongyang's hacking and overseas IT workers violate UN resolutions and bankroll weapons of mass destruction",
    'is it true the MSMT says DPRK cyberattacks and IT workers fund WMD',
  ],
  'msmt-it-workers-china-russia-40000': [
    'Are most North Korean IT workers based in China?',
    'North Korea plans to send 40,000 laborers to Russia',
    'Between 1,000 and 1,500 North Korean tech workers live in China',
    'Does the report say up to 40,000 North Korean workers could go to Russia?',
  ],
};

/**
 * DPRK questions no stored fact-check answers. Several share words with a seed claim
 * ("send … to Russia", "IT workers … cryptocurrency", "UN sanctions", "MSMT") — the near
 * misses a similarity search is most likely to get wrong.
 */
const UNANSWERED = [
  'Did North Korea send troops to Russia?',
  'North Korea sent 10,000 soldiers to fight for Russia',
  'North Korean IT workers converted $600,000 in cryptocurrency for the regime',
  'China employs North Korean workers in seafood factories',
  'Does North Korea export coal despite UN sanctions?',
  'Was the UN Panel of Experts on North Korea disbanded in 2024?',
  'The MSMT has eleven member countries',
  'MSMT report on North Korea',
  'Did North Korea steal $1.5 billion from Bybit?',
  'North Korean hackers stole $2.8 billion in cryptocurrency',
  'North Korea stole $2.17 billion in crypto in the first half of 2025',
  'Did the Lazarus Group hack the Ronin bridge?',
  'Lazarus laundered stolen funds through Tornado Cash',
  'Did Treasury sanction Vitaliy Andreyev for laundering crypto for North Korea?',
  'North Korean hackers stole $670 million from financial institutions',
  'North Korea sells weapons to the Houthis',
  'UN report says North Korea advertises weapons on social media',
  'Is Kim Jong Un dead?',
  'Kim Jong Un visited Russia in 2023',
  "South Korea's spy agency says North Korea hacked its defense contractors",
  'North Korean hackers use AI to write phishing emails',
];

async function ask(service: VerdictService, claim: string): Promise<{ text: string; data: VerdictData }> {
  const reply = await verdictReply({ verdicts: service }, { claim });
  return { text: reply.text, data: VerdictDataSchema.parse(reply.data) };
}

interface Corpus {
  name: string;
  store: Store;
  service: VerdictService;
}
const corpora: Corpus[] = [];
let fake: GoogleFake;
let server: SourceServer;

beforeAll(async () => {
  const seedsOnly = await openStore('memory:');
  await loadSeedVerdicts(seedsOnly);
  corpora.push({ name: 'seeds only', store: seedsOnly, service: new VerdictService(seedsOnly) });

  const full = await openStore('memory:');
  await loadSeedVerdicts(full);
  fake = await new GoogleFake((p) => ({ body: p.pageToken === 'CAo' ? lastPage(REAL_GOOGLE_1030) : fixture(REAL_GOOGLE_1014) })).start();
  server = await new SourceServer().start();
  const pages = ['claimreview-single-v2.html', 'claimreview-graph.html', 'claimreview-multiple.html'];
  for (const p of pages) server.set(`/${p}`, { kind: 'document', body: fixture(`factcheck/${p}`), contentType: 'text/html' });
  await pollFactChecks(googleConfig(fake.base, { FACTCHECK_PAGES: pages.map((p) => server.url(`/${p}`)) }), deps(full));
  corpora.push({ name: 'seeds + Google samples + pages', store: full, service: new VerdictService(full) });
  expect((await corpora[1]!.service.all()).length).toBe(2 + 20 + 4);
});
afterAll(async () => {
  await fake?.stop();
  await server?.stop();
  for (const c of corpora) await c.store.close();
});

describe.each([0, 1])('verdict command (corpus %i)', (i) => {
  const corpus = () => corpora[i]!;

  describe.each(Object.entries(PARAPHRASES))('seed claim %s', (key, questions) => {
    it.each(questions)('answers “%s”', async (q) => {
      const { text, data } = await ask(corpus().service, q);
      expect(data.found, `${corpus().name}: ${q}`).toBe(true);
      expect(data.match!.verdict.claim).toBe(claimOf(key));
      expect(data.match!.verdict).toMatchObject({ rating: 'True', normalized: 'true', origin: 'seed' });
      expect(text).toContain(`Closest fact-checked claim: “${claimOf(key)}”`);
      expect(text).toMatch(/Latest verdict: True \(true\) — The Follow Up, reviewed 2026-01-13/);
      expect(text).toMatch(/Timeline: one rating so far \(True, reviewed 2026-01-13\)/);
      expect(text).toMatch(
        /Sources:\n {3}- The Follow Up review: https:\/\/thefollowup\.ai\/claim\/\S+\n {3}- publisher and review URL identified from a public copy of the page \(not in the bundled document\)\n {3}- bundled source document 00[01]_[0-9a-f]{16}\.txt\n/,
      );
      expect(data.match!.sources.filter((s) => s.kind === 'evidence').length).toBeGreaterThan(0);
      expect(data.match!.timeline).toEqual([expect.objectContaining({ rating: 'True', current: true, reviewDate: expect.stringMatching(/^2026-01-13T08:5|^2026-01-13T08:4/) })]);
    });
  });

  it.each(UNANSWERED)('says “no fact-check found” for “%s”', async (q) => {
    const { text, data } = await ask(corpus().service, q);
    expect(data, `${corpus().name}: ${q} matched ${data.match?.verdict.claim} (${data.match?.score})`).toMatchObject({ found: false, match: null });
    expect(text).toMatch(/^No fact-check found for “/);
  });
});

describe('verdict command over polled claims', () => {
  const full = () => corpora[1]!.service;

  it.each([
    ['Did North Korea shut off its internet for a week to hide a missile test?', 'North Korea switched off its national internet', 'False'],
    ['Was Trump reinstated as president?', '“Trump has been reinstated.”', 'Pants on Fire'],
    ['Did Lazarus hackers empty a Seoul exchange cold wallet?', 'Lazarus Group hackers drained', '2 (scale 1–5)'],
    ['Is it true a hospital in Canada had mannequins instead of covid patients?', 'A Canadian hospital has mannequins', 'Missing context'],
  ])('answers “%s” with the matching claim and its history', async (q, claimStart, rating) => {
    const { text, data } = await ask(full(), q);
    expect(data.match?.verdict.claim.startsWith(claimStart)).toBe(true);
    expect(data.match?.verdict.rating).toBe(rating);
    expect(text).toContain(`Latest verdict: ${rating}`);
  });

  it('shows a changed rating with its history and the review URL', async () => {
    const store = await openStore('memory:');
    const srv = await new SourceServer().start();
    try {
      srv.set('/p', { kind: 'document', body: fixture('factcheck/claimreview-single.html'), contentType: 'text/html' });
      const config = googleConfig('http://127.0.0.1:9', { GOOGLE_FACTCHECK_API_KEY: undefined, FACTCHECK_PAGES: [srv.url('/p')] });
      await pollFactChecks(config, deps(store, '2025-03-05T00:00:00Z'));
      srv.set('/p', { kind: 'document', body: fixture('factcheck/claimreview-single-v2.html'), contentType: 'text/html' });
      await pollFactChecks(config, deps(store, '2025-03-12T00:00:00Z'));
      const { text, data } = await ask(new VerdictService(store), 'North Korea turned off the internet for a week');
      expect(data.match!.timeline.map((t) => [t.rating, t.current])).toEqual([
        ['Unproven', false],
        ['False', true],
      ]);
      expect(text).toContain('Timeline (oldest first): Unproven (reviewed 2025-03-04) → False (reviewed 2025-03-11)');
      expect(text).toContain('Latest verdict: False (false) — Example Fact Desk, reviewed 2025-03-11');
      expect(text).toContain('claimant: Viral social media post (claim dated 2025-02-27)');
      expect(text).toContain('- Example Fact Desk review: https://factdesk.example.org/factchecks/2025/mar/04/north-korea-internet-week/');
      expect(text).toContain('- where the claim appeared: https://video.example.org/watch/abc123');
    } finally {
      await srv.stop();
      await store.close();
    }
  });

  it('says a rating is not on the scale rather than inventing one', async () => {
    const { data } = await ask(full(), 'Lazarus hackers drained a Seoul exchange cold wallet');
    expect(data.match!.ratingOnScale).toBe(true); // numeric rating 2 on 1–5
    expect(data.match!.verdict.normalized).toBe('mostly-false');
  });
});

describe('verdict command edges', () => {
  it('an empty store says nothing is stored yet', async () => {
    const store = await openStore('memory:');
    const reply = await verdictReply({ verdicts: new VerdictService(store) }, { claim: 'North Korea sends IT workers abroad' });
    expect(reply.text).toMatch(/No fact-checks are stored yet/);
    expect(VerdictDataSchema.parse(reply.data)).toEqual({ query: 'North Korea sends IT workers abroad', found: false, searched: 0, match: null });
    await store.close();
  });

  it('rejects a claim that is too short, privately', async () => {
    const reply = await verdictReply({ verdicts: corpora[0]!.service }, { claim: ' a ' });
    expect(reply).toMatchObject({ ephemeral: true, text: expect.stringMatching(/type at least 3 characters/) });
  });

  it('declares its command: name, one required claim option, and the argument schema', () => {
    expect(definition).toMatchObject({ name: 'verdict', options: [{ name: 'claim', type: 'string', required: true }] });
    expect(ArgsSchema.parse({ claim: '  Kim Jong Un is dead ' })).toEqual({ claim: 'Kim Jong Un is dead' });
    expect(verdictCommand.definition).toBe(definition);
  });

  it('through the command registry’s runCommand, answers from the bundled seeds with no other wiring, with a card', async () => {
    const store = await openStore('memory:');
    try {
      const ctx = { services: { store, verdicts: new VerdictService(store, { loadSeeds: true }) } as unknown as Services, invoker: { platform: 'cli' as const, canManageChannel: true } };
      const reply = await runCommand(verdictCommand, ctx, { claim: 'Are most North Korean IT workers based in China?' });
      expect(VerdictDataSchema.parse(reply.data).match?.verdict.claim).toBe(claimOf('msmt-it-workers-china-russia-40000'));
      expect(reply.cards).toHaveLength(1);
      expect(reply.cards![0]).toMatchObject({
        severity: 'ok',
        url: expect.stringMatching(/^https:\/\/thefollowup\.ai\/claim\//),
        description: 'Latest verdict: True (true)',
        fields: expect.arrayContaining([{ name: 'Publisher', value: 'The Follow Up', inline: true }]),
      });
      const none = await runCommand(verdictCommand, ctx, { claim: 'Did North Korea send troops to Russia?' });
      expect(none.cards).toBeUndefined();
      expect(none.text).toMatch(/^No fact-check found/);
      const bad = await runCommand(verdictCommand, ctx, {});
      expect(bad).toMatchObject({ ephemeral: true, text: expect.stringMatching(/^Cannot run dprk-watch verdict — claim: .*Try dprk-watch help verdict\.$/) });
    } finally {
      await store.close();
    }
  });
});
