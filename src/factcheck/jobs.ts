import type { Config } from '../config.js';
import type { JobResult, PollJob } from '../jobs.js';
import type { Log } from '../log.js';
import type { Store } from '../store/store.js';
import type { FactCheckConfig } from './config.js';
import { factCheckSources, GOOGLE_SOURCE_ID, pollClaimReviewPage, pollGoogleFactCheck, type FactCheckDeps, type FactCheckSourceReport } from './poll.js';

export interface FactCheckJobDeps {
  config: Pick<Config, 'FETCH_TIMEOUT_MS' | 'FETCH_MAX_BYTES' | 'USER_AGENT'> & FactCheckConfig;
  store: Store;
  log: Log;
  now?: () => Date;
}

/** One fact-check source's poll as the app's job result (one summary line for people). */
export function jobResult(r: FactCheckSourceReport): JobResult {
  const x = r.result;
  switch (x.outcome) {
    case 'skipped':
      // Not a failure: the source is off until a key is configured (status says so too).
      return { outcome: 'unchanged', alerts: [], summary: x.reason };
    case 'degraded':
      return { outcome: 'degraded', alerts: [], summary: `could not use the source — ${x.reason}` };
    case 'baseline':
      return { outcome: 'baseline', alerts: [], summary: `baseline of ${x.verdicts} fact-checked claim(s) stored, ${x.dprk} DPRK-related (no alerts on a first poll)` };
    case 'changed':
      return { outcome: 'changed', alerts: x.alerts, summary: `${x.added} new claim(s), ${x.changed} rating change(s), ${x.alerts.length} new alert(s)` };
    case 'unchanged':
      return { outcome: 'unchanged', alerts: [], summary: 'unchanged' };
  }
}

/**
 * Every fact-check source as a job on FACTCHECK_CRON: Google Fact Check Tools (skipped, with
 * a clear summary and status, when no key is set) and each FACTCHECK_PAGES page. For
 * `configuredJobs`: `...factCheckJobs(deps)`.
 */
export function factCheckJobs(deps: FactCheckJobDeps): PollJob[] {
  const { config } = deps;
  const pollDeps: FactCheckDeps = {
    store: deps.store,
    log: deps.log,
    fetch: { timeoutMs: config.FETCH_TIMEOUT_MS, maxBytes: config.FETCH_MAX_BYTES, userAgent: config.USER_AGENT },
    ...(deps.now ? { now: deps.now } : {}),
  };
  return factCheckSources(config).map(({ id, url }) => ({
    id,
    url,
    cron: config.FACTCHECK_CRON,
    run: async () => jobResult(id === GOOGLE_SOURCE_ID ? await pollGoogleFactCheck(config, pollDeps) : await pollClaimReviewPage(url, pollDeps)),
  }));
}
