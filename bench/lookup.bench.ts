/**
 * Lookup benchmark: dprk-watch's EntityIndex against Fuse.js on the same data and queries.
 *
 *   node --import tsx bench/lookup.bench.ts                (add --expose-gc for exact heap figures in-process)
 *
 * Both indexes cover the full OFAC SDN CSV (2023-12-01, 13,436 records) and the full UN
 * consolidated list (2026-02-27, 1,003 records). Fuse.js gets one document per record with
 * `name` and `aliases` (every alias name, flattened to strings); it has no identifier keys, so
 * the wallet/SWIFT/IMO/passport/website/e-mail classes are out of its reach by construction —
 * recall is also printed over the name classes alone.
 *
 * Queries: test/fixtures/lookup-queries.json, run through both engines in the same process,
 * one warm-up pass then BENCH_PASSES passes (default 5), engine order alternating per pass.
 * Latency is per query (performance.now()). Build time and memory are measured in fresh
 * child processes (run with --expose-gc), BENCH_BUILDS times each (default 3), median shown.
 * "heap Δ" is the heap the index adds once built, measured after the records are parsed and in
 * memory: the records are held by the store anyway; their own heap is printed beside it.
 *
 * recall@1 follows test/search/lookup-recall.test.ts: the top result is the expected record or
 * the same party on the other list (for dprk-watch: in the top result's crossReferences; for
 * Fuse.js, which has no cross-references, the top record must be the expected record or one
 * that dprk-watch links to it). Negatives count as correct when nothing comes back at the
 * engine's cut-off (dprk-watch: its default minimum score; Fuse.js: its threshold).
 *
 * Targets (printed, not asserted): dprk-watch recall@1 ≥ 0.95; p99 ≤ 5 ms; ≥ 5× faster than
 * Fuse.js at p50 and at p99.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fuse, { type IFuseOptions } from 'fuse.js';
import type { Designation } from '../src/core/designation.js';
import { EntityIndex } from '../src/search/entity-index.js';
import { parseOfacCsv } from '../src/sources/ofac/csv.js';
import { parseUnXml } from '../src/sources/un/xml.js';
import { FIXTURES, fixtureText } from '../test/helpers/fixtures.js';
import { loadSevenLists, scriptHitAt1, type ScriptQuery } from '../test/helpers/seven-lists.js';

const SDN = 'real/ofac_sdn_csv/sdn_2023-12-01.csv.gz';
const UN = 'real/un_consolidated_xml/consolidated_2026-02-27.xml.gz';
const PASSES = Number(process.env.BENCH_PASSES ?? 5);
const BUILDS = Number(process.env.BENCH_BUILDS ?? 3);

const NAME_CLASSES = new Set(['exact', 'alias', 'case-punct', 'hyphen-space', 'token-order', 'suffix', 'typo', 'romanization', 'hangul']);

interface LookupQuery {
  query: string;
  class: string;
  expect: { source: 'ofac-sdn' | 'un-sc'; sourceId: string } | null;
  why: string;
}

interface FuseDoc {
  /** Position of the record in `records`. */
  i: number;
  name: string;
  aliases: string[];
}

const FUSE_OPTIONS: IFuseOptions<FuseDoc> = {
  keys: ['name', 'aliases'],
  threshold: 0.35,
  ignoreLocation: true,
  includeScore: true,
};

function loadRecords(): Designation[] {
  return [...parseOfacCsv({ sdn: fixtureText(SDN) }).records, ...parseUnXml(fixtureText(UN)).records];
}

const fuseDocs = (records: Designation[]): FuseDoc[] =>
  records.map((r, i) => ({ i, name: r.name, aliases: r.aliases.map((a) => a.name) }));

const buildFuse = (records: Designation[]) => new Fuse(fuseDocs(records), FUSE_OPTIONS);

const idOf = (r: { source: string; sourceId: string }) => `${r.source}:${r.sourceId}`;

