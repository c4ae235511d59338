import { beforeAll, describe, expect, it } from 'vitest';
import type { Designation, ParsedList } from '../../../src/core/designation.js';
import { parseOfacCsv } from '../../../src/sources/ofac/csv.js';
import { ofacRecordUrl } from '../../../src/sources/ofac/links.js';
import { fixtureText } from '../../helpers/fixtures.js';

const SDN_1130 = 'real/ofac_sdn_csv/sdn_2023-11-30.csv.gz';
const SDN_1201 = 'real/ofac_sdn_csv/sdn_2023-12-01.csv.gz';
const SUBSET_0412 = 'real/ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv';
const SUBSET_0414 = 'real/ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv';
const ADD_0106 = 'real/ofac_add_alt_csv/add_watchman-7f361c98_2025-01-06.csv.gz';
const ALT_0106 = 'real/ofac_add_alt_csv/alt_watchman-7f361c98_2025-01-06.csv.gz';
const COMMENTS = 'real/ofac_add_alt_csv/sdn_comments_watchman-a8dfe527_2025-02-27.csv';

/** Rows counted without any CSV parser: every OFAC row starts with its numeric ent_num. */
const countRows = (text: string): number => text.match(/^\d+,/gm)?.length ?? 0;
/** The real line of one ent_num, as published (no line break). */
const realLine = (text: string, entNum: string): string => {
  const line = text.split('\r\n').find((l) => l.startsWith(`${entNum},`));
  if (!line) throw new Error(`ent_num ${entNum} not in fixture`);
  return line;
};
const byId = (list: ParsedList, entNum: string): Designation => {
  const d = list.records.find((r) => r.sourceId === entNum);
  if (!d) throw new Error(`ent_num ${entNum} not parsed`);
  return d;
};

/** The 9 rows added between the 2023-11-30 and 2023-12-01 files (SOURCES.md; Treasury jy1938). */
const ADDED_2023_12_01: ReadonlyArray<[string, string, string[]]> = [
  ['37656', 'KANG, Phyong Guk', ['DPRK']],
  ['37657', 'RI, Sung Il', ['DPRK']],
  ['37658', 'KANG, Kyong Il', ['DPRK']],
  ['45430', 'KIMSUKY', ['DPRK2']],
  ['46129', 'CHOE, Song Chol', ['DPRK4']],
  ['46130', 'IM, Song Sun', ['DPRK4']],
  ['46131', 'JANG, Myong Chol', ['DPRK4']],
  ['46448', 'SO, Myong', ['NPWMD']],
  ['46449', 'CHOE, Un Hyok', ['DPRK3']],
];

/**
 * Remarks cut at 1,000 characters in the 2023-12-01 sdn.csv (its sdn_comments.csv was not
 * archived): the only warnings a plain parse of that file may give.
 */
const CUT_REMARKS_2023_12_01 = [
  '17018', '27307', '28263', '28264', '29703', '30518', '31212', '33151', '33854',
  '36216', '37070', '39585', '39593', '39796', '42496', '44718', '45430',
];

