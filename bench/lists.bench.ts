/**
 * Lists benchmark (npm run bench:lists): each regime's parser on its real published file, beside
 * a baseline measured in the same run — reading the same bytes into a tree (XML: the checking
 * reader alone) or a workbook (SheetJS `XLSX.read` alone) — and then one poll of all seven lists
 * into one store, in a fresh process, with its peak RSS.
 *
 * The files are what test/fixtures holds: full OFAC sdn.csv (13,436 records), full UN list, the
 * full OFSI ConList, Japan's full MOF workbook, Australia's full DFAT workbook; the EU file is a
 * 1,044-record prefix of the real ~25 MB file (3.9 MB), the UK one its DPRK subset, and the Swiss
 * one a document built in SECO's structure (no real copy exists here). Figures therefore show
 * each parser's cost per byte of a real file, not the full EU/SECO sizes.
 *
 * Target (issue #12): the seven-list poll under 300 MB peak RSS.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as XLSX from '@e965/xlsx';
import { pollSource } from '../src/pipeline/poll.js';
import { auDfatSource } from '../src/sources/au-dfat/source.js';
import { parseDfatWorkbook } from '../src/sources/au-dfat/spreadsheet.js';
import { chSecoSource } from '../src/sources/ch-seco/source.js';
import { parseChSecoXml } from '../src/sources/ch-seco/xml.js';
import { euFsfSource } from '../src/sources/eu-fsf/source.js';
import { parseEuFsfXml } from '../src/sources/eu-fsf/xml.js';
import { jpMofSource } from '../src/sources/jp-mof/source.js';
import { parseJpMofWorkbook } from '../src/sources/jp-mof/workbook.js';
import type { ListSource } from '../src/sources/list-source.js';
import { ofacSdnSource } from '../src/sources/ofac/source.js';
import { ukSanctionsSource } from '../src/sources/uk-sanctions/source.js';
import { parseOfsiXlsx } from '../src/sources/uk-sanctions/xlsx.js';
import { parseUkXml } from '../src/sources/uk-sanctions/xml.js';
import { unScSource } from '../src/sources/un/source.js';
import { readXml } from '../src/sources/xml-reader.js';
import { openStore } from '../src/store/open.js';
import { FIXTURES, fixtureBytes } from '../test/helpers/fixtures.js';
import { fullSizeEuXml, fullSizeSecoXml, fullSizeUkXml } from '../test/helpers/full-size.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const file = (relative: string) => pathToFileURL(path.join(FIXTURES, relative)).href;

interface Case {
  name: string;
  fixture: string;
  baseline: string;
  read: (b: Buffer) => unknown;
  parse: (b: Buffer) => { records: unknown[] };
}

const xml = (b: Buffer) => readXml(b.toString('utf8'), new Set());
const workbook = (b: Buffer) => XLSX.read(b, { type: 'buffer', cellDates: true });
const CASES: Case[] = [
  { name: 'eu-fsf', fixture: 'real/eu_fsf_xml/eu_fsf_20220318_gfid137925_first1044records.xml.gz', baseline: 'xml tree', read: xml, parse: (b) => parseEuFsfXml(b.toString('utf8')) },
  { name: 'uk-sanctions (FCDO XML)', fixture: 'real/uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz', baseline: 'xml tree', read: xml, parse: (b) => parseUkXml(b.toString('utf8')) },
  { name: 'uk-sanctions (OFSI xlsx)', fixture: 'real/uk_ofsi_conlist_xlsx/ofsi_ConList_2025-04-14.xlsx.gz', baseline: 'XLSX.read', read: workbook, parse: parseOfsiXlsx },
  { name: 'jp-mof (xls)', fixture: 'real/jp_mof_xls/mof_shisantouketsu_saved2022-05-09.xls.gz', baseline: 'XLSX.read', read: workbook, parse: (b) => parseJpMofWorkbook(b, 'jp-mof-xls') },
  { name: 'au-dfat (xlsx)', fixture: 'real/au_dfat/dfat_regulation8_consolidated_2024-11-11.xlsx.gz', baseline: 'XLSX.read', read: workbook, parse: (b) => parseDfatWorkbook(b, 'xlsx') },
  { name: 'ch-seco (built)', fixture: 'built/ch_seco_xml/seco_dprk_built.xml', baseline: 'xml tree', read: xml, parse: (b) => parseChSecoXml(b.toString('utf8')) },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function time(f: () => unknown): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

/**
 * Lists (id → file:// URL) polled once by the real CLI (`dprk-watch poll`: App.pollAll, the
 * default SQLite store) in a fresh process; the process reports its own peak RSS.
 */
