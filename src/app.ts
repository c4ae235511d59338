import type { Config } from './config.js';
import type { Alert } from './core/alerts.js';
import type { SourceId } from './core/designation.js';
import { drainOutbox } from './delivery/outbox.js';
import type { AlertOutput } from './delivery/output.js';
import type { Log } from './log.js';
import { pollSource, type PollOutcome } from './pipeline/poll.js';
import type { ListSource } from './sources/list-source.js';
import { configuredSources, type ScheduledSource } from './sources/registry.js';
import type { Store } from './store/store.js';

export interface AppDeps {
  config: Config;
  store: Store;
  outputs: AlertOutput[];
  log: Log;
  /** Override the configured sources (the demo replays bundled files). */
  sources?: ScheduledSource[];
  now?: () => Date;
}

export interface PollReport {
  source: SourceId;
  result: PollOutcome;
}

/** The bot's main job, independent of how it is triggered (CLI, scheduler, tests). */
export class App {
  readonly sources: ScheduledSource[];
  private readonly running = new Map<SourceId, Promise<PollReport>>();
  // Drains run one after another: two polls finishing together must not both deliver one alert.
  private draining: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AppDeps) {
    this.sources = deps.sources ?? configuredSources(deps.config);
  }

  get store(): Store {
    return this.deps.store;
  }

  /** Poll one source and deliver what it produced. Concurrent calls for one source share a run. */
  poll(source: ListSource): Promise<PollReport> {
    const inFlight = this.running.get(source.id);
    if (inFlight) return inFlight;
    const run = (async () => {
      const { config, store, log } = this.deps;
      const result = await pollSource(source, {
        store,
        log,
        fetch: { timeoutMs: config.FETCH_TIMEOUT_MS, maxBytes: config.FETCH_MAX_BYTES, userAgent: config.USER_AGENT },
        scope: config.ALERT_SCOPE,
        maxRemovalShare: config.MAX_REMOVAL_SHARE,
        ...(this.deps.now ? { now: this.deps.now } : {}),
      });
      await this.deliver();
      return { source: source.id, result };
    })().finally(() => this.running.delete(source.id));
    this.running.set(source.id, run);
    return run;
  }

  /** Resolves when no poll or delivery is in flight (for a graceful shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
    await this.draining;
  }

  /** Poll every enabled source once (in parallel) and deliver. */
  pollAll(): Promise<PollReport[]> {
    return Promise.all(this.sources.map((s) => this.poll(s.source)));
  }

  /** Deliver anything queued, including alerts left undelivered by a previous run. */
  deliver(): Promise<Alert[]> {
    const next = this.draining.then(() => drainOutbox(this.deps.store, this.deps.outputs, this.deps.log));
    this.draining = next.catch(() => undefined);
    return next;
  }
}
