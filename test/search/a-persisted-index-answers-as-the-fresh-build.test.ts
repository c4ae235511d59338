/**
 * Issue 13: a CLI lookup reads the index a previous process persisted (index-cache.ts) instead
 * of building it. On the seven lists' real fixtures, the index read back from its file answers
 * every query of the three query sets exactly as the index it was written from: the same
 * results in the same order, with the same scores, matched names, cross-references and full
 * records; so do record lookups by id, prefix suggestions and the list of every record.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntityIndex } from '../../src/search/entity-index.js';
import { IndexCache } from '../../src/search/index-cache.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { loadSevenLists } from '../helpers/seven-lists.js';

const queries = ['lookup-queries.json', 'lookup-queries-scripts.json', 'lookup-queries-holdout.json'].flatMap((f) =>
  (JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as Array<{ query: string }>).map((q) => q.query),
);

let dir: string;
let fresh: EntityIndex;
let persisted: EntityIndex;
const EDITIONS = [{ source: 'ofac-sdn', listDate: null, listDateBasis: null, recordCount: 1 }];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'index-cache-'));
  fresh = EntityIndex.build(loadSevenLists());
  await new IndexCache(dir).write('seven lists', fresh, EDITIONS);
  const read = new IndexCache(dir, (m) => expect.unreachable(m)).read('seven lists');
  expect(read).toBeDefined();
  expect(read!.meta).toEqual(EDITIONS);
  persisted = read!.index;
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an index read back from its file', () => {
  it(`answers all ${queries.length} queries of the three query sets as the index it was written from (results, order, scores, records)`, () => {
    expect(queries.length).toBeGreaterThan(250);
    expect(persisted.size).toBe(fresh.size);
    let answered = 0;
    for (const q of queries) {
      const want = fresh.lookup(q, { limit: 10 });
      expect(persisted.lookup(q, { limit: 10 }), q).toEqual(want);
      if (want.length > 0) answered++;
    }
    // Most queries find something: the comparison is not one of empty answers.
    expect(answered).toBeGreaterThan(queries.length * 0.8);
  });

  it('finds records by id, suggests names by prefix and lists every record as the fresh index does', () => {
    expect(fresh.find('ofac-sdn', '20157')?.name).toBe('KIM, Jong Un');
    for (const [source, id] of [['ofac-sdn', '20157'], ['un-sc', 'KPi.033'], ['jp-mof', '1']] as const) expect(persisted.find(source, id)).toEqual(fresh.find(source, id));
    for (const prefix of ['kim', 'korea', 'ri ', 'lazarus']) expect(persisted.suggest(prefix)).toEqual(fresh.suggest(prefix));
    expect(persisted.all).toEqual(fresh.all);
  });

  it('is written whole under one name, with no temporary file left', () => {
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^index-[0-9a-f]{32}\.v8$/)]);
  });
});
