/**
 * Builds seeds/snapshot/lists.json.gz (npm run build:snapshot): the DPRK-relevant records of each
 * list, read by dprk-watch's own parsers from the newest real published file kept in
 * test/fixtures/real (each file's PROVENANCE.md says where it came from). Switzerland is left out:
 * no real SECO file exists here, and a built one must not pose as the Swiss list.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { ParsedList } from '../src/core/designation.js';
import { parseDfatWorkbook } from '../src/sources/au-dfat/spreadsheet.js';
import { parseEuFsfXml } from '../src/sources/eu-fsf/xml.js';
import { parseJpMofWorkbook } from '../src/sources/jp-mof/workbook.js';
import { parseOfacCsv } from '../src/sources/ofac/csv.js';
import { parseUkXml } from '../src/sources/uk-sanctions/xml.js';
import { parseUnXml } from '../src/sources/un/xml.js';
import { BUNDLED_SNAPSHOT, BundledSnapshotSchema, type BundledList } from '../src/seeds/snapshot.js';
import { fixtureBytes, fixtureText } from '../test/helpers/fixtures.js';

interface Input {
  file: string;
  listDate: string;
  provenance: string;
  parse: () => ParsedList;
}

const INPUTS: Input[] = [
  {
    file: 'real/ofac_sdn_csv/sdn_2023-12-01.csv.gz',
    listDate: '2023-12-01',
    provenance: 'OFAC sdn.csv as published on 2023-12-01 (full file; see test/fixtures/real/SOURCES.md)',
    parse: () => parseOfacCsv({ sdn: fixtureText('real/ofac_sdn_csv/sdn_2023-12-01.csv.gz') }),
  },
  {
    file: 'real/un_consolidated_xml/consolidated_2026-02-27.xml.gz',
    listDate: '2026-02-27',
    provenance: 'UN Security Council consolidated list XML generated 2026-02-27 (full file; see test/fixtures/real/SOURCES.md)',
    parse: () => parseUnXml(fixtureText('real/un_consolidated_xml/consolidated_2026-02-27.xml.gz')),
  },
  {
    file: 'real/eu_fsf_xml/eu_fsf_20220318_gfid137925_PRK_only.xml',
    listDate: '2022-03-18',
    provenance: 'EU Financial Sanctions Files XML 1.1 generated 2022-03-18 (globalFileId 137925), its programme PRK records (see test/fixtures/real/eu_fsf_xml/PROVENANCE.md)',
    parse: () => parseEuFsfXml(fixtureText('real/eu_fsf_xml/eu_fsf_20220318_gfid137925_PRK_only.xml')),
  },
  {
    file: 'real/uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz',
    listDate: '2026-03-26',
    provenance: 'FCDO UK Sanctions List XML generated 2026-03-26, its DPR records (see test/fixtures/real/uk_fcdo_xml/PROVENANCE.md)',
    parse: () => parseUkXml(fixtureText('real/uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz')),
  },
  {
    file: 'real/jp_mof_xls/mof_shisantouketsu_saved2022-05-09.xls.gz',
    listDate: '2022-05-09',
    provenance: 'Japan MOF asset-freeze workbook as saved on 2022-05-09 (see test/fixtures/real/jp_mof_xls/PROVENANCE.md)',
    parse: () => parseJpMofWorkbook(fixtureBytes('real/jp_mof_xls/mof_shisantouketsu_saved2022-05-09.xls.gz'), 'jp-mof-xls'),
  },
  {
    file: 'real/au_dfat/dfat_regulation8_consolidated_2024-11-11.xlsx.gz',
    listDate: '2024-11-11',
    provenance: 'Australia DFAT Consolidated List workbook of 2024-11-11 (see test/fixtures/real/au_dfat/PROVENANCE.md)',
    parse: () => parseDfatWorkbook(fixtureBytes('real/au_dfat/dfat_regulation8_consolidated_2024-11-11.xlsx.gz'), 'xlsx'),
  },
];

const lists: BundledList[] = INPUTS.map((input) => {
  const parsed = input.parse();
  const records = parsed.records.filter((r) => r.dprk);
  console.log(`${parsed.source}: ${records.length} DPRK-relevant of ${parsed.records.length} records, ${input.listDate}`);
  return { source: parsed.source as BundledList['source'], listDate: input.listDate, file: input.file, provenance: input.provenance, records };
});
const snapshot = BundledSnapshotSchema.parse({ format: 'dprk-watch-bundled-snapshot/1', builtAt: new Date().toISOString().slice(0, 10), lists });
mkdirSync(new URL('.', BUNDLED_SNAPSHOT), { recursive: true });
const gz = gzipSync(JSON.stringify(snapshot), { level: 9 });
writeFileSync(BUNDLED_SNAPSHOT, gz);
console.log(`wrote ${BUNDLED_SNAPSHOT.pathname}: ${(gz.length / 1024).toFixed(0)} KiB`);
