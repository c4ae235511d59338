import type { Designation } from '../core/designation.js';

const INDIVIDUAL = 1;
const DPRK = 2;
const IMAGE_SLICE = 2000;

/** The records of an index as a persisted index holds them (index-image.ts). */
export interface RecordTableImage {
  /** Every record's JSON, one after another, in UTF-8 (index-cache.ts keeps it out of the image, in its file, read a record at a time). */
  json?: Uint8Array;
  /** Where each record's JSON starts in `json` (one more than records: the end). */
  starts: Float64Array;
  flags: Uint8Array;
}

/**
 * The indexed records, read by number. Built from the records themselves, or from a persisted
 * index, where each record stays JSON until an answer shows it: parsing 63,000 records to
 * answer one lookup was most of a CLI lookup's time. What matching reads of every candidate
 * (is it a person, is it DPRK-related) is a column, so ranking parses nothing.
 */
export class RecordTable {
  private constructor(
    private readonly parsed: Array<Designation | undefined>,
    private readonly flags: Uint8Array,
    private readonly image?: RecordTableImage,
    private readonly readBytes?: (start: number, length: number) => Buffer,
  ) {}

  static of(records: readonly Designation[]): RecordTable {
    const flags = new Uint8Array(records.length);
    records.forEach((r, i) => (flags[i] = (r.type === 'individual' ? INDIVIDUAL : 0) | (r.dprk ? DPRK : 0)));
    return new RecordTable([...records], flags);
  }

  /**
   * The table of an image; its records' JSON is `image.json`, or, when that is left out,
   * what `readBytes` reads (`length` bytes from `start` of the JSON).
   */
  static fromImage(image: RecordTableImage, readBytes?: (start: number, length: number) => Buffer): RecordTable {
    const size = image.flags.length;
    if (image.starts.length !== size + 1 || (image.json ? image.starts[size] !== image.json.length : !readBytes)) throw new Error('record table: offsets do not match the records');
    return new RecordTable(new Array<Designation | undefined>(size), image.flags, image, readBytes);
  }

  /** How many bytes of JSON the records take. */
  get jsonBytes(): number {
    return this.image?.starts[this.size] ?? 0;
  }

  get size(): number {
    return this.flags.length;
  }

  at(i: number): Designation {
    let r = this.parsed[i];
    if (r === undefined) {
      const { json, starts } = this.image!;
      const bytes = json ? Buffer.from(json.buffer, json.byteOffset + starts[i]!, starts[i + 1]! - starts[i]!) : this.readBytes!(starts[i]!, starts[i + 1]! - starts[i]!);
      r = JSON.parse(bytes.toString('utf8')) as Designation;
      this.parsed[i] = r;
    }
    return r;
  }

  individual(i: number): boolean {
    return (this.flags[i]! & INDIVIDUAL) !== 0;
  }

  dprk(i: number): boolean {
    return (this.flags[i]! & DPRK) !== 0;
  }

  /** Every record (parses every one not parsed yet: for aggregates, not for answers). */
  all(): Designation[] {
    if (this.image && !this.image.json && this.parsed.includes(undefined)) this.image.json = this.readBytes!(0, this.jsonBytes);
    for (let i = 0; i < this.size; i++) this.at(i);
    return this.parsed as Designation[];
  }

  /** The image, made in slices of records with a yield between them (JSON of 63,000 records is ~0.5 s). */
  *imageSteps(): Generator<void, RecordTableImage> {
    if (this.image) return { ...this.image, json: this.image.json ?? this.readBytes!(0, this.jsonBytes) };
    const parts: Buffer[] = [];
    const starts = new Float64Array(this.size + 1);
    let at = 0;
    for (let i = 0; i < this.size; i++) {
      const b = Buffer.from(JSON.stringify(this.parsed[i]), 'utf8');
      parts.push(b);
      at += b.length;
      starts[i + 1] = at;
      if ((i + 1) % IMAGE_SLICE === 0) yield;
    }
    return { json: Buffer.concat(parts, at), starts, flags: this.flags };
  }
}