// ── build + memory, one fresh process per sample ────────────────────────────

interface BuildSample {
  buildMs: number;
  /** Heap the index adds once built, with the records already in memory (the store holds them anyway). */
  heapMB: number;
  rssMB: number;
  /** Heap of the parsed records themselves, for scale: not the index's cost. */
  recordsMB: number;
  gc: boolean;
}

const MB = 1024 * 1024;

/** Names (primary + aliases) of a set of records: what the index holds. */
const nameCount = (records: Designation[]) => records.reduce((n, r) => n + 1 + r.aliases.length, 0);

/** Scale target of issue 13: the seven lists, a list repeated until the index holds this many names. */
const SCALE_NAMES = Number(process.env.BENCH_SCALE_NAMES ?? 60_000);

/**
 * All seven lists' fixtures, then copies of the UN list (ids suffixed "~copyN", so they are
 * records of their own) until SCALE_NAMES names are indexed. The copies only add bulk: recall
 * is measured on the seven lists as published.
 */
function loadScaled(): { records: Designation[]; copies: number } {
  const records = loadSevenLists();
  const un = records.filter((r) => r.source === 'un-sc');
  let copies = 0;
  while (nameCount(records) < SCALE_NAMES) {
    copies++;
    for (const r of un) records.push({ ...r, sourceId: `${r.sourceId}~copy${copies}` });
  }
  return { records, copies };
}

function buildChild(engine: string, dataset: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBeforeRecords = process.memoryUsage().heapUsed;
  const records = dataset === 'scale' ? loadScaled().records : loadRecords();
  gc?.();
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const recordsMB = (heap0 - heapBeforeRecords) / MB;
  const rss0 = process.memoryUsage().rss;
  const t = performance.now();
  const index: unknown = engine === 'dprk-watch' ? EntityIndex.build(records) : buildFuse(records);
  const buildMs = performance.now() - t;
  gc?.();
  gc?.();
  const heapMB = (process.memoryUsage().heapUsed - heap0) / MB;
  const rssMB = (process.memoryUsage().rss - rss0) / MB;
  if (index === undefined) throw new Error('unreachable');
  const sample: BuildSample = { buildMs, heapMB, rssMB, recordsMB, gc: gc !== undefined };
  process.stdout.write(JSON.stringify(sample));
}

function measureBuild(engine: string, dataset = 'two'): BuildSample {
  const samples: BuildSample[] = [];
  for (let i = 0; i < BUILDS; i++) {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--build', engine, dataset], {
      encoding: 'utf8',
      maxBuffer: 16 * MB,
    });
    if (r.status !== 0) throw new Error(`build child (${engine}) failed:\n${r.stderr}`);
    samples.push(JSON.parse(r.stdout) as BuildSample);
  }
  return {
    buildMs: median(samples.map((s) => s.buildMs)),
    heapMB: median(samples.map((s) => s.heapMB)),
    rssMB: median(samples.map((s) => s.rssMB)),
    recordsMB: median(samples.map((s) => s.recordsMB)),
    gc: samples.every((s) => s.gc),
  };
}

// ── queries ──────────────────────────────────────────────────────────────────

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

interface EngineRun {
  name: string;
  /** The timed call: one lookup, as the bot would make it. */
  run: (query: string) => unknown;
  /** Top result's record id (null when the engine returns nothing) and its cross-references. */
  top: (raw: unknown) => { id: string | null; xrefs: string[] };
  accept: (q: LookupQuery, top: { id: string | null; xrefs: string[] }) => boolean;
  samples: number[];
  /** Timed samples per query text, for the slowest-queries list. */
  perQuery: Map<string, number[]>;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--build');
  if (i > 0) return buildChild(process.argv[i + 1]!, process.argv[i + 2] ?? 'two');

