import { buildAlerts, type DesignationAlert } from '../core/alerts.js';
import { LIST_IDS, type Designation, type ListId, type ParsedList } from '../core/designation.js';
import { diffLists, idsToRead, type DesignationChange } from '../core/diff.js';
import { suspiciousListReason } from '../core/guard.js';
import { listDateOf } from '../core/list-date.js';
import { describeRegimes, linkFieldsOf, linkParties, type LinkFields } from '../core/parties.js';
import { buildSnapshot, type Snapshot, type SnapshotEntry, type SnapshotHashes } from '../core/snapshot.js';
import type { Store } from '../store/store.js';
import { fetchEdition, type DocumentSpec } from './documents.js';
import { SourceError, type PollReportLine, type Source } from './source.js';

/** What one sanctions list declares of its own: where its documents are and how to read them. */
export interface ListSpec {
  id: ListId;
  label: string;
  url: string;
  cron: string;
  /**
   * When this copy of the list was fetched from the publisher, if known from elsewhere: the
   * archive's fetch time of a replayed copy (the demo). Used as the list date only when the
   * list carries no date of its own and no server sent a Last-Modified.
   */
  fetchedAt?: string;
  /** The documents that make up the list (a main one, then optional companions). */
  documents: DocumentSpec[];
  /** A publisher known to be slow (the EU builds its file on request): wait at least this long per document. */
  minTimeoutMs?: number;
  /**
   * Parse fetched bodies (keyed by URL). Throws when they are not a sound list. `prior`, the
   * stored snapshot's entries, lets a parser take over records whose published rows did not
   * change; it is given only to a parser that says so (`takesOverRecords`).
   */
  parse(bodies: ReadonlyMap<string, Buffer>, prior?: ReadonlyMap<string, SnapshotEntry>): ParsedList;
  /**
   * The parser takes over stored records (OFAC's sdn.csv: most rows are the same each day, and a
   * taken-over record costs no parsing): the poll reads the stored edition with its records.
   * Other lists read only its hashes, and the records of the ids that changed or left.
   */
  takesOverRecords?: boolean;
}

interface ListEdition {
  list: ParsedList;
  next: Snapshot;
  lastModified?: string;
}

/**
 * A sanctions list: snapshot of normalized records, diffed record by record, guarded against
 * truncation. Its state as loaded is the stored edition's hashes (a whole Snapshot for a list
 * that takes over records); what it stores is always a whole Snapshot.
 */
export type ListSource = Source<SnapshotHashes, ReadonlyMap<string, Buffer>, ListEdition, DesignationAlert> & { readonly spec: ListSpec };

/**
 * Every sanctions list shares its state and comparison (snapshot → diff → guard → designation
 * alerts); a list's folder supplies only its documents and its parser.
 */
export function listSource(spec: ListSpec): ListSource {
  return {
    spec,
    id: spec.id,
    label: spec.label,
    url: spec.url,
    cron: spec.cron,
    wholeList: true,
    load: (ctx) => (spec.takesOverRecords ? ctx.store.getSnapshot(spec.id) : ctx.store.getSnapshotHashes(spec.id)),
    trustsValidators: () => true,
    fetch: (ctx, validators) =>
      fetchEdition(spec.documents, validators, { ...ctx.fetch, timeoutMs: Math.max(ctx.fetch.timeoutMs, spec.minTimeoutMs ?? 0) }),
    parse(fetched, prior) {
      // Records whose published rows did not change are taken over from the stored list.
      const list = spec.parse(fetched.raw, prior && holdsRecords(prior) ? prior.entries : undefined);
      const next = buildSnapshot(list.records, list.rowDigests, prior?.entries);
      return { list, next, ...(fetched.lastModified ? { lastModified: fetched.lastModified } : {}) };
    },
    async compare(prior, { list, next, lastModified }, ctx) {
      const changes = prior ? await diffWithStored(prior, next, spec.id, ctx.store) : [];
      const suspicious = suspiciousListReason({
        previousCount: prior?.entries.size,
        newCount: next.entries.size,
        removedCount: changes.filter((c) => c.kind === 'removed').length,
        maxRemovalShare: ctx.maxRemovalShare,
        ...(list.declaredCount !== undefined ? { declaredCount: list.declaredCount } : {}),
      });
      const listDate = listDateOf({ publishedAt: list.publishedAt, lastModified, fetchedAt: spec.fetchedAt });
      const changed = !prior || prior.version !== next.version;
      const built =
        prior && changed
          ? buildAlerts(changes, { source: spec.id, baseVersion: prior.version, detectedAt: ctx.now, scope: ctx.scope, ...(listDate ? { listDate } : {}) })
          : [];
      const alerts = await withRegimes(built, spec.id, ctx.store);
      const records = next.entries.size;
      return {
        outcome: prior ? 'changed' : 'baseline',
        alerts,
        changed,
        ...(changed ? { next } : {}),
        ...(suspicious ? { suspicious } : {}),
        status: {
          recordCount: records,
          dprkCount: list.records.filter((r) => r.dprk).length,
          format: list.format,
          snapshotVersion: next.version,
          ...(listDate ? { listDate: listDate.date, listDateBasis: listDate.basis } : {}),
        },
        warnings: list.warnings,
        report: (recorded): PollReportLine =>
          prior
            ? {
                log: `${spec.id}: ${changes.length} change(s), ${recorded.length} new alert(s) in ${ctx.scope} scope`,
                fields: { changes: changes.length, alerts: recorded.length, records },
                summary: `${changes.length} change(s), ${recorded.length} new alert(s)`,
                counts: { changes: changes.length },
              }
            : {
                log: `${spec.id} baseline stored: ${records} records (first poll alerts nothing)`,
                fields: { records },
                summary: `baseline of ${records} records stored (no alerts on a first poll)`,
                counts: { recordCount: records },
              },
      };
    },
    // compare hands back only the Snapshot it built (never the loaded hashes).
    save: (ctx, next) => ctx.store.setSnapshot(spec.id, next as Snapshot),
  };
}

