import type { Alert } from '../core/alerts.js';
import type { Fetched, PollContext, Source } from '../sources/source.js';
import type { SourceStatus } from '../store/store.js';

/** How one poll of one source went. */
export interface PollResult<A extends Alert = Alert> {
  /** 'skipped': not polled (switched off by configuration, or another process kept its lock). */
  outcome: 'skipped' | 'baseline' | 'unchanged' | 'changed' | 'degraded';
  /** New alerts this poll recorded (already queued for delivery). */
  alerts: A[];
  /** One line for people: what happened, or why the source could not be used. */
  summary: string;
  /** Why it degraded or was skipped. */
  reason?: string;
  /** The source's own figures (`{ changes }`, `{ recordCount }`, `{ verdicts, dprk }`). */
  counts?: Record<string, number>;
}

export type PollDeps = Omit<PollContext, 'now'> & { now?: () => Date };

/**
 * Poll any source: fetch → parse → compare with the stored state → guard → record alerts →
 * store the new state → status. Every source gets the same guarantees:
 *
 * - The first successful poll is a baseline: it stores state and alerts nothing.
 * - An unchanged publication (every validator held) costs a conditional request and no parsing.
 * - Any failure, or an edition the source finds suspicious, keeps the stored state, marks the
 *   source degraded with the reason (since when: the first failure), and yields no alerts.
 * - Crash safety: alerts are recorded (idempotently, by deterministic id) before the new state
 *   is stored, so a crash in between re-runs the same comparison and records nothing twice.
 */
export async function pollSource<State, Raw, Edition, A extends Alert>(source: Source<State, Raw, Edition, A>, deps: PollDeps): Promise<PollResult<A>> {
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const ctx: PollContext = { store: deps.store, log: deps.log, fetch: deps.fetch, scope: deps.scope, maxRemovalShare: deps.maxRemovalShare, now };
  const { store, log } = ctx;
  const { id, url } = source;
  const previous: SourceStatus = (await store.getStatus(id)) ?? { source: id, url, warnings: [], documents: [] };
  const { degraded: wasDegraded, ...healthy } = previous;

  if (source.off) {
    // Switched off until configured: say why in the status, with no attempt and no failure.
    const { reason, format } = source.off;
    await store.setStatus({ ...healthy, url, format, warnings: [reason] });
    log.info({ source: id }, reason);
    return { outcome: 'skipped', alerts: [], summary: reason, reason };
  }

  const status: SourceStatus = { ...previous, url, lastAttemptAt: now };
  const degrade = async (reason: string): Promise<PollResult<A>> => {
    const since = wasDegraded?.since ?? now;
    await store.setStatus({ ...status, degraded: { reason, since } });
    log.warn({ source: id, reason, degradedSince: since }, `${id} degraded: ${reason}`);
    return { outcome: 'degraded', alerts: [], summary: `could not use the source — ${reason}`, reason };
  };

  try {
    const state = await source.load(ctx);
    // A changed URL means a different publication: its old validators must not answer for it.
    const validators = previous.url === url && source.trustsValidators(previous, state) ? previous.documents : [];
    let fetched: Fetched<Raw> | undefined = await source.fetch(ctx, validators);
    const { documents, warnings } = fetched;
    for (const w of warnings) log.warn({ source: id }, w);
    if (fetched.unchanged) {
      await source.unchanged?.(ctx, state);
      await store.setStatus({ ...healthy, url, lastAttemptAt: now, lastSuccessAt: now, documents });
      log.debug({ source: id }, `${id} unchanged`);
      return { outcome: 'unchanged', alerts: [], summary: 'unchanged' };
    }

    const edition = await source.parse(fetched, state, ctx);
    // The fetched bodies (the Swiss list's 40 MB) are let go once parsed, not kept through the diff and the save.
    fetched = undefined;
    const comparison = await source.compare(state, edition, ctx);
    if (comparison.suspicious) return await degrade(`suspicious list, kept the previous one: ${comparison.suspicious}`);

    const alerts: A[] = comparison.alerts.length > 0 ? await store.recordAlerts(comparison.alerts) : [];
    if (comparison.next !== undefined) await source.save(ctx, comparison.next, comparison.changed);

    // The previous edition's date must not outlive it: an edition without a date shows none.
    const { listDate: _date, listDateBasis: _basis, ...undated } = healthy;
    await store.setStatus({
      ...undated,
      url,
      lastAttemptAt: now,
      lastSuccessAt: now,
      lastChangeAt: comparison.changed ? now : previous.lastChangeAt,
      ...comparison.status,
      warnings: [...warnings, ...comparison.warnings].slice(0, 50),
      documents,
    });
    const said = comparison.report(alerts);
    if (said.level === 'debug') log.debug({ source: id, ...said.fields }, said.log);
    else log.info({ source: id, ...said.fields }, said.log);
    return { outcome: comparison.outcome, alerts: comparison.outcome === 'changed' ? alerts : [], summary: said.summary, ...(said.counts ? { counts: said.counts } : {}) };
  } catch (e) {
    return degrade((e as Error).message);
  }
}
