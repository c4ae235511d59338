/**
 * The cross-list linker (src/core/parties.ts) reads a legal form's abbreviation as the word it
 * stands for: OFAC writes "DALIAN GLOBAL UNITY SHIPPING CO., LTD.", Australia's DFAT "Dalian
 * Global Unity Shipping Company Ltd" — one party, linked now (it was not), while two companies
 * that differ by a real word stay apart. Data: the real sdn.csv of 2023-12-01 and DFAT's
 * consolidated list of 2024-11-11.
 */
import { describe, expect, it } from 'vitest';
import { linkParties, nameKeys } from '../../src/core/parties.js';
import { parseDfatWorkbook } from '../../src/sources/au-dfat/spreadsheet.js';
import { parseOfacCsv } from '../../src/sources/ofac/csv.js';
import { fixtureBytes, fixtureText } from '../helpers/fixtures.js';

describe('a legal form spelt two ways', () => {
  const ofac = parseOfacCsv({ sdn: fixtureText('real/ofac_sdn_csv/sdn_2023-12-01.csv.gz') }).records;
  const dfat = parseDfatWorkbook(fixtureBytes('real/au_dfat/dfat_regulation8_consolidated_2024-11-11.xlsx.gz'), 'xlsx').records;
  const pick = (records: typeof ofac, id: string) => records.find((r) => r.sourceId === id)!;

  it('is one name: OFAC 22624 and DFAT 3425 are linked as one party', () => {
    const [a, b] = [pick(ofac, '22624'), pick(dfat, '3425')];
    expect([a.name, b.name]).toEqual(['DALIAN GLOBAL UNITY SHIPPING CO., LTD.', 'Dalian Global Unity Shipping Company Ltd']);
    expect(nameKeys(a)).toContain('company dalian global limited shipping unity');
    expect(linkParties([a, b])).toEqual([[0, 1]]);
  });

  it('does not join companies whose names differ by a word that is not a legal form', () => {
    // OFAC 18954 YONGJIN and 18955 PYONGJIN SHIP MANAGEMENT COMPANY LIMITED, both DPRK, one letter apart.
    const [yongjin, pyongjin] = [pick(ofac, '18954'), pick(ofac, '18955')];
    const other = { ...pyongjin, source: 'au-dfat' as const };
    expect(linkParties([yongjin, other])).toEqual([[0], [1]]);
  });
});
