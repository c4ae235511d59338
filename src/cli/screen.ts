import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AttributionIndex } from '../search/attributions.js';
import { anyListStored, describeEditions, type LookupService } from '../search/lookup-service.js';
import { screenRows } from '../screen/engine.js';
import { formatScreenRow, screenHeader, type ScreenFormat } from '../screen/format.js';
import { readScreenInput, ScreenInputError } from '../screen/input.js';

/** What `screen` matches against, opened only once the arguments are known to be good. */
export interface ScreenServices {
  lookup: LookupService;
  attributions: AttributionIndex;
  close(): Promise<void>;
}

/** Exit codes: nothing matched, something matched, the input could not be read. */
export const SCREEN_EXIT = { clear: 0, hit: 1, badInput: 2 } as const;

function parseScore(v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < 0 || x > 1) throw new InvalidArgumentError('a score from 0 to 1, e.g. 0.9');
  return x;
}

/** The input stream, or an error message (exit 2) when the file cannot be read. */
function openInput(file: string): { stream: Readable; size?: number } | string {
  if (file === '-') return { stream: process.stdin };
  try {
    const st = statSync(file);
    if (!st.isFile()) return `${file} is not a file`;
    return { stream: createReadStream(file, { highWaterMark: 64 * 1024 }), size: st.size };
  } catch (e) {
    return `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}

/** A one-line progress bar on stderr, redrawn at most 5 times a second; only on a terminal. */
function progress(size: number | undefined): { bytes(n: number): void; row(): void; done(): void } {
  if (!process.stderr.isTTY) return { bytes() {}, row() {}, done() {} };
  let rows = 0;
  let bytes = 0;
  let last = 0;
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - last < 200) return;
    last = now;
    const pct = size ? Math.min(1, bytes / size) : undefined;
    const bar = pct === undefined ? '' : `[${'#'.repeat(Math.round(pct * 30)).padEnd(30, '.')}] ${(pct * 100).toFixed(0).padStart(3)}% `;
    process.stderr.write(`\r${bar}${rows.toLocaleString('en')} rows screened`);
  };
  return {
    bytes: (n) => void (bytes = n),
    row: () => {
      rows++;
      draw();
    },
    done: () => {
      if (rows > 0 || bytes > 0) draw(true);
      process.stderr.write('\n');
    },
  };
}

/** Write, waiting when stdout's buffer is full: output never piles up in memory. */
async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
}

/**
 * `dprk-watch screen <file.csv|->`: a CLI-only verb (a file is not a chat message). The engine
 * (src/screen/) is the one an HTTP endpoint would call; this adds files, formats, the progress
 * bar and exit codes.
 */
export function addScreenVerb(program: Command, open: () => Promise<ScreenServices>): void {
  program
    .command('screen')
    .description('screen a CSV of names and wallet addresses (one per row) against every list and the wallet attributions; exit 0 when nothing matches, 1 when something does, 2 on bad input')
    .argument('<file>', 'a CSV file, or - to read standard input')
    .option('--column <name>', 'the header column to screen (default: the first column; a first row reading name/address/wallet/query is a header)')
    .addOption(new Option('--json', 'one JSON object per row (JSON Lines)').conflicts('csv'))
    .addOption(new Option('--csv', 'one CSV row per input row, with a header').conflicts('json'))
    .addOption(new Option('--min-score <x>', 'the lowest name score counted as a match (0–1; default the lookup’s 0.84)').argParser(parseScore))
    .action(async (file: string, opts: { column?: string; json?: boolean; csv?: boolean; minScore?: number }) => {
      const input = openInput(file);
      if (typeof input === 'string') {
        process.stderr.write(`dprk-watch screen: ${input}\n`);
        process.exitCode = SCREEN_EXIT.badInput;
        return;
      }
      const format: ScreenFormat = opts.json ? 'json' : opts.csv ? 'csv' : 'text';
      const services = await open();
      const bar = progress(input.size);
      let rows = 0;
      let matched = 0;
      let attributed = 0;
      try {
        const { index, editions } = await services.lookup.current();
        // Screening against nothing would clear everyone: say so (the rows are still answered).
        if (!anyListStored(editions))
          process.stderr.write(
            `dprk-watch screen: warning: no sanctions list has been stored yet, only the bundled snapshot (${describeEditions(editions.filter((e) => e.bundled)) || 'none'}), seeds and attributions are searched; run \`dprk-watch poll --once\` first for today's lists.\n`,
          );
        const engine = { index, attributions: services.attributions, ...(opts.minScore !== undefined ? { minScore: opts.minScore } : {}) };
        const header = screenHeader(format);
        if (header) await write(header);
        const source = readScreenInput(input.stream, { ...(opts.column !== undefined ? { column: opts.column } : {}), onBytes: bar.bytes });
        for await (const row of screenRows(engine, source)) {
          rows++;
          if (row.match) matched++;
          if (row.attributions.length > 0) attributed++;
          bar.row();
          await write(formatScreenRow(row, format));
        }
        bar.done();
        process.stderr.write(`screened ${rows} row(s): ${matched} on a sanctions list, ${attributed} attributed wallet(s)\n`);
        process.exitCode = matched + attributed > 0 ? SCREEN_EXIT.hit : SCREEN_EXIT.clear;
      } catch (e) {
        bar.done();
        if (!(e instanceof ScreenInputError)) throw e;
        process.stderr.write(`dprk-watch screen: ${file === '-' ? 'standard input' : file}: ${e.message}; stopped after ${rows} row(s)\n`);
        process.exitCode = SCREEN_EXIT.badInput;
      } finally {
        await services.close();
      }
    });
}
