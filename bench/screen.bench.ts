/**
 * Screening benchmark: `dprk-watch screen`'s engine against a Fuse.js baseline, same rows, same run.
 *
 *   npm run bench:screen            (BENCH_ROWS=100000, BENCH_FUSE_ROWS=500 by default)
 *
 * Index: the full OFAC SDN CSV (2023-12-01, 13,436 records) and the full UN consolidated list
 * (2026-02-27), plus the bundled FBI attribution (51 wallets). Rows (BENCH_ROWS, default 100,000)
 * are built from real data only, cycling deterministically through: list names as written,
 * lower-cased, with one letter swapped (a typo); list aliases; OFAC-listed wallet addresses in
 * lower case; the FBI's attributed addresses in upper case; and names of real organisations
 * bundled in seeds/organisations.json that no list designates (the negatives). They are written to
 * one CSV file that both engines read.
 *
 * Each engine runs in a fresh child process, reading that file with the same streaming CSV reader
 * (src/screen/input.ts) and writing one CSV line per row to a null sink:
 *   - dprk-watch: screenValue (EntityIndex + AttributionIndex), as `dprk-watch screen` does;
 *   - Fuse.js: one search per row (limit 1) over name, aliases and wallet addresses, options as in
 *     bench/lookup.bench.ts. Fuse.js is thousands of times slower per row, so it screens the first
 *     BENCH_FUSE_ROWS rows of the same file (a prefix of the same cycle of row kinds); set
 *     BENCH_FUSE_ROWS=100000 for the whole file if you have the time.
 * Printed: rows/s, index build time, RSS after the build, peak RSS while screening, and RSS growth
 * from the first 10% of rows to the end (≈ 0 means constant memory in the row count).
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fuse, { type IFuseOptions } from 'fuse.js';
import type { Designation } from '../src/core/designation.js';
import { screenValue } from '../src/screen/engine.js';
import { formatScreenRow } from '../src/screen/format.js';
import { readScreenInput } from '../src/screen/input.js';
import { AttributionIndex } from '../src/search/attributions.js';
import { EntityIndex } from '../src/search/entity-index.js';
import { bundledAttributions } from '../src/seeds/attributions.js';
import { seedOrganisations } from '../src/seeds/load.js';
import { parseOfacCsv } from '../src/sources/ofac/csv.js';
import { parseUnXml } from '../src/sources/un/xml.js';
import { fixtureText } from '../test/helpers/fixtures.js';

const SDN = 'real/ofac_sdn_csv/sdn_2023-12-01.csv.gz';
const UN = 'real/un_consolidated_xml/consolidated_2026-02-27.xml.gz';
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const FUSE_ROWS = Number(process.env.BENCH_FUSE_ROWS ?? 500);
const MB = 1024 * 1024;

const loadRecords = (): Designation[] => [...parseOfacCsv({ sdn: fixtureText(SDN) }).records, ...parseUnXml(fixtureText(UN)).records];

/** A deterministic one-letter swap in the middle of a name (the commonest typo). */
function typo(name: string): string {
  const i = Math.floor(name.length / 2);
  if (i < 1 || !/[a-z]{2}/i.test(name.slice(i - 1, i + 1))) return name;
  return name.slice(0, i - 1) + name[i] + name[i - 1] + name.slice(i + 1);
}

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function buildRows(records: Designation[]): string[] {
  const names = records.map((r) => r.name);
  const aliases = records.flatMap((r) => r.aliases.map((a) => a.name));
  const wallets = records.flatMap((r) => r.identifiers.filter((i) => i.kind === 'crypto').map((i) => i.value.toLowerCase()));
  const fbi = bundledAttributions().flatMap((a) => a.addresses.map((x) => `0x${x.address.slice(2).toUpperCase()}`));
  const negatives = seedOrganisations().map((o) => o.name);
  const kinds: Array<(i: number) => string> = [
    (i) => names[(i * 7919) % names.length]!,
    (i) => names[(i * 104729) % names.length]!.toLowerCase(),
    (i) => typo(names[(i * 1299709) % names.length]!),
    (i) => aliases[(i * 15485863) % aliases.length]!,
    (i) => wallets[i % wallets.length]!,
    (i) => fbi[i % fbi.length]!,
    (i) => negatives[i % negatives.length]!,
  ];
  return Array.from({ length: ROWS }, (_, i) => kinds[i % kinds.length]!(Math.floor(i / kinds.length)));
}

interface Sample {
  engine: string;
  rows: number;
  hits: number;
  seconds: number;
  buildMs: number;
  rssAfterBuildMB: number;
  peakRssMB: number;
  growthMB: number;
}

type Screen = (value: string, line: number) => { line: string; hit: boolean };

