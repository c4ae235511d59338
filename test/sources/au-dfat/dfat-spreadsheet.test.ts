import { describe, expect, it } from 'vitest';
import { auDfatSource } from '../../../src/sources/au-dfat/source.js';
import { dateOfBirth, identifiersIn, listedOn, parseDfatWorkbook } from '../../../src/sources/au-dfat/spreadsheet.js';
import { sniffFormat } from '../../../src/sources/sniff.js';
import { realBytes, realRows, XLS_2022, XLSX_2024 } from './dfat.js';

const parse = (relative: string) => {
  const bytes = realBytes(relative);
  const format = sniffFormat(bytes);
  if (format !== 'xls' && format !== 'xlsx') throw new Error(`${relative} sniffed as ${format}`);
  return parseDfatWorkbook(bytes, format);
};

describe('DFAT Consolidated List, real .xls of 2022-05-03 and .xlsx of 2024-11-11', () => {
  const y2022 = parse(XLS_2022);
  const y2024 = parse(XLSX_2024);

  it('sniffs the BIFF .xls and the zip .xlsx from their bytes, and the source reads both', () => {
    expect(sniffFormat(realBytes(XLS_2022))).toBe('xls');
    expect(sniffFormat(realBytes(XLSX_2024))).toBe('xlsx');
    expect(y2022.format).toBe('dfat-xls');
    expect(y2024.format).toBe('dfat-xlsx');
    expect(auDfatSource('file:///dfat.xlsx').spec.parse(new Map([['file:///dfat.xlsx', realBytes(XLSX_2024)]])).records).toHaveLength(3062);
  });

  it('groups the name rows by Reference into 2,666 (2022) and 3,062 (2024) records, 250 and 211 of them DPRK', () => {
    for (const [label, list, rows, records, dprk, dprkRows] of [
      ['2022-05-03', y2022, 7945, 2666, 250, 580],
      ['2024-11-11', y2024, 9553, 3062, 211, 508],
    ] as const) {
      const named = realRows(realBytes(label === '2022-05-03' ? XLS_2022 : XLSX_2024))
        .slice(1)
        .filter((r) => String(r[0]).trim() !== '');
      const dprkRecords = list.records.filter((d) => d.dprk);
      console.log(`DFAT ${label}: ${named.length} name rows, ${list.records.length} records, ${dprkRecords.length} DPRK`);
      expect(named).toHaveLength(rows);
      expect(named.filter((r) => /\(DPRK\)/.test(String(r[10])))).toHaveLength(dprkRows);
      expect(list.warnings).toEqual([]);
      expect(list.records).toHaveLength(records);
      expect(dprkRecords).toHaveLength(dprk);
      // DPRK relevance is exactly the Committees rule: 1718 (DPRK) or Autonomous (DPRK).
      expect(list.records.filter((d) => d.programs.some((p) => p === '1718 (DPRK)' || p === 'Autonomous (DPRK)'))).toEqual(dprkRecords);
      expect(list.records.every((d) => /^\d+$/.test(d.sourceId) && d.source === 'au-dfat')).toBe(true);
    }
    expect(y2024.publishedAt).toBe('2024-11-11T01:01:21.000Z'); // the workbook's own "modified" stamp
  });

  it('reads record 1113 (KOMID, rows 1113 … 1113g) field by field: names of every script, committee, DPRK', () => {
    const komid = y2022.records.find((d) => d.sourceId === '1113');
    expect(komid).toMatchObject({
      source: 'au-dfat',
      sourceId: '1113',
      type: 'entity',
      programs: ['1718 (DPRK)'],
      dobs: [],
      placesOfBirth: [],
      url: 'https://www.dfat.gov.au/international-relations/security/sanctions/consolidated-list',
      dprk: true,
    });
    expect(komid?.name).toBe('Korea Mining Development Trading Corporation');
    expect(komid?.aliases).toEqual([
      { name: 'Changgwang Sinyong Corporation', kind: 'aka' },
      { name: 'DPRKN Mining Development Trading Cooperation', kind: 'aka' },
      { name: 'External Technology General Corporation', kind: 'aka' },
      { name: 'KOMID', kind: 'aka' },
      { name: '대외기술총회사', kind: 'aka' },
      { name: '조선광업개발무역회사', kind: 'aka' },
      { name: '조선창광신용회사', kind: 'aka' },
    ]);
    expect(komid?.remarks).toContain('Primary arms dealer and main exporter of goods and equipment related to ballistic missiles');
    expect(komid?.remarks).toContain('Listed by the UN1718 committee on 24 Apr. 2009');
    expect(komid?.dprkReasons[0]).toBe('program 1718 (DPRK)');
    expect(komid?.listedOn).toBe('2009-04-24');
  });

  it('reads an individual added in 2023: 7791 Pyon Kwang Chol (date cell → ISO date)', () => {
    expect(y2024.records.find((d) => d.sourceId === '7791')).toEqual({
      source: 'au-dfat',
      sourceId: '7791',
      name: 'Pyon Kwang Chol',
      type: 'individual',
      programs: ['Autonomous (DPRK)'],
      aliases: [],
      dobs: ['1964-09-16'],
      placesOfBirth: ['North Korea'],
      nationalities: ['North Korean'],
      addresses: [],
      identifiers: [],
      remarks:
        "Instrument of first designation: Autonomous Sanctions (Designated Persons and Entities and Declared Persons - Democratic People's Republic of Korea) Amendment (No. 2) Instrument 2023.",
      url: 'https://www.dfat.gov.au/international-relations/security/sanctions/consolidated-list',
      dprk: true,
      dprkReasons: ['program Autonomous (DPRK)'],
    });
  });

  it('reads DFAT text dates of birth day first, as its date cells read, and keeps approximate ones', () => {
    expect(dateOfBirth('13 Oct. 1944')).toBe('1944-10-13');
    expect(dateOfBirth('7/02/1950')).toBe('1950-02-07');
    expect(dateOfBirth('16-Sep-1964')).toBe('1964-09-16');
    expect(dateOfBirth('Approximately 1963')).toBe('Approximately 1963');
  });

  it('reads the labelled numbers of Additional Information as identifiers (7798 Parsek LLC, 2563 Ra Ky\'ong-Su)', () => {
    expect(y2024.records.find((d) => d.sourceId === '7798')?.identifiers).toEqual([
      { kind: 'registration', label: 'Company No', value: '62817565' },
      { kind: 'registration', label: 'Registration No', value: '109774656366' },
      { kind: 'tax-id', label: 'Tax ID No', value: '7714789249' },
    ]);
    expect(y2024.records.find((d) => d.sourceId === '2563')?.identifiers).toContainEqual({ kind: 'passport', label: 'Passport no', value: '645120196' });
    expect(identifiersIn('Passport: 381420754; Passport Date of Issue: 7 December 2011')).toEqual([{ kind: 'passport', label: 'Passport', value: '381420754' }]);
    expect(identifiersIn('Registration 2007')).toEqual([]); // a year, not a number
    expect(identifiersIn('IMO: 8829593')).toEqual([{ kind: 'imo', label: 'IMO', value: '8829593' }]);
    for (const [label, list] of [['2022-05-03', y2022], ['2024-11-11', y2024]] as const)
      console.log(`DFAT ${label}: identifiers read for ${list.records.filter((d) => d.identifiers.length > 0).length} records`);
  });

  it('takes listedOn from the opening date of Listing Information, and none from an undated instrument', () => {
    expect(listedOn('Listed on: 16 Jul. 2009 (amended on 2 Mar. 2016, 5 Jun. 2017 and 26 Jul. 2022)')).toBe('2009-07-16');
    expect(listedOn('Listed by UN 1267 Committee on 25 January 2001 (amended on 20 December 2005)')).toBe('2001-01-25');
    expect(listedOn('Designated under the Autonomous Sanctions Regulations 2011 on 2 March 2012. Formerly listed on the RBA Consolidated List as 2006NKR0003')).toBe('2012-03-02');
    expect(listedOn('Instrument of first designation: Autonomous Sanctions (Designated Persons and Entities and Declared Persons - Democratic People\'s Republic of Korea) Amendment (No. 2) Instrument 2023.')).toBeUndefined();
    expect(y2022.records.find((d) => d.sourceId === '1693')?.listedOn).toBe('2012-03-02'); // Hesong Trading Corporation
    for (const [label, list] of [['2022-05-03', y2022], ['2024-11-11', y2024]] as const)
      console.log(`DFAT ${label}: listedOn read for ${list.records.filter((d) => d.listedOn).length} of ${list.records.length} records`);
  });
});
