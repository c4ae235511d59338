/**
 * Ingest benchmark (npm run bench). Each phase runs in its own child process (RUNS times,
 * phases in turns; medians are printed), so every process starts cold, as a freshly
 * started bot does:
 *
 *   tokenize   baseline: csv-parse tokenizes the sdn.csv bytes (2023-12-01), nothing else
 *   ingest     dprk-watch: parse + normalize + diff of sdn.csv 2023-12-01 against the stored
 *              2023-11-30 snapshot, and of the UN consolidated list against its stored snapshot,
 *              as a poll does it: sdn.csv rows that did not change since the stored snapshot
 *              (same row digest) are taken from it rather than normalized again
 *   unchanged  polls of an unchanged source through the real pipeline (loopback HTTP)
 *   xml-fxp    the UN list's bytes read into a tree by fast-xml-parser (validate + parse), as before
 *   xml-reader the same by src/sources/xml-reader.ts, which replaced it (same tree: see its tests)
 *
 * "cold" is the first call in the process: nothing of the code being timed has run yet (the
 * stored snapshots are read from JSON files, as the store does, not produced by the parser
 * in the child). "warm" is the median of WARM further calls in the same process: a
 * long-running bot. Each source is handled in pollSource's order: parse + snapshot, then the
 * stored snapshot is loaded (untimed), then diff + version comparison.
 * Peak RSS is the process's maximum right after the cold ingest (node + tsx + loaded code +
 * one poll of each list, one after the other); the warm runs do not count towards it.
 *
 * The loopback server of `unchanged` runs in this (parent) process so that its own work
 * (hashing the body for its ETag, writing it) is not counted as the bot's CPU.
 *
 * Targets (issue #2): ingest within 2× of tokenize and under 200 MB RSS; unchanged poll ≤ 20 ms CPU.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { diffLists } from '../src/core/diff.js';
import { buildSnapshot, type Snapshot, type SnapshotEntry } from '../src/core/snapshot.js';
import { parseOfacCsv } from '../src/sources/ofac/csv.js';
import { ofacSdnSource } from '../src/sources/ofac/source.js';
import { parseUnXml } from '../src/sources/un/xml.js';
import { parseDocument, type DocumentReader } from '../src/sources/xml.js';
import { openStore } from '../src/store/open.js';
import { pollSource } from '../src/pipeline/poll.js';
import { fixtureBytes, fixtureText } from '../test/helpers/fixtures.js';
import { parseDocumentWithFxp } from '../test/helpers/fxp-document.js';
import { SourceServer } from '../test/helpers/source-server.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Further calls per process after the cold one; their median is the warm figure. */
const WARM = Number(process.env.BENCH_WARM ?? 5);
/** Consecutive unchanged polls per process after the baseline poll. */
const POLLS = Number(process.env.BENCH_POLLS ?? 20);
const SDN_BEFORE = 'real/ofac_sdn_csv/sdn_2023-11-30.csv.gz';
const SDN_AFTER = 'real/ofac_sdn_csv/sdn_2023-12-01.csv.gz';
const UN = 'real/un_consolidated_xml/consolidated_2026-02-27.xml.gz';

