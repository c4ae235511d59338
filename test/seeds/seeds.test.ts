import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DesignationSchema } from '../../src/core/designation.js';
import { finalizeDesignation } from '../../src/core/finalize.js';
import { EntityIndex } from '../../src/search/entity-index.js';
import { parseUnXml } from '../../src/sources/un/xml.js';
import {
  DEFAULT_SEEDS_DIR,
  loadSeeds,
  SeedError,
  seedDesignations,
  seedOrganisations,
  seedParties,
  seedReports,
} from '../../src/seeds/load.js';
import { OrganisationsFileSchema, PartiesFileSchema, ReportsFileSchema, type Figure } from '../../src/seeds/schema.js';
import { fixtureText } from '../helpers/fixtures.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SEEDS = path.join(REPO, 'seeds');
/** The five source documents; the content checks against their text run only where they exist. */
const SHARED = '/work/shared/seeds';
const haveDocs = existsSync(SHARED);
const docText = (file: string) => readFileSync(path.join(SHARED, file), 'utf8');

const DOC = {
  msmtClaim: '000_827a7e70bdc4893c.txt',
  itWorkers: '001_2e8ce283c45f1705.txt',
  unPanel2019: '002_45246add4839ce75.txt',
  cryptoGuide: '003_301b192ecc27bfed.txt',
  treasury: '004_d586e6893700b362.txt',
};

const readSeed = (name: string): unknown => JSON.parse(readFileSync(path.join(SEEDS, name), 'utf8'));

function figure(reportId: string, figureId: string): Figure {
  const report = seedReports().find((r) => r.id === reportId);
  expect(report, `report ${reportId}`).toBeDefined();
  const f = report!.figures.find((x) => x.id === figureId);
  expect(f, `figure ${reportId}/${figureId}`).toBeDefined();
  return f!;
}

