import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { unScSource } from '../../src/sources/un/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { fixtureText } from '../helpers/fixtures.js';
import { expectDegradedKeepingState, poll, recordingLog } from '../helpers/pipeline.js';
import { SourceServer } from '../helpers/source-server.js';
import { storeTargets } from '../helpers/stores.js';

const APR12 = fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv');
const APR14 = fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv');
const server = new SourceServer();
const PATH = '/ofac/sdn_list.csv';

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.stop());

let ns = 0;
async function baseline(): Promise<Store> {
  const store = await openStore('memory:', `faults-${ns++}`);
  server.set(PATH, { kind: 'document', body: APR12, lastModified: 'Tue, 12 Apr 2022 02:00:00 GMT' });
  expect((await poll(ofacSdnSource(server.url(PATH)), store)).outcome).toBe('baseline');
  return store;
}

/** Drop whole rows from a real file: what a truncated or half-published list looks like. */
function withoutRows(csv: string, share: number): string {
  const rows = csv.split('\r\n');
  const keep = Math.floor(rows.length * (1 - share));
  return rows.slice(0, keep).join('\r\n');
}

describe('a suspicious fetch keeps the previous state, alerts nothing, and marks the source degraded', () => {
  const cases: Array<[string, () => void, RegExp]> = [
    ['an empty 200 response', () => server.set(PATH, { kind: 'document', body: '' }), /empty/],
    [
      'an HTML error page served with 200',
      () =>
        server.set(PATH, {
          kind: 'document',
          body: '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>Maintenance</body></html>',
          contentType: 'text/html',
        }),
      /HTML page/,
    ],
    ['unparseable bytes', () => server.set(PATH, { kind: 'document', body: '\u0000\u0001garbage{{{' }), /no format/],
    ['an XML document of another kind', () => server.set(PATH, { kind: 'document', body: '<?xml version="1.0"?><feed></feed>' }), /XML but not/],
    ['a list that would remove more than 5% of records', () => server.set(PATH, { kind: 'document', body: withoutRows(APR14, 0.1) }), /would remove \d+ of \d+ records/],
    ['an HTTP 500', () => server.set(PATH, { kind: 'status', status: 500, body: 'Internal Server Error' }), /HTTP 500/],
    ['a server that never answers', () => server.set(PATH, { kind: 'hang' }), /did not answer within 1500 ms/],
  ];

  for (const [name, arrange, reason] of cases) {
    it(`${name}`, async () => {
      const store = await baseline();
      const before = await store.getSnapshot('ofac-sdn');
      arrange();
      const log = recordingLog();
      const outcome = await poll(ofacSdnSource(server.url(PATH)), store, 'all', log);
      expect(outcome.outcome).toBe('degraded');
      await expectDegradedKeepingState(store, outcome, before, reason, log);

      // When the real list comes back, the change since the last good state is reported once
      // and the source is healthy again.
      server.set(PATH, { kind: 'document', body: APR14 });
      const recovered = await poll(ofacSdnSource(server.url(PATH)), store);
      expect(recovered.outcome === 'changed' && recovered.alerts.map((a) => a.sourceId)).toEqual(['27307']);
      expect((await store.getStatus('ofac-sdn'))?.degraded).toBeUndefined();
    });
  }

  it('keeps the time the source first degraded across repeated failures', async () => {
    const store = await baseline();
    server.set(PATH, { kind: 'status', status: 503 });
    await poll(ofacSdnSource(server.url(PATH)), store);
    const since = (await store.getStatus('ofac-sdn'))?.degraded?.since;
    await new Promise((r) => setTimeout(r, 5));
    await poll(ofacSdnSource(server.url(PATH)), store);
    expect((await store.getStatus('ofac-sdn'))?.degraded?.since).toBe(since);
  });

  it('never takes a first poll that is suspicious as the baseline', async () => {
    const store = await openStore('memory:', `faults-${ns++}`);
    server.set('/un.xml', { kind: 'document', body: '<html><body>Error</body></html>' });
    expect((await poll(unScSource(server.url('/un.xml')), store)).outcome).toBe('degraded');
    expect(await store.getSnapshot('un-sc')).toBeUndefined();
  });
});

