import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesignationAlert } from '../../../src/core/alerts.js';
import { jpMofSource } from '../../../src/sources/jp-mof/source.js';
import { workbookLinkOf } from '../../../src/sources/jp-mof/page.js';
import { openStore } from '../../../src/store/open.js';
import type { Store } from '../../../src/store/store.js';
import { fixtureText } from '../../helpers/fixtures.js';
import { expectDegradedKeepingState, poll, realFileUrl, recordingLog } from '../../helpers/pipeline.js';
import { SourceServer } from '../../helpers/source-server.js';
import { APR14, MAY09, asXlsx, realXls, sheetNumbered } from './helpers.js';

let ns = 0;
const fresh = (): Promise<Store> => openStore('memory:', `jp-mof-${ns++}`);
const sheetOf = (a: DesignationAlert): string => a.sourceId.split('-')[0]!;

function tally(alerts: readonly DesignationAlert[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of alerts) out[`${a.kind} sheet ${sheetOf(a)}`] = (out[`${a.kind} sheet ${sheetOf(a)}`] ?? 0) + 1;
  return out;
}

describe('the real pair 2022-04-14 → 2022-05-09 through pollSource (file:// .xls)', () => {
  it('gives exactly PROVENANCE.md’s changes in ALERT_SCOPE=all: added 141 (133 sheet 26, 8 sheet 29), changed 27 (26 sheet 28, 1 sheet 2), removed 0', async () => {
    const store = await fresh();
    expect((await poll(jpMofSource(realFileUrl(APR14)), store, 'all')).outcome).toBe('baseline');
    const r = await poll(jpMofSource(realFileUrl(MAY09)), store, 'all');
    if (r.outcome !== 'changed') throw new Error(`expected a change, got ${r.outcome}`);
    console.info(`jp-mof 2022-04-14 → 2022-05-09 (all): ${JSON.stringify(tally(r.alerts))}`);
    expect(tally(r.alerts)).toEqual({
      'designation.added sheet 26': 133,
      'designation.added sheet 29': 8,
      'designation.amended sheet 28': 26,
      'designation.amended sheet 2': 1,
    });
    expect(r.alerts.some((a) => a.dprk)).toBe(false);
    const status = await store.getStatus('jp-mof');
    // Records: the 1,961 integer-numbered ones and the 134 with a marked 告示番号 (106 of them DPRK);
    // the marked rows read the same in both files, so they add nothing to the changes above.
    expect(status).toMatchObject({ recordCount: 2095, dprkCount: 302, format: 'jp-mof-xls' });
  });

  it('gives no alert in DPRK scope: sheets 13–17 did not change', async () => {
    const store = await fresh();
    await poll(jpMofSource(realFileUrl(APR14)), store, 'dprk');
    const r = await poll(jpMofSource(realFileUrl(MAY09)), store, 'dprk');
    expect(r.outcome).toBe('changed');
    expect(r.outcome === 'changed' && r.alerts).toEqual([]);
    expect(await store.pendingAlerts()).toEqual([]);
  });
});

describe('MOF list page → newest shisantouketsu workbook (loopback server)', () => {
  const server = new SourceServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  const PAGE = '/jp/list.html';
  /** A stand-in for MOF's list page (made here, not MOF's HTML): a link to the workbook. */
  const page = (href: string): string =>
    `<!DOCTYPE html><html><head><title>経済制裁措置及び対象者リスト</title></head><body><a href="${href}">資産凍結等対象者リスト(Excel)</a></body></html>`;

  it('follows the page’s link; the switch from .xls to .xlsx (saved from the real .xls in this test) raises no alert; an unchanged workbook answers 304', async () => {
    const store = await fresh();
    const xls = realXls(APR14);
    server.set('/jp/files/shisantouketsu20220414.xls', { kind: 'document', body: xls, etag: true });
    server.set(PAGE, { kind: 'document', body: page('files/shisantouketsu20220414.xls'), contentType: 'text/html' });
    const source = jpMofSource(server.url(PAGE));
    expect((await poll(source, store, 'all')).outcome).toBe('baseline');
    const before = await store.getSnapshot('jp-mof');
    expect(before?.entries.size).toBe(1954);

    server.set('/jp/files/shisantouketsu20220414.xlsx', { kind: 'document', body: asXlsx(xls), etag: true });
    server.set(PAGE, { kind: 'document', body: page('/jp/files/shisantouketsu20220414.xlsx'), contentType: 'text/html' });
    const switched = await poll(source, store, 'all');
    expect(switched.outcome === 'changed' && switched.alerts).toEqual([]);
    expect((await store.getSnapshot('jp-mof'))?.version).toBe(before?.version);
    expect((await store.getStatus('jp-mof'))?.format).toBe('jp-mof-xlsx');

    const again = await poll(source, store, 'all');
    expect(again.outcome).toBe('unchanged');
    expect(server.hits.get('/jp/files/shisantouketsu20220414.xlsx')?.notModified).toBe(1);
  });

  it('a page that links no workbook degrades, naming JP_MOF_URL', async () => {
    const store = await fresh();
    server.set(PAGE, { kind: 'document', body: page('/jp/other.pdf'), contentType: 'text/html' });
    const r = await poll(jpMofSource(server.url(PAGE)), store, 'all');
    expect(r.outcome === 'degraded' && r.reason).toMatch(/JP_MOF_URL: the HTML page .* links no shisantouketsu/);
  });

  it('picks the newest dated link, .xlsx before .xls of the same date, resolved against the page URL (links made here)', () => {
    const html = [
      '<a href="shisantouketsu20220414.xls">old</a>',
      "<a href='/policy/shisantouketsu20230901.xls'>x</a>",
      '<a href="/policy/shisantouketsu20230901.xlsx">new</a>',
      '<a href="shisantouketsu20221001.csv">csv</a>',
    ].join('');
    expect(workbookLinkOf(html, 'https://www.mof.go.jp/a/b/list.html')).toBe('https://www.mof.go.jp/policy/shisantouketsu20230901.xlsx');
  });
});

