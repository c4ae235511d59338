/**
 * Recall of the entity lookup on a query set built from the real lists (test/fixtures/
 * lookup-queries.json): every expected party is a real record of the full OFAC SDN CSV of
 * 2023-12-01 or of the UN consolidated list of 2026-02-27, and the index is built over both
 * lists in full, as the bot builds it.
 *
 * recall@1: the top result is the expected record, or the expected record is among the top
 * result's crossReferences (the same party on the other list).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Designation } from '../../src/core/designation.js';
import { EntityIndex, type LookupResult } from '../../src/search/entity-index.js';
import { parseOfacCsv } from '../../src/sources/ofac/csv.js';
import { parseUnXml } from '../../src/sources/un/xml.js';
import { FIXTURES, fixtureText } from '../helpers/fixtures.js';

interface LookupQuery {
  query: string;
  class: string;
  expect: { source: 'ofac-sdn' | 'un-sc'; sourceId: string } | null;
  why: string;
}

const QUERIES: LookupQuery[] = JSON.parse(readFileSync(path.join(FIXTURES, 'lookup-queries.json'), 'utf8'));
const SDN = 'real/ofac_sdn_csv/sdn_2023-12-01.csv.gz';
const UN = 'real/un_consolidated_xml/consolidated_2026-02-27.xml.gz';

/** The recall@1 rule (bench/lookup.bench.ts applies the same one). */
function hitAt1(top: LookupResult | undefined, want: NonNullable<LookupQuery['expect']>): boolean {
  if (!top) return false;
  if (top.source === want.source && top.sourceId === want.sourceId) return true;
  return top.crossReferences.some((x) => x.source === want.source && x.sourceId === want.sourceId);
}

const describeTop = (top: LookupResult | undefined): string =>
  top ? `${top.source}:${top.sourceId} ${top.name} (${top.matchKind} "${top.matchedOn}", ${top.score})` : '(no result)';

let records: Designation[] = [];
let index: EntityIndex;
const results = new Map<LookupQuery, LookupResult[]>();

beforeAll(() => {
  const sdn = parseOfacCsv({ sdn: fixtureText(SDN) }).records;
  const un = parseUnXml(fixtureText(UN)).records;
  records = [...sdn, ...un];
  index = EntityIndex.build(records);
  for (const q of QUERIES) results.set(q, index.lookup(q.query));
});

describe('lookup query set (fixture)', () => {
  it('is large enough, covers every class, and names only real records', () => {
    expect(QUERIES.length).toBeGreaterThanOrEqual(80);
    const classes = new Set(QUERIES.map((q) => q.class));
    for (const c of [
      'exact',
      'alias',
      'case-punct',
      'hyphen-space',
      'token-order',
      'suffix',
      'typo',
      'romanization',
      'hangul',
      'crypto',
      'swift',
      'imo',
      'passport',
      'website',
      'email',
      'negative',
    ])
      expect(classes, c).toContain(c);
    const ids = new Set(records.map((r) => `${r.source}:${r.sourceId}`));
    for (const q of QUERIES) {
      expect(q.expect === null, `${q.query}: only the negative class expects nothing`).toBe(q.class === 'negative');
      if (q.expect) expect(ids, `${q.query} → ${q.expect.source}:${q.expect.sourceId}`).toContain(`${q.expect.source}:${q.expect.sourceId}`);
    }
  });
});

describe('EntityIndex.lookup over full OFAC SDN + UN', () => {
  it('finds the expected party first (recall@1 ≥ 0.95 overall)', () => {
    const byClass = new Map<string, { n: number; hits: number }>();
    const misses: string[] = [];
    let n = 0;
    let hits = 0;
    for (const q of QUERIES) {
      if (!q.expect) continue;
      const top = results.get(q)![0];
      const hit = hitAt1(top, q.expect);
      const c = byClass.get(q.class) ?? { n: 0, hits: 0 };
      c.n++;
      n++;
      if (hit) {
        c.hits++;
        hits++;
      } else misses.push(`  [${q.class}] ${JSON.stringify(q.query)} want ${q.expect.source}:${q.expect.sourceId} got ${describeTop(top)}`);
      byClass.set(q.class, c);
    }
    const rows = [...byClass].map(([cls, c]) => `  ${cls.padEnd(14)} ${String(c.hits).padStart(3)}/${String(c.n).padEnd(3)} ${(c.hits / c.n).toFixed(3)}`);
    const recall = hits / n;
    console.log(
      [
        'recall@1 by class (full OFAC SDN + UN):',
        ...rows,
        `  ${'overall'.padEnd(14)} ${String(hits).padStart(3)}/${String(n).padEnd(3)} ${recall.toFixed(3)}`,
        ...(misses.length > 0 ? ['misses:', ...misses] : []),
      ].join('\n'),
    );
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('returns nothing for every negative at the default minimum score', () => {
    const leaks = QUERIES.filter((q) => q.class === 'negative')
      .map((q) => ({ q, got: results.get(q)! }))
      .filter(({ got }) => got.length > 0)
      .map(({ q, got }) => `${JSON.stringify(q.query)} → ${got.slice(0, 3).map(describeTop).join('; ')}`);
    expect(leaks).toEqual([]);
  });

  it('does not match "Kim" alone with score ≥ 0.9', () => {
    const strong = index.lookup('Kim', { minScore: 0, limit: 1000 }).filter((r) => r.score >= 0.9);
    expect(strong.map(describeTop)).toEqual([]);
  });

  it('scores every result in 0..1 and ranks best first', () => {
    for (const q of QUERIES) {
      for (const got of [results.get(q)!, index.lookup(q.query, { minScore: 0, limit: 50 })]) {
        for (const r of got) {
          expect(r.score, q.query).toBeGreaterThanOrEqual(0);
          expect(r.score, q.query).toBeLessThanOrEqual(1);
        }
        for (let i = 1; i < got.length; i++) expect(got[i]!.score, `${q.query} #${i}`).toBeLessThanOrEqual(got[i - 1]!.score);
      }
    }
  });

  it('honours limit', () => {
    expect(index.lookup('Korea Trading Corporation', { minScore: 0, limit: 3 }).length).toBeLessThanOrEqual(3);
  });
});

describe('EntityIndex.suggest', () => {
  it('never returns more than 25 suggestions', () => {
    for (const prefix of ['k', 'Kim', 'KOREA', 'a', 'Al']) {
      expect(index.suggest(prefix).length, prefix).toBeLessThanOrEqual(25);
      expect(index.suggest(prefix, 100).length, prefix).toBeLessThanOrEqual(25);
    }
    expect(index.suggest('Korea', 5).length).toBeLessThanOrEqual(5);
  });

  it('returns a real name for a prefix of it, whatever the case', () => {
    const has = (prefix: string, source: string, sourceId: string) =>
      expect(
        index.suggest(prefix).some((s) => s.source === source && s.sourceId === sourceId),
        `${prefix} → ${source}:${sourceId}`,
      ).toBe(true);
    has('Lazarus', 'ofac-sdn', '27307');
    has('lazarus gr', 'ofac-sdn', '27307');
    has('KIMSU', 'ofac-sdn', '45430');
    has('Namchongang Tra', 'ofac-sdn', '11532');
    has('tornado', 'ofac-sdn', '39796');
    has('Reconnaissance Gen', 'un-sc', 'KPe.031');
    has('Bluenor', 'ofac-sdn', '27308');
  });

  it('suggests only names that start with the prefix (ignoring case and punctuation)', () => {
    const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
    for (const s of index.suggest('Lazar')) expect(norm(s.name), s.name).toMatch(/^lazar/);
  });
});
