import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The part of the store the source-age gauge reads (Store satisfies it). */
export interface StatusReader {
  getStatus(source: string): Promise<{ lastSuccessAt?: string | undefined } | undefined>;
}

export type PollOutcome = string; // JobResult['outcome']: 'changed' | 'unchanged' | 'degraded' | …

/**
 * dprk-watch's Prometheus metrics. Every name is prefixed `dprk_watch_`.
 *
 * - `dprk_watch_polls_total{source,outcome}`          polls finished
 * - `dprk_watch_alerts_total{kind}`                   alerts recorded (new ones only)
 * - `dprk_watch_deliveries_total{output,result}`      alert hand-offs to an output (result ok|failed)
 * - `dprk_watch_delivery_failures_total{output}`      failed hand-offs (the alert stays queued)
 * - `dprk_watch_lookup_duration_seconds`              lookup latency histogram
 * - `dprk_watch_source_age_seconds{source}`           seconds since the last successful poll (on scrape)
 * - `dprk_watch_leader`                               1 while this instance holds the lease
 */
export interface Metrics {
  readonly registry: Registry;
  pollFinished(source: string, outcome: PollOutcome): void;
  alertsRecorded(alerts: readonly { kind: string }[]): void;
  delivered(output: string, ok: boolean): void;
  observeLookup(seconds: number): void;
  /** Time a lookup: `const end = metrics.startLookup(); …; end()`. */
  startLookup(): () => void;
  setLeader(leader: boolean): void;
  /** Compute source ages from the store at every scrape. Call again to replace the binding. */
  watchSources(store: StatusReader, sources: () => readonly string[]): void;
}

export interface CreateMetricsOptions {
  /** Also export the process metrics (CPU, memory, event-loop lag…). Default: true. */
  defaultMetrics?: boolean;
  /** Clock for source ages (tests). */
  now?: () => number;
}

/** Fresh metrics on their own registry (tests), or on the one given. */
export function createMetrics(registry: Registry = new Registry(), o: CreateMetricsOptions = {}): Metrics {
  const now = o.now ?? Date.now;
  if (o.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'dprk_watch_' });
  const registers = [registry];
  const polls = new Counter({ name: 'dprk_watch_polls_total', help: 'Polls finished, by source and outcome', labelNames: ['source', 'outcome'], registers });
  const alerts = new Counter({ name: 'dprk_watch_alerts_total', help: 'New alerts recorded, by kind', labelNames: ['kind'], registers });
  const deliveries = new Counter({
    name: 'dprk_watch_deliveries_total',
    help: 'Alert hand-offs to an output, by output and result',
    labelNames: ['output', 'result'],
    registers,
  });
  const failures = new Counter({
    name: 'dprk_watch_delivery_failures_total',
    help: 'Failed alert hand-offs (the alert stays queued for the next drain)',
    labelNames: ['output'],
    registers,
  });
  const lookup = new Histogram({
    name: 'dprk_watch_lookup_duration_seconds',
    help: 'Time to answer one lookup',
    // Lookups take ≈0.07 ms warm and ≈1 s when an index is (re)built.
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5],
    registers,
  });
  const leader = new Gauge({ name: 'dprk_watch_leader', help: '1 while this instance holds the leader lease (polls and delivers)', registers });
  leader.set(0);

  let watched: { store: StatusReader; sources: () => readonly string[] } | undefined;
  new Gauge({
    name: 'dprk_watch_source_age_seconds',
    help: 'Seconds since the last successful poll of each source (absent until its first success)',
    labelNames: ['source'],
    registers,
    async collect() {
      this.reset();
      if (!watched) return;
      const { store, sources } = watched;
      await Promise.all(
        sources().map(async (source) => {
          const at = (await store.getStatus(source).catch(() => undefined))?.lastSuccessAt;
          const t = at ? Date.parse(at) : NaN;
          if (Number.isFinite(t)) this.set({ source }, Math.max(0, (now() - t) / 1000));
        }),
      );
    },
  });

  const observeLookup = (seconds: number) => lookup.observe(seconds);
  return {
    registry,
    pollFinished: (source, outcome) => polls.inc({ source, outcome }),
    alertsRecorded(list) {
      for (const a of list) alerts.inc({ kind: a.kind });
    },
    delivered(output, ok) {
      deliveries.inc({ output, result: ok ? 'ok' : 'failed' });
      if (!ok) failures.inc({ output });
    },
    observeLookup,
    startLookup() {
      const t0 = process.hrtime.bigint();
      return () => observeLookup(Number(process.hrtime.bigint() - t0) / 1e9);
    },
    setLeader: (isLeader) => leader.set(isLeader ? 1 : 0),
    watchSources(store, sources) {
      watched = { store, sources };
    },
  };
}

let defaultMetrics: Metrics | undefined;

/** The process's metrics, on its own registry, created on first use. */
export function processMetrics(): Metrics {
  defaultMetrics ??= createMetrics();
  return defaultMetrics;
}

/**
 * The process-wide metrics, for one-line calls from App, the outbox and commands:
 * `metrics.pollFinished(job.id, result.outcome)`.
 */
export const metrics: Omit<Metrics, 'registry'> & { readonly registry: Registry } = {
  get registry() {
    return processMetrics().registry;
  },
  pollFinished: (s, o) => processMetrics().pollFinished(s, o),
  alertsRecorded: (a) => processMetrics().alertsRecorded(a),
  delivered: (out, ok) => processMetrics().delivered(out, ok),
  observeLookup: (s) => processMetrics().observeLookup(s),
  startLookup: () => processMetrics().startLookup(),
  setLeader: (l) => processMetrics().setLeader(l),
  watchSources: (st, src) => processMetrics().watchSources(st, src),
};
