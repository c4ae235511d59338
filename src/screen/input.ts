import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';

/** One value to screen and the line of the input it came from (1-based, as an editor counts). */
export interface InputRow {
  line: number;
  value: string;
}

/** Input the screener cannot read: said with its line, never skipped. */
export class ScreenInputError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'ScreenInputError';
  }
}

export interface ScreenInputOptions {
  /** Screen this header column (the first row is then the header). Default: the first column. */
  column?: string;
  /** The longest row accepted, in bytes (default 1 MiB): a longer one is an error, not a buffer. */
  maxRowBytes?: number;
  /** Called with the bytes read so far (for a progress bar). */
  onBytes?: (bytes: number) => void;
}

export const DEFAULT_MAX_ROW_BYTES = 1024 * 1024;

/** First-column header words recognised when no --column is given. */
const HEADER_WORDS = new Set(['name', 'names', 'address', 'addresses', 'wallet', 'wallets', 'query', 'value', 'entity', 'counterparty']);

/**
 * Length of the valid UTF-8 prefix of `b` that ends on a whole character, or -1 with the offset of
 * the first invalid byte. An incomplete sequence at the very end is not invalid (the next chunk
 * completes it); it is left out of the prefix.
 */
function utf8Check(b: Uint8Array): { valid: number } | { invalidAt: number } {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0; // overlong
      if (c === 0xed) hi = 0x9f; // UTF-16 surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return { invalidAt: i };
    for (let k = 1; k <= n; k++) {
      if (i + k >= b.length) return { valid: i };
      const d = b[i + k]!;
      if (d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return { invalidAt: i };
    }
    i += n + 1;
  }
  return { valid: i };
}

const countNewlines = (b: Uint8Array, end: number): number => {
  let n = 0;
  for (let i = 0; i < end; i++) if (b[i] === 0x0a) n++;
  return n;
};

/**
 * Bytes in, UTF-8 text out, or an error naming the line: a UTF-16/UTF-32 byte-order mark, a NUL
 * byte (UTF-16 without a mark, or a binary file) and any invalid UTF-8 sequence stop the read.
 * A UTF-8 byte-order mark is dropped.
 */
class Utf8Guard extends Transform {
  private carry: Buffer = Buffer.alloc(0);
  private lines = 0;
  private bytes = 0;
  private first = true;

  constructor(private readonly onBytes?: (bytes: number) => void) {
    super({ decodeStrings: true, encoding: 'utf8' });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.onBytes?.(this.bytes);
    const b = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    // Four bytes tell a byte-order mark: wait for them (or the end).
    if (this.first && b.length < 4) {
      this.carry = b;
      return done();
    }
    this.check(b, done);
  }

  override _flush(done: TransformCallback): void {
    if (this.carry.length === 0) return done();
    this.check(this.carry, (e, text) => {
      if (e) return done(e);
      if (this.carry.length > 0) return done(new ScreenInputError(this.lines + 1, 'invalid UTF-8 (the input ends inside a character): the input must be UTF-8 text'));
      done(null, text);
    });
  }

  /** Check `b`, pass on its whole characters and keep a trailing partial one for the next chunk. */
  private check(input: Buffer, done: TransformCallback): void {
    let b = input;
    if (this.first) {
      this.first = false;
      const bom = byteOrderMark(b);
      if (bom) return done(new ScreenInputError(1, `the input is ${bom} (it starts with a ${bom} byte-order mark): save it as UTF-8 and try again`));
      if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
    }
    const nul = b.indexOf(0);
    const check = utf8Check(nul >= 0 ? b.subarray(0, nul) : b);
    if ('invalidAt' in check)
      return done(
        new ScreenInputError(this.lines + countNewlines(b, check.invalidAt) + 1, `invalid UTF-8 (byte 0x${b[check.invalidAt]!.toString(16).padStart(2, '0')}): the input must be UTF-8 text`),
      );
    if (nul >= 0 && check.valid === nul)
      return done(new ScreenInputError(this.lines + countNewlines(b, nul) + 1, 'a NUL byte: the input is not UTF-8 text (UTF-16 without a byte-order mark, or a binary file)'));
    this.lines += countNewlines(b, check.valid);
    this.carry = Buffer.from(b.subarray(check.valid));
    done(null, b.subarray(0, check.valid).toString('utf8'));
  }
}

function byteOrderMark(b: Uint8Array): string | undefined {
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32';
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00) return 'UTF-32';
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) return 'UTF-16';
  return undefined;
}

/**
 * The values to screen from a CSV (or one-value-per-line) stream, one per row, in order, with
 * their line numbers. Streams in constant memory: a row longer than `maxRowBytes` is an error,
 * not a growing buffer. Blank lines are skipped (they hold no row); an empty cell is a row.
 * With `column`, the first row is the header and must have that column; without it, the first
 * column is screened and a first row reading e.g. "name" or "address" is taken as a header.
 */
export async function* readScreenInput(input: Readable, opts: ScreenInputOptions = {}): AsyncGenerator<InputRow> {
  const maxRowBytes = opts.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
  const parser = parse({
    max_record_size: maxRowBytes,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  });
  const guard = new Utf8Guard(opts.onBytes);
  // Errors of the source or the guard end the parser with that error (pipe() would not carry them).
  const fail = (e: Error) => parser.destroy(e);
  input.on('error', fail);
  guard.on('error', fail);
  input.pipe(guard).pipe(parser);

  let columnIndex = opts.column === undefined ? 0 : -1;
  let width = 0;
  let first = true;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      if (first) {
        first = false;
        if (opts.column !== undefined) {
          columnIndex = record.findIndex((h) => h.trim() === opts.column);
          if (columnIndex < 0)
            throw new ScreenInputError(line, `no column "${opts.column}" in the header (columns: ${record.map((h) => `"${h.trim()}"`).join(', ') || 'none'})`);
          width = record.length;
          continue;
        }
        if (HEADER_WORDS.has((record[0] ?? '').trim().toLowerCase())) continue;
      }
      if (opts.column !== undefined && record.length !== width)
        throw new ScreenInputError(line, `${record.length} field(s) where the header has ${width}: a row must have every column (quote a value with a comma in it)`);
      yield { line, value: (record[columnIndex] ?? '').trim() };
    }
  } catch (e) {
    throw asInputError(e, maxRowBytes);
  } finally {
    // Stop reading on an early end (an error, or a caller that stopped iterating).
    input.unpipe(guard);
    guard.destroy();
    parser.destroy();
  }
}

function asInputError(e: unknown, maxRowBytes: number): Error {
  if (e instanceof ScreenInputError) return e;
  const csv = e as Partial<CsvError> & { lines?: number; code?: string };
  if (typeof csv.code === 'string' && csv.code.startsWith('CSV_')) {
    const line = csv.lines || 1;
    if (csv.code === 'CSV_MAX_RECORD_SIZE') return new ScreenInputError(line, `a row longer than the limit of ${maxRowBytes} bytes (one value per row is expected)`);
    if (csv.code === 'CSV_QUOTE_NOT_CLOSED') return new ScreenInputError(line, 'a quoted value is never closed');
    return new ScreenInputError(line, `not valid CSV: ${csv.message?.replace(/ at line \d+$/, '') ?? csv.code}`);
  }
  return e as Error;
}
