import { buildAlerts, type DesignationAlert } from '../core/alerts.js';
import { LIST_IDS, type Designation, type ListId, type ParsedList } from '../core/designation.js';
import { diffLists } from '../core/diff.js';
import { suspiciousListReason } from '../core/guard.js';
import { listDateOf } from '../core/list-date.js';
import { describeRegimes, linkParties } from '../core/parties.js';
import { buildSnapshot, type Snapshot, type SnapshotEntry } from '../core/snapshot.js';
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
   * stored snapshot's entries, lets a parser take over records whose published rows did not change.
   */
  parse(bodies: ReadonlyMap<string, Buffer>, prior?: ReadonlyMap<string, SnapshotEntry>): ParsedList;
}

interface ListEdition {
  list: ParsedList;
  next: Snapshot;
  lastModified?: string;
}

/** A sanctions list: snapshot of normalized records, diffed record by record, guarded against truncation. */
export type ListSource = Source<Snapshot, ReadonlyMap<string, Buffer>, ListEdition, DesignationAlert> & { readonly spec: ListSpec };

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
    load: (ctx) => ctx.store.getSnapshot(spec.id),
    trustsValidators: () => true,
    fetch: (ctx, validators) =>
      fetchEdition(spec.documents, validators, { ...ctx.fetch, timeoutMs: Math.max(ctx.fetch.timeoutMs, spec.minTimeoutMs ?? 0) }),
    parse(fetched, prior) {
      // Records whose published rows did not change are taken over from the stored list.
      const list = spec.parse(fetched.raw, prior?.entries);
      const next = buildSnapshot(list.records, list.rowDigests, prior?.entries);
      return { list, next, ...(fetched.lastModified ? { lastModified: fetched.lastModified } : {}) };
    },
    async compare(prior, { list, next, lastModified }, ctx) {
      const changes = prior ? diffLists({ before: prior.entries, after: next.entries }) : [];
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
    save: (ctx, next) => ctx.store.setSnapshot(spec.id, next),
  };
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
  const others: Designation[] = [];
  const stored: ListId[] = [];
  for (const id of LIST_IDS) {
    if (id === own) continue;
    const snapshot = await store.getSnapshot(id);
    if (!snapshot) continue;
    stored.push(id);
    for (const e of snapshot.entries.values()) others.push(e.record);
  }
  if (stored.length === 0) return alerts;
  const records = [...added.map((a) => a.record), ...others];
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