function holdsRecords(state: SnapshotHashes): state is Snapshot {
  for (const e of state.entries.values()) return 'record' in e;
  return true; // an empty list: nothing to take over either way
}

/**
 * The changes from the stored edition to `next`. When only the stored hashes were loaded, the
 * stored records are read for just the ids whose hash changed or that left (a second pass over
 * the stored chunks keeping those), and the diff runs over them and the new records of those
 * and the new ids: the same changes as over both whole lists (test/sources/diff-against-stored-hashes…),
 * without the stored edition's records beside the new ones.
 */
async function diffWithStored(prior: SnapshotHashes, next: Snapshot, id: ListId, store: Store): Promise<DesignationChange[]> {
  if (holdsRecords(prior)) return diffLists({ before: prior.entries, after: next.entries });
  const toRead = idsToRead(prior.entries, next.entries);
  const before = await store.getSnapshotRecords(id, prior.version, toRead);
  const after = new Map<string, SnapshotEntry>();
  next.entries.forEach((entry, key) => {
    if (toRead.has(key) || !prior.entries.has(key)) after.set(key, entry);
  });
  return diffLists({ before, after });
}

export function requireBody(bodies: ReadonlyMap<string, Buffer>, url: string): Buffer {
  const body = bodies.get(url);
  if (!body) throw new SourceError(`${url} was not fetched`);
  return body;
}

/**
 * Says of each addition which other regimes already list the party and which do not ("Japan
 * designated LAZARUS GROUP; already listed by US, UK, AU; not by UN or EU"), from the other
 * lists stored here (src/core/parties.ts links the records). Lists never stored say nothing.
 */
async function withRegimes(alerts: DesignationAlert[], own: ListId, store: Store): Promise<DesignationAlert[]> {
  const added = alerts.filter((a) => a.kind === 'designation.added');
  if (added.length === 0) return alerts;
  // Each other list's records are read chunk by chunk and cut down to what linking reads.
  const others: LinkFields[] = [];
  const stored: ListId[] = [];
  for (const id of LIST_IDS) {
    if (id === own) continue;
    const records = await store.mapSnapshotRecords(id, linkFieldsOf);
    if (!records) continue;
    stored.push(id);
    for (const r of records) others.push(r);
  }
  if (stored.length === 0) return alerts;
  const records: LinkFields[] = [...added.map((a) => a.record), ...others];
  const listedBy = new Map<number, Set<ListId>>();
  for (const party of linkParties(records)) {
    const sources = new Set(party.filter((i) => i >= added.length).map((i) => records[i]!.source as ListId));
    for (const i of party) if (i < added.length) listedBy.set(i, sources);
  }
  return alerts.map((a) => {
    const i = added.indexOf(a);
    if (i < 0) return a;
    const by = stored.filter((id) => listedBy.get(i)?.has(id));
    const notBy = stored.filter((id) => !by.includes(id));
    return { ...a, summary: `${a.summary}; ${describeRegimes(by, notBy)}`, regimes: { listedBy: by, notListedBy: notBy } };
  });
}
