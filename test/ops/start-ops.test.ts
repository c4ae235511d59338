import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startOps } from '../../src/ops/index.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { openStore } from '../../src/store/open.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('startOps (what `start` calls)', () => {
  it('on a memory store: always leader, serves /readyz and /metrics with the leader gauge at 1', async () => {
    const store = await openStore('memory:', 'ops-start');
    const port = await freePort();
    let running = true;
    const ops = await startOps({
      config: { STORE_URL: 'memory:', HEALTH_PORT: port, LEASE_TTL_MS: 60_000, INSTANCE_ID: 'test' },
      store,
      sources: () => ['ofac-sdn'],
      schedulerRunning: () => running,
      log: silent,
      metrics: createMetrics(),
    });
    try {
      expect(ops.lease.isLeader()).toBe(true);
      expect(ops.server?.port).toBe(port);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      running = false;
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toMatch(/^dprk_watch_leader 1$/m);
    } finally {
      await ops.close();
      await store.close();
    }
  });

  it('HEALTH_PORT=0 starts no server', async () => {
    const store = await openStore('memory:', 'ops-start-0');
    const ops = await startOps({
      config: { STORE_URL: 'memory:', HEALTH_PORT: 0, LEASE_TTL_MS: 60_000, INSTANCE_ID: 'test' },
      store,
      sources: () => [],
      schedulerRunning: () => true,
      log: silent,
      metrics: createMetrics(),
    });
    expect(ops.server).toBeUndefined();
    await ops.close();
    await store.close();
  });
});