  const queries: LookupQuery[] = JSON.parse(readFileSync(path.join(FIXTURES, 'lookup-queries.json'), 'utf8'));
  const records = loadRecords();
  const dw = EntityIndex.build(records);
  const fuse = buildFuse(records);

  // The same party on the other list, as dprk-watch links it: looked up once by the expected
  // record's own name, so that Fuse.js is credited for either listing of a dual-listed party.
  const byId = new Map(records.map((r) => [idOf(r), r]));
  const sameParty = new Map<string, Set<string>>();
  for (const q of queries) {
    if (!q.expect) continue;
    const want = idOf(q.expect);
    const group = new Set([want]);
    for (const r of dw.lookup(byId.get(want)!.name, { limit: 50, minScore: 0 })) {
      const ids = [idOf(r), ...r.crossReferences.map(idOf)];
      if (ids.includes(want)) for (const x of ids) group.add(x);
    }
    sameParty.set(want, group);
  }

  type DwResults = ReturnType<EntityIndex['lookup']>;
  type FuseResults = ReturnType<typeof fuse.search>;
  const engines: EngineRun[] = [
    {
      name: 'dprk-watch',
      run: (query) => dw.lookup(query),
      top: (raw) => {
        const r = (raw as DwResults)[0];
        return { id: r ? idOf(r) : null, xrefs: r ? r.crossReferences.map(idOf) : [] };
      },
      accept: (q, top) => (q.expect ? top.id === idOf(q.expect) || top.xrefs.includes(idOf(q.expect)) : top.id === null),
      samples: [],
      perQuery: new Map(),
    },
    {
      name: 'Fuse.js',
      run: (query) => fuse.search(query, { limit: 10 }),
      top: (raw) => {
        const r = (raw as FuseResults)[0];
        return { id: r ? idOf(records[r.item.i]!) : null, xrefs: [] };
      },
      accept: (q, top) => (q.expect ? top.id !== null && sameParty.get(idOf(q.expect))!.has(top.id) : top.id === null),
      samples: [],
      perQuery: new Map(),
    },
  ];

  // Warm-up (also records each engine's answers: they do not change between passes).
  const answers = new Map<string, Map<LookupQuery, { id: string | null; xrefs: string[] }>>();
  for (const e of engines) answers.set(e.name, new Map(queries.map((q) => [q, e.top(e.run(q.query))])));

  for (let pass = 0; pass < PASSES; pass++) {
    const order = pass % 2 === 0 ? engines : [...engines].reverse();
    for (const e of order)
      for (const q of queries) {
        const t = performance.now();
        e.run(q.query);
        const ms = performance.now() - t;
        e.samples.push(ms);
        const list = e.perQuery.get(q.query) ?? [];
        list.push(ms);
        e.perQuery.set(q.query, list);
      }
  }

  console.log(`dprk-watch lookup benchmark — node ${process.version}`);
  console.log(`index: ${records.length.toLocaleString('en')} records (OFAC SDN 2023-12-01 + UN 2026-02-27)`);
  const positives = queries.filter((q) => q.expect);
  console.log(
    `queries: ${queries.length} (${positives.length} positive, ${queries.length - positives.length} negative); ` +
      `1 warm-up pass + ${PASSES} timed passes = ${queries.length * PASSES} timed lookups per engine\n`,
  );

  // recall@1 per class
  const classes = [...new Set(queries.map((q) => q.class))];
  const recall = (e: EngineRun, qs: LookupQuery[]) => {
    const a = answers.get(e.name)!;
    const ok = qs.filter((q) => e.accept(q, a.get(q)!)).length;
    return { ok, n: qs.length };
  };
  const fmtR = ({ ok, n }: { ok: number; n: number }) => `${String(ok).padStart(3)}/${String(n).padEnd(3)} ${n ? (ok / n).toFixed(3) : '  -  '}`;
  console.log(`recall@1 by class            ${engines.map((e) => e.name.padEnd(16)).join('')}`);
  for (const c of classes) {
    const qs = queries.filter((q) => q.class === c);
    const label = c === 'negative' ? 'negative (no result)' : c;
    console.log(`  ${label.padEnd(26)} ${engines.map((e) => fmtR(recall(e, qs)).padEnd(16)).join('')}`);
  }
  const nameQs = positives.filter((q) => NAME_CLASSES.has(q.class));
  console.log(`  ${'positives, all classes'.padEnd(26)} ${engines.map((e) => fmtR(recall(e, positives)).padEnd(16)).join('')}`);
  console.log(`  ${'positives, name classes'.padEnd(26)} ${engines.map((e) => fmtR(recall(e, nameQs)).padEnd(16)).join('')}`);