describe('full sdn.csv of 2023-12-01', () => {
  let text: string;
  let list: ParsedList;
  beforeAll(() => {
    text = fixtureText(SDN_1201);
    list = parseOfacCsv({ sdn: text });
  });

  it('yields one record per row (13,436 rows, counted independently of the CSV parser)', () => {
    const rows = countRows(text);
    expect(rows).toBe(13436);
    expect(list.records).toHaveLength(rows);
    expect(new Set(list.records.map((r) => r.sourceId)).size).toBe(rows);
    expect(list).toMatchObject({ source: 'ofac-sdn', format: 'ofac-csv' });
    expect(list.publishedAt).toBeUndefined();
  });

  it('warns only about the 17 Remarks cut at 1,000 characters (no sdn_comments.csv given)', () => {
    const warned = list.warnings.map((w) => /^sdn\.csv: Remarks of ent_num (\d+) .* are cut at 1000 characters/.exec(w)?.[1]);
    expect(warned).toEqual(CUT_REMARKS_2023_12_01);
    // The published field is 1,000 characters; finalize trims the trailing space that 39593 and 44718 were cut at.
    for (const id of CUT_REMARKS_2023_12_01) {
      expect(byId(list, id).remarks).toHaveLength(['39593', '44718'].includes(id) ? 999 : 1000);
    }
  });

  it('finds exactly the 9 additions of 2023-12-01 against 2023-11-30, with their published names and programs', () => {
    const before = new Set(parseOfacCsv({ sdn: fixtureText(SDN_1130) }).records.map((r) => r.sourceId));
    const added = list.records.filter((r) => !before.has(r.sourceId));
    expect(added.map((r) => [r.sourceId, r.name, r.programs])).toEqual(ADDED_2023_12_01);
    expect(before.size - list.records.filter((r) => before.has(r.sourceId)).length).toBe(0); // none removed
    for (const [id] of ADDED_2023_12_01) expect(byId(list, id).url).toBe(ofacRecordUrl(id));
  });

  it('parses DOB, nationality and passport of an individual among them (37658 KANG, Kyong Il)', () => {
    expect(byId(list, '37658')).toMatchObject({
      type: 'individual',
      dobs: ['01 Sep 1969'],
      nationalities: ['Korea, North'],
      url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=37658',
    });
    const r = byId(list, '37658');
    expect(r.identifiers.filter((i) => i.kind !== 'other')).toEqual([
      { kind: 'passport', label: 'Passport', value: '563210175', country: 'Korea, North' },
    ]);
    // Statements such as the NKSR secondary-sanctions risk are kept as identifiers of kind 'other',
    // as SDN.XML publishes them.
    expect(r.identifiers).toContainEqual({
      kind: 'other',
      label: 'Secondary sanctions risk',
      value: 'North Korea Sanctions Regulations, sections 510.201 and 510.210',
    });
  });

  it('reads KIMSUKY (45430) as an entity with its websites and emails; its aliases lie beyond the 1,000-char cut', () => {
    const kimsuky = byId(list, '45430');
    expect(kimsuky.type).toBe('entity');
    expect(kimsuky.identifiers.filter((i) => i.kind === 'website')).toHaveLength(9);
    expect(kimsuky.identifiers).toContainEqual({ kind: 'email', label: 'Email Address', value: 'hongsiao@naver.com' });
    expect(kimsuky.aliases).toEqual([]); // they are in sdn_comments.csv: see the companion-join tests
  });

  it('marks all 9 additions DPRK-relevant; SO, Myong (NPWMD) only through nationality, passport and the NKSR remark', () => {
    const outcome = Object.fromEntries(ADDED_2023_12_01.map(([id]) => [id, byId(list, id).dprkReasons]));
    console.log('DPRK relevance of the 2023-12-01 additions:', outcome);
    const nksr = 'remarks cite the North Korea Sanctions Regulations';
    expect(outcome).toEqual({
      '37656': ['program DPRK', 'North Korean nationality', nksr],
      '37657': ['program DPRK', 'North Korean nationality', nksr],
      '37658': ['program DPRK', 'North Korean nationality', 'document issued by North Korea', nksr],
      '45430': ['program DPRK2', nksr],
      '46129': ['program DPRK4', 'North Korean nationality', 'document issued by North Korea', nksr],
      '46130': ['program DPRK4', 'North Korean nationality', 'document issued by North Korea', nksr],
      '46131': ['program DPRK4', 'North Korean nationality', nksr],
      '46448': ['North Korean nationality', 'document issued by North Korea', nksr],
      '46449': ['program DPRK3', 'North Korean nationality', nksr],
    });
    for (const [id] of ADDED_2023_12_01) expect(byId(list, id).dprk).toBe(true);
    expect(byId(list, '46448').title).toBe("Foreign Trade Bank of the Democratic People's Republic of Korea representative");
  });

  it('splits "DPRK3] [CYBER2" into two programs (44718 SEMENOV, Roman)', () => {
    expect(byId(list, '44718').programs).toEqual(['CYBER2', 'DPRK3']);
  });

  it('parses and finalizes every row of the whole file (the time is printed; targets live in npm run bench)', () => {
    const start = performance.now();
    const again = parseOfacCsv({ sdn: text });
    const ms = performance.now() - start;
    console.log(`full sdn.csv (${again.records.length} rows) parsed + finalized in ${ms.toFixed(0)} ms`);
    expect(again.records).toHaveLength(13436);
  });
});

