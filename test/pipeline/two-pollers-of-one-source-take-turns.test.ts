/**
 * Two pollers of one source on one store (two instances during a lease hand-over, or
 * `poll --once` from cron beside `start`) take turns on the source's lock. Without the lock,
 * each diffs its own fetch against the same stored list and the slower one stores its older
 * fetch last: the next poll then diffs that older list against the newer one and raises the
 * newer change a second time.
 *
 * Data: the real OFAC sdn.csv DPRK subsets of 2022-04-12 (stored first) and 2022-04-14 (the
 * LAZARUS GROUP amendment); "later" is the 04-14 file with the LAZARUS GROUP rows taken out —
 * a test variant of the real file standing for a delisting published after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Alert } from '../../src/core/alerts.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { fixtureText } from '../helpers/fixtures.js';
import { recordingLog } from '../helpers/pipeline.js';
import { storeTargets } from '../helpers/stores.js';

const APR12 = fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv');
const APR14 = fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv');
/** LAZARUS GROUP is ent_num 27307: its sdn.csv row starts with it. */
const LATER = APR14.split('\r\n').filter((row) => !row.startsWith('27307,')).join('\r\n');

/** A publisher whose answers are queued per request: a body, and how long to take over it. */
async function publisher(): Promise<{ url: string; answer: (body: string, delayMs?: number) => void; stop: () => Promise<void> }> {
  const queue: Array<{ body: string; delayMs: number }> = [];
  const server: Server = createServer((req, res) => {
    // Only sdn.csv: its companions (add.csv, alt.csv, sdn_comments.csv) are optional and absent here.
    if (!req.url?.endsWith('/sdn.csv')) return void res.writeHead(404).end();
    const next = queue.shift();
    if (!next) return void res.writeHead(500).end('no answer queued');
    setTimeout(() => res.writeHead(200, { 'content-type': 'text/csv' }).end(next.body), next.delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sdn.csv`,
    answer: (body, delayMs = 0) => void queue.push({ body, delayMs }),
    stop: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const named = (alerts: readonly Alert[]) => alerts.map((a) => `${a.kind} ${'name' in a ? a.name : a.id}`);

for (const target of storeTargets()) {
  describe(`two pollers of one source on ${target.name}`, () => {
    const open: Store[] = [];
    const cleanups: Array<() => Promise<void> | void> = [];
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
      for (const c of cleanups.splice(0)) await c();
    });
    afterAll(() => target.cleanup());

    it('take turns: the second diffs against what the first stored, so no change is raised twice', async () => {
      const pub = await publisher();
      cleanups.push(pub.stop);
      const dir = mkdtempSync(path.join(tmpdir(), 'two-pollers-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const url = target.name === 'sqlite' ? `sqlite://${path.join(dir, 'state.sqlite')}` : target.url();
      const namespace = target.namespace();
      const config = loadConfig({ STORE_URL: 'memory:', REPORT_FEEDS: 'none' });
      const instance = async () => {
        const store = await openStore(url, namespace);
        open.push(store);
        const log = recordingLog();
        // The source only: no health alerts or feeds, so the alerts are the list's changes.
        const source = ofacSdnSource(pub.url, { cron: '* * * * *' });
        return { store, log, app: new App({ config: { ...config, SOURCE_DEGRADED_ALERT_MS: 3_600_000 }, store, log, outputs: [], sources: [source] }) };
      };
      const a = await instance();
      const b = await instance();

      pub.answer(APR12);
      expect((await a.app.pollAll())[0]!.result.outcome).toBe('baseline');

      // A's fetch is slow and gets the 04-14 list; B starts while A is still at it and would get the later one.
      pub.answer(APR14, 1500);
      pub.answer(LATER);
      const first = a.app.pollAll();
      await new Promise((r) => setTimeout(r, 300));
      const second = b.app.pollAll();
      const [[ra], [rb]] = await Promise.all([first, second]);
      expect(ra!.result.outcome).toBe('changed');
      expect(rb!.result.outcome).toBe('changed');
      expect(b.log.lines.some((l) => /another process is polling ofac-sdn; waiting for it/.test(l.msg))).toBe(true);

      // Once more: the later list is what is stored, so nothing is new.
      pub.answer(LATER);
      expect((await a.app.pollAll())[0]!.result.outcome).toBe('unchanged');

      const all = await a.store.recentAlerts(50);
      expect(named(all.reverse())).toEqual(['designation.amended LAZARUS GROUP', 'designation.removed LAZARUS GROUP']);
    });
  });
}