describe('a broken UN consolidated list keeps the previous state and says why', () => {
  const UN = fixtureText('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml');
  const UN_PATH = '/un/consolidated.xml';
  const cases: Array<[string, string, RegExp]> = [
    ['a download cut in the middle', UN.slice(0, Math.floor(UN.length * 0.6)), /UN XML: document is not well-formed XML \(line \d+, column \d+\): .* — the document looks truncated/],
    ['a download cut just after a closing tag', UN.slice(0, UN.lastIndexOf('</ENTITY>') + '</ENTITY>'.length), /<ENTITIES> is not closed .*truncated/],
    ['a mismatched closing tag', UN.replace('</FIRST_NAME>', '</SECOND_NAME>'), /UN XML: document is not well-formed XML \(line 7, .*expected <\/FIRST_NAME>/],
    ['an undeclared entity', UN.replace('<FIRST_NAME>YUN</FIRST_NAME>', '<FIRST_NAME>YUN&nbsp;</FIRST_NAME>'), /"&" that starts no known entity/],
    ['XML with an unknown root', '<?xml version="1.0"?><feed><entry/></feed>', /XML but not a list format/],
  ];

  for (const [name, body, reason] of cases) {
    it(name, async () => {
      const store = await openStore('memory:', `faults-${ns++}`);
      server.set(UN_PATH, { kind: 'document', body: UN });
      expect((await poll(unScSource(server.url(UN_PATH)), store)).outcome).toBe('baseline');
      const before = await store.getSnapshot('un-sc');
      expect(before?.entries.size).toBe(155);

      server.set(UN_PATH, { kind: 'document', body });
      const outcome = await poll(unScSource(server.url(UN_PATH)), store);
      expect(outcome.outcome === 'degraded' && outcome.reason).toMatch(reason);
      expect((await store.getSnapshot('un-sc'))?.version).toBe(before?.version);
      expect((await store.getSnapshot('un-sc'))?.entries.size).toBe(155);
      expect(await store.pendingAlerts()).toEqual([]);
    });
  }
});

describe('an unchanged source costs a conditional request and no parsing', () => {
  beforeEach(() => server.hits.clear());

  it('answers 304 on the second poll and reports unchanged', async () => {
    const store = await baseline();
    const outcome = await poll(ofacSdnSource(server.url(PATH)), store);
    expect(outcome.outcome).toBe('unchanged');
    expect(server.hits.get(PATH)).toEqual({ total: 2, notModified: 1 });
    expect((await store.getStatus('ofac-sdn'))?.lastSuccessAt).toBeTruthy();
  });

  it('still reports unchanged when the server ignores validators but sends the same bytes', async () => {
    const store = await baseline();
    server.set(PATH, { kind: 'document', body: APR12, etag: false });
    expect((await poll(ofacSdnSource(server.url(PATH)), store)).outcome).toBe('unchanged');
  });
});

describe('the legacy CSV bundle over HTTP', () => {
  it('fetches add.csv, alt.csv and sdn_comments.csv beside sdn.csv and logs a missing one', async () => {
    const store = await openStore('memory:', `faults-${ns++}`);
    server.set('/bundle/sdn.csv', { kind: 'document', body: APR14 });
    server.set('/bundle/alt.csv', { kind: 'document', body: '27307,99999,"aka","TEST ALIAS FROM ALT",-0- \r\n\u001a' });
    server.set('/bundle/sdn_comments.csv', { kind: 'document', body: '\u001a' });
    const log = recordingLog();
    expect((await poll(ofacSdnSource(server.url('/bundle/sdn.csv')), store, 'all', log)).outcome).toBe('baseline');
    const lazarus = (await store.getSnapshot('ofac-sdn'))?.entries.get('27307')?.record;
    expect(lazarus?.aliases.map((a) => a.name)).toContain('TEST ALIAS FROM ALT');
    expect(log.lines.some((l) => l.level === 'warn' && /add\.csv is missing/.test(l.msg))).toBe(true);
  });
});

for (const target of storeTargets()) {
  describe(`restarts on ${target.name}`, () => {
    afterAll(() => target.cleanup());
    it('a restart between polls produces no duplicate alerts', async () => {
      const url = target.url();
      const namespace = target.namespace();
      let store = await openStore(url, namespace);
      server.set(PATH, { kind: 'document', body: APR12 });
      await poll(ofacSdnSource(server.url(PATH)), store);
      await store.close();

      store = await openStore(url, namespace);
      server.set(PATH, { kind: 'document', body: APR14 });
      const changed = await poll(ofacSdnSource(server.url(PATH)), store);
      expect(changed.outcome === 'changed' && changed.alerts).toHaveLength(1);
      await store.close();

      store = await openStore(url, namespace);
      expect((await poll(ofacSdnSource(server.url(PATH)), store)).outcome).toBe('unchanged');
      expect(await store.pendingAlerts()).toHaveLength(1);
      await store.close();
    });

    it('a crash after alerts were persisted but before the new state was saved re-runs without duplicates', async () => {
      const url = target.url();
      const namespace = target.namespace();
      const store = await openStore(url, namespace);
      server.set(PATH, { kind: 'document', body: APR12 });
      await poll(ofacSdnSource(server.url(PATH)), store);
      server.set(PATH, { kind: 'document', body: APR14 });
      // The process "dies" while saving the snapshot: alerts are already persisted.
      const crashing = Object.create(store) as Store;
      crashing.setSnapshot = async () => {
        throw new Error('simulated crash while saving the snapshot');
      };
      expect((await poll(ofacSdnSource(server.url(PATH)), crashing)).outcome).toBe('degraded');
      expect(await store.pendingAlerts()).toHaveLength(1);
      const rerun = await poll(ofacSdnSource(server.url(PATH)), store);
      expect(rerun.outcome === 'changed' && rerun.alerts).toEqual([]);
      expect((await store.pendingAlerts()).map((a) => ('sourceId' in a ? a.sourceId : a.id))).toEqual(['27307']);
      await store.close();
    });
  });
}
