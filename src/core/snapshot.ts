import { hash } from 'node:crypto';
import type { Designation } from './designation.js';

/** What identifies a record's content without the record. */
export interface EntryHashes {
  hash: string;
  /** The digest of the published rows the record was built from, when the parser gives one. */
  rows?: string;
}

export interface SnapshotEntry extends EntryHashes {
  record: Designation;
}

/** A stored edition read without its records (a snapshot is one too). */
export interface SnapshotHashes {
  version: string;
  entries: ReadonlyMap<string, EntryHashes>;
}

/** A list's records keyed by stable id, with a content hash per record and for the whole. */
export interface Snapshot {
  /** Hash over every (id, record hash) pair: equal lists have equal versions. */
  version: string;
  entries: Map<string, SnapshotEntry>;
}

// crypto.hash is the one-shot form (Node ≥ 20.12): same digest without a Hash object per call,
// which matters at one call per record.
export const sha256 = (data: string | Uint8Array): string => hash('sha256', data, 'hex');

/** Records are finalized (arrays sorted), so JSON is a canonical form. */
export const recordHash = (record: Designation): string => sha256(JSON.stringify(record)).slice(0, 32);

/**
 * Entries of a freshly built snapshot compute their hash (JSON + SHA-256: about a third of
 * the cost of an sdn.csv ingest) only when it is first read. diffLists reads it only for
 * records that differ from the stored ones: an unchanged record takes over the stored hash
 * (see `sameAsStored`), which is the hash its identical JSON would give. `hash` is an own,
 * enumerable accessor, so JSON, spreads and test matchers see a plain { hash, record }.
 */
const HASH = Symbol('hash'); // the hash once known; present only on fresh entries
interface FreshEntry extends SnapshotEntry {
  [HASH]?: string;
}
const lazyHash: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: FreshEntry): string {
    return (this[HASH] ??= recordHash(this.record));
  },
  set(this: FreshEntry, value: string) {
    this[HASH] = value;
  },
};

function freshEntry(record: Designation): SnapshotEntry {
  const entry = Object.defineProperty({}, 'hash', lazyHash) as FreshEntry;
  entry.record = record;
  entry[HASH] = undefined;
  return entry;
}

/**
 * A freshly built snapshot; `version` (hashing what is still unhashed) is computed when first
 * read. A record the parser took over from `prior` (the same object) keeps its stored hash;
 * `rowDigests` are kept on the entries, for the next parse.
 */
export function buildSnapshot(
  records: readonly Designation[],
  rowDigests?: ReadonlyMap<string, string>,
  prior?: ReadonlyMap<string, EntryHashes & { record?: Designation }>,
): Snapshot {
  const entries = new Map<string, SnapshotEntry>();
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const id = record.sourceId;
    const stored = prior?.get(id);
    const entry: SnapshotEntry = stored !== undefined && stored.record === record ? { hash: stored.hash, record } : freshEntry(record);
    const rows = rowDigests?.get(id);
    if (rows !== undefined) entry.rows = rows;
    entries.set(id, entry);
  }
  let version: string | undefined;
  return Object.defineProperty({ entries } as Snapshot, 'version', {
    enumerable: true,
    configurable: true,
    get: () => (version ??= snapshotVersion(entries)),
    set: (value: string) => {
      version = value;
    },
  });
}

export function snapshotVersion(entries: ReadonlyMap<string, SnapshotEntry>): string {
  // One string, one digest: the same bytes the former per-entry update() calls fed in.
  let text = '';
  for (const id of [...entries.keys()].sort()) text += `${id}\u0000${entries.get(id)!.hash}\n`;
  return sha256(text).slice(0, 32);
}

/**
 * Whether `now` has the same content as the `stored` entry of the same id. For a fresh,
 * not yet hashed entry whose record serializes exactly like the stored record, this is
 * decided without hashing, and `now` takes over the stored hash; otherwise hashes compare.
 */
export function sameAsStored(stored: SnapshotEntry, now: SnapshotEntry): boolean {
  const fresh = now as FreshEntry;
  if (HASH in fresh && fresh[HASH] === undefined && sameJson(stored.record, now.record)) {
    now.hash = stored.hash;
    return true;
  }
  return stored.hash === now.hash;
}

/**
 * True only when JSON.stringify(a) === JSON.stringify(b) for sure: equal primitives, or
 * arrays / plain objects with the same keys in the same order and such values. Anything
 * unusual (NaN, class instances, …) answers false, and the caller falls back to hashes.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x: unknown = a[i];
      const y: unknown = b[i];
      if (x !== y && !sameJson(x, y)) return false; // equal strings (most values) need no call
    }
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) {
    return false;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i]) return false;
    const x = (a as Record<string, unknown>)[k];
    const y = (b as Record<string, unknown>)[k];
    if (x !== y && !sameJson(x, y)) return false;
  }
  return true;
}
