/**
 * Who lists whom, on the real published lists: the UN DPRK list (2026-02-27), OFAC's DPRK subset
 * (2022-04-14), the EU's PRK records (2022-03-18), the UK's DPR records (2026-03-26) and Japan's
 * MOF workbook (2022-05-09). The core linker (src/core/parties.ts) joins the records that are one
 * party; these tests count what it links and check that its links do not contradict themselves.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Designation } from '../../src/core/designation.js';
import { linkParties, unReferenceOf } from '../../src/core/parties.js';
import { EntityIndex } from '../../src/search/entity-index.js';
import type { ListEdition } from '../../src/search/lookup-service.js';
import { regimeLine, regimeRows } from '../../src/search/regimes.js';
import { parseEuFsfXml } from '../../src/sources/eu-fsf/xml.js';
import { parseJpMofWorkbook } from '../../src/sources/jp-mof/workbook.js';
import { parseOfacCsv } from '../../src/sources/ofac/csv.js';
import { parseUkXml } from '../../src/sources/uk-sanctions/xml.js';
import { parseUnXml } from '../../src/sources/un/xml.js';
import { fixtureBytes, fixtureText } from '../helpers/fixtures.js';

let lists: Record<string, Designation[]>;
let all: Designation[];
let parties: number[][];

beforeAll(() => {
  lists = {
    'un-sc': parseUnXml(fixtureText('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml')).records,
    'ofac-sdn': parseOfacCsv({ sdn: fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv') }).records.filter((r) => r.dprk),
    'eu-fsf': parseEuFsfXml(fixtureText('real/eu_fsf_xml/eu_fsf_20220318_gfid137925_PRK_only.xml')).records,
    'uk-sanctions': parseUkXml(fixtureText('real/uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz')).records,
    'jp-mof': parseJpMofWorkbook(fixtureBytes('real/jp_mof_xls/mof_shisantouketsu_saved2022-05-09.xls.gz'), 'jp-mof-xls').records.filter((r) => r.dprk),
  };
  all = Object.values(lists).flat();
  parties = linkParties(all);
}, 120_000);

describe('who lists whom on the real lists', () => {
  it('links most UN DPRK parties to each national list (figures printed)', () => {
    const un = lists['un-sc']!;
    const partyOf = new Map<number, number[]>();
    for (const p of parties) for (const i of p) partyOf.set(i, p);
    const linked: Record<string, number> = {};
    un.forEach((_, ui) => {
      for (const i of partyOf.get(ui)!) {
        const source = all[i]!.source;
        if (source !== 'un-sc') linked[source] = (linked[source] ?? 0) + 1;
      }
    });
    console.log(`UN DPRK records: ${un.length}; linked by list: ${JSON.stringify(linked)}`);
    // The UK and the EU take UN designations over with their UN reference: almost all link.
    expect(linked['uk-sanctions']).toBeGreaterThanOrEqual(140);
    expect(linked['eu-fsf']).toBeGreaterThanOrEqual(1);
    // OFAC (2022) and Japan (2022) are linked by name + birth year only.
    expect(linked['ofac-sdn']).toBeGreaterThanOrEqual(50);
    expect(linked['jp-mof']).toBeGreaterThanOrEqual(50);
  });

  it('makes no link two UN references contradict (a wrong link would join two UN parties)', () => {
    let contradicted = 0;
    let checked = 0;
    for (const p of parties) {
      const refs = new Set(p.map((i) => unReferenceOf(all[i]!)).filter(Boolean));
      checked += p.length > 1 ? 1 : 0;
      if (refs.size > 1) contradicted++;
    }
    console.log(`parties spanning several lists: ${checked}; joining two UN references: ${contradicted}`);
    expect(contradicted).toBe(0);
  });

  it('keeps apart real different people with the same name but other birth years', () => {
    // Real pairs across these lists whose names agree word for word but whose birth years differ.
    const key = (r: Designation) => `${r.type}|${r.name.toLowerCase().replace(/[^a-z0-9]+/g, ' ').split(' ').filter(Boolean).sort().join(' ')}`;
    const byName = new Map<string, number[]>();
    all.forEach((r, i) => byName.set(key(r), [...(byName.get(key(r)) ?? []), i]));
    const years = (r: Designation) => new Set(r.dobs.flatMap((d) => d.match(/\b(19|20)\d\d\b/g) ?? []));
    const partyOf = new Map<number, number[]>();
    for (const p of parties) for (const i of p) partyOf.set(i, p);
    let pairs = 0;
    for (const group of byName.values())
      for (const a of group)
        for (const b of group) {
          const [ra, rb] = [all[a]!, all[b]!];
          if (a >= b || ra.source === rb.source || ra.type !== 'individual') continue;
          const [ya, yb] = [years(ra), years(rb)];
          if (ya.size === 0 || yb.size === 0 || [...ya].some((y) => yb.has(y))) continue;
          pairs++;
          // Linked only if a UN reference says they are one party (lists do disagree on a birth
          // year: the UN gives PAK YONG SIK 1949, the UK 1950 under the same KPi.063).
          const party = partyOf.get(a)!;
          if (party.includes(b)) expect(party.some((i) => unReferenceOf(all[i]!)), `${ra.name} ${[...ya]} / ${[...yb]}`).toBe(true);
        }
    console.log(`same-name different-birth-year pairs across lists: ${pairs}`);
  });

  it('answers "who lists LAZARUS GROUP" with a row per regime searched', () => {
    const index = EntityIndex.build(all);
    const editions: ListEdition[] = Object.entries(lists).map(([source, records]) => ({
      source: source as ListEdition['source'],
      listDate: null,
      listDateBasis: null,
      recordCount: records.length,
    }));
    const [top] = index.lookup('Lazarus Group', { limit: 1 });
    expect(top?.name).toMatch(/LAZARUS GROUP/i);
    const line = regimeLine(regimeRows(top!, editions));
    console.log(`Lazarus Group: ${line}`);
    expect(line).toMatch(/^US ✓/);
    expect(line).toContain('UN ✗');
  });
});
