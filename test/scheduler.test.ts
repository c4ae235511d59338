import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startScheduler } from '../src/scheduler.js';
import { ofacSdnSource } from '../src/sources/ofac/source.js';
import { openStore } from '../src/store/open.js';
import { fixtureText } from './helpers/fixtures.js';
import { recordingLog } from './helpers/pipeline.js';
import { SourceServer } from './helpers/source-server.js';

const server = new SourceServer();
beforeAll(async () => {
  await server.start();
});
afterAll(() => server.stop());

describe('scheduler', () => {
  it('polls a source on its cron schedule and never runs two polls of one source at once', async () => {
    // The source hangs for 1.5 s (the fetch timeout) while cron fires every second.
    server.set('/slow/sdn_list.csv', { kind: 'hang' });
    const config = { ...loadConfig({}), FETCH_TIMEOUT_MS: 1500 };
    const store = await openStore('memory:', 'sched-overlap');
    const log = recordingLog();
    const app = new App({
      config,
      store,
      outputs: [],
      log,
      sources: [ofacSdnSource(server.url('/slow/sdn_list.csv'), { cron: '* * * * * *' })],
    });
    const scheduler = startScheduler(app, log, { timezone: 'UTC', jitterMs: 0 });
    await new Promise((r) => setTimeout(r, 4200));
    await scheduler.stop();
    await app.idle();
    const hits = server.hits.get('/slow/sdn_list.csv')?.total ?? 0;
    // ~4 ticks in 4.2 s, each poll lasting 1.5 s: without overlap protection there would be 4 fetches.
    expect(hits).toBeGreaterThanOrEqual(1);
    expect(hits).toBeLessThanOrEqual(3);
    expect((await store.getStatus('ofac-sdn'))?.degraded?.reason).toMatch(/did not answer within 1500 ms/);
  });

  it('shares one in-flight poll between concurrent callers', async () => {
    server.set('/once/sdn_list.csv', { kind: 'document', body: fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv') });
    const store = await openStore('memory:', 'sched-share');
    const config = loadConfig({});
    const log = recordingLog();
    const source = ofacSdnSource(server.url('/once/sdn_list.csv'), { cron: '0 * * * *' });
    const app = new App({ config, store, outputs: [], log, sources: [source] });
    const [a, b] = await Promise.all([app.poll(source), app.poll(source)]);
    expect(a).toBe(b);
    expect(server.hits.get('/once/sdn_list.csv')?.total).toBe(1);
  });
});