describe('cosmetic differences raise no alert', () => {
  it('reordered alias lines, extra (full-width) spaces around a name: a variant of the real 2022-05-09 file made in this test', async () => {
    const xls = realXls(MAY09);
    const plain = asXlsx(xls);
    const edited = asXlsx(xls, (wb) => {
      const s14 = sheetNumbered(wb, 14);
      const s15 = sheetNumbered(wb, 15);
      const rowOf = (ws: XLSX.WorkSheet, notice: number): number => {
        for (let r = 0; r < 500; r++) if (String(ws[XLSX.utils.encode_cell({ r, c: 1 })]?.v ?? '').trim() === String(notice)) return r;
        throw new Error(`no notice ${notice}`);
      };
      const alias = s14[XLSX.utils.encode_cell({ r: rowOf(s14, 4), c: 4 })] as XLSX.CellObject;
      const lines = String(alias.v).split('\n');
      expect(lines).toHaveLength(2);
      alias.v = [...lines].reverse().join('\n'); // English line first, then Japanese
      alias.v = String(alias.v).replace('; ', ';  ');
      const name = s15[XLSX.utils.encode_cell({ r: rowOf(s15, 1), c: 3 })] as XLSX.CellObject;
      expect(name.v).toBe('Yun Ho-jin');
      name.v = '\u3000 Yun  Ho-jin ';
    });
    const server = new SourceServer();
    await server.start();
    try {
      const store = await fresh();
      server.set('/jp/shisantouketsu.xlsx', { kind: 'document', body: plain });
      const source = jpMofSource(server.url('/jp/shisantouketsu.xlsx'));
      expect((await poll(source, store, 'all')).outcome).toBe('baseline');
      const before = await store.getSnapshot('jp-mof');
      server.set('/jp/shisantouketsu.xlsx', { kind: 'document', body: edited });
      const r = await poll(source, store, 'all');
      expect(r.outcome === 'changed' && r.alerts).toEqual([]);
      expect((await store.getSnapshot('jp-mof'))?.version).toBe(before?.version);
    } finally {
      await server.stop();
    }
  });
});

describe('a broken or wrong document keeps the previous list and says why', () => {
  const server = new SourceServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  const PATH = '/jp/shisantouketsu20220509.xls';
  const XLS = realXls(MAY09);
  const cases: Array<[string, Buffer | string, RegExp]> = [
    ['the real .xls cut at 60%', XLS.subarray(0, Math.floor(XLS.length * 0.6)), /MOF workbook cannot be read \(truncated or corrupt\)/],
    ['an HTML error page served with 200', '<!DOCTYPE html><html><head><title>503</title></head><body>メンテナンス中</body></html>', /HTML page/],
    ['an empty body', '', /empty/],
    ['the OFAC sdn.csv', fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv'), /JP_MOF_URL points at an OFAC list/],
    ['the UN consolidated XML', fixtureText('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml'), /JP_MOF_URL points at the UN consolidated list/],
    [
      'a spreadsheet that is not MOF’s (one sheet made in this test)',
      XLSX.write(
        (() => {
          const wb = XLSX.utils.book_new();
          XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Name', 'Regime'], ['(made in the test)', '']]), 'Sheet1');
          return wb;
        })(),
        { type: 'buffer', bookType: 'xlsx' },
      ) as Buffer,
      /JP_MOF_URL points at a spreadsheet that is not the MOF asset-freeze list/,
    ],
    [
      'the real 2022-05-09 workbook without sheet 29 (its 507 Russian individuals; removed in this test)',
      asXlsx(XLS, (wb) => {
        const name = wb.SheetNames.find((n) => n.startsWith('29.'))!;
        wb.SheetNames.splice(wb.SheetNames.indexOf(name), 1);
        delete wb.Sheets[name];
      }),
      /would remove 507 of 2095 records/,
    ],
  ];
  for (const [name, body, reason] of cases) {
    it(name, async () => {
      const store = await fresh();
      server.set(PATH, { kind: 'document', body: XLS });
      expect((await poll(jpMofSource(server.url(PATH)), store)).outcome).toBe('baseline');
      const before = await store.getSnapshot('jp-mof');
      expect(before?.entries.size).toBe(2095);
      server.set(PATH, { kind: 'document', body });
      const log = recordingLog();
      const outcome = await poll(jpMofSource(server.url(PATH)), store, 'all', log);
      await expectDegradedKeepingState(store, outcome, before, reason, log, 'jp-mof');
    });
  }
});
