import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { App } from './app.js';
import type { Log } from './log.js';

export interface SchedulerOptions {
  timezone: string;
  /** Upper bound of the random delay before each run, so many installs don't hit a source at once. */
  jitterMs: number;
  /** With several instances on one Redis: only the lease holder runs a tick. */
  runCoordinator?: RunCoordinator;
}

/** node-cron's distributed mode, only when a coordinator exists (without one node-cron throws). */
const distributed = (o: SchedulerOptions) => (o.runCoordinator ? { distributed: true, runCoordinator: o.runCoordinator } : {});

/** node-cron's own messages go to our structured log, not straight to the console. */
function cronLogger(log: Log) {
  const text = (m: string | Error) => (typeof m === 'string' ? m : m.message);
  return {
    info: (m: string) => log.debug({ component: 'node-cron' }, m),
    warn: (m: string) => log.debug({ component: 'node-cron' }, m),
    error: (m: string | Error) => log.error({ component: 'node-cron' }, text(m)),
    debug: (m: string | Error) => log.debug({ component: 'node-cron' }, text(m)),
  };
}

/**
 * One node-cron task per source. `noOverlap` skips a tick while the previous run of the
 * same source is still going (App.poll also shares in-flight runs), and `maxRandomDelay`
 * adds the jitter.
 */
export function startScheduler(app: App, log: Log, o: SchedulerOptions): { stop(): Promise<void> } {
  const tasks: ScheduledTask[] = app.sources.map((source) => {
    const expr = source.cron;
    const task = cron.schedule(
      expr,
      async () => {
        const { result } = await app.poll(source);
        if (result.outcome === 'degraded') log.warn({ source: source.id }, `scheduled poll of ${source.id} degraded`);
      },
      { name: `poll:${source.id}`, timezone: o.timezone, noOverlap: true, maxRandomDelay: o.jitterMs, logger: cronLogger(log), ...distributed(o) },
    );
    task.on('execution:failed', (ctx) =>
      log.error({ source: source.id, err: ctx.execution?.error?.message }, `poll of ${source.id} failed`),
    );
    task.on('execution:overlap', () =>
      log.warn({ source: source.id }, `skipped a ${source.id} tick: the previous poll is still running`),
    );
    log.info({ source: source.id, cron: expr, next: task.getNextRun()?.toISOString() }, `scheduled ${source.id}`);
    return task;
  });
  // Every minute: retry what is still queued, then send the daily digests that fell due (each
  // falls due at its subscription's own local time).
  tasks.push(cron.schedule('* * * * *', () => app.tick(), { name: 'deliveries', timezone: o.timezone, noOverlap: true, logger: cronLogger(log), ...distributed(o) }));
  return {
    async stop() {
      for (const t of tasks) await t.destroy();
    },
  };
}