  // Misses, so the numbers can be checked by eye.
  for (const e of engines) {
    const a = answers.get(e.name)!;
    const misses = queries.filter((q) => !e.accept(q, a.get(q)!) && (e.name === 'dprk-watch' || NAME_CLASSES.has(q.class) || q.class === 'negative'));
    if (misses.length === 0) continue;
    console.log(`\n${e.name} misses${e.name === 'Fuse.js' ? ' (name classes and negatives only)' : ''}:`);
    for (const q of misses) {
      const top = a.get(q)!.id;
      const r = top ? byId.get(top)! : undefined;
      console.log(`  [${q.class}] ${JSON.stringify(q.query)} want ${q.expect ? idOf(q.expect) : 'nothing'}, got ${r ? `${top} ${r.name}` : 'nothing'}`);
    }
  }

  // Latency
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`.padStart(12);
  const lat = engines.map((e) => ({ p50: quantile(e.samples, 0.5), p99: quantile(e.samples, 0.99), max: Math.max(...e.samples), mean: e.samples.reduce((a, b) => a + b, 0) / e.samples.length }));
  console.log('\nlatency per query            p50          p99         mean          max');
  engines.forEach((e, k) => console.log(`  ${e.name.padEnd(14)} ${us(lat[k]!.p50)} ${us(lat[k]!.p99)} ${us(lat[k]!.mean)} ${us(lat[k]!.max)}`));

  for (const e of engines) {
    const slowest = [...e.perQuery].map(([q, xs]) => [q, median(xs)] as const).sort((a, b) => b[1] - a[1]).slice(0, 5);
    console.log(`  ${e.name} slowest (median over passes): ${slowest.map(([q, ms]) => `${JSON.stringify(q)} ${(ms * 1000).toFixed(0)} µs`).join(', ')}`);
  }

  // Build + memory
  console.log(`\nindex build (fresh process each, median of ${BUILDS}; records already parsed)`);
  console.log('                  build ms   heap Δ MB    RSS Δ MB');
  const builds = engines.map((e) => measureBuild(e.name));
  engines.forEach((e, k) => {
    const b = builds[k]!;
    console.log(`  ${e.name.padEnd(14)} ${b.buildMs.toFixed(1).padStart(9)} ${b.heapMB.toFixed(1).padStart(11)} ${b.rssMB.toFixed(1).padStart(11)}${b.gc ? '' : '   (no gc: heap Δ approximate)'}`);
  });

  // Targets
  const [d, f] = [lat[0]!, lat[1]!];
  const dwRecall = recall(engines[0]!, positives);
  const r1 = dwRecall.ok / dwRecall.n;
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log('\ntargets');
  console.log(`  dprk-watch recall@1 (positives)  ${r1.toFixed(3)}   target ≥ 0.95   ${mark(r1 >= 0.95)}`);
  console.log(`  dprk-watch p99                   ${(d.p99 * 1000).toFixed(1)} µs   target ≤ 5 ms   ${mark(d.p99 <= 5)}`);
  console.log(`  speed-up vs Fuse.js at p50       ${(f.p50 / d.p50).toFixed(1)}×   target ≥ 5×   ${mark(f.p50 / d.p50 >= 5)}`);
  console.log(`  speed-up vs Fuse.js at p99       ${(f.p99 / d.p99).toFixed(1)}×   target ≥ 5×   ${mark(f.p99 / d.p99 >= 5)}`);

  if (process.env.BENCH_SCALE !== '0') await scaleSection();
}

const SCALE_PASSES = Number(process.env.BENCH_SCALE_PASSES ?? 2);
const SCRIPT_SETS: Array<[string, string]> = [
  ['tuning', 'lookup-queries-scripts.json'],
  ['held-out', 'lookup-queries-holdout.json'],
];

/**
 * Issue 13: every script, seven lists, ~60,000 names. recall@1 per class of the tuning and
 * held-out sets on the seven lists as published (Fuse.js credited like above: its top record
 * is one of the expected records); then build time, heap and latency with a list repeated up
 * to SCALE_NAMES names, Fuse.js on the same records in the same run.
 */
async function scaleSection(): Promise<void> {
  const seven = loadSevenLists();
  const dw = EntityIndex.build(seven);
  const fuse = buildFuse(seven);
  console.log(`\n── seven lists, every script ──────────────────────────────────────────`);
  const perList = new Map<string, number>();
  for (const r of seven) perList.set(r.source, (perList.get(r.source) ?? 0) + 1 + r.aliases.length);
  console.log(`index: ${seven.length.toLocaleString('en')} records, ${nameCount(seven).toLocaleString('en')} names (${[...perList].map(([s, n]) => `${s} ${n.toLocaleString('en')}`).join(', ')})`);
  const sets = SCRIPT_SETS.map(([name, file]) => [name, JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as ScriptQuery[]] as const);
  const targetsMet: string[] = [];
  let allClassesMet = true;
  for (const [name, qs] of sets) {
    console.log(`recall@1 by class, ${name} set (${qs.length} queries)   dprk-watch        Fuse.js`);
    const classes = [...new Set(qs.map((q) => q.class))];
    const misses: string[] = [];
    for (const c of classes) {
      const cq = qs.filter((q) => q.class === c);
      let okDw = 0;
      let okFuse = 0;
      for (const q of cq) {
        const got = dw.lookup(q.query);
        const hit = q.expect ? scriptHitAt1(got[0], q.expect) : got.length === 0;
        if (hit) okDw++;
        else misses.push(`  [${c}] ${JSON.stringify(q.query)} want ${q.expect ? q.expect.map(idOf).join('|') : 'nothing'}, got ${got[0] ? `${idOf(got[0])} ${got[0].name} (${got[0].score})` : 'nothing'}`);
        const f = fuse.search(q.query, { limit: 1 })[0];
        const fr = f ? seven[f.item.i]! : undefined;
        if (q.expect ? fr !== undefined && q.expect.some((w) => idOf(w) === idOf(fr)) : fr === undefined) okFuse++;
      }
      const label = c === 'negative' ? 'negative (no result)' : c;
      console.log(`  ${label.padEnd(36)} ${fmtRecall(okDw, cq.length).padEnd(18)}${fmtRecall(okFuse, cq.length)}`);
      if (c !== 'negative' && okDw / cq.length < 0.95) allClassesMet = false;
    }
    if (misses.length > 0) console.log(`  dprk-watch misses (${name}):\n${misses.join('\n')}`);
  }
  targetsMet.push(`  recall@1 ≥ 0.95 in every class, both sets   ${allClassesMet ? 'met' : 'NOT met (see misses)'}`);

  const { records, copies } = loadScaled();
  console.log(`\n── scale: seven lists + ${copies} cop${copies === 1 ? 'y' : 'ies'} of the UN list = ${records.length.toLocaleString('en')} records, ${nameCount(records).toLocaleString('en')} names ──`);
  const big = EntityIndex.build(records);
  const bigFuse = buildFuse(records);
  const queries = [
    ...(JSON.parse(readFileSync(path.join(FIXTURES, 'lookup-queries.json'), 'utf8')) as LookupQuery[]).map((q) => q.query),
    ...sets.flatMap(([, qs]) => qs.map((q) => q.query)),
  ];
  const timed = (run: (q: string) => unknown) => {
    for (const q of queries) run(q); // warm-up
    const xs: number[] = [];
    const perQuery = new Map<string, number[]>();
    for (let p = 0; p < SCALE_PASSES; p++)
      for (const q of queries) {
        const t = performance.now();
        run(q);
        const ms = performance.now() - t;
        xs.push(ms);
        perQuery.set(q, [...(perQuery.get(q) ?? []), ms]);
      }
    return Object.assign(xs, { perQuery });
  };
  const dwMs = timed((q) => big.lookup(q));
  const fuseMs = timed((q) => bigFuse.search(q, { limit: 10 }));
  const ms = (x: number) => `${x.toFixed(2)} ms`.padStart(10);
  console.log(`latency per query (${queries.length} queries × ${SCALE_PASSES} passes)   p50        p99`);
  console.log(`  dprk-watch                       ${ms(quantile(dwMs, 0.5))} ${ms(quantile(dwMs, 0.99))}`);
  console.log(`  Fuse.js                          ${ms(quantile(fuseMs, 0.5))} ${ms(quantile(fuseMs, 0.99))}`);
  const slowest = [...dwMs.perQuery].map(([q, xs]) => [q, median(xs)] as const).sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(`  dprk-watch slowest (median over passes): ${slowest.map(([q, x]) => `${JSON.stringify(q)} ${x.toFixed(2)} ms`).join(', ')}`);
  // The build a running process makes when a poll stores a new list version (LookupService):
  // in slices, answering between them; the longest slice is the longest an answer can wait.
  const slices: number[] = [];
  let sliceStart = performance.now();
  const sliced = performance.now();
  await EntityIndex.buildInSlices(records, async () => {
    slices.push(performance.now() - sliceStart);
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  });
  slices.push(performance.now() - sliceStart);
  console.log(`  rebuild in slices (in this warm process): ${(performance.now() - sliced).toFixed(0)} ms in ${slices.length} slices, longest ${Math.max(...slices).toFixed(0)} ms, median ${median(slices).toFixed(0)} ms`);
  const b = measureBuild('dprk-watch', 'scale');
  const bf = measureBuild('Fuse.js', 'scale');
  console.log(`index build (fresh process each, median of ${BUILDS}; records already parsed)   build ms   heap Δ MB`);
  console.log(`  dprk-watch                       ${b.buildMs.toFixed(0).padStart(8)} ${b.heapMB.toFixed(1).padStart(10)}${b.gc ? '' : '   (no gc: heap Δ approximate)'}`);
  console.log(`  Fuse.js                          ${bf.buildMs.toFixed(0).padStart(8)} ${bf.heapMB.toFixed(1).padStart(10)}`);
  console.log(`  (heap Δ is what the index adds beside the records; the ${records.length.toLocaleString('en')} parsed records themselves take ${b.recordsMB.toFixed(0)} MB, held by the store whether or not an index is built)`);
  const p99 = quantile(dwMs, 0.99);
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log('\ntargets (issue 13)');
  console.log(targetsMet.join('\n'));
  console.log(`  p99 ≤ 5 ms                                  ${p99.toFixed(2)} ms   ${mark(p99 <= 5)}`);
  console.log(`  build ≤ 1 s                                 ${(b.buildMs / 1000).toFixed(2)} s   ${mark(b.buildMs <= 1000)}`);
  console.log(`  heap ≤ 100 MB                               ${b.heapMB.toFixed(0)} MB   ${mark(b.heapMB <= 100)}`);
}

const fmtRecall = (ok: number, n: number) => `${String(ok).padStart(3)}/${String(n).padEnd(3)} ${n ? (ok / n).toFixed(3) : '  -  '}`;

await main();
