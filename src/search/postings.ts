import { packStrings, unpackStrings } from './packed-strings.js';

/** Postings as a persisted index holds them (index-image.ts). */
export interface PostingsImage {
  keys: string;
  starts: Int32Array;
  items: Int32Array;
  weights: Float64Array;
}

/**
 * The inverted index of name keys, stored flat: one id per distinct key, and every key's
 * entries in one Int32Array (offsets per key id). A Map of small arrays per key cost ~19 MB
 * and much garbage-collection time at seven-list scale; this costs a few MB.
 */
export class Postings {
  private constructor(
    private readonly ids: Map<string, number>,
    private readonly keys: readonly string[],
    private readonly starts: Int32Array,
    private readonly items: Int32Array,
    private readonly weights: Float64Array,
  ) {}

  id(key: string): number | undefined {
    return this.ids.get(key);
  }

  /** Every key, by id (ids count up in the order keys were first added). */
  get allKeys(): readonly string[] {
    return this.keys;
  }

  /** The entries holding key `id`, in the order they were added. */
  entries(id: number): Int32Array {
    return this.items.subarray(this.starts[id]!, this.starts[id + 1]!);
  }

  /** Inverse document frequency: log(1 + entries / entries holding the key). */
  idf(id: number): number {
    return this.weights[id]!;
  }

  toImage(): PostingsImage {
    return { keys: packStrings(this.keys), starts: this.starts, items: this.items, weights: this.weights };
  }

  static fromImage(image: PostingsImage): Postings {
    const keys = unpackStrings(image.keys, image.weights.length);
    if (image.starts.length !== keys.length + 1 || image.starts[keys.length] !== image.items.length) throw new Error('postings: offsets do not match the items');
    return new Postings(new Map(keys.map((k, i) => [k, i])), keys, image.starts, image.items, image.weights);
  }

  static builder(): PostingsBuilder {
    return new PostingsBuilder((ids, keys, starts, items, weights) => new Postings(ids, keys, starts, items, weights));
  }
}

export class PostingsBuilder {
  private readonly ids = new Map<string, number>();
  private readonly keys: string[] = [];
  private keyOf: Int32Array = new Int32Array(1024);
  private entryOf: Int32Array = new Int32Array(1024);
  private count = 0;

  constructor(private readonly make: (ids: Map<string, number>, keys: string[], starts: Int32Array, items: Int32Array, weights: Float64Array) => Postings) {}

  /** Record that `entry` holds `key` (call once per key and entry, entries in ascending order). */
  add(key: string, entry: number): void {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.push(key) - 1;
      this.ids.set(key, id);
    }
    if (this.count === this.keyOf.length) {
      this.keyOf = grow(this.keyOf);
      this.entryOf = grow(this.entryOf);
    }
    this.keyOf[this.count] = id;
    this.entryOf[this.count] = entry;
    this.count++;
  }

  finish(entryCount: number): Postings {
    const n = this.keys.length;
    const starts = new Int32Array(n + 1);
    for (let i = 0; i < this.count; i++) starts[this.keyOf[i]! + 1]!++;
    for (let k = 0; k < n; k++) starts[k + 1]! += starts[k]!;
    // Counting sort by key, stable: each key's entries keep the order they were added in.
    const fill = starts.slice(0, n);
    const items = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) items[fill[this.keyOf[i]!]!++] = this.entryOf[i]!;
    const weights = new Float64Array(n);
    for (let k = 0; k < n; k++) weights[k] = Math.log(1 + entryCount / (starts[k + 1]! - starts[k]!));
    return this.make(this.ids, this.keys, starts, items, weights);
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