interface Time {
  wallMs: number;
  cpuMs: number;
}
/** One child's figures: named timings (cold and warm), peak RSS, free text. */
interface Sample {
  times: Record<string, Time>;
  rssMB: number;
  note?: string;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Time `fn` in this process: wall and CPU milliseconds (CPU includes GC and helper threads). */
async function timed(fn: () => unknown | Promise<unknown>): Promise<Time> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await fn();
  const wallMs = performance.now() - t;
  const c = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const medianTime = (ts: Time[]): Time => ({ wallMs: median(ts.map((t) => t.wallMs)), cpuMs: median(ts.map((t) => t.cpuMs)) });
const sum = (a: Time, b: Time): Time => ({ wallMs: a.wallMs + b.wallMs, cpuMs: a.cpuMs + b.cpuMs });
const maxRssMB = () => process.resourceUsage().maxRSS / 1024;

/** A snapshot as the store keeps it ([id, hash, record, rows digest?] JSON), and back. */
const storeForm = (s: Snapshot) =>
  JSON.stringify({ version: s.version, entries: [...s.entries].map(([id, e]) => (e.rows === undefined ? [id, e.hash, e.record] : [id, e.hash, e.record, e.rows])) });
function fromStoreForm(json: string): Snapshot {
  const stored = JSON.parse(json) as { version: string; entries: [string, string, SnapshotEntry['record'], string?][] };
  return {
    version: stored.version,
    entries: new Map(stored.entries.map(([id, hash, record, rows]) => [id, rows === undefined ? { hash, record } : { hash, record, rows }])),
  };
}

/** Cold and warm times of reading the UN list's text into a tree with `read`. */
async function readUnTree(read: DocumentReader): Promise<Sample> {
  const text = fixtureText(UN);
  const repeating = new Set(['INDIVIDUAL', 'ENTITY']);
  const run = () => timed(() => read(text, 'CONSOLIDATED_LIST', 'UN XML', repeating));
  const cold = await run();
  const rssMB = maxRssMB();
  const warm: Time[] = [];
  for (let i = 0; i < WARM; i++) warm.push(await run());
  return { times: { cold, warm: medianTime(warm) }, rssMB };
}

const phases: Record<string, (arg: string) => Promise<Sample>> = {
  'xml-fxp': () => readUnTree(parseDocumentWithFxp),
  'xml-reader': () => readUnTree(parseDocument),

  async tokenize() {
    const text = fixtureText(SDN_AFTER);
    const run = () => timed(() => parseCsv(text, { relax_quotes: true, relax_column_count: true }));
    const cold = await run();
    const rssMB = maxRssMB();
    const warm: Time[] = [];
    for (let i = 0; i < WARM; i++) warm.push(await run());
    return { times: { cold, warm: medianTime(warm) }, rssMB };
  },

  /** `arg`: a directory holding the stored snapshots (sdn-before.json, un-before.json). */
  async ingest(dir) {
    let sdnChanges = 0;
    let unChanges = 0;
    /**
     * One source as pollSource handles it: the stored snapshot is read (store.getSnapshot:
     * file read + JSON.parse, not timed, as building `before` was not), then parse + snapshot
     * against it (timed: sdn.csv records whose rows did not change are taken from it), then
     * diff + version comparison (timed). Nothing outlives the poll.
     */
    const poll = async (
      fixture: string,
      parse: (text: string, prior: Snapshot) => Snapshot,
      stored: string,
      check: (next: Snapshot, prior: Snapshot) => number,
    ) => {
      const text = fixtureText(fixture);
      const prior = fromStoreForm(readFileSync(path.join(dir, stored), 'utf8'));
      let next: Snapshot | undefined;
      const a = await timed(() => (next = parse(text, prior)));
      const b = await timed(() => check(next!, prior));
      return sum(a, b);
    };
    const once = async () => {
      const sdnTime = await poll(
        SDN_AFTER,
        (sdn, prior) => {
          const list = parseOfacCsv({ sdn }, prior.entries);
          return buildSnapshot(list.records, list.rowDigests, prior.entries);
        },
        'sdn-before.json',
        (next, prior) => {
          sdnChanges = diffLists({ before: prior.entries, after: next.entries }).length;
          if (next.version === prior.version) throw new Error('sdn.csv: expected a new version');
          return sdnChanges;
        },
      );
      const unTime = await poll(
        UN,
        (un) => buildSnapshot(parseUnXml(un).records),
        'un-before.json',
        (next, prior) => {
          unChanges = diffLists({ before: prior.entries, after: next.entries }).length;
          if (next.version !== prior.version) throw new Error('UN: expected the stored version');
          return unChanges;
        },
      );
      return { sdn: sdnTime, un: unTime };
    };
    const cold = await once();
    const rssMB = maxRssMB();
    const warm: Array<{ sdn: Time; un: Time }> = [];
    for (let i = 0; i < WARM; i++) warm.push(await once());
    return {
      times: {
        coldSdn: cold.sdn,
        coldUn: cold.un,
        coldTotal: sum(cold.sdn, cold.un),
        warmSdn: medianTime(warm.map((w) => w.sdn)),
        warmUn: medianTime(warm.map((w) => w.un)),
        warmTotal: medianTime(warm.map((w) => sum(w.sdn, w.un))),
      },
      rssMB,
      note: `sdn.csv: ${sdnChanges} changes, UN: ${unChanges} changes`,
    };
  },

  /** `arg`: base URL of the parent's loopback server, serving sdn.csv with and without validators. */
  async unchanged(base) {
    const polls = async (url: string): Promise<{ first: Time; rest: Time }> => {
      const deps = {
        store: await openStore('memory:', 'bench'),
        log: silent,
        scope: 'dprk' as const,
        maxRemovalShare: 0.05,
        fetch: { timeoutMs: 30_000, maxBytes: 100 * 1024 * 1024, userAgent: 'bench' },
      };
      const source = ofacSdnSource(url);
      const outcome = await pollSource(source, deps); // baseline: the list is parsed and stored
      if (outcome.outcome !== 'baseline') throw new Error(`baseline poll: ${JSON.stringify(outcome)}`);
      const times: Time[] = [];
      for (let i = 0; i < POLLS; i++) {
        let o: Awaited<ReturnType<typeof pollSource>> | undefined;
        times.push(await timed(async () => (o = await pollSource(source, deps))));
        if (o?.outcome !== 'unchanged') throw new Error(`poll ${i}: ${JSON.stringify(o)}`);
      }
      return { first: times[0]!, rest: medianTime(times.slice(1)) };
    };
    const cond = await polls(`${base}/etag/sdn_list.csv`); // answered 304
    const same = await polls(`${base}/plain/sdn_list.csv`); // 200 with the same bytes: hash comparison
    return {
      times: { first304: cond.first, median304: cond.rest, firstSame: same.first, medianSame: same.rest },
      rssMB: maxRssMB(),
    };
  },
};

async function child(phase: string, arg: string): Promise<void> {
  const sample = await phases[phase]!(arg);
  process.stdout.write(JSON.stringify(sample));
}

/** One child process running `phase`. Asynchronous, so that the parent's loopback server keeps answering. */
function runChild(phase: string, arg: string): Promise<Sample> {
  return new Promise<Sample>((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), phase, arg], { maxBuffer: 1 << 20 }, (err, out, errOut) =>
      err ? reject(new Error(`phase ${phase} failed:\n${errOut}`)) : resolve(JSON.parse(out) as Sample),
    ),
  );
}

