import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusReply } from '../../../commands/status.js';
import { ReportAlertSchema } from '../../../src/core/reports.js';
import { FeedStateSchema, feedStateKey, rememberIds, reportAlertId, SEEN_LIMIT } from '../../../src/sources/feeds/source.js';
import { renderAlertText } from '../../../src/render/text.js';
import { openStore } from '../../../src/store/open.js';
import type { Store } from '../../../src/store/store.js';
import { recordingLog } from '../../helpers/pipeline.js';
import { SourceServer } from '../../helpers/source-server.js';
import {
  blocks,
  fbiFeed,
  feedDeps,
  feedFixture,
  pollFeed,
  rewriteDatesAndReorder,
  testFeed,
  withBlocks,
  withoutNewest,
} from './helpers.js';

const server = new SourceServer();
beforeAll(async () => {
  await server.start();
});
afterAll(() => server.stop());

let ns = 0;
const memoryStore = () => openStore('memory:', `feeds-${ns++}`);
const RSS = 'application/rss+xml; charset=UTF-8';
const serve = (p: string, body: string, contentType = RSS) => server.set(p, { kind: 'document', body, contentType });

const STATE = feedFixture('state_press_releases.xml');
const CISA = feedFixture('cisa_advisories.xml');
const ATOM = feedFixture('38north_atom.xml');
const TREASURY = feedFixture('treasury_press_releases.html');
const MSMT = feedFixture('msmt_home.html');

const NO_MARKUP = /<\/?[a-z][^>]*>/i;
const NO_ENTITY = /&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;

