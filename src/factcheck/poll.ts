import type { VerdictAlert } from '../core/verdicts.js';
import type { Log } from '../log.js';
import { fetchDocuments } from '../sources/documents.js';
import type { FetchOptions } from '../sources/fetcher.js';
import type { DocumentState, SourceStatus, Store } from '../store/store.js';
import { applyReviews } from './apply.js';
import { extractClaimReviews } from './claimreview.js';
import { googleEndpoint, type FactCheckConfig } from './config.js';
import { redactKey, searchGoogle } from './google.js';
import type { ParsedReview } from './review.js';
import { ensureIndexed, mergeStates, readAllStates, readSourceState, writeSourceState, type StoredVerdict } from './state.js';

export const GOOGLE_SOURCE_ID = 'factcheck:google';
export const GOOGLE_SOURCE_LABEL = 'Google Fact Check Tools';
export const pageSourceId = (url: string): string => `factcheck:page:${url}`;

export interface FactCheckDeps {
  store: Store;
  log: Log;
  fetch: Omit<FetchOptions, 'previous'>;
  now?: () => Date;
}

export type FactCheckOutcome =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'unchanged' }
  | { outcome: 'baseline'; verdicts: number; dprk: number }
  | { outcome: 'changed'; added: number; changed: number; updated: number; alerts: VerdictAlert[] }
  | { outcome: 'degraded'; reason: string };

export interface FactCheckSourceReport {
  source: string;
  label: string;
  url: string;
  result: FactCheckOutcome;
  /** New alerts this source recorded (already persisted and queued for delivery). */
  alerts: VerdictAlert[];
}

export interface FactCheckPollReport {
  sources: FactCheckSourceReport[];
  alerts: VerdictAlert[];
}

type Settings = Pick<
  FactCheckConfig,
  'GOOGLE_FACTCHECK_API_KEY' | 'GOOGLE_FACTCHECK_URL' | 'FACTCHECK_QUERIES' | 'FACTCHECK_PAGES' | 'FACTCHECK_LANGUAGE'
> &
  Partial<Pick<FactCheckConfig, 'FACTCHECK_MAX_PAGES'>>;

/** The fact-check sources configuration enables, for `status` (id, label, URL without the key). */
export function factCheckSources(config: Settings): Array<{ id: string; label: string; url: string }> {
  return [
    { id: GOOGLE_SOURCE_ID, label: GOOGLE_SOURCE_LABEL, url: googleEndpoint(config.GOOGLE_FACTCHECK_URL) },
    ...config.FACTCHECK_PAGES.map((url) => ({ id: pageSourceId(url), label: pageLabel(url), url })),
  ];
}

function pageLabel(url: string): string {
  try {
    return `ClaimReview page ${new URL(url).hostname.replace(/^www\./, '') || url}`;
  } catch {
    return `ClaimReview page ${url}`;
  }
}

/** What a source's fetch+parse step yields: nothing new, or reviews to fold in. */
type Produced =
  | { unchanged: true; documents: DocumentState[] }
  | { unchanged: false; reviews: ParsedReview[]; warnings: string[]; documents: DocumentState[]; format: string };

/**
 * One poll of one fact-check source, with the pipeline's guarantees: the first successful
 * poll is a baseline; alerts are recorded (idempotently, deterministic ids) before the new
 * state is saved, so a crash in between re-runs to the same ids; any failure keeps the
 * previous state and marks the source degraded with the reason.
 */
async function runSource(
  id: string,
  label: string,
  url: string,
  deps: FactCheckDeps,
  produce: (previous: SourceStatus | undefined) => Promise<Produced>,
): Promise<FactCheckSourceReport> {
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const { store, log } = deps;
  const previous = await store.getStatus(id);
  const status: SourceStatus = { ...(previous ?? { source: id, url, warnings: [], documents: [] }), url, lastAttemptAt: now };
  const { degraded: _, ...healthy } = status;
  const report = (result: FactCheckOutcome, alerts: VerdictAlert[] = []): FactCheckSourceReport => ({ source: id, label, url, result, alerts });

  try {
    const produced = await produce(previous);
    if (produced.unchanged) {
      const state = await readSourceState(store, id);
      if (state) await ensureIndexed(store, state);
      await store.setStatus({ ...healthy, lastSuccessAt: now, documents: produced.documents });
      log.debug({ source: id }, `${id} unchanged`);
      return report({ outcome: 'unchanged' });
    }
    for (const w of produced.warnings) log.warn({ source: id }, w);
    const prevState = await readSourceState(store, id);
    const others = (await readAllStates(store)).filter((s) => s.source !== id);
    const elsewhere = new Map<string, StoredVerdict>(mergeStates(others).map((m) => [m.verdict.id, m]));
    const result = applyReviews(prevState, produced.reviews, { source: id, sourceLabel: label, now, elsewhere });
    const alerts = await store.recordAlerts(result.alerts);
    const changed = !prevState || prevState.version !== result.next.version;
    if (changed) await writeSourceState(store, result.next);
    else await ensureIndexed(store, result.next);
    await store.setStatus({
      ...healthy,
      lastSuccessAt: now,
      lastChangeAt: changed ? now : previous?.lastChangeAt,
      recordCount: result.next.entries.length,
      dprkCount: result.next.entries.filter((e) => e.verdict.dprk).length,
      format: produced.format,
      snapshotVersion: result.next.version,
      warnings: produced.warnings.slice(0, 50),
      documents: produced.documents,
    });
    if (result.baseline) {
      const dprk = result.next.entries.filter((e) => e.verdict.dprk).length;
      log.info({ source: id, verdicts: result.next.entries.length, dprk }, `${id} baseline stored: ${result.next.entries.length} fact-checked claim(s), ${dprk} DPRK-related (first poll alerts nothing)`);
      return report({ outcome: 'baseline', verdicts: result.next.entries.length, dprk });
    }
    if (!changed) return report({ outcome: 'unchanged' });
    log.info(
      { source: id, added: result.added, changed: result.changed, alerts: alerts.length },
      `${id}: ${result.added} new claim(s), ${result.changed} rating change(s), ${alerts.length} new alert(s)`,
    );
    return report({ outcome: 'changed', added: result.added, changed: result.changed, updated: result.updated, alerts }, alerts);
  } catch (e) {
    const reason = (e as Error).message;
    const since = previous?.degraded?.since ?? now;
    await store.setStatus({ ...status, degraded: { reason, since } });
    log.warn({ source: id, reason, degradedSince: since }, `${id} degraded: ${reason}`);
    return report({ outcome: 'degraded', reason });
  }
}