/**
 * RUNS children of every phase, taken in turns (tokenize, ingest, unchanged, tokenize, …)
 * so that the baseline and the ingest see the same machine load even when it drifts.
 */
async function runPhases(phases: Record<string, string>): Promise<Record<string, Sample[]>> {
  const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(phases).map((p) => [p, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [phase, arg] of Object.entries(phases)) samples[phase]!.push(await runChild(phase, arg));
  }
  return samples;
}

/** Medians over the children of every timing and of peak RSS. */
function summarize(samples: Sample[]): Sample {
  const times: Record<string, Time> = {};
  for (const k of Object.keys(samples[0]!.times)) times[k] = medianTime(samples.map((s) => s.times[k]!));
  return { times, rssMB: median(samples.map((s) => s.rssMB)), ...(samples[0]!.note ? { note: samples[0]!.note } : {}) };
}

async function main(): Promise<void> {
  const [phase, arg] = process.argv.slice(2);
  if (phase) return child(phase, arg ?? '');
  console.log(
    `dprk-watch ingest benchmark — node ${process.version}, median of ${RUNS} fresh processes; ` +
      `cold = first call in the process, warm = median of ${WARM} more\n`,
  );

  // Stored snapshots for the ingest children, made here so the children never ran the parsers.
  const dir = mkdtempSync(path.join(tmpdir(), 'dprk-bench-'));
  const sdnBefore = parseOfacCsv({ sdn: fixtureText(SDN_BEFORE) });
  writeFileSync(path.join(dir, 'sdn-before.json'), storeForm(buildSnapshot(sdnBefore.records, sdnBefore.rowDigests)));
  writeFileSync(path.join(dir, 'un-before.json'), storeForm(buildSnapshot(parseUnXml(fixtureText(UN)).records)));

  const server = await new SourceServer().start();
  const body = fixtureBytes(SDN_AFTER);
  server.set('/etag/sdn_list.csv', { kind: 'document', body });
  server.set('/plain/sdn_list.csv', { kind: 'document', body, etag: false });

  let tokenize: Sample, ingest: Sample, unchanged: Sample, xmlFxp: Sample, xmlReader: Sample;
  try {
    const samples = await runPhases({
      tokenize: '',
      ingest: dir,
      unchanged: server.url('').replace(/\/$/, ''),
      'xml-fxp': '',
      'xml-reader': '',
    });
    tokenize = summarize(samples.tokenize!);
    ingest = summarize(samples.ingest!);
    unchanged = summarize(samples.unchanged!);
    xmlFxp = summarize(samples['xml-fxp']!);
    xmlReader = summarize(samples['xml-reader']!);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const f = (n: number) => n.toFixed(1).padStart(8);
  const row = (label: string, cold: Time | undefined, warm: Time | undefined, rss = '', note = '') =>
    console.log(
      `${label.padEnd(34)}${cold ? f(cold.wallMs) + f(cold.cpuMs) : ' '.repeat(16)}   ${warm ? f(warm.wallMs) + f(warm.cpuMs) : ' '.repeat(16)}  ${rss.padStart(8)}  ${note}`,
    );
  console.log(`${''.padEnd(34)}${'cold'.padStart(16)}   ${'warm'.padStart(16)}`);
  console.log(`${'phase'.padEnd(34)}${'wall ms'.padStart(8)}${'CPU ms'.padStart(8)}   ${'wall ms'.padStart(8)}${'CPU ms'.padStart(8)}  ${'RSS MB'.padStart(8)}`);
  const t = tokenize.times;
  const i = ingest.times;
  const u = unchanged.times;
  row('tokenize (csv-parse, baseline)', t.cold, t.warm, tokenize.rssMB.toFixed(0));
  row('ingest sdn.csv', i.coldSdn, i.warmSdn);
  row('ingest UN XML', i.coldUn, i.warmUn);
  row('ingest total', i.coldTotal, i.warmTotal, ingest.rssMB.toFixed(0), ingest.note);
  row('unchanged poll, 304', u.first304, u.median304, '', `cold = 1st poll after the baseline, warm = median of the next ${POLLS - 1}`);
  row('unchanged poll, 200 same bytes', u.firstSame, u.medianSame, '', 'no validators: the body is hashed and compared');
  row('UN XML → tree, fast-xml-parser', xmlFxp.times.cold, xmlFxp.times.warm, xmlFxp.rssMB.toFixed(0), 'XMLValidator + XMLParser, as before');
  row('UN XML → tree, xml-reader', xmlReader.times.cold, xmlReader.times.warm, xmlReader.rssMB.toFixed(0), 'same bytes, same tree (test/sources/xml-equivalence.test.ts)');

  const ratio = (a: Time, b: Time) => `${(a.wallMs / b.wallMs).toFixed(2)}× (CPU ${(a.cpuMs / b.cpuMs).toFixed(2)}×)`;
  console.log(`\nbaseline (csv-parse tokenizing sdn.csv 2023-12-01, measured above): ${t.cold!.wallMs.toFixed(1)} ms cold, ${t.warm!.wallMs.toFixed(1)} ms warm`);
  console.log(`ingest / tokenize, wall (target ≤ 2×; the CPU ratio is steadier on a busy machine):`);
  console.log(`  sdn.csv only (same input as the baseline): ${ratio(i.coldSdn!, t.cold!)} cold, ${ratio(i.warmSdn!, t.warm!)} warm`);
  console.log(`  sdn.csv + UN list (the baseline has no XML): ${ratio(i.coldTotal!, t.cold!)} cold, ${ratio(i.warmTotal!, t.warm!)} warm`);
  console.log(
    `UN XML → tree: xml-reader takes ${ratio(xmlReader.times.cold!, xmlFxp.times.cold!)} cold, ${ratio(xmlReader.times.warm!, xmlFxp.times.warm!)} warm of fast-xml-parser's time`,
  );
  console.log(`ingest peak RSS = ${ingest.rssMB.toFixed(0)} MB (target < 200 MB; tokenize-only process: ${tokenize.rssMB.toFixed(0)} MB)`);
  console.log(`unchanged poll = ${u.median304!.cpuMs.toFixed(1)} ms CPU with 304, ${u.medianSame!.cpuMs.toFixed(1)} ms CPU without (median; target ≤ 20 ms per source)`);
}

await main();
