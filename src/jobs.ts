import type { Config } from './config.js';
import { SOURCE_LABELS, type Alert } from './core/alerts.js';
import { factCheckJobs } from './factcheck/jobs.js';
import { configuredFeeds, type ConfiguredFeed } from './feeds/config.js';
import { storedParties } from './feeds/parties.js';
import { pollFeed } from './feeds/poll.js';
import type { Log } from './log.js';
import { pollSource } from './pipeline/poll.js';
import type { ListSource } from './sources/list-source.js';
import { configuredSources } from './sources/registry.js';
import type { Store } from './store/store.js';

export interface JobResult {
  /** 'skipped': another process kept the source's lock the whole time this run could wait. */
  outcome: 'baseline' | 'unchanged' | 'changed' | 'degraded' | 'skipped';
  /** New alerts this run persisted (already queued for delivery). */
  alerts: Alert[];
  /** One line for people: what happened, or why the source could not be used. */
  summary: string;
}

/** Something the scheduler polls: a sanctions list, a report feed, a fact-check source. */
export interface PollJob {
  id: string;
  /** Human name for health alerts (default: the id). */
  label?: string;
  url: string;
  cron: string;
  run(): Promise<JobResult>;
}

export interface JobDeps {
  config: Config;
  store: Store;
  log: Log;
  now?: () => Date;
}

export function fetchOptions(config: Config) {
  return { timeoutMs: config.FETCH_TIMEOUT_MS, maxBytes: config.FETCH_MAX_BYTES, userAgent: config.USER_AGENT };
}

/** A sanctions list as a job. */
export function listJob(source: ListSource, cron: string, deps: JobDeps): PollJob {
  return {
    id: source.id,
    label: SOURCE_LABELS[source.id],
    url: source.url,
    cron,
    async run() {
      const r = await pollSource(source, {
        store: deps.store,
        log: deps.log,
        fetch: fetchOptions(deps.config),
        scope: deps.config.ALERT_SCOPE,
        maxRemovalShare: deps.config.MAX_REMOVAL_SHARE,
        ...(deps.now ? { now: deps.now } : {}),
      });
      switch (r.outcome) {
        case 'degraded':
          return { outcome: r.outcome, alerts: [], summary: `could not use the source — ${r.reason}` };
        case 'baseline':
          return { outcome: r.outcome, alerts: [], summary: `baseline of ${r.recordCount} records stored (no alerts on a first poll)` };
        case 'changed':
          return { outcome: r.outcome, alerts: r.alerts, summary: `${r.changes} change(s), ${r.alerts.length} new alert(s)` };
        case 'unchanged':
          return { outcome: r.outcome, alerts: [], summary: 'unchanged' };
      }
    },
  };
}

/** A press-release or advisory feed as a job. */
export function feedJob(feed: ConfiguredFeed, cron: string, deps: JobDeps, parties: ReturnType<typeof storedParties>): PollJob {
  return {
    id: `feed:${feed.id}`,
    label: feed.title,
    url: feed.url,
    cron,
    async run() {
      const r = await pollFeed(feed, {
        store: deps.store,
        log: deps.log,
        fetch: fetchOptions(deps.config),
        parties,
        ...(deps.now ? { now: deps.now } : {}),
      });
      const summary =
        r.outcome === 'degraded'
          ? `could not use the feed — ${r.reason ?? 'unknown reason'}`
          : r.outcome === 'baseline'
            ? 'baseline of the feed stored (no alerts on a first poll)'
            : r.outcome === 'changed'
              ? `${r.alerts.length} new DPRK-relevant item(s)`
              : 'unchanged';
      return { outcome: r.outcome, alerts: r.alerts, summary };
    },
  };
}

/** Every job the configuration enables. */
export function configuredJobs(deps: JobDeps): PollJob[] {
  // One cached view of the stored lists, shared by every feed's mention matcher.
  const parties = storedParties(deps.store, deps.config.SOURCES);
  return [
    ...configuredSources(deps.config).map((s) => listJob(s.source, s.cron, deps)),
    ...configuredFeeds(deps.config).map((f) => feedJob(f, deps.config.REPORT_FEEDS_CRON, deps, parties)),
    ...factCheckJobs(deps),
  ];
}
