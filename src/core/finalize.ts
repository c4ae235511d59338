import { DesignationSchema, type Designation, type DesignationDraft } from './designation.js';
import { dprkReasons } from './relevance.js';

// Most published strings are already clean; only rebuild the ones that need it (hot path:
// ~13,000 records × a dozen strings per poll).
const MESSY = /\s\s|[\t\n\r\f\v\u00a0]|^\s|\s$/;
const clean = (s: string): string => (MESSY.test(s) ? s.replace(/\s+/g, ' ').trim() : s);

/** Sort and de-duplicate by a canonical key computed once per item. */
function sortedUnique<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  if (items.length === 0) return [];
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(keyOf(item), item);
  if (byKey.size === 1) return [...byKey.values()];
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

const strings = (xs: readonly string[]): string[] =>
  sortedUnique(
    xs.map(clean).filter((s) => s !== ''),
    (s) => s,
  );

/** Drop keys whose value is undefined or empty, and clean strings, so equal records serialize identically. */
function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k in o) {
    const v = o[k];
    if (v === undefined || v === '') continue;
    out[k] = typeof v === 'string' ? clean(v) : v;
  }
  return out as T;
}

/**
 * Turn a parser's draft into a validated Designation: trim text, sort and de-duplicate
 * every list (sources reorder child elements between publications; that is not a change),
 * and derive DPRK relevance. Throws a ZodError naming the offending field when a parser
 * produced something invalid, so a malformed source fails loudly instead of storing junk.
 */
export function finalizeDesignation(draft: DesignationDraft): Designation {
  const vessel = draft.vessel ? compact(draft.vessel) : undefined;
  const d: DesignationDraft = compact({
    ...draft,
    sourceId: draft.sourceId.trim(),
    name: clean(draft.name),
    programs: strings(draft.programs),
    aliases: sortedUnique(
      draft.aliases.map((a) => compact({ ...a, name: clean(a.name) })).filter((a) => a.name),
      (a) => `${a.name}\u0000${a.kind}\u0000${a.quality ?? ''}`,
    ),
    dobs: strings(draft.dobs),
    placesOfBirth: strings(draft.placesOfBirth),
    nationalities: strings(draft.nationalities),
    addresses: sortedUnique(
      draft.addresses.map((a) => compact({ ...a, text: clean(a.text) })).filter((a) => a.text),
      (a) => `${a.text}\u0000${a.country ?? ''}`,
    ),
    identifiers: sortedUnique(
      draft.identifiers.map((i) => compact({ ...i, value: clean(i.value), label: clean(i.label) })).filter((i) => i.value),
      (i) => `${i.kind}\u0000${i.label}\u0000${i.value}\u0000${i.asset ?? ''}\u0000${i.country ?? ''}\u0000${i.note ?? ''}`,
    ),
    vessel: vessel && Object.keys(vessel).length > 0 ? vessel : undefined,
  });
  const reasons = dprkReasons(d);
  return DesignationSchema.parse({ ...d, dprk: reasons.length > 0, dprkReasons: reasons });
}
