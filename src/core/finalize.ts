import {
  DesignationSchema,
  VesselSchema,
  type Address,
  type Alias,
  type Designation,
  type DesignationDraft,
  type Identifier,
  type Vessel,
} from './designation.js';
import { compileCheck } from './fast-check.js';
import { dprkReasons } from './relevance.js';

// Most published strings are already clean; only rebuild the ones that need it (hot path:
// ~13,000 records × a dozen strings per poll).
const MESSY = /\s\s|[\t\n\r\f\v\u00a0]|^\s|\s$/;
const clean = (s: string): string => (MESSY.test(s) ? s.replace(/\s+/g, ' ').trim() : s);

/**
 * Sort and de-duplicate by a canonical key computed once per item; of equal keys the later
 * item wins. `items` must be a fresh array: it is sorted in place and returned. Lists are
 * short (0-3 entries for most records), so a plain insertion sort does it without the
 * Map, key arrays and sort buffers a general sort allocates 13,000 times per list.
 */
function sortedUnique<T>(items: T[], keyOf: (item: T) => string): T[] {
  const n = items.length;
  if (n <= 1) return items;
  if (n > 32) {
    const byKey = new Map<string, T>();
    for (const item of items) byKey.set(keyOf(item), item);
    return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
  }
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    // Stable insertion: equal keys keep their order, so the last of a run is the later item.
    const key = keyOf(items[i]!);
    const item = items[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      items[j + 1] = items[j]!;
      j--;
    }
    keys[j + 1] = key;
    items[j + 1] = item;
  }
  let w = 0;
  for (let i = 0; i < n; i++) {
    if (i + 1 < n && keys[i + 1] === keys[i]) continue; // a later item with this key follows: it wins
    items[w++] = items[i]!;
  }
  items.length = w;
  return items;
}

const identity = (s: string): string => s;

/**
 * A kept list at its exact length: arrays grown by push() reserve room for 16 more
 * entries, about 3 MB over the 13,000 records of sdn.csv (zod's copies were exact).
 */
const exact = <T>(items: T[]): T[] => (items.length === 0 ? items : items.slice());

/** Cleaned, non-empty, sorted, unique strings, in an exact-length array (most lists hold 0 or 1). */
function strings(xs: readonly string[]): string[] {
  if (xs.length <= 1) {
    const s = xs.length === 0 ? '' : clean(xs[0]!);
    return s === '' ? [] : [s];
  }
  const out: string[] = [];
  for (let i = 0; i < xs.length; i++) {
    const s = clean(xs[i]!);
    if (s !== '') out.push(s);
  }
  return exact(sortedUnique(out, identity));
}

/**
 * Set `out[key]` as the former `compact()` did: skip undefined and '', clean strings.
 * Callers add keys in the schema's order, so the record is already in the shape zod returns.
 */
function put(out: Record<string, unknown>, key: string, v: unknown): void {
  if (v === undefined || v === '') return;
  out[key] = typeof v === 'string' ? clean(v) : v;
}

function alias(a: Alias): Alias | undefined {
  const name = clean(a.name);
  if (!name) return undefined;
  const out: Record<string, unknown> = { name };
  put(out, 'kind', a.kind);
  put(out, 'quality', a.quality);
  return out as Alias;
}

function address(a: Address): Address | undefined {
  const text = clean(a.text);
  if (!text) return undefined;
  const out: Record<string, unknown> = { text };
  put(out, 'country', a.country);
  return out as Address;
}

function identifier(i: Identifier): Identifier | undefined {
  const out: Record<string, unknown> = {};
  put(out, 'kind', i.kind);
  const label = clean(i.label);
  if (label !== '') out.label = label;
  const value = clean(i.value);
  if (!value) return undefined;
  out.value = value;
  put(out, 'asset', i.asset);
  put(out, 'country', i.country);
  put(out, 'note', i.note);
  return out as Identifier;
}

/** `items.map(f)` without the entries `f` drops, sorted and de-duplicated by `keyOf`, at exact length. */
function listOf<T, U>(items: readonly T[], f: (item: T) => U | undefined, keyOf: (item: U) => string): U[] {
  if (items.length <= 1) {
    const u = items.length === 0 ? undefined : f(items[0]!);
    return u === undefined ? [] : [u];
  }
  const out: U[] = [];
  for (let i = 0; i < items.length; i++) {
    const u = f(items[i]!);
    if (u !== undefined) out.push(u);
  }
  return exact(sortedUnique(out, keyOf));
}

const isCanonicalDesignation = compileCheck(DesignationSchema);
const VESSEL_KEYS = Object.keys(VesselSchema.shape) as Array<keyof Vessel>;

/**
 * Turn a parser's draft into a validated Designation: trim text, sort and de-duplicate
 * every list (sources reorder child elements between publications; that is not a change),
 * and derive DPRK relevance. Throws a ZodError naming the offending field when a parser
 * produced something invalid, so a malformed source fails loudly instead of storing junk.
 *
 * The record is built directly in the shape DesignationSchema.parse returns (its keys in
 * schema order, absent optionals left out), then checked with a predicate compiled from
 * that schema (fast-check.ts). Only when the check is not sure does zod parse it, which
 * either throws the ZodError or returns the same record: the result is what
 * `DesignationSchema.parse` gives either way, at a fraction of its cost.
 */
export function finalizeDesignation(draft: DesignationDraft): Designation {
  const d: Record<string, unknown> = {};
  put(d, 'source', draft.source);
  put(d, 'sourceId', draft.sourceId.trim());
  const name = clean(draft.name);
  if (name !== '') d.name = name; // put() without cleaning twice
  put(d, 'type', draft.type);
  d.programs = strings(draft.programs);
  d.aliases = listOf(draft.aliases, alias, (a) => `${a.name}\u0000${a.kind}\u0000${a.quality ?? ''}`);
  put(d, 'title', draft.title);
  d.dobs = strings(draft.dobs);
  d.placesOfBirth = strings(draft.placesOfBirth);
  d.nationalities = strings(draft.nationalities);
  d.addresses = listOf(draft.addresses, address, (a) => `${a.text}\u0000${a.country ?? ''}`);
  d.identifiers = listOf(
    draft.identifiers,
    identifier,
    (i) => `${i.kind}\u0000${i.label}\u0000${i.value}\u0000${i.asset ?? ''}\u0000${i.country ?? ''}\u0000${i.note ?? ''}`,
  );
  if (draft.vessel) {
    const vessel: Record<string, unknown> = {};
    for (const k of VESSEL_KEYS) put(vessel, k, draft.vessel[k]);
    if (Object.keys(vessel).length > 0) d.vessel = vessel;
  }
  put(d, 'remarks', draft.remarks);
  put(d, 'listedOn', draft.listedOn);
  put(d, 'unReference', draft.unReference);
  put(d, 'url', draft.url);
  const reasons = dprkReasons(d as DesignationDraft);
  d.dprk = reasons.length > 0;
  d.dprkReasons = exact(reasons);
  return isCanonicalDesignation(d) ? (d as Designation) : DesignationSchema.parse(d);
}
