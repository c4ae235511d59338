import type { SourceHealthAlert } from '../core/alerts.js';
import { sha256 } from '../core/snapshot.js';
import type { SourceStatus, Store } from '../store/store.js';

/**
 * Source-health alerts: `source.degraded` once a source has been failing for longer than
 * `afterMs` (one alert per outage), and `source.recovered` when that source works again.
 * Alert ids hash the source and the outage's start, so re-runs never repeat them.
 */
export async function checkSourceHealth(
  store: Store,
  source: string,
  label: string,
  afterMs: number,
  now: Date = new Date(),
): Promise<SourceHealthAlert[]> {
  const status = await store.getStatus(source);
  if (!status) return [];
  const at = now.toISOString();
  const base = { source, sourceLabel: label, dprk: false, detectedAt: at, url: status.url };
  let alert: SourceHealthAlert | undefined;
  let next: SourceStatus | undefined;
  if (status.degraded && !status.healthAlertedSince) {
    const since = status.degraded.since;
    if (now.getTime() - Date.parse(since) < afterMs) return [];
    alert = {
      ...base,
      id: sha256(`source.degraded|${source}|${since}`).slice(0, 24),
      kind: 'source.degraded',
      summary: `${label} has been failing since ${since}: ${status.degraded.reason}`,
      reason: status.degraded.reason,
      since,
    };
    next = { ...status, healthAlertedSince: since };
  } else if (!status.degraded && status.healthAlertedSince) {
    const since = status.healthAlertedSince;
    alert = {
      ...base,
      id: sha256(`source.recovered|${source}|${since}`).slice(0, 24),
      kind: 'source.recovered',
      summary: `${label} works again (it had been failing since ${since}).`,
      since,
    };
    const { healthAlertedSince: _, ...rest } = status;
    next = rest;
  }
  if (!alert || !next) return [];
  // Persist the alert first: a crash before the status update re-creates the same id.
  const recorded = await store.recordAlerts([alert]);
  await store.setStatus(next);
  return recorded;
}
