import type { Designation, ListId } from './designation.js';
import { LISTS } from './lists.js';

/** All that linking reads of a record. */
export type LinkFields = Pick<Designation, 'source' | 'sourceId' | 'unReference' | 'type' | 'name' | 'aliases' | 'dobs'>;

/** A record cut down to what linking reads: a poll links its additions against every other stored list. */
export function linkFieldsOf(r: Designation): LinkFields {
  const { source, sourceId, unReference, type, name, aliases, dobs } = r;
  return unReference === undefined ? { source, sourceId, type, name, aliases, dobs } : { source, sourceId, unReference, type, name, aliases, dobs };
}

/**
 * Who lists whom: the records of different lists that are one party. Two records are linked
 * when they carry the same UN reference (the UN list's own id; EU `unitedNationId`, UK
 * `UNReferenceNumber`), or when they are of the same type, share a strong name or alias
 * (literal, word order ignored, longer than four letters) and — for people — their birth years
 * do not contradict. Links are transitive (a party is every record reachable by links), but
 * never join two different UN references.
 *
 * Records of one list never link to each other (a list is the authority on its own parties).
 */
export function linkParties(records: readonly LinkFields[]): number[][] {
  const parent = records.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  // A party answers to at most one UN reference: two UN-listed parties are never joined by a
  // name (the UN itself lists KPe.021 with KPe.018's name as a cross-referenced alias).
  const refOf = records.map((r) => unReferenceOf(r));
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb) return;
    const [xa, xb] = [refOf[ra], refOf[rb]];
    if (xa && xb && xa !== xb) return;
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra];
    parent[child] = root;
    refOf[root] ??= refOf[child];
  };

  const byUnRef = new Map<string, number[]>();
  const byName = new Map<string, number[]>();
  records.forEach((r, i) => {
    const ref = unReferenceOf(r);
    if (ref) push(byUnRef, ref, i);
    for (const key of nameKeys(r)) push(byName, `${r.type}|${key}`, i);
  });
  for (const group of byUnRef.values()) for (const i of group.slice(1)) if (records[i]!.source !== records[group[0]!]!.source) union(group[0]!, i);
  for (const group of byName.values()) {
    if (group.length < 2) continue;
    // Only records of different lists are compared: comparing every pair of the group cost its
    // size squared, which a name many records of one list share made seconds.
    const bySource = new Map<string, number[]>();
    for (const i of group) push(bySource, records[i]!.source, i);
    const lists = [...bySource.values()];
    for (let x = 0; x < lists.length; x++)
      for (let y = x + 1; y < lists.length; y++)
        for (const i of lists[x]!) for (const j of lists[y]!) if (birthYearsAgree(records[i]!, records[j]!)) union(i, j);
  }

  const parties = new Map<number, number[]>();
  records.forEach((_, i) => push(parties, find(i), i));
  return [...parties.values()];
}

/** The UN reference a record answers to: the UN list's own id, or the one another regime gives. */
export function unReferenceOf(r: Pick<Designation, 'source' | 'sourceId' | 'unReference'>): string | undefined {
  const ref = r.source === 'un-sc' ? r.sourceId : r.unReference;
  return ref?.trim().toUpperCase() || undefined;
}


const YEAR = /\b(1[89]\d\d|20\d\d)\b/g;
const birthYears = (r: LinkFields) => new Set(r.dobs.flatMap((d) => d.match(YEAR) ?? []));

/** People with birth years on both sides must share one; a missing year contradicts nothing. */
function birthYearsAgree(a: LinkFields, b: LinkFields): boolean {
  if (a.type !== 'individual') return true;
  const [ya, yb] = [birthYears(a), birthYears(b)];
  return ya.size === 0 || yb.size === 0 || [...ya].some((y) => yb.has(y));
}

/**
 * A legal form's abbreviation written out, so that "DALIAN GLOBAL UNITY SHIPPING CO., LTD."
 * (OFAC) and "Dalian Global Unity Shipping Company Ltd" (DFAT) are one name: the same form
 * spelt two ways, never a different word.
 */
const LEGAL_FORM_SPELLINGS: Readonly<Record<string, string>> = { co: 'company', corp: 'corporation', ltd: 'limited', inc: 'incorporated' };

/**
 * Literal name keys: lower-case ASCII words (diacritics and apostrophes dropped, legal forms
 * written out), sorted, so "KIM, Jong Un" and "Jong Un KIM" agree. A bracketed acronym
 * ("FOREIGN TRADE BANK (FTB)") is also tried without it. Weak aliases and keys of four letters
 * or fewer prove nothing.
 */
export function nameKeys(r: Pick<Designation, 'name' | 'aliases'>): string[] {
  const names = [r.name, ...r.aliases.filter((a) => a.quality !== 'weak').map((a) => a.name)];
  const keys = new Set<string>();
  for (const n of names)
    for (const text of n.includes('(') ? [n, n.replace(/\s*\([^)]*\)\s*/g, ' ')] : [n]) {
      // Printable ASCII (most names) has no diacritics to fold: skipping NFKD there is a cheaper index build.
      const folded = /^[\x20-\x7e]*$/.test(text) ? text : text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      const words = folded
        .toLowerCase()
        .replace(/['’‘`ʼʻ´]/g, '')
        .split(/[^a-z0-9]+/)
        .filter(Boolean)
        .map((w) => LEGAL_FORM_SPELLINGS[w] ?? w)
        .sort();
      const key = words.join(' ');
      if (key.length - (words.length - 1) > 4) keys.add(key);
    }
  return [...keys];
}

function push<K>(m: Map<K, number[]>, k: K, v: number): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** "already listed by US, UK, AU; not by UN or EU" (regime short names, catalogue order). */
export function describeRegimes(listedBy: readonly ListId[], notListedBy: readonly ListId[]): string {
  const names = (ids: readonly ListId[]) => ids.map((id) => LISTS[id].regime);
  const or = (xs: string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} or ${xs.at(-1)}` : (xs[0] ?? ''));
  const parts = [
    ...(listedBy.length > 0 ? [`already listed by ${names(listedBy).join(', ')}`] : []),
    ...(notListedBy.length > 0 ? [`${listedBy.length > 0 ? 'not' : 'not listed'} by ${or(names(notListedBy))}`] : []),
  ];
  return parts.join('; ');
}