describe('pollFeed', () => {
  it('the first poll is a baseline: no alerts even though the feed has DPRK items', async () => {
    const store = await memoryStore();
    serve('/state/baseline', STATE);
    const r = await pollFeed(testFeed('state', server.url('/state/baseline')), feedDeps(store));
    expect(r).toEqual({ outcome: 'baseline', alerts: [] });
    expect(await store.pendingAlerts()).toEqual([]);
    const state = await store.getValue(feedStateKey('state'), FeedStateSchema);
    expect(state?.ids).toHaveLength(6);
    const status = await store.getStatus('feed:state');
    expect(status).toMatchObject({ source: 'feed:state', recordCount: 6, format: 'rss' });
    expect(status?.degraded).toBeUndefined();
    // A feed's date is its newest item's, and status says so.
    expect([status?.listDate, status?.listDateBasis]).toEqual(['2025-07-11T13:09:35.000Z', 'newest-item']);
    const shown = await statusReply({ store, sources: [{ id: 'feed:state', url: server.url('/state/baseline') }] });
    expect(shown.text).toContain('  newest item published 2025-07-11\n');
  });

  it('a feed that rewrites pubDate and reorders its items between polls repeats nothing; its one new item alerts once', async () => {
    const store = await memoryStore();
    const feed = testFeed('state', server.url('/state/rewrites'), 'rss', { title: 'U.S. State Department press releases' });
    serve('/state/rewrites', withoutNewest(STATE, 1));
    expect((await pollFeed(feed, feedDeps(store))).outcome).toBe('baseline');

    serve('/state/rewrites', rewriteDatesAndReorder(withoutNewest(STATE, 1), 2));
    expect(await pollFeed(feed, feedDeps(store))).toEqual({ outcome: 'unchanged', alerts: [] });
    serve('/state/rewrites', rewriteDatesAndReorder(withoutNewest(STATE, 1), 3));
    expect(await pollFeed(feed, feedDeps(store))).toEqual({ outcome: 'unchanged', alerts: [] });

    serve('/state/rewrites', rewriteDatesAndReorder(STATE, 4));
    const r = await pollFeed(feed, feedDeps(store));
    expect(r.outcome).toBe('changed');
    expect(r.alerts.map((a) => a.report.title)).toEqual(['Imposing Sanctions on Facilitators of the DPRK’s Overseas IT Worker Revenue']);
    expect(r.alerts[0]).toMatchObject({
      kind: 'report.published',
      source: 'feed:state',
      sourceLabel: 'U.S. State Department press releases',
      dprk: true,
      url: 'https://www.state.gov/releases/office-of-the-spokesperson/2025/07/imposing-sanctions-on-facilitators-of-the-dprks-overseas-it-worker-revenue',
    });
    expect(r.alerts[0]!.report.matchedTerms).toEqual(expect.arrayContaining(['DPRK', 'Pyongyang', 'IT workers']));

    serve('/state/rewrites', rewriteDatesAndReorder(STATE, 5));
    expect(await pollFeed(feed, feedDeps(store))).toEqual({ outcome: 'unchanged', alerts: [] });
    expect(await store.pendingAlerts()).toHaveLength(1);
  });

  it('filters out items that are not DPRK-relevant: of two new releases, only the DPRK one alerts', async () => {
    const store = await memoryStore();
    const feed = testFeed('state', server.url('/state/filter'));
    serve('/state/filter', withoutNewest(STATE, 2));
    await pollFeed(feed, feedDeps(store));
    serve('/state/filter', STATE);
    const r = await pollFeed(feed, feedDeps(store));
    expect(r.outcome).toBe('changed');
    expect(r.alerts.map((a) => a.report.title)).toEqual(['Imposing Sanctions on Facilitators of the DPRK’s Overseas IT Worker Revenue']);
    expect(await store.getValue(feedStateKey('state'), FeedStateSchema)).toMatchObject({ ids: expect.any(Array) });
    expect((await store.getValue(feedStateKey('state'), FeedStateSchema))!.ids).toHaveLength(6);
  });

  it('strips HTML from descriptions (CISA advisory): plain-text summary, no markup or entities, at most 500 characters', async () => {
    const store = await memoryStore();
    const feed = testFeed('cisa', server.url('/cisa/all.xml'), 'rss', { title: 'CISA cybersecurity advisories' });
    serve('/cisa/all.xml', withoutNewest(CISA, 1));
    await pollFeed(feed, feedDeps(store));
    serve('/cisa/all.xml', CISA);
    const r = await pollFeed(feed, feedDeps(store));
    expect(r.alerts).toHaveLength(1);
    const report = r.alerts[0]!.report;
    expect(report.title).toBe("North Korea Cyber Group Conducts Global Espionage Campaign to Advance Regime's Military and Nuclear Programs");
    expect(report.summary).not.toMatch(NO_MARKUP);
    expect(report.summary).not.toMatch(NO_ENTITY);
    expect(report.summary).not.toContain('never shown');
    expect(report.summary.length).toBeLessThanOrEqual(500);
    expect(report.summary).toContain('Democratic People’s Republic of Korea (DPRK)’s Reconnaissance General Bureau (RGB)');
    expect(report.summary).toContain('Andariel, Onyx Sleet & APT45');
    expect(report.publishedAt).toBe('2024-07-25T16:00:00.000Z');
    expect(report.matchedTerms).toEqual(expect.arrayContaining(['North Korea', 'DPRK', 'Pyongyang', 'Andariel', 'APT45', 'Reconnaissance General Bureau']));
    expect(report.entities.map((e) => e.name)).toContain('ANDARIEL');
    expect(() => ReportAlertSchema.parse(r.alerts[0])).not.toThrow();
    expect(renderAlertText(r.alerts[0]!)).toContain('📰 REPORT · CISA cybersecurity advisories · North Korea Cyber Group');
  });

  it('handles a 200-item window: baseline, then 3 new items → exactly 3 alerts, oldest first, and none again', async () => {
    const store = await memoryStore();
    const feed = testFeed('fbi', server.url('/fbi/rss.xml'), 'rss', { title: 'FBI national press releases' });
    serve('/fbi/rss.xml', fbiFeed(0, 200));
    expect((await pollFeed(feed, feedDeps(store))).outcome).toBe('baseline');
    // Three releases published; the window stays 200, so the 3 oldest fall out.
    serve('/fbi/rss.xml', fbiFeed(3, 197));
    const r = await pollFeed(feed, feedDeps(store));
    expect(r.outcome).toBe('changed');
    expect(r.alerts).toHaveLength(3);
    expect(r.alerts.map((a) => a.report.publishedAt?.slice(0, 10))).toEqual(['2023-09-06', '2024-12-23', '2025-06-30']);
    serve('/fbi/rss.xml', rewriteDatesAndReorder(fbiFeed(3, 197), 9));
    expect(await pollFeed(feed, feedDeps(store))).toEqual({ outcome: 'unchanged', alerts: [] });
    expect(await store.pendingAlerts()).toHaveLength(3);
  });

  it('links an item that names a real DPRK designated party (real OFAC subset): LAZARUS GROUP and KIM, Jong Un', async () => {
    const store = await memoryStore();
    const feed = testFeed('fbi', server.url('/fbi/parties.xml'));
    serve('/fbi/parties.xml', fbiFeed(0, 5));
    await pollFeed(feed, feedDeps(store));
    serve('/fbi/parties.xml', fbiFeed(3, 5));
    const { alerts } = await pollFeed(feed, feedDeps(store));
    const byTitle = new Map(alerts.map((a) => [a.report.title, a.report]));
    const stake = byTitle.get('FBI Identifies Lazarus Group Cyber Actors as Responsible for Theft of $41 Million from Stake.com')!;
    expect(stake.entities).toEqual([
      { source: 'ofac-sdn', sourceId: '27307', name: 'LAZARUS GROUP', url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=27307' },
    ]);
    const itWorkers = [...byTitle.values()].find((r) => r.title.startsWith('Justice Department Charges North Korean Nationals'))!;
    expect(itWorkers.entities.map((e) => [e.sourceId, e.name])).toEqual([['20157', 'KIM, Jong Un']]);
    expect(itWorkers.matchedTerms).toEqual(['North Korea', 'Kim Jong Un']);
    expect(renderAlertText(alerts.find((a) => a.report === stake)!)).toContain(
      'Designated parties named: LAZARUS GROUP (https://sanctionssearch.ofac.treas.gov/Details.aspx?id=27307)',
    );
  });

  it('reads an Atom feed (38 North): entries known by <id>, relevant ones alerted, the irrelevant one filtered out', async () => {
    const store = await memoryStore();
    const feed = testFeed('38north', server.url('/38north/feed/atom/'));
    const entries = blocks(ATOM, 'entry');
    serve('/38north/feed/atom/', withBlocks(ATOM, entries.slice(2), 'entry'), 'application/atom+xml');
    expect((await pollFeed(feed, feedDeps(store))).outcome).toBe('baseline');
    serve('/38north/feed/atom/', ATOM, 'application/atom+xml');
    const r = await pollFeed(feed, feedDeps(store));
    expect(r.outcome).toBe('changed');
    expect(r.alerts.map((a) => a.report.id)).toEqual(['https://www.38north.org/?p=46120']);
    expect(r.alerts[0]!.report).toMatchObject({
      title: 'Yongbyon Update: New Construction Near the Experimental Light Water Reactor',
      link: 'https://www.38north.org/2025/07/yongbyon-update-new-construction-near-the-experimental-light-water-reactor/',
      publishedAt: '2025-07-09T14:00:00.000Z',
      matchedTerms: ['North Korea'],
    });
  });

  it('reads a publications page (Treasury listing, html kind): new releases alert with their dates; a KOMID title alerts through the party match alone', async () => {
    const store = await memoryStore();
    const feed = testFeed('treasury', server.url('/news/press-releases'), 'html', { title: 'U.S. Treasury press releases' });
    const rows = TREASURY.split('<div>\n                <span class="date-format">');
    // Before: the listing without its three newest rows (and without them in the menu preview).
    const before = [rows[0]!.replace(/<div class="mega-menu__preview-item">[\s\S]*?<\/div>/, ''), ...rows.slice(4)].join(
      '<div>\n                <span class="date-format">',
    );
    server.set('/news/press-releases', { kind: 'document', body: before, contentType: 'text/html; charset=UTF-8' });
    expect((await pollFeed(feed, feedDeps(store))).outcome).toBe('baseline');
    server.set('/news/press-releases', { kind: 'document', body: TREASURY, contentType: 'text/html; charset=UTF-8' });
    const r = await pollFeed(feed, feedDeps(store));
    expect(r.alerts.map((a) => [a.report.title, a.report.publishedAt, a.url])).toEqual([
      [
        'Treasury Targets Korea Mining Development Trading Corporation Procurement Agents in Southeast Asia',
        '2025-07-07T18:00:00.000Z',
        server.url('/news/press-releases/sb0169'),
      ],
      [
        'Treasury Sanctions North Korean IT Worker Network Generating Revenue for the Kim Regime',
        '2025-07-08T16:00:00.000Z',
        server.url('/news/press-releases/sb0171'),
      ],
    ]);
    const komid = r.alerts[0]!.report;
    expect(komid.matchedTerms).toEqual([]);
    expect(komid.entities).toEqual([
      {
        source: 'ofac-sdn',
        sourceId: '9345',
        name: 'KOREA MINING DEVELOPMENT TRADING CORPORATION',
        url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=9345',
      },
    ]);
  });

  it('reads the MSMT-like page (html, DPRK-dedicated): a new publication alerts with title, date and absolute link', async () => {
    const store = await memoryStore();
    const feed = testFeed('msmt', server.url('/'), 'html', { title: 'MSMT publications', dprkDedicated: true });
    const [head, first, ...rest] = MSMT.split('<li>\n            <a href="/Publications/detail/');
    const before = [head, ...rest].join('<li>\n            <a href="/Publications/detail/');
    expect(first).toBeDefined();
    server.set('/', { kind: 'document', body: before, contentType: 'text/html' });
    expect((await pollFeed(feed, feedDeps(store))).outcome).toBe('baseline');
    server.set('/', { kind: 'document', body: MSMT, contentType: 'text/html' });
    const r = await pollFeed(feed, feedDeps(store));
    expect(r.alerts).toHaveLength(1);
    expect(r.alerts[0]!.report).toMatchObject({
      title: 'The DPRK’s Violation and Evasion of UN Sanctions through Cyber and Information Technology Worker Activities',
      publishedAt: '2025-10-22',
      link: server.url('/Publications/detail/MSMT%20Report/4221'),
      matchedTerms: ['DPRK'],
    });
    expect(r.alerts[0]!.sourceLabel).toBe('MSMT publications');
  });

  it('answers an unchanged feed with a conditional GET (304) and parses nothing', async () => {
    const store = await memoryStore();
    const feed = testFeed('cisa', server.url('/cisa/conditional.xml'));
    serve('/cisa/conditional.xml', CISA);
    await pollFeed(feed, feedDeps(store));
    expect(await pollFeed(feed, feedDeps(store))).toEqual({ outcome: 'unchanged', alerts: [] });
    expect(server.hits.get('/cisa/conditional.xml')).toEqual({ total: 2, notModified: 1 });
  });

  describe('a failed fetch or a body that is not the feed marks the feed degraded and keeps its state', () => {
    const cases: Array<[string, () => void, RegExp]> = [
      ['an HTTP 500', () => server.set('/state/faults', { kind: 'status', status: 500, body: 'Internal Server Error' }), /HTTP 500/],
      [
        'an HTML error page served with 200',
        () =>
          server.set('/state/faults', {
            kind: 'document',
            body: '<!DOCTYPE html><html><head><title>Access Denied</title></head><body>Technical Difficulties</body></html>',
            contentType: 'text/html',
          }),
        /HTML page/,
      ],
      ['an empty 200 response', () => serve('/state/faults', ''), /empty/],
      ['malformed XML', () => serve('/state/faults', STATE.slice(0, STATE.length / 2)), /not well-formed XML/],
      ['a feed with no items', () => serve('/state/faults', withBlocks(STATE, [])), /no items/],
      ['XML that is not a feed', () => serve('/state/faults', '<?xml version="1.0"?><error><code>503</code></error>'), /not an RSS or Atom feed/],
      ['a server that never answers', () => server.set('/state/faults', { kind: 'hang' }), /did not answer within 1500 ms/],
    ];
    for (const [name, arrange, reason] of cases) {
      it(name, async () => {
        const store = await memoryStore();
        const log = recordingLog();
        const feed = testFeed('state', server.url('/state/faults'));
        serve('/state/faults', withoutNewest(STATE, 1));
        await pollFeed(feed, feedDeps(store, log));
        const kept = await store.getValue(feedStateKey('state'), FeedStateSchema);

        arrange();
        const r = await pollFeed(feed, feedDeps(store, log));
        expect(r.outcome).toBe('degraded');
        expect(r.alerts).toEqual([]);
        expect(r.reason).toMatch(reason);
        expect(await store.getValue(feedStateKey('state'), FeedStateSchema)).toEqual(kept);
        const status = await store.getStatus('feed:state');
        expect(status?.degraded?.reason).toMatch(reason);
        expect(log.lines.some((l) => l.level === 'warn' && reason.test(l.msg))).toBe(true);

        // Recovery: the remembered ids are intact, so only the genuinely new item alerts.
        serve('/state/faults', STATE);
        const after = await pollFeed(feed, feedDeps(store, log));
        expect(after.alerts).toHaveLength(1);
        expect((await store.getStatus('feed:state'))?.degraded).toBeUndefined();
      });
    }
  });

  it('never duplicates across restarts (SQLite), nor after a crash between recording alerts and remembering ids', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dprk-feeds-'));
    const url = `sqlite://${path.join(dir, 'state.sqlite')}`;
    const feed = testFeed('state', server.url('/state/restart'));
    try {
      let store = await openStore(url);
      serve('/state/restart', withoutNewest(STATE, 2));
      expect((await pollFeed(feed, feedDeps(store))).outcome).toBe('baseline');
      await store.close();

      // A crash after the alerts were recorded but before the ids were remembered.
      store = await openStore(url);
      serve('/state/restart', withoutNewest(STATE, 1));
      const crashing: Store = Object.assign(Object.create(store) as Store, {
        setValue: async () => {
          throw new Error('simulated crash');
        },
      });
      const crashed = await pollFeed(feed, feedDeps(crashing));
      expect(crashed.outcome).toBe('degraded');
      expect(await store.pendingAlerts()).toHaveLength(0); // the new item there is not DPRK-relevant
      await store.close();

      store = await openStore(url);
      serve('/state/restart', STATE);
      const crashing2: Store = Object.assign(Object.create(store) as Store, {
        setValue: async () => {
          throw new Error('simulated crash');
        },
      });
      expect((await pollFeed(feed, feedDeps(crashing2))).outcome).toBe('degraded');
      expect(await store.pendingAlerts()).toHaveLength(1); // recorded before the crash
      await store.close();

      store = await openStore(url);
      const rerun = await pollFeed(feed, feedDeps(store));
      expect(rerun.outcome).toBe('changed');
      expect(rerun.alerts).toEqual([]); // same deterministic id: nothing recorded twice
      expect(await store.pendingAlerts()).toHaveLength(1);
      await store.close();

      store = await openStore(url);
      expect(await pollFeed(feed, feedDeps(store))).toEqual({ outcome: 'unchanged', alerts: [] });
      expect(await store.pendingAlerts()).toHaveLength(1);
      expect((await store.recentAlerts(10)).map((a) => a.id)).toEqual([
        reportAlertId('state', 'https://www.state.gov/releases/preview/693610/'),
      ]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the same alert the same id on two independent instances (hash of feed id + item id)', async () => {
    const ids: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const store = await memoryStore();
      const feed = testFeed('cisa', server.url(`/cisa/instance-${i}.xml`));
      serve(`/cisa/instance-${i}.xml`, withoutNewest(CISA, 1));
      await pollFeed(feed, feedDeps(store));
      serve(`/cisa/instance-${i}.xml`, CISA);
      ids.push((await pollFeed(feed, feedDeps(store))).alerts.map((a) => a.id));
    }
    expect(ids[0]).toEqual([reportAlertId('cisa', '/node/21091')]);
    expect(ids[1]).toEqual(ids[0]);
  });

  it('re-baselines instead of flooding when the configured URL changes or a feed renumbers its items en masse', async () => {
    const store = await memoryStore();
    serve('/fbi/a.xml', fbiFeed(0, 60));
    await pollFeed(testFeed('fbi', server.url('/fbi/a.xml')), feedDeps(store));
    serve('/fbi/b.xml', fbiFeed(3, 60, 500));
    expect(await pollFeed(testFeed('fbi', server.url('/fbi/b.xml')), feedDeps(store))).toEqual({ outcome: 'baseline', alerts: [] });
    serve('/fbi/b.xml', fbiFeed(3, 60, 900));
    const log = recordingLog();
    expect(await pollFeed(testFeed('fbi', server.url('/fbi/b.xml')), feedDeps(store, log))).toEqual({ outcome: 'baseline', alerts: [] });
    expect(log.lines.some((l) => l.level === 'warn' && /changed its item ids/.test(l.msg))).toBe(true);
    expect(await store.pendingAlerts()).toEqual([]);
  });

  it('remembers at most 5,000 ids per feed, and never forgets the current window', () => {
    const old = Array.from({ length: SEEN_LIMIT }, (_, i) => `old-${i}`);
    const current = Array.from({ length: 200 }, (_, i) => `cur-${i}`);
    const next = rememberIds(old, current);
    expect(next).toHaveLength(SEEN_LIMIT);
    expect(next.slice(-200)).toEqual(current);
    expect(next[0]).toBe('old-200');
    expect(rememberIds([], Array.from({ length: 6000 }, (_, i) => `x${i}`))).toHaveLength(6000);
  });
});
