/**
 * The seven lists' real fixtures, parsed as the bot parses them (the parsers bench/lists.bench.ts
 * runs), for the lookup tests and bench/lookup.bench.ts. The UK comes from the OFSI consolidated
 * workbook (every regime, with its non-Latin names); Switzerland from the built SECO file, the
 * only SECO fixture there is (test/fixtures/built/, see PROVENANCE.md).
 */
import type { Designation, SourceId } from '../../src/core/designation.js';
import { parseDfatWorkbook } from '../../src/sources/au-dfat/spreadsheet.js';
import { parseChSecoXml } from '../../src/sources/ch-seco/xml.js';
import { parseEuFsfXml } from '../../src/sources/eu-fsf/xml.js';
import { parseJpMofWorkbook } from '../../src/sources/jp-mof/workbook.js';
import { parseOfacCsv } from '../../src/sources/ofac/csv.js';
import { parseUnXml } from '../../src/sources/un/xml.js';
import { parseOfsiXlsx } from '../../src/sources/uk-sanctions/xlsx.js';
import { fixtureBytes, fixtureText } from './fixtures.js';

export const SEVEN_LIST_FIXTURES: ReadonlyArray<{ source: SourceId; fixture: string; parse: (relative: string) => Designation[] }> = [
  { source: 'ofac-sdn', fixture: 'real/ofac_sdn_csv/sdn_2023-12-01.csv.gz', parse: (f) => parseOfacCsv({ sdn: fixtureText(f) }).records },
  { source: 'un-sc', fixture: 'real/un_consolidated_xml/consolidated_2026-02-27.xml.gz', parse: (f) => parseUnXml(fixtureText(f)).records },
  { source: 'eu-fsf', fixture: 'real/eu_fsf_xml/eu_fsf_20220318_gfid137925_first1044records.xml.gz', parse: (f) => parseEuFsfXml(fixtureText(f)).records },
  { source: 'uk-sanctions', fixture: 'real/uk_ofsi_conlist_xlsx/ofsi_ConList_2025-04-14.xlsx.gz', parse: (f) => parseOfsiXlsx(fixtureBytes(f)).records },
  { source: 'jp-mof', fixture: 'real/jp_mof_xls/mof_shisantouketsu_saved2022-05-09.xls.gz', parse: (f) => parseJpMofWorkbook(fixtureBytes(f), 'jp-mof-xls').records },
  { source: 'au-dfat', fixture: 'real/au_dfat/dfat_regulation8_consolidated_2024-11-11.xlsx.gz', parse: (f) => parseDfatWorkbook(fixtureBytes(f), 'xlsx').records },
  { source: 'ch-seco', fixture: 'built/ch_seco_xml/seco_dprk_built.xml', parse: (f) => parseChSecoXml(fixtureText(f)).records },
];

/** Every record of the seven lists' fixtures. */
export function loadSevenLists(): Designation[] {
  return SEVEN_LIST_FIXTURES.flatMap((l) => l.parse(l.fixture));
}

/** A query of test/fixtures/lookup-queries-{scripts,holdout}.json. */
export interface ScriptQuery {
  query: string;
  class: string;
  /** Any of these records is the right answer (the same party on several lists); null: nothing must come back. */
  expect: Array<{ source: SourceId; sourceId: string }> | null;
  why: string;
}

/** recall@1 for a ScriptQuery: the top result, or a record it cross-references, is one of the expected records. */
export function scriptHitAt1(
  top: { source: string; sourceId: string; crossReferences: Array<{ source: string; sourceId: string }> } | undefined,
  want: NonNullable<ScriptQuery['expect']>,
): boolean {
  if (!top) return false;
  return [top, ...top.crossReferences].some((r) => want.some((w) => w.source === r.source && w.sourceId === r.sourceId));
}
