import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesignationAlert } from '../../../src/core/alerts.js';
import { pollSource, type PollResult } from '../../../src/pipeline/poll.js';
import { chSecoSource } from '../../../src/sources/ch-seco/source.js';
import { openStore } from '../../../src/store/open.js';
import type { Store } from '../../../src/store/store.js';
import { fixtureText } from '../../helpers/fixtures.js';
import { recordingLog } from '../../helpers/pipeline.js';
import { SourceServer } from '../../helpers/source-server.js';
import { BUILT, targetBlock, withDelisting } from './built.js';

/*
 * BUILT is NOT a real SECO file (none is available here): a document in the SESAM XML structure
 * holding five real UN-listed parties (test/fixtures/built/ch_seco_xml/PROVENANCE.md). Every
 * "later" document below is DERIVED from it in this test, and each case says how.
 *
 * These polls go through the real pollSource. The removal guard is set to 25% rather than the
 * 5% of test/helpers/pipeline.ts poll(): the built document has 5 records, so one de-listing is
 * 20% of it, which the 5% guard would (rightly, for a real 13,000-record list) hold back.
 */
const PATH = '/sesam-search-web/pages/downloadXmlGesamtliste.xhtml';
const server = new SourceServer();

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.stop());

function poll(store: Store, log = recordingLog()): Promise<PollResult<DesignationAlert>> {
  return pollSource(chSecoSource(server.url(PATH)), {
    store,
    log,
    scope: 'all',
    maxRemovalShare: 0.25,
    fetch: { timeoutMs: 1500, maxBytes: 64 * 1024 * 1024, userAgent: 'dprk-watch-test' },
  });
}

let ns = 0;
async function baseline(body: string = BUILT): Promise<Store> {
  const store = await openStore('memory:', `ch-seco-${ns++}`);
  server.set(PATH, { kind: 'document', body });
  const r = await poll(store);
  expect(r.outcome).toBe('baseline');
  return store;
}

async function next(store: Store, body: string): Promise<DesignationAlert[]> {
  server.set(PATH, { kind: 'document', body });
  const r = await poll(store);
  expect(r.outcome, r.reason).toBe('changed');
  return r.alerts;
}

describe('ch-seco through pollSource on the BUILT document', () => {
  it('stores a baseline of 5 records, 4 DPRK, with the list date', async () => {
    const store = await baseline();
    const status = await store.getStatus('ch-seco');
    console.info(`ch-seco baseline (built document): ${status?.recordCount} records, ${status?.dprkCount} DPRK`);
    expect(status).toMatchObject({ recordCount: 5, dprkCount: 4, format: 'ch-seco-xml', listDate: '2026-02-27T00:00:00.000Z' });
    expect(await store.pendingAlerts()).toEqual([]);
  });

  it('derived listed → de-listed: a de-listed modification added to 10033 (RI WON HO) gives exactly one designation.removed; the same file again gives none', async () => {
    const store = await baseline();
    const delisted = withDelisting(BUILT, '10033', '2026-03-01');
    expect(delisted).toContain('modification-type="de-listed"');
    const alerts = await next(store, delisted);
    expect(alerts.map((a) => [a.kind, a.sourceId, a.name, a.dprk])).toEqual([['designation.removed', '10033', 'RI WON HO', true]]);
    server.set(PATH, { kind: 'document', body: delisted });
    const again = await poll(store);
    expect(again.alerts).toEqual([]);
  });

  it('derived reordering: targets in reverse order, aliases of 11001 and addresses of 11002 reversed give no alert', async () => {
    const store = await baseline();
    const ids = ['10001', '10033', '11001', '11002', '12001'];
    const blocks = ids.map((id) => targetBlock(BUILT, id));
    const first = BUILT.indexOf(blocks[0]!);
    const last = BUILT.indexOf(blocks.at(-1)!) + blocks.at(-1)!.length;
    expect(BUILT.slice(first, last)).toBe(blocks.join(''));
    let body = BUILT.slice(0, first) + [...blocks].reverse().join('') + BUILT.slice(last);
    const reverseChildren = (ssid: string, re: RegExp, n: number): void => {
      const block = targetBlock(body, ssid);
      const items = block.match(re)!;
      expect(items).toHaveLength(n);
      body = body.replace(block, block.replace(items.join(''), [...items].reverse().join('')));
    };
    reverseChildren('11001', /        <name ssid="\d+" name-type="alias">[\s\S]*?<\/name>\n/g, 4);
    reverseChildren('11002', /        <address ssid="\d+"[\s\S]*?<\/address>\n/g, 2);
    expect(body).not.toBe(BUILT);
    server.set(PATH, { kind: 'document', body });
    const r = await poll(store);
    expect(r.alerts).toEqual([]);
    expect(r.outcome === 'unchanged' || (r.outcome === 'changed' && r.counts?.changes === 0)).toBe(true);
  });

  it('derived whitespace: extra spaces in a name part and a justification of 10001 give no alert', async () => {
    const store = await baseline();
    const block = targetBlock(BUILT, '10001');
    const spaced = block.replace('<value>HO-JIN</value>', '<value> HO-JIN  </value>').replace('; oversees the import', ';  oversees the\n        import');
    expect(spaced).not.toBe(block);
    server.set(PATH, { kind: 'document', body: BUILT.replace(block, spaced) });
    const r = await poll(store);
    expect(r.alerts).toEqual([]);
  });

  it('derived amended alias: the alias "Yun Ho-chin" of 10001 respelt gives one designation.amended changing that alias', async () => {
    const store = await baseline();
    const block = targetBlock(BUILT, '10001');
    const amended = block
      .replace('<modification ssid="20001" modification-type="listed" enactment-date="2009-07-16" publication-date="2009-07-16" effective-date="2009-07-16"/>', '$&\n    <modification ssid="20002" modification-type="amended" enactment-date="2026-03-02" publication-date="2026-03-02" effective-date="2026-03-02"/>')
      .replace('<value>Yun Ho-chin</value>', '<value>Yun Ho-jin</value>');
    expect(amended).toContain('modification-type="amended"');
    expect(amended).toContain('Yun Ho-jin');
    const alerts = await next(store, BUILT.replace(block, amended));
    expect(alerts.map((a) => [a.kind, a.sourceId, a.dprk])).toEqual([['designation.amended', '10001', true]]);
    expect(alerts[0]!.changes).toEqual([{ field: 'aliases', added: ['Yun Ho-jin'], removed: ['Yun Ho-chin'] }]);
    expect(alerts[0]!.record.name).toBe('YUN HO-JIN');
  });
});

