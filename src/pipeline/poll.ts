import { buildAlerts, type AlertScope, type DesignationAlert } from '../core/alerts.js';
import { diffLists } from '../core/diff.js';
import { suspiciousListReason } from '../core/guard.js';
import { listDateOf } from '../core/list-date.js';
import { buildSnapshot } from '../core/snapshot.js';
import type { Log } from '../log.js';
import { fetchDocuments } from '../sources/documents.js';
import type { FetchOptions } from '../sources/fetcher.js';
import type { ListSource } from '../sources/list-source.js';
import type { SourceStatus, Store } from '../store/store.js';

export interface PollDeps {
  store: Store;
  log: Log;
  fetch: Omit<FetchOptions, 'previous'>;
  scope: AlertScope;
  maxRemovalShare: number;
  now?: () => Date;
}

export type PollOutcome =
  | { outcome: 'unchanged' }
  | { outcome: 'baseline'; recordCount: number }
  | { outcome: 'changed'; changes: number; alerts: DesignationAlert[] }
  | { outcome: 'degraded'; reason: string };

/**
 * Poll one list: fetch → parse → diff against stored state → persist alerts → store the
 * new state. Any failure or suspicious result leaves the stored list untouched, marks the
 * source degraded with the reason, and yields no alerts.
 *
 * Crash safety: alerts are persisted (idempotently, by deterministic id) before the new
 * snapshot is saved, so a crash in between re-runs the same diff on restart and records
 * nothing twice.
 */
export async function pollSource(source: ListSource, deps: PollDeps): Promise<PollOutcome> {
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const log = deps.log;
  const previous: SourceStatus = (await deps.store.getStatus(source.id)) ?? {
    source: source.id,
    url: source.url,
    warnings: [],
    documents: [],
  };
  // A changed URL means a different list: forget the old validators, keep the old records.
  const documents = previous.url === source.url ? previous.documents : [];
  const status: SourceStatus = { ...previous, url: source.url, lastAttemptAt: now };

  const degrade = async (reason: string): Promise<PollOutcome> => {
    const since = previous.degraded?.since ?? now;
    await deps.store.setStatus({ ...status, degraded: { reason, since } });
    log.warn({ source: source.id, reason, degradedSince: since }, `${source.id} degraded: ${reason}`);
    return { outcome: 'degraded', reason };
  };

  try {
    const fetched = await fetchDocuments(source.documents(), documents, deps.fetch);
    for (const w of fetched.warnings) log.warn({ source: source.id }, w);
    if (fetched.unchanged) {
      const { degraded: _, ...healthy } = status;
      await deps.store.setStatus({ ...healthy, lastSuccessAt: now, documents: fetched.states });
      log.debug({ source: source.id }, `${source.id} unchanged`);
      return { outcome: 'unchanged' };
    }

    // The stored list first: records whose published rows did not change are taken from it.
    const prior = await deps.store.getSnapshot(source.id);
    const list = source.parse(fetched.bodies, prior?.entries);
    const warnings = [...fetched.warnings, ...list.warnings];
    const next = buildSnapshot(list.records, list.rowDigests, prior?.entries);
    const changes = prior ? diffLists({ before: prior.entries, after: next.entries }) : [];
    const removed = changes.filter((c) => c.kind === 'removed').length;
    const suspicious = suspiciousListReason({
      previousCount: prior?.entries.size,
      newCount: next.entries.size,
      removedCount: removed,
      maxRemovalShare: deps.maxRemovalShare,
      ...(list.declaredCount !== undefined ? { declaredCount: list.declaredCount } : {}),
    });
    if (suspicious) return await degrade(`suspicious list, kept the previous one: ${suspicious}`);

    const listDate = listDateOf({ publishedAt: list.publishedAt, lastModified: fetched.lastModified, fetchedAt: source.fetchedAt });
    let alerts: DesignationAlert[] = [];
    if (prior && prior.version !== next.version) {
      const built = buildAlerts(changes, {
        source: source.id,
        baseVersion: prior.version,
        detectedAt: now,
        scope: deps.scope,
        ...(listDate ? { listDate } : {}),
      });
      alerts = await deps.store.recordAlerts(built);
    }
    if (!prior || prior.version !== next.version) await deps.store.setSnapshot(source.id, next);

    // The previous edition's date must not outlive it: a list without a date shows none.
    const { degraded: _, listDate: _date, listDateBasis: _basis, ...healthy } = status;
    await deps.store.setStatus({
      ...healthy,
      lastSuccessAt: now,
      lastChangeAt: !prior || prior.version !== next.version ? now : previous.lastChangeAt,
      recordCount: next.entries.size,
      dprkCount: list.records.filter((r) => r.dprk).length,
      format: list.format,
      snapshotVersion: next.version,
      warnings: warnings.slice(0, 50),
      documents: fetched.states,
      ...(listDate ? { listDate: listDate.date, listDateBasis: listDate.basis } : {}),
    });
    if (!prior) {
      log.info(
        { source: source.id, records: next.entries.size },
        `${source.id} baseline stored: ${next.entries.size} records (first poll alerts nothing)`,
      );
      return { outcome: 'baseline', recordCount: next.entries.size };
    }
    log.info(
      { source: source.id, changes: changes.length, alerts: alerts.length, records: next.entries.size },
      `${source.id}: ${changes.length} change(s), ${alerts.length} new alert(s) in ${deps.scope} scope`,
    );
    return { outcome: 'changed', changes: changes.length, alerts };
  } catch (e) {
    return degrade((e as Error).message);
  }
}