describe('seed files validate', () => {
  it('each file matches its schema on its own', () => {
    expect(ReportsFileSchema.safeParse(readSeed('reports.json')).error).toBeUndefined();
    expect(PartiesFileSchema.safeParse(readSeed('parties.json')).error).toBeUndefined();
    expect(OrganisationsFileSchema.safeParse(readSeed('organisations.json')).error).toBeUndefined();
  });

  it('loads through loadSeeds with every cross-reference resolved', () => {
    const s = loadSeeds();
    expect(s.reports.length).toBeGreaterThanOrEqual(5);
    expect(s.parties.length).toBeGreaterThanOrEqual(2);
    expect(s.organisations.length).toBeGreaterThanOrEqual(10);
    expect(s.documents.map((d) => d.file).sort()).toEqual(Object.values(DOC).sort());
  });

  it('ids are unique across reports, parties and organisations; figure ids unique per report', () => {
    const ids = [...seedReports().map((r) => r.id), ...seedParties().map((p) => p.id), ...seedOrganisations().map((o) => o.id)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of seedReports()) expect(new Set(r.figures.map((f) => f.id)).size).toBe(r.figures.length);
    const sourceIds = seedDesignations().map((d) => d.sourceId);
    expect(new Set(sourceIds).size).toBe(sourceIds.length);
  });

  it('every mentions / related / agencyOrg id resolves, and every document reference is a known source document', () => {
    const known = new Set([...seedParties().map((p) => p.id), ...seedOrganisations().map((o) => o.id)]);
    const orgs = new Set(seedOrganisations().map((o) => o.id));
    const docs = new Set(loadSeeds().documents.map((d) => d.file));
    for (const r of seedReports()) {
      for (const m of r.mentions) expect(known, `${r.id} mentions ${m}`).toContain(m);
      for (const d of r.documents) expect(docs).toContain(d);
      for (const f of r.figures) for (const d of f.documents) expect(r.documents).toContain(d);
    }
    for (const o of seedOrganisations()) {
      for (const x of o.related) expect(known, `${o.id} related ${x}`).toContain(x);
      for (const d of o.documents) expect(docs).toContain(d);
    }
    for (const p of seedParties()) {
      expect(orgs).toContain(p.announcement.agencyOrg);
      for (const d of p.documents) expect(docs).toContain(d);
    }
  });

  it('every party builds a valid Designation with source "seeds", derived through finalizeDesignation', () => {
    for (const p of seedParties()) {
      const d = p.record;
      expect(DesignationSchema.parse(d)).toEqual(d);
      expect(d.source).toBe('seeds');
      expect(d.sourceId).toBe(`seed:${p.id}`);
      // Derived fields come from finalizeDesignation, and finalizing again changes nothing.
      const { dprk: _dprk, dprkReasons: _reasons, ...draft } = d;
      expect(finalizeDesignation(draft)).toEqual(d);
      // Search names are indexed as weak a.k.a.s on top of the published aliases.
      for (const n of p.searchNames) expect(d.aliases).toContainEqual({ name: n.name, kind: 'aka', quality: 'weak' });
    }
    expect(seedDesignations()).toEqual(seedParties().map((p) => p.record));
  });

  it('every figure carries a source and a date (asOf or period)', () => {
    const figures = seedReports().flatMap((r) => r.figures);
    expect(figures.length).toBeGreaterThanOrEqual(20);
    for (const f of figures) {
      expect(f.source.length).toBeGreaterThan(0);
      expect(f.asOf ?? f.period).toBeDefined();
    }
  });

  it('resolves the seeds directory from the module, not the working directory', () => {
    expect(path.resolve(DEFAULT_SEEDS_DIR)).toBe(path.resolve(SEEDS));
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'seeds-cwd-'));
    try {
      const tsx = import.meta.resolve('tsx');
      const loader = new URL('../../src/seeds/load.ts', import.meta.url).href;
      const out = execFileSync(
        process.execPath,
        ['--import', tsx, '--input-type=module', '-e', `const m = await import(${JSON.stringify(loader)}); console.log(m.seedDesignations().length);`],
        { cwd: tmp, encoding: 'utf8' },
      );
      expect(Number(out.trim())).toBe(seedDesignations().length);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('loadSeeds fails naming the file and the path', () => {
  const tmps: string[] = [];
  afterEach(() => {
    for (const t of tmps.splice(0)) rmSync(t, { recursive: true, force: true });
  });

  /** A copy of seeds/ with one file's JSON edited. */
  function withEdit(file: string, edit: (json: any) => void): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'seeds-'));
    tmps.push(dir);
    for (const f of readdirSync(SEEDS)) if (f.endsWith('.json')) cpSync(path.join(SEEDS, f), path.join(dir, f));
    const json = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    edit(json);
    writeFileSync(path.join(dir, file), JSON.stringify(json));
    return dir;
  }

  function problemsOf(dir: string): string {
    try {
      loadSeeds(dir);
    } catch (e) {
      expect(e).toBeInstanceOf(SeedError);
      return (e as Error).message;
    }
    throw new Error('loadSeeds accepted invalid data');
  }

  it('an invalid report date', () => {
    const msg = problemsOf(withEdit('reports.json', (j) => (j.reports[0].date = '22 Oct 2025')));
    expect(msg).toMatch(/reports\.json: reports\[0\]\.date: must be an ISO date/);
  });

  it('a date that is no calendar day', () => {
    const msg = problemsOf(withEdit('reports.json', (j) => (j.reports[1].figures[0].asOf = '2025-02-30')));
    expect(msg).toMatch(/reports\.json: reports\[1\]\.figures\[0\]\.asOf: is not a real calendar date/);
  });

  it('a summary over 300 characters', () => {
    const msg = problemsOf(withEdit('reports.json', (j) => (j.reports[2].summary = 'word '.repeat(70).trim())));
    expect(msg).toMatch(/reports\.json: reports\[2\]\.summary: must be at most 300 characters/);
  });

  it('a mention that resolves to nothing', () => {
    const msg = problemsOf(withEdit('reports.json', (j) => j.reports[0].mentions.push('no-such-org')));
    expect(msg).toMatch(/reports\.json: reports\[0\]\.mentions\[\d+\]: unknown party or organisation id "no-such-org"/);
  });

  it('a related id that resolves to nothing', () => {
    const msg = problemsOf(withEdit('organisations.json', (j) => (j.organisations[3].related = ['nobody'])));
    expect(msg).toMatch(/organisations\.json: organisations\[3\]\.related\[0\]: unknown party or organisation id "nobody"/);
  });

  it('a duplicate id across files', () => {
    const msg = problemsOf(withEdit('organisations.json', (j) => (j.organisations[0].id = 'vitaliy-andreyev')));
    expect(msg).toMatch(/organisations\.json: organisations\[0\]\.id: duplicate id "vitaliy-andreyev"/);
  });

  it('an unknown source document', () => {
    const msg = problemsOf(withEdit('parties.json', (j) => (j.parties[0].documents = ['009_0000000000000000.txt'])));
    expect(msg).toMatch(/parties\.json: parties\[0\]\.documents\[0\]: unknown source document/);
  });

  it('a party that would not be a valid Designation', () => {
    const bad = withEdit('parties.json', (j) => (j.parties[1].designation.url = 'not a url'));
    expect(problemsOf(bad)).toMatch(/parties\.json: parties\[1\]\.designation\.url: /);
    const wrongSource = withEdit('parties.json', (j) => (j.parties[0].designation.source = 'ofac-sdn'));
    expect(problemsOf(wrongSource)).toMatch(/parties\.json: parties\[0\]\.designation\.source: /);
    const wrongId = withEdit('parties.json', (j) => (j.parties[0].designation.sourceId = 'seed:someone-else'));
    expect(problemsOf(wrongId)).toMatch(/parties\.json: parties\[0\]\.designation\.sourceId: designation\.sourceId must be "seed:" \+ id/);
  });

  it('an unknown field (typos do not pass silently)', () => {
    const msg = problemsOf(withEdit('reports.json', (j) => (j.reports[0].figures[0].vlaue = 1)));
    expect(msg).toMatch(/reports\.json: reports\[0\]\.figures\[0\]: /);
  });

  it('a file that is not JSON, or missing', () => {
    const dir = withEdit('organisations.json', () => {});
    writeFileSync(path.join(dir, 'organisations.json'), '{ "organisations": [');
    rmSync(path.join(dir, 'parties.json'));
    const msg = problemsOf(dir);
    expect(msg).toMatch(/organisations\.json: \(root\): not valid JSON/);
    expect(msg).toMatch(/parties\.json: \(root\): file is missing/);
  });
});