describe('a broken SECO fetch keeps the previous list, alerts nothing, and says why', () => {
  const cases: Array<[string, () => void, RegExp]> = [
    ['an HTTP 500', () => server.set(PATH, { kind: 'status', status: 500, body: 'Internal Server Error' }), /HTTP 500/],
    ['a download cut in the middle (derived from the built document)', () => server.set(PATH, { kind: 'document', body: BUILT.slice(0, Math.floor(BUILT.length * 0.6)) }), /SECO XML: document is not well-formed XML .* — the document looks truncated/],
    [
      'a download cut just after a closing tag (derived from the built document)',
      () => server.set(PATH, { kind: 'document', body: BUILT.slice(0, BUILT.lastIndexOf('</target>') + '</target>'.length) }),
      /<swiss-sanctions-list> is not closed.*truncated/,
    ],
    [
      'an HTML error page served with 200',
      () => server.set(PATH, { kind: 'document', contentType: 'text/html', body: '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>Maintenance</body></html>' }),
      /HTML page/,
    ],
    ['an empty 200 response', () => server.set(PATH, { kind: 'document', body: '' }), /empty/],
    [
      "the UN list (another list's format, real file)",
      () => server.set(PATH, { kind: 'document', body: fixtureText('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml') }),
      /CH_SECO_URL points at the UN consolidated list/,
    ],
    [
      "an OFAC list (another list's format, real file)",
      () => server.set(PATH, { kind: 'document', body: fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv') }),
      /CH_SECO_URL points at an OFAC list/,
    ],
    [
      "the EU list (another list's format, real file)",
      () => server.set(PATH, { kind: 'document', body: fixtureText('real/eu_fsf_xml/eu_fsf_20220318_gfid137925_PRK_only.xml') }),
      /CH_SECO_URL points at the EU Financial Sanctions Files list/,
    ],
  ];

  for (const [name, arrange, reason] of cases) {
    it(name, async () => {
      const store = await baseline();
      const before = await store.getSnapshot('ch-seco');
      expect(before?.entries.size).toBe(5);
      arrange();
      const log = recordingLog();
      const outcome = await poll(store, log);
      expect(outcome.outcome === 'degraded' && outcome.reason).toMatch(reason);
      expect((await store.getSnapshot('ch-seco'))?.version).toBe(before?.version);
      expect(await store.pendingAlerts()).toEqual([]);
      const status = await store.getStatus('ch-seco');
      expect(status?.degraded?.reason).toMatch(reason);
      expect(status?.recordCount).toBe(5);
      expect(log.lines.some((l) => l.level === 'warn' && reason.test(l.msg))).toBe(true);

      // The document back: nothing changed since the last good state, and the source is healthy.
      server.set(PATH, { kind: 'document', body: BUILT });
      const recovered = await poll(store);
      expect(recovered.alerts).toEqual([]);
      expect((await store.getStatus('ch-seco'))?.degraded).toBeUndefined();
    });
  }
});
