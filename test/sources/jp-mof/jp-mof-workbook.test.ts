import { describe, expect, it } from 'vitest';
import { parseJpMofWorkbook } from '../../../src/sources/jp-mof/workbook.js';
import { APR14, MAY09, asXlsx, markedRows, numberedRows, realXls, sheetNumbered } from './helpers.js';

const sum = (xs: Iterable<number>): number => [...xs].reduce((a, b) => a + b, 0);

function dprkBySheet(records: ReturnType<typeof parseJpMofWorkbook>['records']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) if (r.dprk) out[r.sourceId.split('-')[0]!] = (out[r.sourceId.split('-')[0]!] ?? 0) + 1;
  return out;
}

describe('MOF asset-freeze workbook, real .xls files (2022-04-14 and 2022-05-09)', () => {
  // `numbered`: PROVENANCE.md's "numbered rows", column B an integer (DPRK 196 = 6/54/48/49/39).
  // PROVENANCE.md (copied unchanged, test/fixtures/real/PROVENANCE.md) calls only those rows
  // records; the parser takes the marked rows too, so its records are more than PROVENANCE's rule gives.
  // `marked`: rows whose 告示番号 carries a mark (`*1`, `#17`, `2(*39)`, `1(#47)`), also records.
  const files = [
    { file: APR14, numbered: 2366, marked: 140, records: 1954 },
    { file: MAY09, numbered: 2507, marked: 140, records: 2095 },
  ];
  for (const { file, numbered, marked, records } of files) {
    it(`${file}: ${numbered} integer-numbered rows and ${marked} marked ones; those not marked 削除 are the ${records} records, 302 DPRK (sheets 13–17: 16/75/80/60/71)`, () => {
      const xls = realXls(file);
      const rows = numberedRows(xls);
      const marks = markedRows(xls);
      const list = parseJpMofWorkbook(xls, 'jp-mof-xls');
      const deleted = sum([...rows.values()].map((r) => r.deleted));
      const markedDeleted = sum([...marks.values()].map((m) => m.filter((r) => r.deleted).length));
      console.info(
        `${file}: ${sum([...rows.values()].map((r) => r.numbered))} numbered rows (${deleted} marked 削除), ` +
          `${sum([...marks.values()].map((m) => m.length))} marked 告示番号 (${markedDeleted} 削除), ${list.records.length} records, ` +
          `${list.records.filter((r) => r.dprk).length} DPRK ${JSON.stringify(dprkBySheet(list.records))}, warnings ${JSON.stringify(list.warnings)}`,
      );
      expect(sum([...rows.values()].map((r) => r.numbered))).toBe(numbered);
      expect([13, 14, 15, 16, 17].map((n) => rows.get(n)?.numbered)).toEqual([6, 54, 48, 49, 39]);
      expect(sum([...marks.values()].map((m) => m.length))).toBe(marked);
      // Marked rows in sheets 2 (19), 3 (14), 4 (1) and the DPRK sheets (10/21/32/11/32 = 106); none elsewhere.
      expect(Object.fromEntries([...marks].map(([n, m]) => [n, m.length]))).toEqual({ 2: 19, 3: 14, 4: 1, 13: 10, 14: 21, 15: 32, 16: 11, 17: 32 });
      expect(list.source).toBe('jp-mof');
      expect(list.format).toBe('jp-mof-xls');
      // Two numbered rows of sheet 2 have no name at all (notice 274, listed 2012.10.25; notice *301,
      // 2015.9.18): skipped, and said so.
      expect(list.warnings).toEqual(['sheet 2 notice 274: no name; skipped', 'sheet 2 notice *301: no name; skipped']);
      expect(list.records).toHaveLength(numbered - deleted - 1 + (marked - markedDeleted - 1));
      expect(list.records).toHaveLength(records);
      // Integer-numbered 6/54/48/49/39 plus marked 10/21/32/11/32: sheet 14 holds 75 entities and
      // sheet 15 80 individuals, as many as the UN 1718 list's 75 KPe and 80 KPi in its 2026-02-27 file
      // (test/sources/un).
      expect(dprkBySheet(list.records)).toEqual({ '13': 16, '14': 75, '15': 80, '16': 60, '17': 71 });
      expect(list.records.filter((r) => r.dprk).every((r) => r.dprkReasons[0] === 'program DPRK')).toBe(true);
      expect(new Set(list.records.map((r) => r.sourceId)).size).toBe(list.records.length);
      // No sheet gives a marked row the number of another row, so every id is `<sheet>-<number>`.
      expect(list.records.every((r) => /^\d+-\d+$/.test(r.sourceId))).toBe(true);
    });
  }

  it('reads every marked row the same in both files: the marked rows add nothing to the real difference', () => {
    const marked = (file: string): Map<string, unknown> =>
      new Map(
        parseJpMofWorkbook(realXls(file), 'jp-mof-xls')
          .records.filter((r) => /(?:^| )告示番号 (?:[*#]\d+|\d+\([*#]\d+\))(?: |$)/.test(r.remarks ?? ''))
          .map((r) => [r.sourceId, r]),
      );
    const [before, after] = [marked(APR14), marked(MAY09)];
    expect(before.size).toBe(134);
    expect(after).toEqual(before);
  });

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

  it('takes marked 告示番号 as records: KOMID `*1`, KRGC `*2`, Foreign Trade Bank `#47` are entities of sheet 14, DPRK', () => {
    for (const [id, name, mark] of [
      ['14-1', 'Korea Mining Development Trading Corporation(KOMID）', '*1'],
      ['14-2', 'Korea Ryonbong General Corporation(KRGC)', '*2'],
      ['14-47', 'FOREIGN TRADE BANK', '#47'],
    ] as const) {
      const r = byId.get(id);
      expect(r?.name).toBe(name);
      expect(r?.type).toBe('entity');
      expect(r?.programs).toContain('DPRK');
      expect(r?.dprk).toBe(true);
      expect(r?.dprkReasons[0]).toBe('program DPRK');
      // The mark is kept, with the sheet's own note saying what it means.
      expect(r?.remarks).toMatch(new RegExp(`^告示番号 \\${mark}\\s`));
    }
    expect(byId.get('14-1')?.remarks).toContain('*で標記した団体は、国連安保理決議第1695号に基づく措置として');
    expect(byId.get('14-47')?.remarks).toContain('#で標記した団体は、米、EU等との国際協調に基づく措置として');
    // A cross-reference `9(*2)`: notice 9 of sheet 13, the bracket naming its 告示番号 in the 1718 list (sheet 14's `*2`).
    expect(byId.get('13-9')?.name).toBe('Korea Ryonbong General Corporation(KRGC)');
    expect(byId.get('13-9')?.remarks).toMatch(/^告示番号 9\(\*2\) .*\*に続く数字は、国連安保理決議第1718号等に基づく資産凍結措置リストにおける告示番号である。$/s);
    expect(byId.get('16-1')?.name).toBe('FOREIGN TRADE BANK');
    expect(byId.get('16-1')?.remarks).toMatch(/^告示番号 1\(#47\) /);
    expect(byId.get('13-1')?.name).toBe('Kohas AG');
    // Outside the DPRK sheets too: sheet 2's `*186` and sheet 3's `1(*186)` are Al Rashid Trust.
    expect(byId.get('2-186')?.name).toBe('AL RASHID TRUST');
    expect(byId.get('3-1')?.name).toBe('AL RASHID TRUST');
    // A marked row 削除 stays out: sheet 2 `*295`, sheet 3 `8(*295)`.
    expect(byId.has('2-295')).toBe(false);
    expect(byId.has('3-8')).toBe(false);
  });

  it('the 106 marked rows of the DPRK sheets (10/21/32/11/32) are all records', () => {
    const marked = markedRows(realXls(APR14));
    const dprk = [13, 14, 15, 16, 17].map((n) => marked.get(n) ?? []);
    expect(dprk.map((m) => m.length)).toEqual([10, 21, 32, 11, 32]);
    expect(dprk.flat().some((r) => r.deleted)).toBe(false);
    expect(marked.get(14)?.[0]).toEqual({ notice: '*1', name: 'Korea Mining Development Trading Corporation(KOMID）', deleted: false });
    for (const [i, n] of [13, 14, 15, 16, 17].entries())
      for (const r of dprk[i]!) expect(byId.get(`${n}-${/\d+/.exec(r.notice)![0]}`)?.remarks).toContain(`告示番号 ${r.notice}`);
  });

  it('gives a marked row its number as written when a plain row of its sheet has the same number (14-1 and 14-*1; made in this test)', () => {
    const edited = asXlsx(realXls(APR14), (wb) => {
      const sheet = sheetNumbered(wb, 14);
      // Sheet 14's notice 4 (Namchongang Trading Corporation) renumbered 1, beside `*1` (KOMID).
      const ref = Object.keys(sheet).find((k) => /^B\d+$/.test(k) && String((sheet[k] as { v: unknown }).v).trim() === '4')!;
      sheet[ref] = { t: 's', v: '1' };
    });
    const ids = new Map(parseJpMofWorkbook(edited, 'jp-mof-xlsx').records.map((r) => [r.sourceId, r.name]));
    expect(ids.get('14-1')).toBe('NAMCHONGANG TRADING CORPORATION');
    expect(ids.get('14-*1')).toBe('Korea Mining Development Trading Corporation(KOMID）');
    expect(ids.has('14-4')).toBe(false);
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
