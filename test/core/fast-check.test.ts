import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DesignationSchema, type Designation } from '../../src/core/designation.js';
import { compileCheck } from '../../src/core/fast-check.js';
import { parseOfacCsv } from '../../src/sources/ofac/csv.js';
import { parseOfacXml } from '../../src/sources/ofac/xml.js';
import { parseUnXml } from '../../src/sources/un/xml.js';
import { fixtureText } from '../helpers/fixtures.js';

/**
 * fast-check.ts stands in for DesignationSchema.parse on the ingest hot path (finalize.ts).
 * Its contract: true only when zod accepts the value AND returns a copy equal to it (same
 * keys in the same order, same prototype, same values). Here that is compared with zod
 * itself on every real record and on hostile variants of them.
 */
const check = compileCheck(DesignationSchema);

/** Own keys in the same order at every level (isDeepStrictEqual ignores key order). */
function sameKeyOrder(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return true;
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  return isDeepStrictEqual(ka, kb) && ka.every((k) => sameKeyOrder((a as never)[k], (b as never)[k]));
}

/** What the check must answer: zod accepts `v` and gives back an identical copy. */
function zodKeepsAsIs(v: unknown): boolean {
  const r = DesignationSchema.safeParse(v);
  return r.success && isDeepStrictEqual(r.data, v) && sameKeyOrder(r.data, v);
}

const real: Designation[] = [
  ...parseOfacCsv({ sdn: fixtureText('real/ofac_sdn_csv/sdn_2023-12-01.csv.gz') }).records,
  ...parseUnXml(fixtureText('real/un_consolidated_xml/consolidated_2026-02-27.xml.gz')).records,
  ...parseOfacXml(fixtureText('real/ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-18_pub-2025-10-22.XML.gz')).records,
];

/** Real records that between them have every optional field and non-empty list. */
function varied(records: readonly Designation[]): Designation[] {
  const picked = new Map<string, Designation>();
  for (const r of records) {
    for (const [k, v] of Object.entries(r)) {
      const key = `${r.source}:${k}:${Array.isArray(v) ? v.length > 0 : v !== undefined}`;
      if (!picked.has(key)) picked.set(key, r);
    }
  }
  return [...new Set(picked.values())];
}

const clone = <T>(v: T): T => structuredClone(v);
const ODD_VALUES: unknown[] = [undefined, null, '', ' x', 'x ', 'a\tb', 0, Number.NaN, true, [], {}, [''], ['x', 1], new String('x'), Symbol('s')];

/** Hostile variants of `r`: every field removed or replaced by odd values, plus structural tricks. */
function variants(r: Designation): unknown[] {
  const out: unknown[] = [];
  const keys = Object.keys(DesignationSchema.shape) as Array<keyof Designation>;
  for (const k of keys) {
    const without = clone(r) as Record<string, unknown>;
    delete without[k];
    out.push(without);
    for (const v of ODD_VALUES) out.push({ ...clone(r), [k]: v });
  }
  // Keys out of schema order, an extra key, an inherited field, a getter, a class instance.
  const [first, ...rest] = Object.entries(clone(r));
  out.push(Object.fromEntries([...rest, first!]));
  out.push({ ...clone(r), extra: 'x' });
  const { name, ...noName } = clone(r);
  out.push(Object.assign(Object.create({ name }), noName));
  out.push(Object.defineProperty(clone(r), 'name', { get: () => name, enumerable: true }));
  out.push(Object.assign(new (class Record {})(), clone(r)));
  out.push(Object.assign(Object.create(null), clone(r)));
  // Enum values, URLs and list elements zod rejects or rewrites.
  out.push({ ...clone(r), type: 'person' }, { ...clone(r), source: 'other' }, { ...clone(r), dprk: 'true' });
  for (const url of [' https://x.test/a', 'https://x.test/a ', 'https://x.\ttest/', 'https://x.test/\n', 'not a url', 'mailto:a@b.test', 'https://ok.test/?q=1#f']) {
    out.push({ ...clone(r), url });
  }
  const alias = { name: 'X', kind: 'aka' };
  for (const a of [alias, { ...alias, quality: 'weak' }, { ...alias, kind: 'alias' }, { ...alias, name: '' }, { ...alias, extra: 1 }, { kind: 'aka', name: 'X' }, { ...alias, quality: undefined }]) {
    out.push({ ...clone(r), aliases: [...clone(r.aliases), a] });
  }
  const id = { kind: 'passport', label: 'Passport', value: '1' };
  for (const i of [id, { ...id, kind: 'ssn' }, { ...id, value: '' }, { ...id, label: 'L', country: 'KP', note: 'n', asset: 'ETH' }, { ...id, country: 1 }]) {
    out.push({ ...clone(r), identifiers: [...clone(r.identifiers), i] });
  }
  for (const a of [{ text: 'Pyongyang' }, { text: '' }, { text: 'P', country: 'KP' }, { country: 'KP', text: 'P' }, 'Pyongyang']) {
    out.push({ ...clone(r), addresses: [...clone(r.addresses), a] });
  }
  for (const vessel of [{}, { flag: 'KP' }, { flag: 1 }, { flag: 'KP', extra: 1 }, { owner: 'o', flag: 'KP' }]) out.push({ ...clone(r), vessel });
  const sparse = clone(r.programs);
  sparse.length += 1; // a hole
  out.push({ ...clone(r), programs: sparse });
  return out;
}

describe('compileCheck(DesignationSchema)', () => {
  it('accepts every real record (sdn.csv, UN list, OFAC XML), each being what zod returns for it', () => {
    expect(real.length).toBeGreaterThan(14_000);
    const refused = real.filter((r) => !check(r)).map((r) => r.sourceId);
    expect(refused).toEqual([]);
    const rewritten = real.filter((r) => !zodKeepsAsIs(r)).map((r) => r.sourceId);
    expect(rewritten).toEqual([]);
  });

  it('answers exactly as zod on thousands of hostile variants of real records', () => {
    const sample = varied(real);
    expect(sample.length).toBeGreaterThan(10);
    let accepted = 0;
    let refused = 0;
    for (const r of sample) {
      for (const v of variants(r)) {
        const expected = zodKeepsAsIs(v);
        if (check(v) !== expected) {
          throw new Error(`check says ${!expected}, zod says ${expected} for ${r.sourceId}: ${String(JSON.stringify(v)).slice(0, 300)}`);
        }
        if (expected) accepted++;
        else refused++;
      }
    }
    // Both answers occur many times: the comparison is not one-sided.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(1000);
  });

  it('is never sure about schema features it does not understand', () => {
    const d = { a: 'x' };
    expect(compileCheck(z.object({ a: z.string() }))(d)).toBe(true);
    expect(compileCheck(z.object({ a: z.string().max(3) }))(d)).toBe(false);
    expect(compileCheck(z.object({ a: z.string().regex(/x/) }))(d)).toBe(false);
    expect(compileCheck(z.object({ a: z.string().trim() }))(d)).toBe(false);
    expect(compileCheck(z.object({ a: z.coerce.string() }))(d)).toBe(false);
    expect(compileCheck(z.object({ a: z.string() }).passthrough())(d)).toBe(false);
    expect(compileCheck(z.object({ a: z.string().refine(() => false) }))(d)).toBe(false);
    expect(compileCheck(z.object({ a: z.union([z.string(), z.number()]) }))(d)).toBe(false);
  });
});
