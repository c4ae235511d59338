import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffFormat } from '../../../src/sources/sniff.js';
import { ukSanctionsSource } from '../../../src/sources/uk-sanctions/source.js';
import { parseOfsiXlsx } from '../../../src/sources/uk-sanctions/xlsx.js';
import { parseUkXml } from '../../../src/sources/uk-sanctions/xml.js';
import { openStore } from '../../../src/store/open.js';
import { fixtureBytes, fixtureText } from '../../helpers/fixtures.js';
import { poll } from '../../helpers/pipeline.js';
import { SourceServer } from '../../helpers/source-server.js';

/** Real OFSI ConList.xlsx files (see uk_ofsi_conlist_xlsx/PROVENANCE.md). */
const APR10 = 'real/uk_ofsi_conlist_xlsx/ofsi_ConList_2025-04-10.xlsx.gz';
const FCDO = 'real/uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz';
const DPRK_REGIME = "Democratic People's Republic of Korea";

describe('OFSI Consolidated List xlsx (real, 10 Apr 2025)', () => {
  const body = fixtureBytes(APR10);
  const list = parseOfsiXlsx(body);
  const byId = new Map(list.records.map((d) => [d.sourceId, d]));

  it('is sniffed as a workbook and parsed by header: 4,686 groups, 239 in the DPRK regime, 245 DPRK-relevant', () => {
    expect(sniffFormat(body)).toBe('xlsx');
    const regime = list.records.filter((d) => d.programs.includes(DPRK_REGIME));
    const dprk = list.records.filter((d) => d.dprk);
    console.info(
      `OFSI ConList 2025-04-10: ${list.records.length} records, ${regime.length} in the DPRK regime, ${dprk.length} DPRK-relevant ` +
        `(others: ${dprk.filter((d) => !regime.includes(d)).map((d) => `${d.sourceId} ${d.dprkReasons.join('/')}`).join('; ')})`,
    );
    expect(list.format).toBe('ofsi-xlsx');
    expect(list.publishedAt).toBe('2025-04-10T00:00:00.000Z');
    // PROVENANCE: 4,686 groups, 239 DPRK groups. Three groups carry no UK Sanctions List Ref.
    expect(list.records).toHaveLength(4686);
    expect(regime).toHaveLength(239);
    expect(regime.every((d) => d.dprk && d.dprkReasons[0] === 'DPRK sanctions regime')).toBe(true);
    expect(list.warnings).toEqual([
      'OFSI ConList xlsx: Group ID 16681 carries no UK Sanctions List Ref; using GROUP:16681',
      'OFSI ConList xlsx: Group ID 16682 carries no UK Sanctions List Ref; using GROUP:16682',
      'OFSI ConList xlsx: Group ID 15878 carries no UK Sanctions List Ref; using GROUP:15878',
    ]);
    // DPRK-linked parties under other regimes, found as OFAC's are: Chosun Expo (cyber, address
    // in North Korea) and North Korean nationals under the Russia regime.
    expect(dprk.length).toBe(245);
    expect(byId.get('CYB0004')?.dprkReasons).toEqual(['address in North Korea']);
    expect(byId.get('RUS2451')?.dprkReasons).toEqual(['North Korean nationality']);
  });

  it('reads AKA/FKA with their quality, and every date of birth form (dd/mm/yyyy, mm/yyyy, yyyy)', () => {
    const aliases = list.records.flatMap((d) => d.aliases);
    const fka = aliases.filter((a) => a.kind === 'fka').length;
    const weak = aliases.filter((a) => a.quality === 'weak').length;
    const strong = aliases.filter((a) => a.quality === 'strong').length;
    console.info(`OFSI ConList 2025-04-10 aliases: ${aliases.length} (${strong} good quality, ${weak} low quality, ${fka} f.k.a.)`);
    expect(fka).toBeGreaterThan(0);
    expect(weak).toBeGreaterThan(0);
    expect(strong).toBeGreaterThan(0);
    const dobs = list.records.flatMap((d) => d.dobs);
    expect(dobs.filter((s) => !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(s))).toEqual([]);
    expect(dobs.some((s) => /^\d{4}-\d{2}$/.test(s))).toBe(true);
    expect(dobs.some((s) => /^\d{4}$/.test(s))).toBe(true);
  });

  it('keys a party by its UK Sanctions List Ref, as the FCDO XML does: DPR0006 CHOE Chun-Sik in both', () => {
    const x = byId.get('DPR0006');
    expect(x).toEqual({
      source: 'uk-sanctions',
      sourceId: 'DPR0006',
      name: 'Chun-Sik CHOE',
      type: 'individual',
      programs: [DPRK_REGIME],
      aliases: [],
      title: 'Director in the reinsurance department of Korea National Insurance Corporation (KNIC) Headquarters in Pyongyang',
      dobs: ['1963-12-23'],
      placesOfBirth: ['Pyongyang, North Korea'],
      nationalities: ['North Korea'],
      addresses: [{ text: 'North Korea', country: 'North Korea' }],
      identifiers: [{ kind: 'passport', label: 'Passport', value: '745132109', note: '(Expiration date 12/02/2020)' }],
      // The "(UK Sanctions List Ref):DPR0006. " prefix is the key, not a remark.
      remarks:
        'Associations with Korea National Insurance Corporation (KNIC). (UK Statement of Reasons):Director in the reinsurance department of Korea National Insurance Corporation (KNIC) based in the headquarters in Pyongyang acting on behalf of KNIC or at its direction. (Gender):Male',
      listedOn: '2020-12-31',
      url: 'https://www.gov.uk/government/publications/the-uk-sanctions-list',
      dprk: true,
      dprkReasons: ['DPRK sanctions regime', 'North Korean nationality', 'address in North Korea'],
    });
    // The FCDO XML of 2026 has the same party under the same key with the same particulars.
    const fcdo = parseUkXml(fixtureText(FCDO)).records.find((d) => d.sourceId === 'DPR0006');
    for (const k of ['type', 'dobs', 'placesOfBirth', 'nationalities', 'addresses', 'identifiers', 'listedOn', 'title'] as const)
      expect(fcdo?.[k]).toEqual(x?.[k]);
  });
});

