import { buildAlerts, type DesignationAlert } from '../core/alerts.js';
import type { ListId, ParsedList } from '../core/designation.js';
import { diffLists } from '../core/diff.js';
import { suspiciousListReason } from '../core/guard.js';
import { listDateOf } from '../core/list-date.js';
import { buildSnapshot, type Snapshot, type SnapshotEntry } from '../core/snapshot.js';
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
    load: (ctx) => ctx.store.getSnapshot(spec.id),
    trustsValidators: () => true,
    fetch: (ctx, validators) => fetchEdition(spec.documents, validators, ctx.fetch),
    parse(fetched, prior) {
      // Records whose published rows did not change are taken over from the stored list.
      const list = spec.parse(fetched.raw, prior?.entries);
      const next = buildSnapshot(list.records, list.rowDigests, prior?.entries);
      return { list, next, ...(fetched.lastModified ? { lastModified: fetched.lastModified } : {}) };
    },
    compare(prior, { list, next, lastModified }, ctx) {
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
      const alerts =
        prior && changed
          ? buildAlerts(changes, { source: spec.id, baseVersion: prior.version, detectedAt: ctx.now, scope: ctx.scope, ...(listDate ? { listDate } : {}) })
          : [];
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
