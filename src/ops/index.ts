import type { Log } from '../log.js';
import type { OpsConfig } from './config.js';
import { startOpsServer, storeAndSchedulerReady, type OpsServer } from './http.js';
import { createLease, type Lease } from './lease.js';
import { processMetrics, type Metrics, type StatusReader } from './metrics.js';

export { OpsConfigShape, type OpsConfig } from './config.js';
export { startOpsServer, storeAndSchedulerReady, type OpsServer, type Readiness } from './http.js';
export { createLease, type Lease, type LeaseOptions } from './lease.js';
export { createMetrics, metrics, processMetrics, type Metrics } from './metrics.js';

export interface Ops {
  lease: Lease;
  metrics: Metrics;
  /** undefined when HEALTH_PORT=0 */
  server: OpsServer | undefined;
  /** Stop serving, give up the lease (so another instance takes over at once), close Redis. */
  close(): Promise<void>;
}

/**
 * Everything `start` needs in one call: the lease for STORE_URL (started: it leads or follows in
 * the background), the leader gauge and source ages wired to the metrics, and the ops server.
 */
export async function startOps(o: {
  config: OpsConfig & { STORE_URL: string };
  store: StatusReader;
  sources: () => readonly string[];
  schedulerRunning: () => boolean;
  log: Log;
  metrics?: Metrics;
  leaseKey?: string;
}): Promise<Ops> {
  const m = o.metrics ?? processMetrics();
  m.watchSources(o.store, o.sources);
  const lease = createLease({ url: o.config.STORE_URL, key: o.leaseKey, ttlMs: o.config.LEASE_TTL_MS, instanceId: o.config.INSTANCE_ID, log: o.log });
  lease.onChange((leader) => m.setLeader(leader));
  await lease.start();
  m.setLeader(lease.isLeader());
  const server =
    o.config.HEALTH_PORT === 0
      ? undefined
      : await startOpsServer({
          port: o.config.HEALTH_PORT,
          registry: m.registry,
          ready: storeAndSchedulerReady({ store: o.store, schedulerRunning: o.schedulerRunning }),
          log: o.log,
        });
  return {
    lease,
    metrics: m,
    server,
    async close() {
      await server?.close();
      await lease.close();
      m.setLeader(false);
    },
  };
}