/**
 * OFSI once reworded the Other Information of every row: `(UK Sanctions List Ref):DPR0006 Associations…`
 * became `…:DPR0006. Associations…`. The variant below is DERIVED in this test from the real
 * 10 Apr 2025 file: its two heading rows and its DPRK-regime rows, once as published (with the
 * full stop) and once with the full stop after the ref removed (the other wording). Nothing else changes.
 */
describe('the OFSI "DPRnnnn" → "DPRnnnn." rewording of Other Information is no amendment', () => {
  const server = new SourceServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('polls both wordings of the real DPRK rows with no alert in the "all" scope', async () => {
    const wb = XLSX.read(fixtureBytes(APR10), { type: 'buffer', cellDates: true });
    const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['Data']!, { header: 1, raw: false, defval: '' });
    const header = rows[1]!;
    const regime = header.indexOf('Regime');
    const info = header.indexOf('Other Information');
    const dprkRows = rows.slice(2).filter((r) => r[regime] === DPRK_REGIME);
    expect(dprkRows).toHaveLength(789); // PROVENANCE: 239 DPRK groups, 789 rows
    const published = [rows[0]!, header, ...dprkRows];
    const reworded = published.map((r, i) =>
      i < 2 ? r : r.map((c, j) => (j === info ? c.replace(/(\(UK Sanctions List Ref\):[A-Z]{3}\d{4})\. /, '$1 ') : c)),
    );
    const changedRows = reworded.filter((r, i) => r[info] !== published[i]![info]).length;
    console.info(`rewording variant: ${changedRows} of ${dprkRows.length} rows reworded`);
    expect(changedRows).toBe(dprkRows.length);
    const book = (aoa: string[][]): Buffer => {
      const out = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(out, XLSX.utils.aoa_to_sheet(aoa), 'Data');
      return XLSX.write(out, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    };

    const store = await openStore('memory:', 'uk-ofsi-rewording');
    server.set('/ConList.xlsx', { kind: 'document', body: book(published) });
    const first = await poll(ukSanctionsSource(server.url('/ConList.xlsx')), store, 'all');
    expect(first.outcome).toBe('baseline');
    const before = await store.getSnapshot('uk-sanctions');
    expect(before?.entries.size).toBe(239);

    server.set('/ConList.xlsx', { kind: 'document', body: book(reworded) });
    const second = await poll(ukSanctionsSource(server.url('/ConList.xlsx')), store, 'all');
    expect(second.outcome).not.toBe('degraded');
    expect(second.alerts).toEqual([]);
    expect((await store.getSnapshot('uk-sanctions'))?.version).toBe(before?.version);
  });
});