describe('DPRK subsets of 2022-04-12 and 2022-04-14', () => {
  it('gives 27307 LAZARUS GROUP the ETH address added on 04-14, and not on 04-12', () => {
    const eth = { kind: 'crypto', label: 'Digital Currency Address - ETH', value: '0x098B716B8Aaf21512996dC57EB0615e2383E2f96', asset: 'ETH' };
    const t12 = fixtureText(SUBSET_0412);
    const t14 = fixtureText(SUBSET_0414);
    const l12 = parseOfacCsv({ sdn: t12 });
    const l14 = parseOfacCsv({ sdn: t14 });
    expect([l12.records.length, l14.records.length]).toEqual([countRows(t12), countRows(t14)]);
    expect(l12.records).toHaveLength(529);
    // Only explained warnings: two DPRK rows whose Remarks are cut at 1,000 chars (no sdn_comments.csv archived).
    for (const l of [l12, l14]) {
      expect(l.warnings.map((w) => /Remarks of ent_num (\d+) .* cut at 1000/.exec(w)?.[1])).toEqual(['28263', '28264']);
    }
    expect(byId(l14, '27307').identifiers).toContainEqual(eth);
    expect(byId(l12, '27307').identifiers.filter((i) => i.kind === 'crypto')).toEqual([]);
    expect(byId(l12, '27307').aliases.map((a) => a.name)).toContain('APPLEWORM');
  });

  it('reads vessel columns (17069 CHONG CHON GANG: General Cargo, DPRK flag, IMO from remarks)', () => {
    const ship = byId(parseOfacCsv({ sdn: fixtureText(SUBSET_0414) }), '17069');
    expect(ship).toMatchObject({
      type: 'vessel',
      vessel: { vesselType: 'General Cargo', flag: "Democratic People's Republic of Korea" },
    });
    expect(ship.identifiers.filter((i) => i.kind !== 'other')).toEqual([
      { kind: 'imo', label: 'Vessel Registration Identification', value: '7937317' },
    ]);
    expect(ship.dprkReasons).toContain('North Korean flag');
    expect(ship.title).toBeUndefined();
  });
});

