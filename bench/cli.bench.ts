/**
 * CLI benchmark (npm run bench:cli): wall time of `dprk-watch lookup` as a user runs it, process
 * start included, with the seven lists stored (bench/seven-lists-stored.ts: a real first poll of
 * full-size files into SQLite, ~63,000 records). Each figure is a fresh process, BENCH_RUNS times
 * (default 5), median and worst, with its peak RSS.
 *
 * Baselines, same run: `dprk-watch --version` (the process floor: Node, the CLI's own modules,
 * nothing stored read) and the same lookup run from the TypeScript sources through tsx
 * (DPRK_WATCH_FROM_SOURCE=1), which is how every run went before the build.
 *
 * Target (issue #13): lookup under 1 s wall with seven lists stored. The first lookup after the
 * poll builds the index and persists it (printed on its own line); the timed lookups read it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listEnv, runBin, sevenListUrls } from './seven-lists-stored.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PEAK = fileURLToPath(new URL('./peak-rss.mjs', import.meta.url));
const QUERIES = ['Kim Jong Un', 'Korea Kwangson Banking Corp', 'Ким Чен Ын'];

interface Sample {
  ms: number;
  rssMb: number;
}

async function timed(args: string[], env: Record<string, string>, dir: string): Promise<Sample> {
  const peakFile = path.join(dir, 'peak');
  const t = performance.now();
  await runBin(args, { ...env, PEAK_RSS_FILE: peakFile }, ['--import', PEAK]);
  return { ms: performance.now() - t, rssMb: Number(readFileSync(peakFile, 'utf8')) };
}

function summary(label: string, samples: Sample[], target?: number): string {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)]!;
  const worst = ms[ms.length - 1]!;
  const rss = Math.max(...samples.map((s) => s.rssMb));
  const verdict = target === undefined ? '' : `  (target < ${target} ms: ${median < target ? 'met' : 'MISSED'} at the median, ${worst < target ? 'met' : 'missed'} at the worst)`;
  return `  ${label.padEnd(44)} median ${median.toFixed(0).padStart(5)} ms  worst ${worst.toFixed(0).padStart(5)} ms  peak RSS ${rss.toFixed(0).padStart(4)} MB${verdict}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-cli-'));
  try {
    const lists = sevenListUrls(dir);
    const env = listEnv(lists, path.join(dir, 'state.sqlite'));
    const t = performance.now();
    await runBin(['poll', '--once'], env);
    console.log(`seven lists stored by one \`dprk-watch poll\` in ${((performance.now() - t) / 1000).toFixed(1)} s; each figure below is ${RUNS} fresh processes`);
    const sample = async (args: string[], extra: Record<string, string> = {}) => {
      const out: Sample[] = [];
      for (let i = 0; i < RUNS; i++) out.push(await timed(args, { ...env, ...extra }, dir));
      return out;
    };
    console.log(summary('dprk-watch --version (process floor)', await sample(['--version'])));
    // The first lookup after a poll reads the stored lists, builds the index and persists it
    // beside the SQLite file (src/search/index-cache.ts); every later process reads it back.
    const first = await timed(['lookup', QUERIES[0]!], env, dir);
    console.log(summary('first lookup after the poll (builds, persists)', [first]));
    for (const q of QUERIES) {
      console.log(summary(`dprk-watch lookup "${q}"`, await sample(['lookup', q]), 1000));
    }
    console.log(summary(`baseline: lookup "${QUERIES[0]}" from the sources (tsx)`, await sample(['lookup', QUERIES[0]!], { DPRK_WATCH_FROM_SOURCE: '1' })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
