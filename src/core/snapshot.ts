import { createHash } from 'node:crypto';
import type { Designation } from './designation.js';

export interface SnapshotEntry {
  hash: string;
  record: Designation;
}

/** A list's records keyed by stable id, with a content hash per record and for the whole. */
export interface Snapshot {
  /** Hash over every (id, record hash) pair: equal lists have equal versions. */
  version: string;
  entries: Map<string, SnapshotEntry>;
}

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Records are finalized (arrays sorted), so JSON is a canonical form. */
export const recordHash = (record: Designation): string => sha256(JSON.stringify(record)).slice(0, 32);

export function buildSnapshot(records: readonly Designation[]): Snapshot {
  const entries = new Map<string, SnapshotEntry>();
  for (const record of records) entries.set(record.sourceId, { hash: recordHash(record), record });
  return { version: snapshotVersion(entries), entries };
}

export function snapshotVersion(entries: ReadonlyMap<string, SnapshotEntry>): string {
  const h = createHash('sha256');
  for (const id of [...entries.keys()].sort()) h.update(`${id}\u0000${entries.get(id)!.hash}\n`);
  return h.digest('hex').slice(0, 32);
}
