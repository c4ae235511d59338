/**
 * The SymSpell deletion table is stored as hashed numbers (src/search/deletion-table.ts); it
 * must answer exactly what the Map from every deletion to its keys answered, hash collisions
 * and repeated deletions ("aabc" → "abc" twice) included.
 */
import { describe, expect, it } from 'vitest';
import { DeletionTable } from '../../src/search/deletion-table.js';

const deletions = (k: string) => [...k].map((_, i) => k.slice(0, i) + k.slice(i + 1));

function mapAnswer(keys: string[], minLength: number): Map<string, number[]> {
  const m = new Map<string, number[]>();
  keys.forEach((k, id) => {
    if (k.length >= minLength) for (const d of deletions(k)) m.set(d, [...(m.get(d) ?? []), id]);
  });
  return m;
}

describe('the deletion table', () => {
  it('answers every deletion, and strings that are no deletion, as the Map did (300 seeded random vocabularies over a five-letter alphabet, so deletions collide often)', () => {
    let seed = 13;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const word = (max: number) => Array.from({ length: Math.floor(random() * max) }, () => 'abcde'[Math.floor(random() * 5)]).join('');
    for (let run = 0; run < 300; run++) {
      const keys = [...new Set(Array.from({ length: Math.floor(random() * 60) }, () => word(10)))].filter(Boolean);
      const probes = Array.from({ length: 20 }, () => word(9));
      const table = DeletionTable.build(keys, 4);
      const map = mapAnswer(keys, 4);
      for (const s of [...map.keys(), ...probes]) expect(table.keysDeletingTo(s)).toEqual(map.get(s) ?? []);
    }
  });

  it('holds keys longer than its one-pass hashing buffers (64 letters)', () => {
    const keys = ['x'.repeat(70), `${'x'.repeat(69)}y`, 'kimjongun'];
    const map = mapAnswer(keys, 4);
    const table = DeletionTable.build(keys, 4);
    for (const [s, ids] of map) expect(table.keysDeletingTo(s)).toEqual(ids);
  });
});