async function child(engine: string, file: string, limit: number): Promise<void> {
  const records = loadRecords();
  const t0 = performance.now();
  let screen: Screen;
  if (engine === 'dprk-watch') {
    const e = { index: EntityIndex.build(records), attributions: new AttributionIndex(bundledAttributions()) };
    screen = (value, line) => {
      const row = screenValue(e, value, line);
      return { line: formatScreenRow(row, 'csv'), hit: row.hit };
    };
  } else {
    const options: IFuseOptions<{ i: number; name: string; aliases: string[]; wallets: string[] }> = {
      keys: ['name', 'aliases', 'wallets'],
      threshold: 0.35,
      ignoreLocation: true,
      includeScore: true,
    };
    const fuse = new Fuse(
      records.map((r, i) => ({ i, name: r.name, aliases: r.aliases.map((a) => a.name), wallets: r.identifiers.filter((x) => x.kind === 'crypto').map((x) => x.value) })),
      options,
    );
    screen = (value, line) => {
      const best = fuse.search(value, { limit: 1 })[0];
      const r = best ? records[best.item.i]! : undefined;
      return { line: `${line},${csvField(value)},${r ? csvField(r.name) : ''},${best?.score?.toFixed(3) ?? ''}\n`, hit: best !== undefined };
    };
  }
  const buildMs = performance.now() - t0;
  const rssAfterBuild = process.memoryUsage().rss;
  let peak = rssAfterBuild;
  let atTenth = 0;
  let rows = 0;
  let hits = 0;
  let sink = 0;
  const t1 = performance.now();
  for await (const row of readScreenInput(createReadStream(file), { column: 'name' })) {
    if (rows >= limit) break;
    const out = screen(row.value, row.line);
    sink += out.line.length;
    if (out.hit) hits++;
    rows++;
    if (rows % 1000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    if (rows === Math.ceil(limit / 10)) atTenth = process.memoryUsage().rss;
  }
  const seconds = (performance.now() - t1) / 1000;
  const end = process.memoryUsage().rss;
  peak = Math.max(peak, end);
  if (sink === 0) throw new Error('nothing was written');
  const s: Sample = { engine, rows, hits, seconds, buildMs, rssAfterBuildMB: rssAfterBuild / MB, peakRssMB: peak / MB, growthMB: (end - atTenth) / MB };
  process.stdout.write(JSON.stringify(s));
}

function run(engine: string, file: string, limit: number): Sample {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', engine, file, String(limit)], { encoding: 'utf8', maxBuffer: 16 * MB });
  if (r.status !== 0) throw new Error(`${engine} child failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Sample;
}

async function main(): Promise<void> {
  const c = process.argv.indexOf('--child');
  if (c > 0) return child(process.argv[c + 1]!, process.argv[c + 2]!, Number(process.argv[c + 3]));

  const rows = buildRows(loadRecords());
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'dprk-bench-screen-')), 'rows.csv');
  writeFileSync(file, `name\n${rows.map(csvField).join('\n')}\n`);
  console.log(`dprk-watch screen benchmark — node ${process.version}, ${os.cpus().length} CPU(s)`);
  console.log(`rows: ${ROWS.toLocaleString('en')} from real OFAC SDN 2023-12-01 + UN 2026-02-27 names, aliases and wallets, the FBI's attributed wallets and seed organisation names (${file})`);
  const samples = [run('dprk-watch', file, ROWS), run('Fuse.js', file, Math.min(FUSE_ROWS, ROWS))];
  console.log(`\n${'engine'.padEnd(12)}${'rows'.padStart(9)}${'hits'.padStart(9)}${'rows/s'.padStart(10)}${'build ms'.padStart(10)}${'RSS built'.padStart(11)}${'peak RSS'.padStart(10)}${'growth'.padStart(9)}`);
  for (const s of samples)
    console.log(
      `${s.engine.padEnd(12)}${s.rows.toLocaleString('en').padStart(9)}${s.hits.toLocaleString('en').padStart(9)}${Math.round(s.rows / s.seconds).toLocaleString('en').padStart(10)}${Math.round(s.buildMs).toLocaleString('en').padStart(10)}${`${s.rssAfterBuildMB.toFixed(0)} MB`.padStart(11)}${`${s.peakRssMB.toFixed(0)} MB`.padStart(10)}${`${s.growthMB.toFixed(1)} MB`.padStart(9)}`,
    );
  const [dw, fuse] = samples as [Sample, Sample];
  console.log(`\ndprk-watch screens ${(dw.rows / dw.seconds / (fuse.rows / fuse.seconds)).toFixed(0)}× as many rows per second as Fuse.js (Fuse.js on the first ${fuse.rows.toLocaleString('en')} rows of the same file).`);
  console.log('growth: RSS at the end minus RSS after the first 10% of rows (constant memory ⇒ about 0).');
}

await main();
