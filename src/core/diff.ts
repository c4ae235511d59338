import type { Designation } from './designation.js';
import { sameAsStored } from './snapshot.js';

/** One field-level change inside an amended record. */
export type FieldChange =
  | { field: SetField; added: string[]; removed: string[] }
  | { field: ScalarField; from: string | null; to: string | null };

export type DesignationChange =
  | { kind: 'added'; after: Designation }
  | { kind: 'removed'; before: Designation }
  | { kind: 'amended'; before: Designation; after: Designation; changes: FieldChange[] };

/** Fields compared as sets: order never matters, only membership. */
const SET_FIELDS = [
  'programs',
  'aliases',
  'identifiers',
  'dobs',
  'placesOfBirth',
  'nationalities',
  'addresses',
] as const;
type SetField = (typeof SET_FIELDS)[number];

const SCALAR_FIELDS = ['name', 'type', 'unReference', 'title', 'listedOn', 'remarks', 'vessel', 'url'] as const;
type ScalarField = (typeof SCALAR_FIELDS)[number];

/** Human-readable, stable rendering of one set member (also what diffs and alerts show). */
export function describeMember(field: SetField, item: unknown): string {
  if (typeof item === 'string') return item;
  const o = item as Record<string, string | undefined>;
  switch (field) {
    case 'aliases':
      return `${o.kind === 'aka' ? '' : `${o.kind} `}${o.name}${o.quality === 'weak' ? ' (weak)' : ''}`;
    case 'identifiers': {
      const country = o.country ? ` (${o.country})` : '';
      return `${o.label} ${o.value}${country}`;
    }
    case 'addresses':
      return o.text ?? '';
    default:
      return JSON.stringify(item);
  }
}

function scalar(d: Designation, field: ScalarField): string | null {
  const v = d[field];
  if (v === undefined) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Field-level differences between two versions of the same record (empty when equal). */
export function compareDesignations(before: Designation, after: Designation): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of SCALAR_FIELDS) {
    const from = scalar(before, field);
    const to = scalar(after, field);
    if (from !== to) changes.push({ field, from, to });
  }
  for (const field of SET_FIELDS) {
    const was = new Set((before[field] as unknown[]).map((i) => describeMember(field, i)));
    const now = new Set((after[field] as unknown[]).map((i) => describeMember(field, i)));
    const added = [...now].filter((x) => !was.has(x));
    const removed = [...was].filter((x) => !now.has(x));
    if (added.length > 0 || removed.length > 0) changes.push({ field, added, removed });
  }
  return changes;
}

export interface DiffInput {
  /** Previous records by sourceId with their content hashes. */
  before: ReadonlyMap<string, { hash: string; record: Designation }>;
  after: ReadonlyMap<string, { hash: string; record: Designation }>;
}

/**
 * Changes between two versions of a list, keyed by stable id. Records whose content is
 * unchanged (same hash, or for a freshly built snapshot the same JSON as the stored record,
 * which then takes over its hash without hashing: see sameAsStored) are skipped without a
 * field comparison, which keeps a 12,000-record diff to a few milliseconds. Output order:
 * additions, amendments, removals, each by id, so the same pair always yields the same sequence.
 */
export function diffLists({ before, after }: DiffInput): DesignationChange[] {
  const added: DesignationChange[] = [];
  const amended: DesignationChange[] = [];
  const removed: DesignationChange[] = [];
  // forEach, not for…of with [id, entry]: no entry array per record while the code is still cold.
  after.forEach((now, id) => {
    const was = before.get(id);
    if (!was) {
      added.push({ kind: 'added', after: now.record });
    } else if (!sameAsStored(was, now)) {
      const changes = compareDesignations(was.record, now.record);
      // Derived-only differences (e.g. relevance wording) are not worth an alert.
      if (changes.length > 0) amended.push({ kind: 'amended', before: was.record, after: now.record, changes });
    }
  });
  before.forEach((was, id) => {
    if (!after.has(id)) removed.push({ kind: 'removed', before: was.record });
  });
  const byId = (a: DesignationChange, b: DesignationChange) => compareIds(idOf(a), idOf(b));
  return [...added.sort(byId), ...amended.sort(byId), ...removed.sort(byId)];
}

/**
 * The ids whose stored records a diff against `before` (hashes only) must read: those whose
 * record hash changed and those no longer listed. Every other id is unchanged (same hash) or
 * new (not in `before`), and needs nothing stored. `diffLists` over just these stored records
 * and the new records of these and the new ids gives the same changes as over both whole lists.
 */
export function idsToRead(before: ReadonlyMap<string, { hash: string }>, after: ReadonlyMap<string, { hash: string }>): Set<string> {
  const ids = new Set<string>();
  before.forEach((was, id) => {
    const now = after.get(id);
    if (now === undefined || now.hash !== was.hash) ids.add(id);
  });
  return ids;
}

export function idOf(c: DesignationChange): string {
  return c.kind === 'removed' ? c.before.sourceId : c.after.sourceId;
}

/** Numeric ids (OFAC ent_num) sort numerically; others (UN KPi.033) lexically. */
export function compareIds(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
