/**
 * SymSpell's one-deletion table (which keys become a string when one letter is deleted),
 * stored as sorted numbers instead of a Map from every deletion string to an array of keys:
 * at seven-list scale that Map held 776,000 strings and arrays, 202 MB of the index's heap.
 *
 * Each (deletion, key) pair is one float: the deletion's hash in the high bits, the key's
 * id in the low bits, so one sort groups a deletion's keys in id order. A lookup hashes the
 * string, finds its run by binary search and keeps the keys that really delete to it (two
 * deletions can share a hash), so answers are exactly those of the Map.
 */
export class DeletionTable {
  private constructor(
    private readonly keys: readonly string[],
    private readonly packed: Float64Array,
    private readonly idScale: number,
  ) {}

  /** What a persisted index keeps of the table (the keys are the postings' own). */
  toImage(): { packed: Float64Array; idScale: number } {
    return { packed: this.packed, idScale: this.idScale };
  }

  static fromImage(keys: readonly string[], image: { packed: Float64Array; idScale: number }): DeletionTable {
    if (!(image.packed instanceof Float64Array) || image.idScale < 2 ** Math.ceil(Math.log2(keys.length + 1))) throw new Error('deletion table: does not fit its keys');
    return new DeletionTable(keys, image.packed, image.idScale);
  }

  /** The table over every key of at least `minLength` letters (ids are positions in `keys`). */
  static build(keys: readonly string[], minLength: number): DeletionTable {
    let total = 0;
    for (const k of keys) if (k.length >= minLength) total += k.length;
    // Ids take the low bits; the hash keeps what is left of a double's 53 exact bits.
    const idScale = 2 ** Math.max(1, Math.ceil(Math.log2(keys.length + 1)));
    const hashScale = 2 ** 53 / idScale;
    const packed = new Float64Array(total);
    let p = 0;
    // Every deletion's hash in one pass over the key: the hash of the letters before the one
    // deleted, shifted past those after it, plus the hash of those after it (see hash()).
    const prefix = new Int32Array(64);
    const suffix = new Int32Array(65);
    const power = new Int32Array(65);
    power[0] = 1;
    for (let i = 1; i < power.length; i++) power[i] = Math.imul(power[i - 1]!, BASE);
    for (let id = 0; id < keys.length; id++) {
      const k = keys[id]!;
      const n = k.length;
      if (n < minLength) continue;
      if (n >= prefix.length) {
        for (let skip = 0; skip < n; skip++) packed[p++] = (hash(k.slice(0, skip) + k.slice(skip + 1)) % hashScale) * idScale + id;
        continue;
      }
      for (let i = 0; i < n; i++) prefix[i + 1] = Math.imul(prefix[i]!, BASE) + k.charCodeAt(i);
      suffix[n] = 0;
      for (let i = n - 1; i >= 0; i--) suffix[i] = Math.imul(k.charCodeAt(i), power[n - 1 - i]!) + suffix[i + 1]!;
      for (let skip = 0; skip < n; skip++) {
        const h = (Math.imul(prefix[skip]!, power[n - 1 - skip]!) + suffix[skip + 1]!) >>> 0;
        packed[p++] = (h % hashScale) * idScale + id;
      }
    }
    packed.sort();
    return new DeletionTable(keys, packed, idScale);
  }

  /** Ids of the keys that are `s` with one letter more, ascending; a key twice if two of its deletions give `s`. */
  keysDeletingTo(s: string): number[] {
    const h = hash(s) % (2 ** 53 / this.idScale);
    const low = h * this.idScale;
    const high = low + this.idScale;
    let lo = 0;
    let hi = this.packed.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.packed[mid]! < low) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < this.packed.length && this.packed[i]! < high; i++) {
      const id = this.packed[i]! - low;
      if (deletesTo(this.keys[id]!, s)) out.push(id);
    }
    return out;
  }
}

const BASE = 0x01000193;

/** Polynomial hash of `s` modulo 2^32 (Horner): Σ s[i]·BASE^(n−1−i), so a deletion's hash comes from prefix and suffix sums. */
function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
  return h >>> 0;
}

/** Whether deleting one character of `key` gives `s`. */
function deletesTo(key: string, s: string): boolean {
  if (key.length !== s.length + 1) return false;
  let i = 0;
  while (i < s.length && key.charCodeAt(i) === s.charCodeAt(i)) i++;
  for (let j = i; j < s.length; j++) if (key.charCodeAt(j + 1) !== s.charCodeAt(j)) return false;
  return true;
}