describe('companion files joined on real data', () => {
  let sdn1201: string;
  let comments: string;
  beforeAll(() => {
    sdn1201 = fixtureText(SDN_1201);
    comments = fixtureText(COMMENTS);
  });

  it("continues the real 27307 row, cut at 1,000 chars inside 'WHOIS HACKIN', with sdn_comments.csv's 'G TEAM'…", () => {
    // The 2023-12-01 row is itself the real cut row; the 2025 continuation starts exactly
    // where it stops ("…'WHOIS HACKIN" + "G TEAM'; a.k.a. 'RED DOT'…"), so they line up.
    const row = realLine(sdn1201, '27307');
    const alone = parseOfacCsv({ sdn: row });
    expect(byId(alone, '27307').remarks).toHaveLength(1000);
    expect(byId(alone, '27307').remarks?.endsWith("a.k.a. 'WHOIS HACKIN")).toBe(true);
    const continuation = realLine(comments, '27307');
    expect(continuation.startsWith(`27307,"G TEAM'`)).toBe(true);

    const joined = parseOfacCsv({ sdn: row, comments, add: fixtureText(ADD_0106) });
    const lazarus = byId(joined, '27307');
    expect(lazarus.remarks).toHaveLength(1000 + `G TEAM'; a.k.a. 'RED DOT'; a.k.a. 'TEMP.HERMIT'; a.k.a. 'GROUP 77'; a.k.a. 'ZINC'; a.k.a. 'APT-C-26'; a.k.a. 'APPLEWORM'.`.length);
    const names = lazarus.aliases.map((a) => a.name);
    for (const n of ['WHOIS HACKING TEAM', 'RED DOT', 'TEMP.HERMIT', 'GROUP 77', 'ZINC', 'APT-C-26', 'APPLEWORM']) {
      expect(names).toContain(n);
    }
    expect(names).not.toContain('WHOIS HACKIN');
    expect(lazarus.aliases).toHaveLength(11);
    expect(lazarus.identifiers.filter((i) => i.asset === 'ETH')).toHaveLength(8);
    expect(lazarus.addresses).toEqual([{ text: 'Potonggang District, Pyongyang, Korea, North', country: 'Korea, North' }]);
    expect(lazarus.dprkReasons).toContain('address in North Korea');
    expect(joined.warnings.some((w) => w.includes('27307') && w.includes('cut at'))).toBe(false);
    // The other companion rows name ent_nums not in this one-row sdn text: one warning per file.
    expect(joined.warnings.filter((w) => w.startsWith('sdn_comments.csv:'))).toHaveLength(1);
    expect(joined.warnings.filter((w) => w.startsWith('add.csv:'))).toHaveLength(1);
  });

  it('gives KIMSUKY (45430) its real aliases once its continuation ("510.2" + "10; …") is joined', () => {
    const kimsuky = byId(parseOfacCsv({ sdn: realLine(sdn1201, '45430'), comments }), '45430');
    expect(kimsuky.remarks).toContain('sections 510.201 and 510.210; Transactions Prohibited');
    expect(kimsuky.aliases.map((a) => a.name)).toEqual([
      'APT43', 'ARCHIPELAGO', 'BLACK BANSHEE', 'EMERALD SLEET', 'NICKEL KIMBALL', 'THALLIUM', 'VELVET CHOLLIMA',
    ]);
    expect(kimsuky.aliases.every((a) => a.kind === 'aka' && a.quality === 'weak')).toBe(true);
  });

  it('keeps the trailing space of a cut Remarks when joining (44718 SEMENOV: "…By U.S. " + "Financial Institutions…")', () => {
    const semenov = byId(parseOfacCsv({ sdn: realLine(sdn1201, '44718'), comments }), '44718');
    expect(semenov.remarks).toContain('Controlled By U.S. Financial Institutions: North Korea');
    expect(semenov.identifiers).toContainEqual({ kind: 'passport', label: 'Passport', value: '731969851', country: 'Russia' });
    expect(semenov.aliases.map((a) => a.name)).toEqual(['POMA', 'ROMA']);
  });

  it('on the whole file, joins every lining-up continuation and reports the rest', () => {
    const joined = parseOfacCsv({ sdn: sdn1201, comments });
    expect(joined.records).toHaveLength(13436);
    expect(joined.warnings).toEqual([
      // The 2025 comments file is newer than this sdn.csv: 34682's remarks grew since 2023.
      'sdn_comments.csv: continuation for ent_num 34682 ignored: its sdn.csv Remarks are not cut (947 characters), so the two files are not from the same publication',
      'sdn_comments.csv: 3 row(s) for ent_num(s) not in sdn.csv ignored: 17016, 43421, 47682',
    ]);
  });

  it('joins add.csv and alt.csv (2025-01-06) on 37658 KANG, Kyong Il: address in Tehran, strong alias "KANG, Kyo\'ng-il"', () => {
    const rows = ['37658', '46448'].map((id) => realLine(sdn1201, id)).join('\r\n');
    const add = fixtureText(ADD_0106);
    const alt = fixtureText(ALT_0106);
    expect(add.split('\r\n').filter((l) => l.startsWith('37658,'))).toEqual(['37658,56308,-0- ,"Tehran","Iran",-0- ']);
    expect(alt.split('\r\n').filter((l) => l.startsWith('37658,'))).toEqual(['37658,58972,"aka","KANG, Kyo\'ng-il",-0- ']);
    const list = parseOfacCsv({ sdn: rows, add, alt });
    const kang = byId(list, '37658');
    expect(kang.addresses).toEqual([{ text: 'Tehran, Iran', country: 'Iran' }]);
    expect(kang.aliases).toEqual([{ name: "KANG, Kyo'ng-il", kind: 'aka', quality: 'strong' }]);
    expect(byId(list, '46448').addresses).toEqual([{ text: 'Vladivostok, Russia', country: 'Russia' }]);
    // Every other row of the two files names an ent_num outside this 2-row sdn text.
    expect(list.warnings).toHaveLength(2);
    expect(list.warnings[0]).toMatch(/^add\.csv: 22639 row\(s\) for ent_num\(s\) not in sdn\.csv ignored: /);
    expect(list.warnings[1]).toMatch(/^alt\.csv: 19485 row\(s\) for ent_num\(s\) not in sdn\.csv ignored: /);
  });

  it('drops an alt.csv alias that repeats a remark alias up to case and quotes, keeping the strong one', () => {
    // Real data has no such overlap (remarks carry only OFAC's weak a.k.a.s); this alt row is made up.
    const alt = '27307,1,"aka","Hidden  Cobra",-0- \r\n';
    const lazarus = byId(parseOfacCsv({ sdn: realLine(fixtureText(SUBSET_0414), '27307'), alt }), '27307');
    const cobras = lazarus.aliases.filter((a) => a.name.toLowerCase().includes('cobra'));
    expect(cobras).toEqual([{ name: 'Hidden Cobra', kind: 'aka', quality: 'strong' }]);
  });
});

