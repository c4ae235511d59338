import { describe, expect, it } from 'vitest';
import { parseJpMofWorkbook } from '../../../src/sources/jp-mof/workbook.js';
import { APR14, MAY09, asXlsx, markedRows, numberedRows, realXls } from './helpers.js';

const sum = (xs: Iterable<number>): number => [...xs].reduce((a, b) => a + b, 0);

function dprkBySheet(records: ReturnType<typeof parseJpMofWorkbook>['records']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) if (r.dprk) out[r.sourceId.split('-')[0]!] = (out[r.sourceId.split('-')[0]!] ?? 0) + 1;
  return out;
}

describe('MOF asset-freeze workbook, real .xls files (2022-04-14 and 2022-05-09)', () => {
  const files = [
    { file: APR14, numbered: 2366, records: 1820 },
    { file: MAY09, numbered: 2507, records: 1961 },
  ];
  for (const { file, numbered, records } of files) {
    it(`${file}: ${numbered} numbered rows, of which the rows not marked 削除 are the ${records} records; 196 DPRK (sheets 13–17: 6/54/48/49/39)`, () => {
      const xls = realXls(file);
      const rows = numberedRows(xls);
      const list = parseJpMofWorkbook(xls, 'jp-mof-xls');
      const deleted = sum([...rows.values()].map((r) => r.deleted));
      console.info(
        `${file}: ${sum([...rows.values()].map((r) => r.numbered))} numbered rows, ${deleted} marked 削除, ${list.records.length} records, ` +
          `${list.records.filter((r) => r.dprk).length} DPRK ${JSON.stringify(dprkBySheet(list.records))}, warnings ${JSON.stringify(list.warnings)}`,
      );
      expect(sum([...rows.values()].map((r) => r.numbered))).toBe(numbered);
      expect(list.source).toBe('jp-mof');
      expect(list.format).toBe('jp-mof-xls');
      // One numbered row of sheet 2 (notice 274, listed 2012.10.25) has no name at all: skipped, and said so.
      expect(list.warnings).toEqual(['sheet 2 notice 274: no name; skipped']);
      expect(list.records).toHaveLength(numbered - deleted - 1);
      expect(list.records).toHaveLength(records);
      expect(dprkBySheet(list.records)).toEqual({ '13': 6, '14': 54, '15': 48, '16': 49, '17': 39 });
      expect(list.records.filter((r) => r.dprk).every((r) => r.dprkReasons[0] === 'program DPRK')).toBe(true);
      expect(new Set(list.records.map((r) => r.sourceId)).size).toBe(list.records.length);
      expect(list.records.every((r) => /^\d+-\d+$/.test(r.sourceId))).toBe(true);
    });
  }

  const list = parseJpMofWorkbook(realXls(APR14), 'jp-mof-xls');
  const byId = new Map(list.records.map((r) => [r.sourceId, r]));

  it('reads 15-1 Yun Ho-jin (UNSCR 1718 individuals) field by field, both scripts kept', () => {
    expect(byId.get('15-1')).toEqual({
      source: 'jp-mof',
      sourceId: '15-1',
      name: 'Yun Ho-jin',
      type: 'individual',
      programs: ['DPRK', '北朝鮮(決議1718号等；個人)'],
      aliases: [
        { name: 'Yun Ho-chin', kind: 'aka' },
        { name: 'ユン・ホジン', kind: 'aka' },
        { name: 'ユン・ホチン', kind: 'aka' },
      ],
      // The cell is an Excel date (serial 16358) shown as 10/13/44.
      dobs: ['1944-10-13'],
      placesOfBirth: [],
      nationalities: [],
      addresses: [],
      identifiers: [],
      // Two lines in the cell (Japanese, then English); finalize joins them with a space.
      remarks: 'ナムチョンガン・トレーディング・コーポレーション代表 Director of Namchongang Trading Corporation',
      listedOn: '2009-07-24',
      url: 'https://www.mof.go.jp/policy/international_policy/gaitame_kawase/gaitame/economic_sanctions/list.html',
      dprk: true,
      dprkReasons: ['program DPRK'],
    });
  });

  it('reads an entity of sheet 14 with its aliases split, North Korean addresses, and the first 告示日付 as listedOn', () => {
    const ncg = byId.get('14-4');
    expect(ncg?.name).toBe('NAMCHONGANG TRADING CORPORATION');
    expect(ncg?.type).toBe('entity');
    expect(ncg?.aliases).toContainEqual({ name: 'ナムチョンガン・トレーディング・コーポレーション', kind: 'aka' });
    expect(ncg?.aliases).toContainEqual({ name: 'Nam Chon Gang Corporation', kind: 'aka' });
    expect(ncg?.aliases).toContainEqual({ name: 'NCG', kind: 'aka' });
    // One cell, two addresses separated by "；".
    expect(ncg?.addresses).toEqual([
      { text: '北朝鮮平壌特別市', country: 'North Korea' },
      { text: '北朝鮮平壌特別市万景台区域先駆者洞11-2又は光復洞', country: 'North Korea' },
    ]);
    expect(ncg?.listedOn).toBe('2009-07-24');
  });

  it('takes only integer 告示番号 as records: the cross-referenced rows "*2" (sheet 14) and "9(*2)" (sheet 13) are not', () => {
    // Korea Ryonbong General Corporation is published only in such rows; by the record rule
    // (column B an integer) it is not a record of this list. A known gap, stated here.
    expect(list.records.some((r) => r.name.startsWith('Korea Ryonbong'))).toBe(false);
    expect(byId.has('14-2')).toBe(false);
    expect(byId.get('13-1')?.name).toBe('Kohas AG');
  });

  it('states the size of that gap in the DPRK sheets: 106 marked rows (KOMID, KRGC, Foreign Trade Bank…) are not records', () => {
    const marked = markedRows(realXls(APR14));
    const dprk = [13, 14, 15, 16, 17].map((n) => marked.get(n)?.length ?? 0);
    console.info(`jp-mof 2022-04-14: marked/cross-referenced rows not taken as records, DPRK sheets 13–17: ${JSON.stringify(dprk)}`);
    expect(dprk).toEqual([10, 21, 32, 11, 32]);
    expect(marked.get(14)?.[0]).toBe('*1 Korea Mining Development Trading Corporation(KOMID）');
    // With them, sheet 14 would hold 54 + 21 = 75 entities and sheet 15 48 + 32 = 80 individuals:
    // as many as the UN 1718 list's 75 KPe and 80 KPi in its 2026-02-27 file (test/sources/un), a hint
    // that the marked rows are the rest of that list. The record rule keeps 54 and 48.
    expect(list.records.filter((r) => r.sourceId.startsWith('14-'))).toHaveLength(54);
    expect(list.records.filter((r) => r.sourceId.startsWith('15-'))).toHaveLength(48);
  });

  it('reads the .xlsx saved from the same .xls (made in this test with XLSX.write) into identical records', () => {
    const xlsx = asXlsx(realXls(APR14));
    expect(xlsx.subarray(0, 2).toString('latin1')).toBe('PK');
    const again = parseJpMofWorkbook(xlsx, 'jp-mof-xlsx');
    expect(again.format).toBe('jp-mof-xlsx');
    expect(again.records).toEqual(list.records);
  });
});

describe('another list pointed at MOF’s workbook', () => {
  it('the UN source refuses the real .xls, saying it is an Excel workbook', async () => {
    const { unScSource } = await import('../../../src/sources/un/source.js');
    const url = 'file:///mirror/consolidated.xml';
    expect(() => unScSource(url).spec.parse(new Map([[url, realXls(APR14)]]))).toThrow(/Excel \.xls workbook/);
  });
});
