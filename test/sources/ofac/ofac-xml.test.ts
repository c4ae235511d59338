import { describe, expect, it } from 'vitest';
import { parseOfacXml } from '../../../src/sources/ofac/xml.js';
import { fixtureText } from '../../helpers/fixtures.js';

const OCT = 'real/ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-18_pub-2025-10-22.XML.gz';
const DEC = 'real/ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-19_pub-2025-12-18.XML.gz';
const UN = 'real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml';
const SLS_NS = 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML';

/** Raw text of each <sdnEntry> by its uid (first <uid> inside it), found independently of the parser. */
function rawEntries(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of xml.matchAll(/<sdnEntry>\s*<uid>([^<]*)<\/uid>[\s\S]*?<\/sdnEntry>/g)) out.set(m[1] ?? '', m[0]);
  return out;
}

describe('OFAC CONSOLIDATED.XML (real, Sanctions List Service)', () => {
  const octXml = fixtureText(OCT);
  const decXml = fixtureText(DEC);
  const oct = parseOfacXml(octXml);
  const dec = parseOfacXml(decXml);
  const octById = new Map(oct.records.map((d) => [d.sourceId, d]));
  const decById = new Map(dec.records.map((d) => [d.sourceId, d]));

  it('parses both files with record counts equal to Record_Count (443 and 442)', () => {
    expect(octXml).toContain(`<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="${SLS_NS}">`);
    for (const list of [oct, dec]) {
      expect(list.source).toBe('ofac-sdn');
      expect(list.format).toBe('ofac-xml');
      expect(list.warnings).toEqual([]);
      expect(list.records).toHaveLength(list.declaredCount ?? -1);
    }
    expect(oct.declaredCount).toBe(443);
    expect(dec.declaredCount).toBe(442);
    expect(oct.records).toHaveLength(rawEntries(octXml).size);
  });

  it('converts Publish_Date MM/DD/YYYY to ISO dates 2025-10-22 and 2025-12-18', () => {
    expect(oct.publishedAt).toBe('2025-10-22');
    expect(dec.publishedAt).toBe('2025-12-18');
  });

  it('has uid 26182 (KAYAKIRAN, Evren, FSE-IR) only in the October file, with citizenship and passport', () => {
    const d = octById.get('26182');
    expect(decById.has('26182')).toBe(false);
    expect(d).toMatchObject({
      name: 'KAYAKIRAN, Evren',
      type: 'individual',
      programs: ['FSE-IR'],
      dobs: ['08 Feb 1980'],
      nationalities: ['Turkey'],
      addresses: [{ text: 'Turkey', country: 'Turkey' }],
      url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=26182',
      dprk: false,
    });
    expect(d?.identifiers).toEqual([
      { kind: 'other', label: 'Gender', value: 'Male' },
      { kind: 'passport', label: 'Passport', value: 'U00242309', country: 'Turkey' },
    ]);
    const removed = [...octById.keys()].filter((id) => !decById.has(id));
    const added = [...decById.keys()].filter((id) => !octById.has(id));
    expect(removed).toEqual(['26182']);
    expect(added).toEqual([]);
  });

  it('formats individual names and aliases like sdn.csv ("LAST, First"), entities by lastName alone', () => {
    const haniya = octById.get('9639');
    expect(haniya?.name).toBe('HANIYA, Ismail Abdul Salah');
    expect(haniya?.aliases).toContainEqual({ name: 'HANIYA, Ismail', kind: 'aka', quality: 'strong' });
    expect(haniya?.placesOfBirth).toEqual(['Shati']);
    expect(octById.get('31695')?.name).toBe('CENTRAL BANK OF THE RUSSIAN FEDERATION');
    expect(octById.get('31695')?.type).toBe('entity');
  });

  it('classifies SWIFT/BIC, website and email ids, and keeps non-identifier ids as kind "other"', () => {
    const cbr = octById.get('31695');
    expect(cbr?.identifiers).toContainEqual({ kind: 'swift-bic', label: 'SWIFT/BIC', value: 'CBRFRUMM' });
    expect(cbr?.identifiers).toContainEqual({ kind: 'website', label: 'Website', value: 'www.cbr.ru' });
    expect(cbr?.identifiers).toContainEqual({
      kind: 'registration',
      label: 'Registration Number',
      value: '1037700013020',
      country: 'Russia',
    });
    expect(cbr?.identifiers).toContainEqual({ kind: 'other', label: 'Target Type', value: 'Government Entity' });

    const tver = octById.get('23570');
    expect(tver?.identifiers).toContainEqual({ kind: 'email', label: 'Email Address', value: 'tnp@dep.tvcom.ru' });
    expect(tver?.identifiers).toContainEqual({ kind: 'website', label: 'Website', value: 'www.tvernefteproduct.ru' });
    expect(tver?.identifiers).toContainEqual({
      kind: 'other',
      label: 'Secondary sanctions risk',
      value: 'Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or 589.209',
    });
    expect(tver?.identifiers).toContainEqual({
      kind: 'other',
      label: 'Executive Order 13662 Directive Determination',
      value: 'Subject to Directive 4',
    });

    // Nothing is dropped: every <id> of the file ends up as an identifier (bar exact duplicates).
    const idCount = (octXml.match(/<id>/g) ?? []).length;
    const parsedIds = oct.records.reduce((n, d) => n + d.identifiers.length, 0);
    expect(parsedIds).toBeGreaterThan(idCount * 0.95);
    expect(parsedIds).toBeLessThanOrEqual(idCount);
  });

  it('finalizes entries that differ only in <id> order to deep-equal Designations', () => {
    const octRaw = rawEntries(octXml);
    const decRaw = rawEntries(decXml);
    const common = [...octRaw.keys()].filter((id) => decRaw.has(id));
    expect(common).toHaveLength(442);

    const rawDiffers = common.filter((id) => octRaw.get(id) !== decRaw.get(id));
    const parsedDiffers = common.filter(
      (id) => JSON.stringify(octById.get(id)) !== JSON.stringify(decById.get(id)),
    );
    console.info(
      `OFAC consolidated Oct→Dec: ${common.length} common records, ${rawDiffers.length} differ as raw XML, ` +
        `${parsedDiffers.length} differ after finalize ${JSON.stringify(parsedDiffers)}`,
    );
    // ~200 entries are re-serialized with their <id> children in another order …
    expect(rawDiffers.length).toBeGreaterThan(200);
    // … and that is not a change.
    expect(parsedDiffers).toEqual([]);
    for (const id of rawDiffers) expect(decById.get(id)).toEqual(octById.get(id));
  });

  it('reports how many records are DPRK-relevant (the consolidated non-SDN list has none)', () => {
    const dprk = oct.records.filter((d) => d.dprk);
    console.info(`OFAC consolidated: ${oct.records.length} records, ${dprk.length} DPRK-relevant`);
    expect(dprk.map((d) => d.sourceId)).toEqual([]);
  });

  it('ignores namespaces: old tempuri namespace and prefixed element names parse the same', () => {
    const tempuri = octXml.replace(SLS_NS, 'http://tempuri.org/sdnList.xsd');
    expect(parseOfacXml(tempuri)).toEqual(oct);
    const prefixed = octXml
      .replace(`xmlns="${SLS_NS}"`, `xmlns:sdn="${SLS_NS}"`)
      .replace(/<(\/?)([A-Za-z_])/g, '<$1sdn:$2');
    expect(prefixed).toContain('<sdn:sdnEntry>');
    expect(parseOfacXml(prefixed)).toEqual(oct);
  });

  it('keeps ids that look like numbers as strings (leading zeros, long digit runs)', () => {
    const gazette = oct.records.flatMap((d) => d.identifiers).find((i) => i.label === 'Government Gazette Number');
    expect(octXml).toContain('<idNumber>00032253</idNumber>');
    expect(octById.get('31695')?.identifiers).toContainEqual({
      kind: 'other',
      label: 'Government Gazette Number',
      value: '00032253',
      country: 'Russia',
    });
    expect(typeof gazette?.value).toBe('string');
  });
});

