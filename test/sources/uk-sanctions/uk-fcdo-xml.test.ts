import { describe, expect, it } from 'vitest';
import { compareDesignations } from '../../../src/core/diff.js';
import { sniffFormat } from '../../../src/sources/sniff.js';
import { parseUkXml } from '../../../src/sources/uk-sanctions/xml.js';
import { fixtureBytes, fixtureText } from '../../helpers/fixtures.js';

/** The real FCDO UK Sanctions List XML of 26/03/2026, cut to its 261 DPR… records (see its PROVENANCE.md). */
const FCDO = 'real/uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz';
const REGIME = "The Democratic People's Republic of Korea (Sanctions) (EU Exit) Regulations 2019";

describe('FCDO UK Sanctions List XML, DPRK subset (real, 26/03/2026)', () => {
  const xml = fixtureText(FCDO);
  const list = parseUkXml(xml);
  const byId = new Map(list.records.map((d) => [d.sourceId, d]));

  it('is sniffed as the UK XML from its <Designations> root', () => {
    expect(sniffFormat(fixtureBytes(FCDO))).toBe('uk-xml');
  });

  it('parses all 261 records (138 individuals, 86 entities, 37 ships), every one DPRK-relevant by its regime', () => {
    const counts = { individual: 0, entity: 0, vessel: 0, aircraft: 0 };
    for (const d of list.records) counts[d.type]++;
    const dprk = list.records.filter((d) => d.dprk).length;
    console.info(`UK FCDO XML subset: ${list.records.length} records (${JSON.stringify(counts)}), ${dprk} DPRK-relevant`);
    expect(list.source).toBe('uk-sanctions');
    expect(list.format).toBe('uk-xml');
    expect(list.warnings).toEqual([]);
    expect(list.records).toHaveLength((xml.match(/<Designation>/g) ?? []).length);
    expect(counts).toEqual({ individual: 138, entity: 86, vessel: 37, aircraft: 0 });
    expect(dprk).toBe(261);
    expect(list.records.every((d) => d.programs.length === 1 && d.programs[0] === REGIME)).toBe(true);
    expect(list.records.every((d) => d.dprkReasons.includes('DPRK sanctions regime'))).toBe(true);
    expect(list.records.every((d) => /^DPR\d{4}$/.test(d.sourceId))).toBe(true);
  });

  it('keeps the UN reference of UN-derived designations for cross-regime linking', () => {
    const withUn = list.records.filter((d) => d.unReference !== undefined);
    expect(withUn).toHaveLength((xml.match(/<UNReferenceNumber>/g) ?? []).length);
    expect(withUn.every((d) => /^KP[ie]\.\d{3}$/.test(d.unReference!))).toBe(true);
    expect(withUn.map((d) => d.unReference)).toContain('KPe.001');
  });

  it('reports a changed UN reference as an amendment of unReference (record copy altered here, not published)', () => {
    const real = byId.get('DPR0259')!;
    expect(compareDesignations(real, { ...real, unReference: 'KPi.999' })).toEqual([{ field: 'unReference', from: 'KPi.008', to: 'KPi.999' }]);
    expect(compareDesignations(real, { ...real })).toEqual([]);
  });

  it('takes publishedAt from <DateGenerated>26/03/2026</DateGenerated>', () => {
    expect(xml).toContain('<DateGenerated>26/03/2026</DateGenerated>');
    expect(list.publishedAt).toBe('2026-03-26T00:00:00.000Z');
  });

  it('reads DPR0259 RA KY\'ONG-SU (UN KPi.008) field by field', () => {
    expect(byId.get('DPR0259')).toEqual({
      source: 'uk-sanctions',
      sourceId: 'DPR0259',
      name: "RA KY'ONG-SU",
      type: 'individual',
      programs: [REGIME],
      // "Alias" names with "Good quality a.k.a" are strong; the one without a strength has none.
      aliases: [
        { name: "Chang Myo'ng-Ho", kind: 'aka', quality: 'strong' },
        { name: 'Chang Myong Ho', kind: 'aka', quality: 'strong' },
        { name: 'Chang Myong-Ho', kind: 'aka', quality: 'strong' },
        { name: 'Ra Kyong-Su', kind: 'aka' },
        { name: 'Ra Kyung-Su', kind: 'aka', quality: 'strong' },
      ],
      title: 'Tanchon Commercial Bank (TCB) official',
      dobs: ['1954-06-04'],
      placesOfBirth: [],
      // Published three times; kept once.
      nationalities: ['North Korea'],
      addresses: [],
      identifiers: [{ kind: 'passport', label: 'Passport', value: '645120196' }],
      remarks:
        "Ra Ky'ong-Su is a Tanchon Commercial Bank (TCB) official. In this capacity he has facilitated transactions for TCB. Tanchon was designated by the Committee in April 2009 as the main DPRK financial entity responsible for sales of conventional arms, ballistic missiles, and goods related to the assembly and manufacture of such weapons.",
      listedOn: '2013-01-22',
      unReference: 'KPi.008',
      url: 'https://www.gov.uk/government/publications/the-uk-sanctions-list',
      dprk: true,
      dprkReasons: ['DPRK sanctions regime', 'North Korean nationality'],
    });
  });

  it('reads a ship: DPR0075 PETREL 8 with its IMO number, flag, type, tonnage and owner', () => {
    const ship = byId.get('DPR0075');
    expect(ship?.type).toBe('vessel');
    expect(ship?.name).toBe('Petrel 8');
    expect(ship?.identifiers).toEqual([{ kind: 'imo', label: 'IMO', value: '9562233' }]);
    expect(ship?.vessel).toEqual({ vesselType: 'Bulk Carrier', tonnage: '7078', flag: 'Comoros', owner: 'Global United Shipping India' });
    expect(ship?.aliases.map((a) => a.name)).toEqual(['Jal Vahini', 'Jal_Vahini', 'Tian Tai 36']);
  });

  it('keeps non-Latin names as aliases and reads partial dates of birth (dd/mm/1950 → 1950)', () => {
    expect(list.records.some((d) => d.aliases.some((a) => a.name === '華信船務(香港)有限公司'))).toBe(true);
    expect(xml).toContain('<DOB>dd/mm/1950</DOB>');
    expect(list.records.some((d) => d.dobs.includes('1950'))).toBe(true);
    expect(list.records.flatMap((d) => d.dobs).every((s) => /^\d{4}(-\d{2}(-\d{2})?)?$/.test(s))).toBe(true);
  });

  it('reads "Primary name" and "Primary Name" alike (the NameType casing varies)', () => {
    expect(xml).toContain('<NameType>Primary Name</NameType>');
    expect(xml).toContain('<NameType>Primary name</NameType>');
    // Every record has a primary name: none fell back to an alias.
    const primaries = (xml.match(/<NameType>Primary name<\/NameType>/gi) ?? []).length;
    expect(primaries).toBeGreaterThanOrEqual(261);
  });
});
