/**
 * The EU, UK and Swiss files are 20–40 MB: their parsers take each record element from the
 * checking reader as it closes (streamDocument) instead of a tree of the whole file. Proved on
 * the real EU and UK files and the built Swiss one: what is handed over is, in order, exactly what
 * the tree held; and at full size each parser reads every record.
 */
import { describe, expect, it } from 'vitest';
import { parseChSecoXml } from '../../src/sources/ch-seco/xml.js';
import { parseEuFsfXml } from '../../src/sources/eu-fsf/xml.js';
import { parseUkXml } from '../../src/sources/uk-sanctions/xml.js';
import { readXml } from '../../src/sources/xml-reader.js';
import { fixtureText } from '../helpers/fixtures.js';
import { fullSizeEuXml, fullSizeSecoXml, fullSizeUkXml } from '../helpers/full-size.js';

const CASES = [
  { list: 'eu-fsf', fixture: 'real/eu_fsf_xml/eu_fsf_20220318_gfid137925_first1044records.xml.gz', root: 'export', record: 'sanctionEntity' },
  { list: 'uk-sanctions', fixture: 'real/uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz', root: 'Designations', record: 'Designation' },
  { list: 'ch-seco', fixture: 'built/ch_seco_xml/seco_dprk_built.xml', root: 'swiss-sanctions-list', record: 'target' },
];

describe.each(CASES)('$list: record elements streamed', ({ fixture, root, record }) => {
  const xml = fixtureText(fixture);
  const repeating = new Set([record, 'nameAlias', 'Name', 'name']);

  it('hands over, in file order, exactly the elements the whole tree holds, and keeps the rest of the tree', () => {
    const tree = readXml(xml, repeating)[root] as Record<string, unknown>;
    const handed: unknown[] = [];
    const rest = readXml(xml, repeating, new Set([record]), (name, value) => {
      expect(name).toBe(record);
      handed.push(value);
    })[root] as Record<string, unknown>;
    expect(handed.length).toBeGreaterThan(4);
    expect(handed).toStrictEqual(tree[record]);
    const { [record]: _records, ...others } = tree;
    expect(rest).toStrictEqual(others);
  });
});

describe('at full size (real subsets repeated, see test/helpers/full-size.ts)', () => {
  it.each([
    { list: 'eu-fsf', once: () => parseEuFsfXml(fixtureText(CASES[0]!.fixture)), full: () => parseEuFsfXml(fullSizeEuXml()), copies: 7 },
    { list: 'uk-sanctions', once: () => parseUkXml(fixtureText(CASES[1]!.fixture)), full: () => parseUkXml(fullSizeUkXml()), copies: 28 },
    { list: 'ch-seco', once: () => parseChSecoXml(fixtureText(CASES[2]!.fixture)), full: () => parseChSecoXml(fullSizeSecoXml()), copies: 5831 },
  ])('$list: every copy of every record is read, with no warning the real file does not give', ({ once, full, copies }) => {
    const single = once();
    const big = full();
    expect(big.records).toHaveLength(single.records.length * copies);
    expect(new Set(big.records.map((r) => r.sourceId)).size).toBe(big.records.length);
    expect(big.warnings.length).toBe(single.warnings.length * copies);
  });
});
