import type { Config } from './config.js';
import type { Alert } from './core/alerts.js';
import { drainOutbox, sendDueDigests } from './delivery/outbox.js';
import type { AlertOutput } from './delivery/output.js';
import { configuredJobs, type JobResult, type PollJob } from './jobs.js';
import type { Log } from './log.js';
import { metrics } from './ops/metrics.js';
import { checkSourceHealth } from './pipeline/health.js';
import type { Store } from './store/store.js';

export interface AppDeps {
  config: Config;
  store: Store;
  outputs: AlertOutput[];
  log: Log;
  /** Override the configured jobs (the demo replays bundled files; tests use fakes). */
  jobs?: PollJob[];
  now?: () => Date;
  /** Checked before each alert: with several instances, only the lease holder delivers. */
  shouldDeliver?: () => boolean;
}

export interface PollReport {
  source: string;
  result: JobResult;
}

/** The bot's main job, independent of how it is triggered (CLI, scheduler, tests). */
export class App {
  readonly jobs: PollJob[];
  private readonly running = new Map<string, Promise<PollReport>>();
  // Drains run one after another: two polls finishing together must not both deliver one alert.
  private draining: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AppDeps) {
    this.jobs = deps.jobs ?? configuredJobs(deps);
  }

  get store(): Store {
    return this.deps.store;
  }

  /** Run one job and deliver what it produced. Concurrent calls for one job share a run. */
  poll(job: PollJob): Promise<PollReport> {
    const inFlight = this.running.get(job.id);
    if (inFlight) return inFlight;
    const run = (async () => {
      let result: JobResult;
      try {
        result = await job.run();
      } catch (e) {
        // Jobs record their own degraded state; this is the last line for unexpected errors (store down…).
        this.deps.log.error({ source: job.id, err: (e as Error).message }, `poll of ${job.id} failed`);
        result = { outcome: 'degraded', alerts: [], summary: `could not use the source — ${(e as Error).message}` };
      }
      metrics.pollFinished(job.id, result.outcome);
      metrics.alertsRecorded(result.alerts);
      try {
        const health = await checkSourceHealth(this.deps.store, job.id, job.label ?? job.id, this.deps.config.SOURCE_DEGRADED_ALERT_MS, this.deps.now?.());
        metrics.alertsRecorded(health);
      } catch (e) {
        this.deps.log.error({ source: job.id, err: (e as Error).message }, 'source-health check failed');
      }
      await this.deliver();
      return { source: job.id, result };
    })().finally(() => this.running.delete(job.id));
    this.running.set(job.id, run);
    return run;
  }

  /** Run every job once (in parallel) and deliver. */
  pollAll(): Promise<PollReport[]> {
    return Promise.all(this.jobs.map((j) => this.poll(j)));
  }

  /** Resolves when no poll or delivery is in flight (for a graceful shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
    await this.draining;
  }

  /** Send the daily digests that are due (the scheduler calls this every minute). */
  sendDigests(now?: Date): Promise<number> {
    const next = this.draining.then(() => sendDueDigests(this.deps.store, this.deps.outputs, this.deps.log, now));
    this.draining = next.catch(() => undefined);
    return next;
  }

  /** Deliver anything queued, including alerts left undelivered by a previous run. */
  deliver(): Promise<Alert[]> {
    const next = this.draining.then(() => drainOutbox(this.deps.store, this.deps.outputs, this.deps.log, this.deps.shouldDeliver));
    this.draining = next.catch(() => undefined);
    return next;
  }
}
