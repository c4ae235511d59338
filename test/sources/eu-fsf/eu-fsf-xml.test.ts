import { describe, expect, it } from 'vitest';
import { parseEuFsfXml } from '../../../src/sources/eu-fsf/xml.js';
import { EU_FSF_PAGE } from '../../../src/sources/eu-fsf/links.js';
import { sniffFormat } from '../../../src/sources/sniff.js';
import { fixtureText } from '../../helpers/fixtures.js';

// Two SUBSETS of one real EU FSF XML v1.1 file (generationDate 2022-03-18, globalFileId 137925),
// cut by whole records: see test/fixtures/real/eu_fsf_xml/PROVENANCE.md.
const PRK_ONLY = 'real/eu_fsf_xml/eu_fsf_20220318_gfid137925_PRK_only.xml';
const FIRST_1044 = 'real/eu_fsf_xml/eu_fsf_20220318_gfid137925_first1044records.xml.gz';

const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

describe('EU FSF XML, the 46 PRK records (real, 2022-03-18)', () => {
  const xml = fixtureText(PRK_ONLY);
  const list = parseEuFsfXml(xml);
  const byId = new Map(list.records.map((d) => [d.sourceId, d]));

  it('is sniffed as EU FSF XML by its export namespace (an <export> of another namespace is not)', () => {
    expect(sniffFormat(Buffer.from(xml))).toBe('eu-fsf-xml');
    expect(sniffFormat(Buffer.from('<?xml version="1.0"?><export xmlns="urn:example:other"><row/></export>'))).toBe('unknown-xml');
  });

  it('parses all 46 records (17 persons, 29 enterprises: the P/E marks in PROVENANCE), every one DPRK-relevant by programme PRK', () => {
    console.info(
      `EU FSF PRK subset: ${list.records.length} records, ${list.records.filter((d) => d.dprk).length} DPRK-relevant`,
    );
    expect(list.source).toBe('eu-fsf');
    expect(list.format).toBe('eu-fsf-xml');
    expect(list.warnings).toEqual([]);
    expect(list.records).toHaveLength(46);
    expect(list.records.filter((d) => d.type === 'individual')).toHaveLength(17);
    expect(list.records.filter((d) => d.type === 'entity')).toHaveLength(29);
    expect(list.records.every((d) => d.dprk && d.dprkReasons.includes('program PRK'))).toBe(true);
    expect(list.records.every((d) => /^EU\.\d+\.\d+$/.test(d.sourceId) && d.url === EU_FSF_PAGE)).toBe(true);
    // PROVENANCE: unitedNationId is empty in all of them.
    expect(list.records.some((d) => d.unReference !== undefined)).toBe(false);
  });

  it('takes publishedAt from the export generationDate', () => {
    expect(xml).toContain('generationDate="2022-03-18T14:52:26.947+01:00"');
    expect(list.publishedAt).toBe('2022-03-18T13:52:26.947Z');
  });

  it('reads EU.4224.84 Tong-un KIM field by field (checked against the record in the file)', () => {
    expect(byId.get('EU.4224.84')).toEqual({
      source: 'eu-fsf',
      sourceId: 'EU.4224.84',
      name: 'Tong-un KIM',
      type: 'individual',
      programs: ['PRK'],
      aliases: [{ name: 'Tong Un KIM', kind: 'aka', quality: 'strong' }],
      title: "Former director of 'Office 39' of the Centra Committee of the Workers' Party of Korea",
      dobs: ['1936-11-01'],
      placesOfBirth: [],
      nationalities: [],
      addresses: [],
      identifiers: [
        { kind: 'other', label: 'Other identification number', value: '554410660', country: "KOREA, DEMOCRATIC PEOPLE'S REPUBLIC OF" },
      ],
      remarks: 'date of listing: 22.12.2009',
      listedOn: '2021-08-07',
      url: EU_FSF_PAGE,
      dprk: true,
      dprkReasons: ['program PRK', 'document issued by North Korea'],
    });
  });

  it('reads an enterprise with DPRK addresses and contact numbers (EU.4190.72 Namchongang Trading Corporation)', () => {
    const ncg = byId.get('EU.4190.72');
    expect(ncg?.type).toBe('entity');
    expect(ncg?.aliases).toHaveLength(8);
    expect(ncg?.aliases).toContainEqual({ name: 'NCG', kind: 'aka', quality: 'strong' });
    expect(ncg?.addresses.map((a) => a.country)).toEqual(["KOREA, DEMOCRATIC PEOPLE'S REPUBLIC OF", "KOREA, DEMOCRATIC PEOPLE'S REPUBLIC OF"]);
    expect(ncg?.identifiers).toEqual([
      { kind: 'phone', label: 'Fax', value: '+850-2-381-4687' },
      { kind: 'phone', label: 'Phone Number', value: '+850-2-18111, 18222 (ext. 8573)' },
    ]);
    expect(ncg?.dprkReasons).toEqual(['program PRK', 'address in North Korea']);
  });
});

