/**
 * Ingest benchmark (npm run bench). Each phase runs in its own child process so peak RSS
 * is that phase's alone; every phase runs RUNS times and the median is printed.
 *
 *   tokenize   baseline: csv-parse tokenizes the same sdn.csv bytes, nothing else
 *   ingest     dprk-watch: parse + normalize + diff of sdn.csv 2023-12-01 against 2023-11-30,
 *              plus the UN consolidated list (parse + normalize + diff)
 *   unchanged  one poll of an unchanged source through the real pipeline (loopback HTTP, 304),
 *              and one where the server ignores validators (same bytes, hash comparison)
 *
 * Targets (issue #2): ingest within 2× of tokenize and under 200 MB RSS; unchanged poll ≤ 20 ms CPU.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { diffLists } from '../src/core/diff.js';
import { buildSnapshot } from '../src/core/snapshot.js';
import { parseOfacCsv } from '../src/sources/ofac/csv.js';
import { ofacSdnSource } from '../src/sources/ofac/source.js';
import { parseUnXml } from '../src/sources/un/xml.js';
import { openStore } from '../src/store/open.js';
import { pollSource } from '../src/pipeline/poll.js';
import { fixtureBytes, fixtureText } from '../test/helpers/fixtures.js';
import { SourceServer } from '../test/helpers/source-server.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SDN_BEFORE = 'real/ofac_sdn_csv/sdn_2023-11-30.csv.gz';
const SDN_AFTER = 'real/ofac_sdn_csv/sdn_2023-12-01.csv.gz';
const UN = 'real/un_consolidated_xml/consolidated_2026-02-27.xml.gz';

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssMB: number;
  note?: string;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Time `fn` in this process: wall and CPU milliseconds. */
async function timed(fn: () => unknown | Promise<unknown>): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await fn();
  const wallMs = performance.now() - t;
  const c = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

const phases: Record<string, () => Promise<Sample>> = {
  async tokenize() {
    const text = fixtureText(SDN_AFTER);
    const t = await timed(() => parseCsv(text, { relax_quotes: true, relax_column_count: true }));
    return { ...t, rssMB: 0 };
  },
  async ingest() {
    const before = buildSnapshot(parseOfacCsv({ sdn: fixtureText(SDN_BEFORE) }).records);
    const sdn = fixtureText(SDN_AFTER);
    const un = fixtureText(UN);
    const unBefore = buildSnapshot(parseUnXml(un).records);
    let changes = 0;
    const t = await timed(() => {
      const after = buildSnapshot(parseOfacCsv({ sdn }).records);
      changes += diffLists({ before: before.entries, after: after.entries }).length;
      const unAfter = buildSnapshot(parseUnXml(un).records);
      changes += diffLists({ before: unBefore.entries, after: unAfter.entries }).length;
    });
    return { ...t, rssMB: 0, note: `${changes} changes` };
  },
  async unchanged() {
    const server = await new SourceServer().start();
    const body = fixtureBytes(SDN_AFTER);
    server.set('/sdn_list.csv', { kind: 'document', body });
    const store = await openStore('memory:', 'bench');
    const deps = {
      store,
      log: silent,
      scope: 'dprk' as const,
      maxRemovalShare: 0.05,
      fetch: { timeoutMs: 30_000, maxBytes: 100 * 1024 * 1024, userAgent: 'bench' },
    };
    const source = ofacSdnSource(server.url('/sdn_list.csv'));
    await pollSource(source, deps); // baseline
    const cond = await timed(() => pollSource(source, deps));
    server.set('/sdn_list.csv', { kind: 'document', body, etag: false });
    const sameBytes = await timed(() => pollSource(source, deps));
    await server.stop();
    return { ...cond, rssMB: 0, note: `no-304 same bytes: ${sameBytes.cpuMs.toFixed(1)} ms CPU, ${sameBytes.wallMs.toFixed(1)} ms wall` };
  },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function child(phase: string): Promise<void> {
  const sample = await phases[phase]!();
  sample.rssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(sample));
}

function runPhase(phase: string): Sample[] {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), phase], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`phase ${phase} failed:\n${r.stderr}`);
    samples.push(JSON.parse(r.stdout) as Sample);
  }
  return samples;
}

async function main(): Promise<void> {
  const phase = process.argv[2];
  if (phase) return child(phase);
  console.log(`dprk-watch ingest benchmark — node ${process.version}, median of ${RUNS} runs, each in a fresh process\n`);
  const rows: Record<string, Sample> = {};
  for (const name of Object.keys(phases)) {
    const s = runPhase(name);
    rows[name] = {
      wallMs: median(s.map((x) => x.wallMs)),
      cpuMs: median(s.map((x) => x.cpuMs)),
      rssMB: median(s.map((x) => x.rssMB)),
      ...(s[0]!.note ? { note: s[0]!.note } : {}),
    };
  }
  const fmt = (n: number) => n.toFixed(1).padStart(8);
  console.log('phase        wall ms   CPU ms  peak RSS MB  note');
  for (const [name, r] of Object.entries(rows))
    console.log(`${name.padEnd(10)} ${fmt(r.wallMs)} ${fmt(r.cpuMs)} ${fmt(r.rssMB)}     ${r.note ?? ''}`);
  const ratio = rows.ingest!.wallMs / rows.tokenize!.wallMs;
  console.log(`\nbaseline (csv-parse tokenizing sdn.csv 2023-12-01, measured above): ${rows.tokenize!.wallMs.toFixed(1)} ms`);
  console.log(`ingest / tokenize = ${ratio.toFixed(2)}×  (target ≤ 2×; ingest also parses the UN list, which the baseline does not)`);
  console.log(`ingest peak RSS = ${rows.ingest!.rssMB.toFixed(0)} MB (target < 200 MB)`);
  console.log(`unchanged poll = ${rows.unchanged!.cpuMs.toFixed(1)} ms CPU (target ≤ 20 ms per source)`);
}

await main();
