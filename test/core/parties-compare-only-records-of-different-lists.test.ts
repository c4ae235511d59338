/**
 * linkParties compares the records that share a name key only across lists: on the seven real
 * lists it links exactly what comparing every pair of a name group links (the reference below,
 * the code it replaced), and a name shared by thousands of one list's records (the full-size
 * Swiss document repeats its targets) costs their count, not its square.
 */
import { describe, expect, it } from 'vitest';
import type { Designation } from '../../src/core/designation.js';
import { linkParties, nameKeys, unReferenceOf } from '../../src/core/parties.js';
import { loadSevenLists } from '../helpers/seven-lists.js';

/** Every pair of every name group, as linkParties did before: the reference it must agree with. */
function pairwiseReference(records: readonly Designation[]): number[][] {
  const parent = records.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const refOf = records.map((r) => unReferenceOf(r));
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb || (refOf[ra] && refOf[rb] && refOf[ra] !== refOf[rb])) return;
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra];
    parent[child] = root;
    refOf[root] ??= refOf[child];
  };
  const years = (r: Designation) => new Set(r.dobs.flatMap((d) => d.match(/\b(1[89]\d\d|20\d\d)\b/g) ?? []));
  const agree = (a: Designation, b: Designation) => {
    if (a.type !== 'individual') return true;
    const [x, y] = [years(a), years(b)];
    return x.size === 0 || y.size === 0 || [...x].some((v) => y.has(v));
  };
  const byRef = new Map<string, number[]>();
  const byName = new Map<string, number[]>();
  records.forEach((r, i) => {
    const ref = unReferenceOf(r);
    if (ref) byRef.set(ref, [...(byRef.get(ref) ?? []), i]);
    for (const k of nameKeys(r)) byName.set(`${r.type}|${k}`, [...(byName.get(`${r.type}|${k}`) ?? []), i]);
  });
  for (const g of byRef.values()) for (const i of g.slice(1)) if (records[i]!.source !== records[g[0]!]!.source) union(g[0]!, i);
  for (const g of byName.values())
    for (let x = 0; x < g.length; x++)
      for (let y = x + 1; y < g.length; y++) if (records[g[x]!]!.source !== records[g[y]!]!.source && agree(records[g[x]!]!, records[g[y]!]!)) union(g[x]!, g[y]!);
  const parties = new Map<number, number[]>();
  records.forEach((_, i) => parties.set(find(i), [...(parties.get(find(i)) ?? []), i]));
  return [...parties.values()];
}

const canonical = (parties: number[][]) => parties.map((p) => [...p].sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);

describe('linkParties', () => {
  it('links on the seven real lists exactly what comparing every pair links', () => {
    const records = loadSevenLists();
    const linked = canonical(linkParties(records));
    expect(linked.filter((p) => p.length > 1).length).toBeGreaterThan(100);
    expect(linked).toEqual(canonical(pairwiseReference(records)));
  }, 120_000);

  it('links thousands of one list\'s records that share a name to the other list\'s record, through it', () => {
    const [un] = loadSevenLists().filter((r) => r.source === 'un-sc' && r.type === 'entity');
    const copies = Array.from({ length: 5000 }, (_, i) => ({ ...un!, source: 'ch-seco' as const, sourceId: `copy-${i}`, unReference: undefined }));
    const parties = linkParties([un!, ...copies]);
    expect(parties).toHaveLength(1);
    expect(parties[0]).toHaveLength(5001);
  });
});
