import { describe, expect, it } from 'vitest';
import { parseUnXml } from '../../../src/sources/un/xml.js';
import { unRecordUrl } from '../../../src/sources/un/links.js';
import { parseOfacXml } from '../../../src/sources/ofac/xml.js';
import { fixtureText } from '../../helpers/fixtures.js';

const DPRK_ONLY = 'real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml';
const FULL = 'real/un_consolidated_xml/consolidated_2026-02-27.xml.gz';
const OFAC = 'real/ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-18_pub-2025-10-22.XML.gz';

const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

describe('UN consolidated XML, DPRK-only subset (real, 2026-02-27)', () => {
  const xml = fixtureText(DPRK_ONLY);
  const list = parseUnXml(xml);
  const byId = new Map(list.records.map((d) => [d.sourceId, d]));

  it('parses all 80 KPi individuals and 75 KPe entities, every one DPRK-relevant', () => {
    expect(list.source).toBe('un-sc');
    expect(list.format).toBe('un-xml');
    expect(list.warnings).toEqual([]);
    expect(list.records.filter((d) => d.type === 'individual')).toHaveLength(80);
    expect(list.records.filter((d) => d.type === 'entity')).toHaveLength(75);
    expect(list.records.every((d) => d.dprk && d.dprkReasons.includes('program DPRK'))).toBe(true);
    expect(list.records.every((d) => /^KP[ie]\.\d{3}$/.test(d.sourceId))).toBe(true);
    expect(list.records.every((d) => d.url === 'https://main.un.org/securitycouncil/en/sanctions/1718/materials')).toBe(
      true,
    );
  });

  it('trims the trailing space the UN publishes in "KPe.041 "', () => {
    expect(xml).toContain('<REFERENCE_NUMBER>KPe.041 </REFERENCE_NUMBER>');
    const d = byId.get('KPe.041');
    expect(d?.name).toBe('KOREA TAESONG TRADING COMPANY');
    expect(list.records.some((r) => r.sourceId !== r.sourceId.trim())).toBe(false);
  });

  it('strips the quotes around KOMID in the aliases of KPe.001', () => {
    expect(xml).toContain('<ALIAS_NAME>"KOMID"</ALIAS_NAME>');
    const komid = byId.get('KPe.001');
    expect(komid?.name).toBe('KOREA MINING DEVELOPMENT TRADING CORPORATION');
    expect(komid?.aliases).toContainEqual({ name: 'KOMID', kind: 'aka', quality: 'strong' });
    expect(komid?.listedOn).toBe('2009-04-24');
  });

  it("parses an individual's DOB, nationality, title and DPRK passport (KPi.008 RA KYONG-SU)", () => {
    const ra = byId.get('KPi.008');
    expect(ra?.type).toBe('individual');
    expect(ra?.dobs).toEqual(['1954-06-04']);
    expect(ra?.nationalities).toEqual(["Democratic People's Republic of Korea"]);
    expect(ra?.title).toBe('Tanchon Commercial Bank (TCB) official');
    expect(ra?.identifiers).toContainEqual({
      kind: 'passport',
      label: 'Passport',
      value: '645120196',
      country: "Democratic People's Republic of Korea",
    });
    expect(ra?.dprkReasons).toEqual(['program DPRK', 'North Korean nationality', 'document issued by North Korea']);
  });

  it('takes publishedAt from the dateGenerated root attribute', () => {
    expect(list.publishedAt).toBe('2026-02-27T00:00:09.554Z');
  });
});