describe('OFAC XML errors and bad records', () => {
  const xml = fixtureText(OCT);

  it('rejects an empty document', () => {
    expect(() => parseOfacXml('')).toThrow(/OFAC XML: document is empty/);
  });

  it('rejects an HTML error page, naming the <html> root', () => {
    const html = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body>Service Unavailable</body></html>';
    expect(() => parseOfacXml(html)).toThrow(/OFAC XML: expected root element <sdnList>, found <html>.*HTML page/);
  });

  it('rejects a truncated download', () => {
    expect(() => parseOfacXml(xml.slice(0, 500_000))).toThrow(/OFAC XML: document is not well-formed XML.*truncated/);
    // Cut cleanly after a whole entry: still truncated (</sdnList> missing).
    const cut = xml.slice(0, xml.indexOf('</sdnEntry>', 300_000) + '</sdnEntry>'.length);
    expect(() => parseOfacXml(cut)).toThrow(/not well-formed.*truncated/);
  });

  it('rejects a UN list given to the OFAC parser, naming <CONSOLIDATED_LIST>', () => {
    expect(() => parseOfacXml(fixtureText(UN))).toThrow(/expected root element <sdnList>, found <CONSOLIDATED_LIST>/);
  });

  it('rejects mismatched tags inside an otherwise real document', () => {
    const broken = xml.replace('<lastName>HANIYA</lastName>', '<lastName>HANIYA</firstName>');
    expect(() => parseOfacXml(broken)).toThrow(/OFAC XML: document is not well-formed XML \(line \d+, column \d+\)/);
  });

  it('skips a single bad record with a warning and flags the Record_Count mismatch', () => {
    // The file has CRLF line ends.
    const broken = xml.replace(/(<uid>26182<\/uid>\s*<firstName>Evren<\/firstName>\s*<lastName>KAYAKIRAN<\/lastName>\s*)<sdnType>Individual</, '$1<sdnType>Spaceship<');
    expect(broken).not.toBe(xml);
    const list = parseOfacXml(broken);
    expect(list.records).toHaveLength(442);
    expect(list.records.some((d) => d.sourceId === '26182')).toBe(false);
    expect(list.warnings).toEqual([expect.stringMatching(/uid 26182 skipped: unknown sdnType "Spaceship"/)]);

    const oneLess = xml.replace(/<sdnEntry>\s*<uid>26182<\/uid>[\s\S]*?<\/sdnEntry>/, '');
    const short = parseOfacXml(oneLess);
    expect(short.records).toHaveLength(442);
    expect(short.warnings).toEqual([expect.stringMatching(/Record_Count says 443 but the document holds 442/)]);
  });
});