async function cliPoll(lists: Record<string, string>): Promise<{ ms: number; maxRssMb: number; counts: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-lists-'));
  const peakFile = path.join(dir, 'peak');
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    SOURCES: Object.keys(lists).join(','),
    ...Object.fromEntries(Object.entries(lists).map(([id, url]) => [`${id.toUpperCase().replace(/-/g, '_')}_URL`, url])),
    STORE_URL: `sqlite://${path.join(dir, 'state.sqlite')}`,
    LOG_LEVEL: 'warn',
    REPORT_FEEDS: 'none',
    PEAK_RSS_FILE: peakFile,
  };
  const bin = fileURLToPath(new URL('../bin/dprk-watch.js', import.meta.url));
  const peak = fileURLToPath(new URL('./peak-rss.mjs', import.meta.url));
  const t = performance.now();
  try {
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, ['--import', peak, bin, 'poll'], { env, maxBuffer: 64 << 20 }, (e, _out, err) =>
        e ? reject(new Error(`dprk-watch poll failed: ${e.message}\n${err}`)) : resolve(),
      ),
    );
    const ms = performance.now() - t;
    const store = await openStore(env.STORE_URL, 'dprk-watch');
    const counts: string[] = [];
    for (const id of env.SOURCES.split(',')) counts.push(`${id} ${(await store.getStatus(id))?.recordCount ?? '?'}`);
    await store.close();
    return { ms, maxRssMb: Number(readFileSync(peakFile, 'utf8')), counts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`each list: median of ${RUNS} runs in this process, beside its baseline on the same bytes`);
  for (const c of CASES) {
    const bytes = fixtureBytes(c.fixture);
    let records = 0;
    const base = median(Array.from({ length: RUNS }, () => time(() => c.read(bytes))));
    const ours = median(Array.from({ length: RUNS }, () => time(() => (records = c.parse(bytes).records.length))));
    console.log(
      `  ${c.name.padEnd(26)} ${(bytes.length / 1e6).toFixed(1).padStart(5)} MB ${String(records).padStart(6)} records  parse ${ours.toFixed(0).padStart(5)} ms  ${c.baseline} ${base.toFixed(0).padStart(5)} ms  (${(ours / base).toFixed(2)}×)`,
    );
  }
  // The seven-list poll as a user runs it. Each list in its default format (OFAC as its full
  // sdn.csv: no full SDN.XML is kept here); the EU, UK and Swiss files at their real full sizes
  // (test/helpers/full-size.ts says how they are made from the real subsets and the built Swiss one).
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-full-size-'));
  const full = { eu: fullSizeEuXml(), uk: fullSizeUkXml(), seco: fullSizeSecoXml() };
  const files = { eu: path.join(dir, 'eu.xml'), uk: path.join(dir, 'uk.xml'), seco: path.join(dir, 'seco.xml') };
  for (const k of ['eu', 'uk', 'seco'] as const) writeFileSync(files[k], full[k]);
  console.log(`full-size documents: ${Object.entries(full).map(([name, text]) => `${name} ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB`).join(', ')}`);
  const at = (f: string) => pathToFileURL(f).href;
  const seven = {
    'ofac-sdn': file('real/ofac_sdn_csv/sdn_2023-12-01.csv.gz'),
    'un-sc': file('real/un_consolidated_xml/consolidated_2026-02-27.xml.gz'),
    'eu-fsf': at(files.eu),
    'uk-sanctions': at(files.uk),
    'jp-mof': file('real/jp_mof_xls/mof_shisantouketsu_saved2022-05-09.xls.gz'),
    'au-dfat': file('real/au_dfat/dfat_regulation8_consolidated_2024-11-11.xlsx.gz'),
    'ch-seco': at(files.seco),
  };
  const r = await cliPoll(seven).finally(() => rmSync(dir, { recursive: true, force: true }));
  // The floor: the same process polling one small list (the UN DPRK subset, 0.1 MB). What it
  // takes is the bot itself (Node, tsx, discord.js, Bolt, SheetJS…), before any list is in memory.
  const floor = await cliPoll({ 'un-sc': file('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml') });
  console.log(`dprk-watch poll of all seven lists (a first poll) in a fresh process: ${(r.ms / 1000).toFixed(1)} s, peak RSS ${r.maxRssMb.toFixed(0)} MB (target < 300 MB: ${r.maxRssMb < 300 ? 'met' : 'MISSED'})`);
  console.log(`  ${r.counts.join(' · ')} records`);
  console.log(`  baseline, same run: the same command polling one 0.1 MB list peaks at ${floor.maxRssMb.toFixed(0)} MB; the seven lists add ${(r.maxRssMb - floor.maxRssMb).toFixed(0)} MB`);
}

await main();