describe('content matches the source documents', () => {
  it('Vitaliy Andreyev: Russian national sanctioned by the U.S. Department of the Treasury', () => {
    const p = seedParties().find((x) => x.id === 'vitaliy-andreyev')!;
    expect(p.record.name).toBe('Vitaliy Sergeyevich Andreyev');
    expect(p.record.type).toBe('individual');
    expect(p.record.nationalities).toEqual(['Russia']);
    expect(p.documents).toEqual([DOC.treasury]);
    expect(p.announcement.agency).toBe('U.S. Department of the Treasury');
    expect(p.announcement.agencyOrg).toBe('us-treasury');
    // The document names the agency but gives no date: the date is marked as external, with its source.
    expect(p.announcement.date).toBe('2025-08-27');
    expect(p.announcement.dateBasis).toBe('external');
    expect(p.announcement.dateNote).toMatch(/does not date/);
    expect(p.record.remarks).toMatch(/U\.S\. Department of the Treasury/);
    expect(p.record.remarks).toMatch(/27 Aug 2025/);
    expect(p.record.identifiers).toEqual([]); // the document gives no wallet address
  });

  it('Shenyang Geumpungri Network Technology: Chinese firm in the same Treasury action', () => {
    const p = seedParties().find((x) => x.id === 'shenyang-geumpungri-network-technology')!;
    const a = seedParties().find((x) => x.id === 'vitaliy-andreyev')!;
    expect(p.record.name).toBe('Shenyang Geumpungri Network Technology Co., Ltd');
    expect(p.record.type).toBe('entity');
    expect(p.record.addresses).toEqual([{ text: 'China', country: 'China' }]);
    expect(p.announcement.agency).toBe('U.S. Department of the Treasury');
    expect(p.announcement.date).toBe(a.announcement.date);
    expect(p.announcement.dateBasis).toBe('external');
  });

  it.runIf(haveDocs)('the party names and the agency appear in the document they came from', () => {
    const text = docText(DOC.treasury);
    expect(text).toContain('U.S. Department of the Treasury');
    expect(text).toContain('Vitaliy Sergeyevich Andreyev');
    expect(text).toContain('Shenyang Geumpungri Network Technology Co., Ltd');
    expect(text).toContain('Russian national');
    expect(text).toContain('Chinese firm');
    // …and no date for the action, which is why the announcement date is marked external.
    expect(text).not.toMatch(/\b20\d\d\b/);
  });

  it('MSMT report figures: $2.8 billion stolen Jan 2024–Sep 2025, 8+ countries, 1,000–1,500 in China, up to 40,000 to Russia', () => {
    const stolen = figure('msmt-2025-cyber-it-worker-report', 'crypto-stolen-2024-2025');
    expect(stolen).toMatchObject({ value: 2.8e9, unit: 'USD', qualifier: 'at-least', period: { from: '2024-01', to: '2025-09' } });
    expect(stolen.source).toMatch(/MSMT report/);
    expect(figure('msmt-2025-cyber-it-worker-report', 'it-worker-countries')).toMatchObject({ value: 8, unit: 'countries', qualifier: 'at-least' });
    expect(figure('msmt-2025-cyber-it-worker-report', 'it-workers-in-china')).toMatchObject({
      value: { min: 1000, max: 1500 },
      unit: 'people',
      documents: [DOC.itWorkers],
    });
    expect(figure('msmt-2025-cyber-it-worker-report', 'laborers-to-russia')).toMatchObject({ value: 40000, qualifier: 'up-to' });
    expect(figure('msmt-2025-cyber-it-worker-report', 'report-pages')).toMatchObject({ value: 140, unit: 'pages' });
    expect(figure('msmt-2025-cyber-it-worker-report', 'contributing-states')).toMatchObject({ value: 11, unit: 'member-states' });
    expect(figure('msmt-2025-cyber-it-worker-report', 'contributing-companies')).toMatchObject({ value: 9, unit: 'companies' });
    const report = seedReports().find((r) => r.id === 'msmt-2025-cyber-it-worker-report')!;
    expect(report).toMatchObject({ publisher: 'Multilateral Sanctions Monitoring Team (MSMT)', date: '2025-10-22' });
  });

  it('the 12 Jan 2026 statement: a further $400 million in the three months after the report', () => {
    const f = figure('us-msmt-statement-2026-01-12', 'crypto-stolen-after-report');
    expect(f).toMatchObject({ value: 4e8, unit: 'USD', asOf: '2026-01-12', period: { from: '2025-10', to: '2026-01' } });
    expect(seedReports().find((r) => r.id === 'us-msmt-statement-2026-01-12')).toMatchObject({
      publisher: 'U.S. Department of State',
      date: '2026-01-12',
      dateBasis: 'document',
    });
  });

  it('the 2019 UN Panel of Experts report: about $670 million over three years; Interpark 10 million users, $2.7 million ransom', () => {
    const r = 'breitbart-2019-03-11-un-report-sanctions-evasion';
    const f = figure(r, 'cyber-theft-three-years');
    expect(f).toMatchObject({ value: 6.7e8, unit: 'USD', qualifier: 'about' });
    expect(f.source).toMatch(/UN Panel of Experts/);
    expect(figure(r, 'interpark-users')).toMatchObject({ value: 1e7, unit: 'users' });
    expect(figure(r, 'interpark-ransom')).toMatchObject({ value: 2.7e6, unit: 'USD' });
  });

  it('the crypto-crime guide: $2.17 billion in H1 2025, $1.5 billion ByBit, MSMT of 11 countries from Oct 2024', () => {
    const r = 'outofbox-2025-09-06-fighting-dprk-crypto-crime';
    expect(figure(r, 'dprk-thefts-h1-2025')).toMatchObject({ value: 2.17e9, period: { from: '2025-01', to: '2025-06' } });
    expect(figure(r, 'bybit-hack')).toMatchObject({ value: 1.5e9, unit: 'USD' });
    expect(figure(r, 'msmt-founding-states')).toMatchObject({ value: 11, unit: 'countries', asOf: '2024-10' });
    expect(figure(r, 'state-sponsored-share')).toMatchObject({ value: { min: 35, max: 38 }, unit: 'percent' });
  });

  it('the Treasury action: Andreyev converted over $600,000 in crypto', () => {
    const f = figure('glance-2025-08-treasury-dprk-it-worker-sanctions', 'andreyev-crypto-converted');
    expect(f).toMatchObject({ value: 600000, unit: 'USD', qualifier: 'more-than' });
    expect(f.source).toMatch(/Treasury/);
  });

  it.runIf(haveDocs)('each asserted figure is written in the document it is credited to', () => {
    const checks: Array<[string, string, string]> = [
      ['msmt-2025-cyber-it-worker-report', 'crypto-stolen-2024-2025', '$2.8 billion from Jan. 2024–Sept. 2025'],
      ['msmt-2025-cyber-it-worker-report', 'it-worker-countries', 'at least eight countries'],
      ['msmt-2025-cyber-it-worker-report', 'it-workers-in-china', '(1,000–1,500)'],
      ['msmt-2025-cyber-it-worker-report', 'laborers-to-russia', 'up to 40,000 laborers'],
      ['msmt-2025-cyber-it-worker-report', 'report-pages', '140-page'],
      ['us-msmt-statement-2026-01-12', 'crypto-stolen-after-report', '$400 million in the three months'],
      ['breitbart-2019-03-11-un-report-sanctions-evasion', 'cyber-theft-three-years', 'about $670 million over the past three years'],
      ['breitbart-2019-03-11-un-report-sanctions-evasion', 'interpark-ransom', '$2.7 million'],
      ['outofbox-2025-09-06-fighting-dprk-crypto-crime', 'dprk-thefts-h1-2025', '$2.17 billion recorded in the first half of 2025'],
      ['glance-2025-08-treasury-dprk-it-worker-sanctions', 'andreyev-crypto-converted', 'over $600,000'],
    ];
    for (const [report, id, phrase] of checks) {
      const f = figure(report, id);
      expect(f.documents.some((d) => docText(d).includes(phrase)), `${report}/${id}: "${phrase}"`).toBe(true);
    }
  });

  it('organisations the documents name are present with their aliases', () => {
    const org = (id: string) => seedOrganisations().find((o) => o.id === id)!;
    expect(org('lazarus-group')).toMatchObject({ kind: 'threat-group', aliases: ['Lazarus'], related: ['rgb'] });
    expect(org('msmt')).toMatchObject({ kind: 'multilateral', aliases: ['MSMT'] });
    expect(org('msmt').members).toHaveLength(11);
    expect(org('un-panel-of-experts').kind).toBe('multilateral');
    expect(org('us-treasury')).toMatchObject({ kind: 'government-body', related: ['ofac'] });
    expect(org('ofac').aliases).toContain('OFAC');
    expect(org('rgb').kind).toBe('government-body');
  });

  it.runIf(haveDocs)('own words: no run of 8 words is copied from a source document', () => {
    const words = (s: string) => s.toLowerCase().replace(/[‘’]/g, "'").match(/[a-z0-9$.,%'-]+/g) ?? [];
    const shingles = new Set<string>();
    for (const f of readdirSync(SHARED)) {
      const w = words(readFileSync(path.join(SHARED, f), 'utf8'));
      for (let i = 0; i + 8 <= w.length; i++) shingles.add(w.slice(i, i + 8).join(' '));
    }
    const texts: Array<[string, string]> = [];
    for (const r of seedReports()) {
      texts.push([`${r.id}.summary`, r.summary]);
      if (r.notes) texts.push([`${r.id}.notes`, r.notes]);
      for (const f of r.figures) texts.push([`${r.id}/${f.id}`, f.statement]);
    }
    for (const o of seedOrganisations()) texts.push([`${o.id}.description`, o.description]);
    for (const p of seedParties()) {
      texts.push([`${p.id}.remarks`, p.record.remarks ?? '']);
      texts.push([`${p.id}.action`, p.announcement.action]);
    }
    for (const [where, text] of texts) {
      const w = words(text);
      for (let i = 0; i + 8 <= w.length; i++) {
        const s = w.slice(i, i + 8).join(' ');
        expect(shingles.has(s), `${where} copies "${s}"`).toBe(false);
      }
    }
  });
});

describe('parties are findable through the lookup index', () => {
  const index = EntityIndex.build(seedDesignations());

  it.each(['Vitaliy Andreyev', 'Vitaliy Sergeyevich Andreyev', 'Vitaly Andreyev', 'Vitaly Sergeyevich Andreyev', 'ANDREYEV, Vitaliy Sergeyevich', 'Vitaliy Andreev'])(
    'lookup(%j) → the seed party',
    (query) => {
      const [best] = index.lookup(query);
      expect(best).toMatchObject({ source: 'seeds', sourceId: 'seed:vitaliy-andreyev', name: 'Vitaliy Sergeyevich Andreyev' });
    },
  );

  it.each(['Shenyang Geumpungri Network Technology Co., Ltd', 'Shenyang Geumpungri Network Technology Company Limited', 'SHENYANG GEUMPUNGRI NETWORK TECHNOLOGY CO LTD'])(
    'lookup(%j) → the seed party',
    (query) => {
      const [best] = index.lookup(query);
      expect(best).toMatchObject({ source: 'seeds', sourceId: 'seed:shenyang-geumpungri-network-technology' });
    },
  );

  it('still first among the real UN DPRK records', () => {
    const un = parseUnXml(fixtureText('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml')).records;
    const big = EntityIndex.build([...un, ...seedDesignations()]);
    expect(big.lookup('Vitaliy Andreyev')[0]?.sourceId).toBe('seed:vitaliy-andreyev');
    expect(big.lookup('Shenyang Geumpungri Network Technology')[0]?.sourceId).toBe('seed:shenyang-geumpungri-network-technology');
    expect(big.lookup('Kim Jong Un').some((r) => r.source === 'seeds')).toBe(false);
  });
});