describe('UN consolidated XML, full list (real, 2026-02-27)', () => {
  const xml = fixtureText(FULL);

  it('parses as many records as there are INDIVIDUAL/ENTITY elements and flags only KP records as DPRK', () => {
    const started = performance.now();
    const list = parseUnXml(xml);
    const ms = performance.now() - started;
    console.info(`UN full list: ${(xml.length / 1e6).toFixed(1)} MB parsed in ${ms.toFixed(0)} ms`);

    const individuals = count(xml, /<INDIVIDUAL>/g);
    const entities = count(xml, /<ENTITY>/g);
    expect(individuals + entities).toBeGreaterThan(900);
    expect(list.records.filter((d) => d.type === 'individual')).toHaveLength(individuals);
    expect(list.records.filter((d) => d.type === 'entity')).toHaveLength(entities);
    expect(list.warnings).toEqual([]);

    const dprk = list.records.filter((d) => d.dprk);
    console.info(`UN full list: ${list.records.length} records, ${dprk.length} DPRK-relevant`);
    expect(dprk.length).toBe(count(xml, /<REFERENCE_NUMBER>KP/g));
    expect(dprk.every((d) => d.sourceId.startsWith('KP'))).toBe(true);
  });

  it('keeps non-DPRK entries such as SDi.007 (Sudan, added Feb 2026) as not DPRK', () => {
    const list = parseUnXml(xml);
    const sd = list.records.find((d) => d.sourceId === 'SDi.007');
    expect(sd).toMatchObject({ name: 'GEDO HAMDAN AHMED', type: 'individual', programs: ['Sudan'], dprk: false });
    expect(sd?.dprkReasons).toEqual([]);
    expect(sd?.url).toBe('https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list');
  });

  it('reads BETWEEN/APPROXIMATELY birth dates, alias-level birth data and documents without NUMBER', () => {
    const list = parseUnXml(xml);
    const all = list.records;
    expect(all.some((d) => d.dobs.some((x) => /^\d{4} to \d{4}/.test(x)))).toBe(true);
    expect(all.some((d) => d.dobs.some((x) => /^circa \d{4}/.test(x)))).toBe(true);
    // "Tunisian passport number L 191609 …" is only in NOTE; it must not be dropped.
    expect(xml).toContain('Tunisian passport number L 191609');
    expect(all.some((d) => d.identifiers.some((i) => i.kind === 'passport' && i.value.includes('L 191609')))).toBe(true);
    // LISTED_ON values such as "2015-04-07-04:00" become plain dates.
    expect(xml).toContain('<LISTED_ON>2015-04-07-04:00</LISTED_ON>');
    expect(all.every((d) => d.listedOn === undefined || /^\d{4}-\d{2}-\d{2}$/.test(d.listedOn))).toBe(true);
  });

  it('warns and keeps the first record when a REFERENCE_NUMBER repeats, and falls back to DATAID', () => {
    // Derived from the real file: KPi.001's reference copied onto KPi.002, KPi.003's removed.
    const doctored = xml
      .replace('<REFERENCE_NUMBER>KPi.002</REFERENCE_NUMBER>', '<REFERENCE_NUMBER>KPi.001</REFERENCE_NUMBER>')
      .replace(/<REFERENCE_NUMBER>KPi\.003<\/REFERENCE_NUMBER>/, '<REFERENCE_NUMBER/>');
    const list = parseUnXml(doctored);
    expect(list.warnings.some((w) => w.includes('duplicate REFERENCE_NUMBER KPi.001'))).toBe(true);
    expect(list.records.find((d) => d.sourceId === 'KPi.001')?.name).toBe('YUN HO-JIN');
    const fallback = list.records.find((d) => d.sourceId.startsWith('DATAID:'));
    expect(fallback).toBeDefined();
    expect(list.warnings.some((w) => w.includes(`using ${fallback?.sourceId}`))).toBe(true);
  });
});

describe('UN XML errors', () => {
  const xml = fixtureText(DPRK_ONLY);

  it('rejects an empty document', () => {
    expect(() => parseUnXml('')).toThrow(/UN XML: document is empty/);
    expect(() => parseUnXml('  \n')).toThrow(/empty/);
  });

  it('rejects an HTML error page, naming the <html> root', () => {
    const html = '<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body><h1>503</h1><br></body></html>';
    expect(() => parseUnXml(html)).toThrow(/expected root element <CONSOLIDATED_LIST>, found <html>.*HTML page/);
  });

  it('rejects a truncated download', () => {
    const truncated = xml.slice(0, Math.floor(xml.length / 2));
    expect(() => parseUnXml(truncated)).toThrow(/UN XML: document is not well-formed XML.*truncated/);
  });

  it('rejects an OFAC list given to the UN parser, naming <sdnList>', () => {
    expect(() => parseUnXml(fixtureText(OFAC))).toThrow(/expected root element <CONSOLIDATED_LIST>, found <sdnList>/);
  });

  it('rejects text that is not XML at all', () => {
    expect(() => parseUnXml('{"error":"rate limited"}')).toThrow(/UN XML: not an XML document/);
  });

  it('skips a single bad record with a warning instead of failing the list', () => {
    // Derived from the real file: blank every name part of KPi.001 so it cannot be named.
    const broken = xml.replace('<FIRST_NAME>YUN</FIRST_NAME>\n      <SECOND_NAME>HO-JIN</SECOND_NAME>', '<FIRST_NAME/>');
    expect(broken).not.toBe(xml);
    const list = parseUnXml(broken);
    expect(list.records).toHaveLength(154);
    expect(list.warnings).toEqual([expect.stringMatching(/KPi\.001 skipped: no FIRST_NAME/)]);
  });

  it('does not let the OFAC parser accept a UN list either', () => {
    expect(() => parseOfacXml(xml)).toThrow(/expected root element <sdnList>, found <CONSOLIDATED_LIST>/);
  });
});

describe('unRecordUrl', () => {
  it('links DPRK references to the 1718 Committee page and others to the consolidated list', () => {
    expect(unRecordUrl('KPi.033')).toBe('https://main.un.org/securitycouncil/en/sanctions/1718/materials');
    expect(unRecordUrl('KPe.041 ')).toBe('https://main.un.org/securitycouncil/en/sanctions/1718/materials');
    expect(unRecordUrl('QDi.001')).toBe('https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list');
    expect(unRecordUrl('DATAID:690734')).toBe('https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list');
  });
});
