import { describe, expect, it } from 'vitest';
import { CH_SECO_PAGE } from '../../../src/sources/ch-seco/links.js';
import { parseChSecoXml } from '../../../src/sources/ch-seco/xml.js';
import { sniffFormat } from '../../../src/sources/sniff.js';
import { fixtureText } from '../../helpers/fixtures.js';
import { BUILT, targetBlock, withDelisting } from './built.js';

// BUILT is not a real SECO file: a document in the SESAM structure holding real UN-listed parties
// (test/fixtures/built/ch_seco_xml/PROVENANCE.md). Every variant below is DERIVED from it here.
const NK_ORDINANCE = "Ordinance of 18 May 2016 on Measures against the Democratic People's Republic of Korea (North Korea)";

describe('SECO XML, the BUILT document (real UN-listed parties in the SESAM structure)', () => {
  const list = parseChSecoXml(BUILT);
  const byId = new Map(list.records.map((d) => [d.sourceId, d]));

  it('is sniffed as SECO XML by its <swiss-sanctions-list> root; the other lists are not', () => {
    expect(sniffFormat(Buffer.from(BUILT))).toBe('ch-seco-xml');
    expect(sniffFormat(Buffer.from(fixtureText('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml')))).toBe('un-xml');
  });

  it('parses 5 targets (3 individuals, 2 entities), 4 DPRK-relevant by the North Korea ordinance, no warnings', () => {
    const dprk = list.records.filter((d) => d.dprk);
    console.info(`SECO built document: ${list.records.length} records, ${dprk.length} DPRK-relevant`);
    expect(list.source).toBe('ch-seco');
    expect(list.format).toBe('ch-seco-xml');
    expect(list.warnings).toEqual([]);
    expect(list.records).toHaveLength(5);
    expect(list.records.filter((d) => d.type === 'individual')).toHaveLength(3);
    expect(list.records.filter((d) => d.type === 'entity')).toHaveLength(2);
    expect(dprk.map((d) => d.unReference).sort()).toEqual(['KPe.001', 'KPe.002', 'KPi.001', 'KPi.033']);
    expect(dprk.every((d) => d.dprkReasons.includes('DPRK sanctions regime'))).toBe(true);
    expect(byId.get('12001')).toMatchObject({ name: 'SADDAM HUSSEIN AL-TIKRITI', dprk: false, programs: ['Ordinance of 7 August 1990 on Economic Measures against the Republic of Iraq'] });
    expect(list.publishedAt).toBe('2026-02-27T00:00:00.000Z');
  });

  it('reads target 10001 (UN KPi.001, YUN HO-JIN) field by field (checked against the UN record it was built from)', () => {
    expect(byId.get('10001')).toEqual({
      source: 'ch-seco',
      sourceId: '10001',
      unReference: 'KPi.001',
      name: 'YUN HO-JIN',
      type: 'individual',
      programs: [NK_ORDINANCE],
      aliases: [{ name: 'Yun Ho-chin', kind: 'aka', quality: 'strong' }],
      dobs: ['1944-10-13'],
      placesOfBirth: [],
      nationalities: ['North Korea'],
      addresses: [{ text: 'Pyongyang, North Korea', country: 'North Korea' }],
      identifiers: [],
      remarks:
        'Director of Namchongang Trading Corporation; oversees the import of items needed for the uranium enrichment program. Director of Namchongang Trading Corporation',
      listedOn: '2009-07-16',
      url: CH_SECO_PAGE,
      dprk: true,
      dprkReasons: ['DPRK sanctions regime', 'North Korean nationality', 'address in North Korea'],
    });
  });

  it('keeps the passport of 10033 (KPi.033), the f.k.a. of 11002 (KPe.002) and the Arabic-script name of 12001 (IQi.001)', () => {
    expect(byId.get('10033')?.identifiers).toEqual([{ kind: 'passport', label: 'Passport', value: '381310014', country: 'North Korea' }]);
    expect(byId.get('11002')?.aliases).toContainEqual({ name: 'LYONGAKSAN GENERAL TRADING CORPORATION', kind: 'fka', quality: 'strong' });
    expect(byId.get('11002')?.addresses).toHaveLength(2);
    expect(byId.get('12001')?.aliases).toEqual([
      { name: 'Abu Ali', kind: 'aka', quality: 'weak' },
      { name: 'صدام حسين التكريتي', kind: 'aka', quality: 'strong' },
    ]);
    expect(byId.get('12001')?.placesOfBirth).toEqual(['al-Awja, near Tikrit, Iraq']);
  });

  it('derived: 10001 moved to the Iraq sanctions set is still DPRK by its KP nationality and Pyongyang address, whatever wording sits next to iso-code KP', () => {
    const block = targetBlock(BUILT, '10001');
    const moved = block.replace('<sanctions-set-id>9101</sanctions-set-id>', '<sanctions-set-id>9102</sanctions-set-id>');
    expect(moved).not.toBe(block);
    const record = parseChSecoXml(BUILT.replace(block, moved)).records.find((d) => d.sourceId === '10001')!;
    expect(record.programs).toEqual(['Ordinance of 7 August 1990 on Economic Measures against the Republic of Iraq']);
    expect(record.dprk).toBe(true);
    expect(record.dprkReasons).toEqual(['North Korean nationality', 'address in North Korea']);
    // The publisher's wording next to the code is not known for certain: any wording with KP counts.
    const reworded = moved.replace('<country iso-code="KP">North Korea</country>', '<country iso-code="KP">Korea (Nord)</country>');
    expect(reworded).not.toBe(moved);
    const again = parseChSecoXml(BUILT.replace(block, reworded)).records.find((d) => d.sourceId === '10001')!;
    expect(again.nationalities).toEqual(['Korea (Nord) (North Korea)']);
    expect(again.dprkReasons).toContain('North Korean nationality');
  });

  it('derived: an <object object-type="vessel"> target built here from the real OFAC SDN vessel 17069 (CHONG CHON GANG) is a vessel with its IMO number', () => {
    const row = fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv').split('\n').find((l) => l.startsWith('17069,'))!;
    const name = /^17069,"([^"]+)","vessel"/.exec(row)![1]!;
    const imo = /IMO (\d{7})/.exec(row)![1]!;
    expect([name, imo]).toEqual(['CHONG CHON GANG', '7937317']);
    const vessel = [
      '  <target ssid="19001">',
      '    <modification ssid="29001" modification-type="listed" effective-date="2026-02-27" publication-date="2026-02-27"/>',
      '    <sanctions-set-id>9101</sanctions-set-id>',
      '    <object object-type="vessel">',
      '      <identity ssid="39001" main="true">',
      `        <name ssid="49001" name-type="primary-name"><name-part order="1" name-part-type="whole-name"><value>${name}</value></name-part></name>`,
      '      </identity>',
      `      <other-information ssid="99001">IMO: ${imo}</other-information>`,
      '    </object>',
      '  </target>',
      '',
    ].join('\n');
    const doc = BUILT.replace('  <place ssid="80001">', `${vessel}  <place ssid="80001">`);
    const list = parseChSecoXml(doc);
    expect(list.warnings).toEqual([]);
    expect(list.records.find((d) => d.sourceId === '19001')).toMatchObject({
      name: 'CHONG CHON GANG',
      type: 'vessel',
      identifiers: [{ kind: 'imo', value: '7937317' }],
      dprk: true,
    });
  });

  it('derived: sanctions-set-id as an attribute of <target> (older files) is read like the element; an undeclared set is a warning', () => {
    const block = targetBlock(BUILT, '10001');
    const asAttribute = block.replace('<target ssid="10001">', '<target ssid="10001" sanctions-set-id="9101">').replace('    <sanctions-set-id>9101</sanctions-set-id>\n', '');
    expect(asAttribute).not.toBe(block);
    const list = parseChSecoXml(BUILT.replace(block, asAttribute));
    expect(list.records.find((d) => d.sourceId === '10001')?.programs).toEqual([NK_ORDINANCE]);
    const undeclared = parseChSecoXml(BUILT.replace(block, block.replace('<sanctions-set-id>9101<', '<sanctions-set-id>9999<')));
    expect(undeclared.warnings).toEqual(['SECO XML: target 10001 names sanctions set 9999, which no sanctions-program declares']);
    expect(undeclared.records).toHaveLength(5);
  });

  it('derived: a target whose latest modification is de-listed is not a record; re-listed after it, it is again', () => {
    const withDelisted = withDelisting(BUILT, '10033', '2026-03-01');
    const after = parseChSecoXml(withDelisted);
    expect(after.records.map((d) => d.sourceId)).not.toContain('10033');
    expect(after.records).toHaveLength(4);
    expect(after.warnings).toEqual([]);
    // The de-listing placed BEFORE the listing in the file still wins by its later effective date.
    expect(parseChSecoXml(withDelisting(BUILT, '10033', '2026-03-01', true)).records).toHaveLength(4);
    // Listed again after the de-listing: a record again.
    const block = targetBlock(withDelisted, '10033');
    const delistedLine = block.split('\n').find((l) => l.includes('"de-listed"'))!;
    const relisted = block.replace(delistedLine, `${delistedLine}\n${delistedLine.replace('ssid="100339"', 'ssid="100338"').replace('"de-listed"', '"listed"').replace(/"2026-03-01"/g, '"2026-04-01"')}`);
    expect(relisted).not.toBe(block);
    const back = parseChSecoXml(withDelisted.replace(block, relisted));
    expect(back.records.map((d) => d.sourceId)).toContain('10033');
  });

  it('derived: the targets in reverse order and the aliases of 11001 reversed parse to the same records', () => {
    const ids = ['10001', '10033', '11001', '11002', '12001'];
    const blocks = ids.map((id) => targetBlock(BUILT, id));
    const first = BUILT.indexOf(blocks[0]!);
    const last = BUILT.indexOf(blocks.at(-1)!) + blocks.at(-1)!.length;
    expect(BUILT.slice(first, last)).toBe(blocks.join(''));
    let reordered = BUILT.slice(0, first) + [...blocks].reverse().join('') + BUILT.slice(last);
    const komid = targetBlock(reordered, '11001');
    const names = komid.match(/        <name ssid="\d+" name-type="alias">[\s\S]*?<\/name>\n/g)!;
    expect(names).toHaveLength(4);
    reordered = reordered.replace(komid, komid.replace(names.join(''), [...names].reverse().join('')));
    expect(reordered).not.toBe(BUILT);
    const sorted = (xs: typeof list.records) => [...xs].sort((a, b) => a.sourceId.localeCompare(b.sourceId));
    expect(sorted(parseChSecoXml(reordered).records)).toEqual(sorted(list.records));
  });

  it('derived: a truncated document is refused, saying it looks truncated', () => {
    expect(() => parseChSecoXml(BUILT.slice(0, Math.floor(BUILT.length * 0.6)))).toThrow(/SECO XML: document is not well-formed XML .* — the document looks truncated/);
  });
});
