import { describe, expect, it } from 'vitest';
import { parseOfacXml } from '../../src/sources/ofac/xml.js';
import { parseUnXml } from '../../src/sources/un/xml.js';
import { parseDocument } from '../../src/sources/xml.js';
import { fixtureText } from '../helpers/fixtures.js';
import { parseDocumentWithFxp } from '../helpers/fxp-document.js';

/**
 * The list parsers read documents with src/sources/xml-reader.ts; before, with
 * fast-xml-parser (validator + parser, kept in test/helpers/fxp-document.ts). On every real
 * XML fixture both must give the same tree and the same Designation records.
 */
const UN_FULL = 'real/un_consolidated_xml/consolidated_2026-02-27.xml.gz';
const UN_DPRK = 'real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml';
const OFAC = [
  'real/ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-18_pub-2025-10-22.XML.gz',
  'real/ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-19_pub-2025-12-18.XML.gz',
];

describe.each([
  { fixture: UN_FULL, root: 'CONSOLIDATED_LIST', parse: parseUnXml },
  { fixture: UN_DPRK, root: 'CONSOLIDATED_LIST', parse: parseUnXml },
  ...OFAC.map((fixture) => ({ fixture, root: 'sdnList', parse: parseOfacXml })),
])('$fixture: xml-reader and fast-xml-parser agree', ({ fixture, root, parse }) => {
  const xml = fixtureText(fixture);
  const mine = parse(xml);
  const reference = parse(xml, parseDocumentWithFxp);

  it('on every record, field for field, in the same order, and on the warnings', () => {
    expect(mine.records.length).toBeGreaterThan(100);
    expect(mine.records.map((d) => d.sourceId)).toEqual(reference.records.map((d) => d.sourceId));
    mine.records.forEach((d, i) => expect(d, d.sourceId).toStrictEqual(reference.records[i]));
    expect(mine).toStrictEqual(reference);
  });

  it('on the whole element tree under the root (only the XML declaration and xmlns attributes differ)', () => {
    // Here every element name "repeats", the strictest shape: arrays everywhere.
    const everything = new Set(Array.from(xml.matchAll(/<([A-Za-z_][\w.-]*)[\s/>]/g), (m) => m[1]!));
    expect(parseDocument(xml, root, 'test', everything)[root]).toStrictEqual(parseDocumentWithFxp(xml, root, 'test', everything)[root]);
    const none = new Set<string>();
    expect(parseDocument(xml, root, 'test', none)[root]).toStrictEqual(parseDocumentWithFxp(xml, root, 'test', none)[root]);
  });
});

describe('the DPRK subset through xml-reader', () => {
  const list = parseUnXml(fixtureText(UN_DPRK));

  it('has 80 individuals and 75 entities, ids trimmed ("KPe.041 " → "KPe.041")', () => {
    expect(list.records.filter((d) => d.type === 'individual')).toHaveLength(80);
    expect(list.records.filter((d) => d.type === 'entity')).toHaveLength(75);
    expect(list.records.find((d) => d.sourceId === 'KPe.041')?.name).toBe('KOREA TAESONG TRADING COMPANY');
  });
});
