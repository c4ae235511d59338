import type { Config } from './config.js';
import type { Alert } from './core/alerts.js';
import { sendDueDigests, type DigestRun } from './delivery/digests.js';
import { drainOutbox } from './delivery/outbox.js';
import type { AlertOutput } from './delivery/output.js';
import type { Log } from './log.js';
import pLimit from 'p-limit';
import { withTightHeap } from './ops/collect.js';
import { metrics } from './ops/metrics.js';
import { checkSourceHealth } from './pipeline/health.js';
import { pollSource, type PollResult } from './pipeline/poll.js';
import { configuredSources } from './sources/registry.js';
import type { FetchOptions } from './sources/fetcher.js';
import type { Source } from './sources/source.js';
import { withLock, type HeldLock } from './store/lock.js';
import type { Store } from './store/store.js';

export interface AppDeps {
  config: Config;
  store: Store;
  outputs: AlertOutput[];
  log: Log;
  /** Override the configured sources (the demo replays bundled files; tests use fakes). */
  sources?: Source[];
  now?: () => Date;
  /** Told how long downloads progress (a terminal shows them; see src/cli/download-progress.ts). */
  downloadProgress?: FetchOptions['onProgress'];
  /** Checked before each alert: with several instances, only the lease holder delivers. */
  shouldDeliver?: () => boolean;
  /**
   * Run after polls stored new editions of lists (src/watch/match.ts checkWatchlists): records
   * the watchlist alerts the new editions raise. Once per run of list polls that take turns
   * (after the last one), outside the pure pipeline, inside the last list's lock.
   */
  afterListStored?: () => Promise<Alert[]>;
}

export interface PollReport {
  source: string;
  result: PollResult;
}

/**
 * How long a poll or a delivery waits for another process that holds the same lock (a poll of
 * the same source, a delivery) before giving this turn up. Longer than any one poll; a
 * delivery that gives up leaves everything queued for the next turn (at most a minute later).
 */
const LOCK_WAIT_MS = 5 * 60_000;

/** The bot's main source, independent of how it is triggered (CLI, scheduler, tests). */
export class App {
  readonly sources: Source[];
  private readonly running = new Map<string, Promise<PollReport>>();
  // Whole-list polls take turns: seven lists polled at once held all seven documents, texts and
  // record sets in memory together (a peak of 700 MB measured in npm run bench:lists).
  private readonly listTurn = pLimit(1);
  /** A list edition was stored since the last watchlist check. */
  private watchCheckDue = false;
  // Drains run one after another: two polls finishing together must not both deliver one alert.
  private draining: Promise<unknown> = Promise.resolve();
  private closing = false;

  constructor(private readonly deps: AppDeps) {
    this.sources = deps.sources ?? configuredSources(deps.config);
  }

  get store(): Store {
    return this.deps.store;
  }

  private get keepWaiting(): () => boolean {
    return () => !this.closing && (this.deps.shouldDeliver?.() ?? true);
  }

  /**
   * Poll one source and deliver what it produced. Concurrent calls for one source share a run; a run
   * holds the source's lock in the store, so another process polling the same source waits
   * for it instead of diffing against the same stored list (and the health check's
   * read-modify-write of the source status is covered too).
   */
  poll(source: Source): Promise<PollReport> {
    const inFlight = this.running.get(source.id);
    if (inFlight) return inFlight;
    const { log, store } = this.deps;
    const run = (async () => {
      let result: PollResult;
      const work = () => (source.wholeList ? this.listTurn(() => this.runListPoll(source)) : this.runPoll(source));
      const locked = await withLock(store, `poll:${source.id}`, work, {
        waitMs: LOCK_WAIT_MS,
        keepWaiting: () => !this.closing,
        what: `polling ${source.id}`,
        onWait: (h) => log.info({ source: source.id, holder: `${h.host}:${h.pid}` }, `another process is polling ${source.id}; waiting for it`),
      }).catch((e: unknown) => ({ ran: true as const, value: this.failed(source, e) }));
      if (locked.ran) result = locked.value;
      else {
        result = { outcome: 'skipped', alerts: [], summary: 'skipped: another process kept polling this source' };
        metrics.pollFinished(source.id, result.outcome);
      }
      await this.deliver();
      return { source: source.id, result };
    })().finally(() => this.running.delete(source.id));
    this.running.set(source.id, run);
    return run;
  }

  private failed(source: Source, e: unknown): PollResult {
    // Jobs record their own degraded state; this is the last line for unexpected errors (store down…).
    this.deps.log.error({ source: source.id, err: (e as Error).message }, `poll of ${source.id} failed`);
    return { outcome: 'degraded', alerts: [], summary: `could not use the source — ${(e as Error).message}` };
  }

  /**
   * A whole-list poll, in its turn, with a heap kept close to what is live, and a collection
   * after it: the next list starts from a small heap. The watchlist check runs once the last
   * list waiting for a turn is stored, not after each: it matches every watch against all
   * lists, so one check after seven new editions finds what seven would, for one lookup-index
   * build instead of seven.
   */
  private async runListPoll(source: Source): Promise<PollResult> {
    const result = await withTightHeap(() => this.runPoll(source));
    if (result.outcome === 'changed' || result.outcome === 'baseline') this.watchCheckDue = true;
    if (this.watchCheckDue && this.listTurn.pendingCount === 0) await this.checkWatchlists(source);
    return result;
  }

