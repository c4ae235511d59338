import { DesignationSchema, type Designation, type DesignationDraft } from './designation.js';
import { dprkReasons } from './relevance.js';

const byJson = (a: unknown, b: unknown): number => {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

function sortedUnique<T>(items: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(JSON.stringify(item), item);
  return [...seen.values()].sort(byJson);
}

const clean = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Drop keys whose value is undefined or empty so that equal records serialize identically. */
function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
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
    programs: sortedUnique(draft.programs.map(clean).filter(Boolean)),
    aliases: sortedUnique(draft.aliases.map((a) => compact({ ...a, name: clean(a.name) })).filter((a) => a.name)),
    dobs: sortedUnique(draft.dobs.map(clean).filter(Boolean)),
    placesOfBirth: sortedUnique(draft.placesOfBirth.map(clean).filter(Boolean)),
    nationalities: sortedUnique(draft.nationalities.map(clean).filter(Boolean)),
    addresses: sortedUnique(draft.addresses.map((a) => compact({ ...a, text: clean(a.text) })).filter((a) => a.text)),
    identifiers: sortedUnique(
      draft.identifiers.map((i) => compact({ ...i, value: clean(i.value), label: clean(i.label) })).filter((i) => i.value),
    ),
    vessel: vessel && Object.keys(vessel).length > 0 ? vessel : undefined,
  });
  const reasons = dprkReasons(d);
  return DesignationSchema.parse({ ...d, dprk: reasons.length > 0, dprkReasons: reasons });
}