/** Google Fact Check Tools: every query, every page up to the cap. Skipped without an API key. */
export async function pollGoogleFactCheck(config: Settings, deps: FactCheckDeps): Promise<FactCheckSourceReport> {
  const endpoint = googleEndpoint(config.GOOGLE_FACTCHECK_URL);
  const key = config.GOOGLE_FACTCHECK_API_KEY;
  if (!key) {
    const reason = 'skipped: GOOGLE_FACTCHECK_API_KEY is not set (get a key for the Fact Check Tools API to enable this source)';
    const previous = await deps.store.getStatus(GOOGLE_SOURCE_ID);
    const { degraded: _, ...rest } = previous ?? { source: GOOGLE_SOURCE_ID, url: endpoint, warnings: [], documents: [] };
    await deps.store.setStatus({ ...rest, url: endpoint, format: 'skipped (no API key)', warnings: [reason] });
    deps.log.info({ source: GOOGLE_SOURCE_ID }, reason);
    return { source: GOOGLE_SOURCE_ID, label: GOOGLE_SOURCE_LABEL, url: endpoint, result: { outcome: 'skipped', reason }, alerts: [] };
  }
  return runSource(GOOGLE_SOURCE_ID, GOOGLE_SOURCE_LABEL, endpoint, deps, async () => {
    try {
      const found = await searchGoogle({
        endpoint,
        apiKey: key,
        queries: config.FACTCHECK_QUERIES,
        maxPages: config.FACTCHECK_MAX_PAGES ?? 5,
        fetch: deps.fetch,
        ...(config.FACTCHECK_LANGUAGE ? { language: config.FACTCHECK_LANGUAGE } : {}),
      });
      return { unchanged: false, reviews: found.reviews, warnings: found.warnings, documents: [], format: `claims:search (${found.requests} request(s))` };
    } catch (e) {
      throw new Error(redactKey((e as Error).message, key));
    }
  });
}

/** One fact-check article whose page carries ClaimReview JSON-LD (conditional GET: unchanged pages cost a 304). */
export async function pollClaimReviewPage(url: string, deps: FactCheckDeps): Promise<FactCheckSourceReport> {
  const id = pageSourceId(url);
  return runSource(id, pageLabel(url), url, deps, async (previous) => {
    const prevDocs = previous?.url === url && !previous.degraded ? previous.documents : [];
    const fetched = await fetchDocuments([{ url }], prevDocs, deps.fetch);
    if (fetched.unchanged) return { unchanged: true, documents: fetched.states };
    const body = fetched.bodies.get(url);
    if (!body || body.length === 0) throw new Error(`${url} answered an empty body`);
    const page = extractClaimReviews(body.toString('utf8'), url);
    if (page.reviews.length === 0) {
      const why =
        page.blocks === 0
          ? 'the page has no JSON-LD'
          : page.broken > 0
            ? `no ClaimReview could be read (${page.warnings.join('; ')})`
            : `no usable ClaimReview in ${page.blocks} JSON-LD block(s)${page.warnings.length ? ` (${page.warnings.join('; ')})` : ''}`;
      throw new Error(`${url}: ${why}; kept the previous verdicts`);
    }
    return { unchanged: false, reviews: page.reviews, warnings: [...fetched.warnings, ...page.warnings], documents: fetched.states, format: 'ClaimReview JSON-LD' };
  });
}

/**
 * Poll every fact-check source once: Google (when a key is set), then each FACTCHECK_PAGES
 * page, one after another (they share the verdict index). Seeds are not polled: call
 * `loadSeedVerdicts` at start.
 */
export async function pollFactChecks(config: Settings, deps: FactCheckDeps): Promise<FactCheckPollReport> {
  const sources: FactCheckSourceReport[] = [];
  sources.push(await pollGoogleFactCheck(config, deps));
  for (const url of config.FACTCHECK_PAGES) sources.push(await pollClaimReviewPage(url, deps));
  return { sources, alerts: sources.flatMap((s) => s.alerts) };
}