  private async checkWatchlists(source: Source): Promise<void> {
    this.watchCheckDue = false;
    if (!this.deps.afterListStored) return;
    try {
      metrics.alertsRecorded(await this.deps.afterListStored());
    } catch (e) {
      // The edition is stored; the next stored edition checks every watch again (nothing is lost).
      this.deps.log.error({ source: source.id, err: (e as Error).message }, 'watchlist check failed');
    }
  }

  private async runPoll(source: Source): Promise<PollResult> {
    let result: PollResult;
    try {
      const { config, store, log, now } = this.deps;
      result = await pollSource(source, {
        store,
        log,
        fetch: {
          timeoutMs: config.FETCH_TIMEOUT_MS,
          maxBytes: config.FETCH_MAX_BYTES,
          userAgent: config.USER_AGENT,
          ...(this.deps.downloadProgress ? { onProgress: this.deps.downloadProgress } : {}),
        },
        scope: config.ALERT_SCOPE,
        maxRemovalShare: config.MAX_REMOVAL_SHARE,
        ...(now ? { now } : {}),
      });
    } catch (e) {
      result = this.failed(source, e);
    }
    metrics.pollFinished(source.id, result.outcome);
    metrics.alertsRecorded(result.alerts);
    try {
      const health = await checkSourceHealth(this.deps.store, source.id, source.label, this.deps.config.SOURCE_DEGRADED_ALERT_MS, this.deps.now?.());
      metrics.alertsRecorded(health);
    } catch (e) {
      this.deps.log.error({ source: source.id, err: (e as Error).message }, 'source-health check failed');
    }
    return result;
  }

  /**
   * Poll every source once (in parallel; whole lists take turns, the largest stored list first)
   * and deliver; reports in the configured order. The largest list goes first because a process
   * keeps some of what each list's turn freed (allocator pages V8 has given back, which glibc
   * keeps): the Swiss list parsed last peaked tens of MB higher than parsed first.
   */
  async pollAll(): Promise<PollReport[]> {
    const sizes = new Map(
      await Promise.all(this.sources.map(async (s) => [s.id, s.wholeList ? ((await this.deps.store.getStatus(s.id).catch(() => undefined))?.recordCount ?? 0) : 0] as const)),
    );
    // A stable sort: lists never stored keep the configured order.
    const started = new Map([...this.sources].sort((a, b) => sizes.get(b.id)! - sizes.get(a.id)!).map((s) => [s.id, this.poll(s)] as const));
    return Promise.all(this.sources.map((s) => started.get(s.id)!));
  }

  /** Stop waiting for locks and starting work; resolves when nothing is in flight (graceful shutdown). */
  async close(): Promise<void> {
    this.closing = true;
    await this.idle();
  }

  /** Resolves when no poll or delivery is in flight. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
    await this.draining;
  }

  /**
   * Work that posts to chats, in turn within this process and under the store's delivery lock
   * across processes: two drains at once would post an alert twice. Sends stop when the lock
   * could have lapsed, when this process stops leading, or when it shuts down.
   */
  private delivering<T>(what: string, idle: T, work: (shouldContinue: () => boolean) => Promise<T>): Promise<T> {
    const { log, store, shouldDeliver } = this.deps;
    const next = this.draining.then(async () => {
      if (shouldDeliver && !shouldDeliver()) return idle;
      const locked = await withLock(store, 'delivery', (lock: HeldLock) => work(() => lock.held() && (shouldDeliver?.() ?? true)), {
        waitMs: LOCK_WAIT_MS,
        keepWaiting: this.keepWaiting,
        what,
        onWait: (h) => log.info({ holder: `${h.host}:${h.pid}`, doing: h.what }, `another process is delivering; ${what} waits for it`),
      });
      return locked.ran ? locked.value : idle;
    });
    this.draining = next.catch(() => undefined);
    return next;
  }

  /** Deliver anything queued, including alerts left undelivered by a previous run. */
  deliver(): Promise<Alert[]> {
    return this.delivering('delivering alerts', [] as Alert[], (shouldContinue) => drainOutbox(this.deps.store, this.deps.outputs, this.deps.log, shouldContinue));
  }

  /** Send the daily digests that are due. */
  sendDigests(now?: Date): Promise<DigestRun> {
    const when = now ?? this.deps.now?.() ?? new Date();
    return this.delivering('sending digests', { sent: 0, skipped: 0, failed: 0 }, (shouldContinue) =>
      sendDueDigests(this.deps.store, this.deps.outputs, this.deps.log, when, shouldContinue),
    );
  }

  /**
   * The scheduler's minute: retry what is still queued (a destination that failed, alerts
   * another process recorded), then send the digests that fell due.
   */
  async tick(now?: Date): Promise<void> {
    await this.deliver();
    await this.sendDigests(now);
  }
}