describe('EU FSF XML, the first 1,044 records of the real file (3.9 MB)', () => {
  const xml = fixtureText(FIRST_1044);

  it('parses in one pass: 1,044 sanctionEntity elements are 1,024 parties, 46 of them DPRK (exactly the PRK ones)', () => {
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const list = parseEuFsfXml(xml);
    const ms = performance.now() - started;
    const heapAfter = process.memoryUsage().heapUsed;
    console.info(
      `EU FSF 1044-record subset: ${(xml.length / 1e6).toFixed(1)} MB parsed in ${ms.toFixed(0)} ms; heap ${(heapBefore / 1e6).toFixed(0)} → ${(heapAfter / 1e6).toFixed(0)} MB; ` +
        `${list.records.length} records, ${list.records.filter((d) => d.dprk).length} DPRK-relevant`,
    );
    expect(count(xml, /<sanctionEntity /g)).toBe(1044);
    // 20 parties are listed under two regimes (AFG and TAQA, say): two sanctionEntity elements
    // with the same euReferenceNumber and logicalId, merged into one record.
    const refs = [...xml.matchAll(/euReferenceNumber="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(refs).size).toBe(1024);
    expect(list.records).toHaveLength(1024);
    expect(list.warnings).toEqual([]);
    const dprk = list.records.filter((d) => d.dprk);
    expect(dprk).toHaveLength(46);
    expect(dprk.every((d) => d.programs.includes('PRK'))).toBe(true);
    // Type per distinct reference, read from the file's own subjectType codes.
    const typeOf = new Map([...xml.matchAll(/euReferenceNumber="([^"]+)"[\s\S]*?<subjectType code="(\w+)"/g)].map((m) => [m[1], m[2]]));
    const persons = [...typeOf.values()].filter((c) => c === 'person').length;
    expect(list.records.filter((d) => d.type === 'individual')).toHaveLength(persons);
    expect(list.records.filter((d) => d.type === 'entity')).toHaveLength(1024 - persons);
  });

  it('merges a party listed under two regimes and keeps the UN reference of a UN-derived record', () => {
    const list = parseEuFsfXml(xml);
    const byId = new Map(list.records.map((d) => [d.sourceId, d]));
    expect(count(xml, /euReferenceNumber="EU\.472\.57"/g)).toBe(2);
    expect(byId.get('EU.472.57')?.programs).toEqual(['AFG', 'TAQA']);
    expect(byId.get('EU.472.57')?.listedOn).toBe('2001-01-31');
    expect(xml).toContain('unitedNationId="LYi.009" euReferenceNumber="EU.3829.86"');
    const aisha = byId.get('EU.3829.86');
    expect(aisha?.unReference).toBe('LYi.009');
    expect(aisha?.programs).toEqual(['LBY']);
    expect(aisha?.dprk).toBe(false);
  });
});

describe('EU FSF XML, a party listed under two regimes (derived from the real 1,044-record subset)', () => {
  it('gives the same record whichever of its two sanctionEntity elements comes first', () => {
    const xml = fixtureText(FIRST_1044);
    // Both real EU.472.57 elements (logicalId 516, AFG and TAQA), swapped in place: a derived variant.
    const blocks = [...xml.matchAll(/    <sanctionEntity [^>]*euReferenceNumber="EU\.472\.57"[\s\S]*?<\/sanctionEntity>\n/g)].map((m) => m[0]);
    expect(blocks).toHaveLength(2);
    const swapped = xml.replace(blocks[0]!, '\u0000').replace(blocks[1]!, blocks[0]!).replace('\u0000', blocks[1]!);
    expect(swapped).not.toBe(xml);
    const record = (text: string) => parseEuFsfXml(text).records.find((d) => d.sourceId === 'EU.472.57');
    expect(record(swapped)).toEqual(record(xml));
  });
});

describe('EU FSF XML errors', () => {
  const xml = fixtureText(PRK_ONLY);

  it('rejects a truncated download', () => {
    expect(() => parseEuFsfXml(xml.slice(0, Math.floor(xml.length / 2)))).toThrow(/not well-formed.*truncated/);
  });
  it('rejects an HTML page, naming the <html> root', () => {
    expect(() => parseEuFsfXml('<html><body>Error</body></html>')).toThrow(/expected root element <export>, found <html>/);
  });
  it('rejects an empty document', () => {
    expect(() => parseEuFsfXml('')).toThrow(/empty/);
  });
});