describe('robustness', () => {
  it('gives the same result with or without the trailing 0x1A byte', () => {
    const text = fixtureText(SUBSET_0414);
    expect(text.endsWith('\r\n\x1a')).toBe(true);
    const withEof = parseOfacCsv({ sdn: text });
    const without = parseOfacCsv({ sdn: text.slice(0, -1) });
    expect(without).toEqual(withEof);
    expect(withEof.records).toHaveLength(529);
    expect(withEof.warnings.every((w) => w.includes('cut at 1000 characters'))).toBe(true);
  });

  it('reads "-0- " as no value (45430 has SDN_Type "-0- " → entity; 36 has no remarks, title or vessel)', () => {
    const sdn1201 = fixtureText(SDN_1201);
    const list = parseOfacCsv({ sdn: [realLine(sdn1201, '36'), realLine(sdn1201, '45430')].join('\r\n') });
    expect(realLine(sdn1201, '36')).toBe('36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ');
    const aero = byId(list, '36');
    expect(aero).toMatchObject({ type: 'entity', programs: ['CUBA'], aliases: [], identifiers: [], dprk: false });
    expect(aero.remarks).toBeUndefined();
    expect(aero.title).toBeUndefined();
    expect(aero.vessel).toBeUndefined();
    expect(byId(list, '45430').type).toBe('entity');
  });

  it('returns zero records and no warnings for an empty file', () => {
    for (const sdn of ['', '\x1a', '\r\n', '\r\n\x1a']) {
      expect(parseOfacCsv({ sdn })).toEqual({ source: 'ofac-sdn', format: 'ofac-csv', records: [], warnings: [], rowDigests: new Map() });
    }
  });

  it('skips garbled rows with a warning and keeps the rows around them', () => {
    const text = fixtureText(SUBSET_0414);
    const HEADER = 'ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks';
    const lines = ['12312', '17069', '27307', '20540', '17084', '15603'].map((id) => realLine(text, id));
    // 17069: Remarks lose their closing quote, so the quoted field runs on into the next lines.
    lines[1] = (lines[1] as string).replace(/\."$/, '.');
    // 20540: the name loses its closing quote (csv-parse then sees 11 fields).
    lines[3] = (lines[3] as string).replace('"P-532",', '"P-532,');
    // 17084: cut in the middle, too few columns.
    lines[4] = (lines[4] as string).slice(0, 40);
    const list = parseOfacCsv({ sdn: `${HEADER}\r\n${lines.join('\r\n')}\r\n\x1a` });
    expect(list.records.map((r) => r.sourceId).sort()).toEqual(['12312', '15603', '27307']);
    expect(list.warnings).toHaveLength(4);
    expect(list.warnings.find((w) => w.includes('17069'))).toMatch(/^sdn\.csv: garbled row skipped \(Quote Not Closed/);
    expect(list.warnings.find((w) => w.includes('20540'))).toMatch(/^sdn\.csv: row with 11 fields instead of 12 skipped/);
    expect(list.warnings.find((w) => w.includes('17084'))).toMatch(/^sdn\.csv: row with \d+ fields instead of 12 skipped/);
    expect(list.warnings.find((w) => w.includes('ent_num,SDN_Name'))).toMatch(/^sdn\.csv: row whose ent_num is not a number skipped/);
    // The rows after the run-on quote are intact.
    expect(byId(list, '27307').aliases).toHaveLength(11);
    expect(byId(list, '15603').programs).toEqual(['DPRK3', 'NPWMD']);
  });

  it('survives an unclosed quote on the very last row', () => {
    const text = fixtureText(SUBSET_0414);
    const lines = ['12312', '17069'].map((id) => realLine(text, id));
    lines[1] = (lines[1] as string).replace(/\."$/, '.');
    const list = parseOfacCsv({ sdn: `${lines.join('\r\n')}\r\n\x1a` });
    expect(list.records.map((r) => r.sourceId)).toEqual(['12312']);
    expect(list.warnings).toEqual([expect.stringMatching(/^sdn\.csv: garbled row skipped .*17069,"CHONG CHON GANG"/)]);
  });

  it('lists at most 20 bad rows of a file that is not CSV at all (an HTML error page served as add.csv)', () => {
    const html = ['<!DOCTYPE html>', '<html>', ...Array.from({ length: 30 }, (_, i) => `<p>line ${i}</p>`), '</html>'].join('\r\n');
    const list = parseOfacCsv({ sdn: realLine(fixtureText(SUBSET_0414), '27307'), add: html });
    expect(list.records).toHaveLength(1);
    expect(list.warnings).toHaveLength(21);
    expect(list.warnings.at(-1)).toBe('add.csv: 13 more unreadable rows skipped (not listed)');
  });

  it('reports companion rows for unknown ent_nums and works with no companions at all', () => {
    const row = realLine(fixtureText(SUBSET_0414), '27307');
    const list = parseOfacCsv({ sdn: row, add: '99999999,1,-0- ,"Pyongyang","Korea, North",-0- \r\n\x1a' });
    expect(list.warnings).toEqual(['add.csv: 1 row(s) for ent_num(s) not in sdn.csv ignored: 99999999']);
    expect(byId(list, '27307').addresses).toEqual([]);
  });
});
