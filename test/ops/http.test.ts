import { afterEach, describe, expect, it } from 'vitest';
import { startOpsServer, storeAndSchedulerReady, type OpsServer } from '../../src/ops/http.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { OpsConfigSchema } from '../../src/ops/config.js';
import { openStore } from '../../src/store/open.js';

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const get = async (path: string) => {
  const res = await fetch(`http://127.0.0.1:${server!.port}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};

describe('ops http server', () => {
  it('/healthz answers 200 while the process is alive, and unknown paths 404', async () => {
    server = await startOpsServer({ port: 0, host: '127.0.0.1', registry: createMetrics().registry, ready: async () => ({ ok: false }) });
    const h = await get('/healthz');
    expect(h.status).toBe(200);
    expect(JSON.parse(h.text)).toEqual({ ok: true });
    expect((await get('/nope')).status).toBe(404);
  });

  it('/readyz: 200 when the store answers and the scheduler runs; 503 with the reason otherwise', async () => {
    const store = await openStore('memory:', 'ops-ready');
    let schedulerRunning = true;
    let storeDown = false;
    const probe = {
      getStatus: (s: string) => (storeDown ? Promise.reject(new Error('connection refused')) : store.getStatus(s)),
    };
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      registry: createMetrics().registry,
      ready: storeAndSchedulerReady({ store: probe, schedulerRunning: () => schedulerRunning }),
    });
    const ok = await get('/readyz');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ ok: true });

    storeDown = true;
    const down = await get('/readyz');
    expect(down.status).toBe(503);
    expect(down.type).toMatch(/application\/json/);
    expect(JSON.parse(down.text)).toEqual({ ok: false, reason: 'the store does not answer: connection refused' });

    storeDown = false;
    schedulerRunning = false;
    expect(JSON.parse((await get('/readyz')).text)).toEqual({ ok: false, reason: 'the scheduler is not running' });
    await store.close();
  });

  it('/readyz answers 503 when the check hangs or throws, instead of hanging the probe', async () => {
    server = await startOpsServer({ port: 0, host: '127.0.0.1', registry: createMetrics().registry, ready: () => new Promise(() => {}), readyTimeoutMs: 100 });
    const r = await get('/readyz');
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text).reason).toMatch(/did not answer within 100 ms/);
    await server.close();
    server = await startOpsServer({ port: 0, host: '127.0.0.1', registry: createMetrics().registry, ready: () => Promise.reject(new Error('boom')) });
    expect(await get('/readyz')).toMatchObject({ status: 503, text: '{"ok":false,"reason":"boom"}\n' });
  });

  it('/metrics exposes every dprk-watch metric after some calls', async () => {
    const m = createMetrics(undefined, { now: () => Date.parse('2024-01-01T00:10:00Z') });
    const statuses: Record<string, { lastSuccessAt?: string }> = { 'ofac-sdn': { lastSuccessAt: '2024-01-01T00:00:00Z' }, 'un-sc': {} };
    m.watchSources({ getStatus: async (s) => statuses[s] }, () => ['ofac-sdn', 'un-sc']);
    m.pollFinished('ofac-sdn', 'changed');
    m.pollFinished('ofac-sdn', 'changed');
    m.pollFinished('un-sc', 'degraded');
    m.alertsRecorded([{ kind: 'designation.added' }, { kind: 'designation.added' }, { kind: 'report.published' }]);
    m.delivered('discord', true);
    m.delivered('slack', false);
    m.observeLookup(0.0002);
    m.startLookup()();
    m.setLeader(true);
    server = await startOpsServer({ port: 0, host: '127.0.0.1', registry: m.registry, ready: async () => ({ ok: true }) });
    const r = await get('/metrics');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/text\/plain/);
    const lines = r.text.split('\n');
    for (const line of [
      'dprk_watch_polls_total{source="ofac-sdn",outcome="changed"} 2',
      'dprk_watch_polls_total{source="un-sc",outcome="degraded"} 1',
      'dprk_watch_alerts_total{kind="designation.added"} 2',
      'dprk_watch_alerts_total{kind="report.published"} 1',
      'dprk_watch_deliveries_total{output="discord",result="ok"} 1',
      'dprk_watch_deliveries_total{output="slack",result="failed"} 1',
      'dprk_watch_delivery_failures_total{output="slack"} 1',
      'dprk_watch_lookup_duration_seconds_count 2',
      'dprk_watch_source_age_seconds{source="ofac-sdn"} 600',
      'dprk_watch_leader 1',
    ])
      expect(lines).toContain(line);
    // A source that never succeeded has no age (rather than a misleading 0).
    expect(r.text).not.toMatch(/source_age_seconds\{source="un-sc"\}/);
    expect(r.text).toMatch(/^dprk_watch_process_resident_memory_bytes /m);
  });
});

describe('ops config', () => {
  it('has the documented defaults and rejects bad values', () => {
    const c = OpsConfigSchema.parse({});
    expect(c.HEALTH_PORT).toBe(9464);
    expect(c.LEASE_TTL_MS).toBe(60_000);
    expect(c.INSTANCE_ID).toMatch(new RegExp(`-${process.pid}$`));
    expect(OpsConfigSchema.parse({ HEALTH_PORT: '0', LEASE_TTL_MS: '5000', INSTANCE_ID: 'bot-a' })).toEqual({
      HEALTH_PORT: 0,
      LEASE_TTL_MS: 5000,
      INSTANCE_ID: 'bot-a',
    });
    expect(OpsConfigSchema.safeParse({ HEALTH_PORT: '70000' }).success).toBe(false);
    expect(OpsConfigSchema.safeParse({ LEASE_TTL_MS: 'soon' }).success).toBe(false);
  });
});
