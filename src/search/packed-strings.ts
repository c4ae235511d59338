/**
 * A column of strings as one string: a persisted index holds ~500,000 short strings, and
 * reading one string back and splitting it is several times faster than deserializing each.
 */
const SEPARATOR = '\u0000';

export function packStrings(strings: readonly string[]): string {
  for (const s of strings) if (s.includes(SEPARATOR)) throw new Error('packStrings: a string holds the separator');
  return strings.join(SEPARATOR);
}

/** The strings packStrings packed; throws unless there are `count` of them. */
export function unpackStrings(packed: string, count: number): string[] {
  const out = count === 0 && packed === '' ? [] : packed.split(SEPARATOR);
  if (out.length !== count) throw new Error(`unpackStrings: ${out.length} strings where ${count} were packed`);
  return out;
}

/**
 * Strings as UTF-8 bytes with where each ends, read one at a time: no string is made before it
 * is read, and a column with one Hangul letter is not stored at two bytes per letter (the
 * names' forms took 47 MB so, 21 MB in UTF-8).
 */
export interface PackedColumn {
  bytes: Uint8Array;
  /** Where each string ends in `bytes`. */
  ends: Int32Array;
}

export function packColumn(strings: readonly string[]): PackedColumn {
  const ends = new Int32Array(strings.length);
  let at = 0;
  strings.forEach((s, i) => (ends[i] = at += Buffer.byteLength(s, 'utf8')));
  const bytes = Buffer.allocUnsafe(at);
  strings.forEach((s, i) => bytes.write(s, i === 0 ? 0 : ends[i - 1]!, 'utf8'));
  return { bytes, ends };
}

export class PackedStrings {
  private readonly buffer: Buffer;

  constructor(readonly column: PackedColumn) {
    const { bytes, ends } = column;
    if (!(bytes instanceof Uint8Array) || !(ends instanceof Int32Array) || (ends.length > 0 ? ends[ends.length - 1] : 0) !== bytes.length)
      throw new Error('PackedStrings: offsets do not match the bytes');
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  get length(): number {
    return this.column.ends.length;
  }

  at(i: number): string {
    return this.buffer.toString('utf8', i === 0 ? 0 : this.column.ends[i - 1]!, this.column.ends[i]!);
  }
}
