import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openStore } from '../../src/store/open.js';
import { TypedMap } from '../../src/store/shared-map.js';
import type { Store } from '../../src/store/store.js';
import { storeTargets } from '../helpers/stores.js';

const targets = [
  { name: 'memory', url: () => 'memory:', namespace: () => `maps-${Math.random()}`, cleanup: async () => undefined },
  ...storeTargets(),
];

for (const target of targets) {
  describe(`shared maps on ${target.name}`, () => {
    const open: Store[] = [];
    const fresh = async () => {
      const s = await openStore(target.url(), target.namespace());
      open.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });
    afterAll(() => target.cleanup());

    it('keep first-insert order; add inserts only what is missing; set replaces in place; entries({last}) takes the newest', async () => {
      const m = (await fresh()).map('order');
      expect(await m.add([['b', '1'], ['a', '2'], ['b', 'dup']])).toEqual(['b', 'a']);
      expect(await m.add([['a', 'x'], ['c', '3']])).toEqual(['c']);
      await m.set('a', 'replaced');
      await m.set('d', '4');
      expect(await m.entries()).toEqual([['b', '1'], ['a', 'replaced'], ['c', '3'], ['d', '4']]);
      expect(await m.entries({ last: 2 })).toEqual([['c', '3'], ['d', '4']]);
      expect(await m.entries({ last: 0 })).toEqual([]);
      expect(await m.get('a')).toBe('replaced');
      expect(await m.get('zz')).toBeUndefined();
      expect(await m.size()).toBe(4);
      expect(await m.delete(['a', 'nope'])).toBe(1);
      await m.trim(2);
      expect(await m.entries()).toEqual([['c', '3'], ['d', '4']]);
      await m.trim(5);
      expect(await m.size()).toBe(2);
      await m.clear();
      expect(await m.entries()).toEqual([]);
      // Values with every kind of character survive (JSON, quotes, newlines, non-Latin text).
      const odd = JSON.stringify({ s: 'a"b\nc — 김정은 \u0000 end' });
      await m.set('odd', odd);
      expect(await m.get('odd')).toBe(odd);
    });

    it('compare-and-set: insert only if absent, replace only if unchanged, delete only if unchanged', async () => {
      const m = (await fresh()).map('cas');
      expect(await m.compareAndSet('k', undefined, 'v1')).toBe(true);
      expect(await m.compareAndSet('k', undefined, 'v2')).toBe(false);
      expect(await m.compareAndSet('k', 'stale', 'v2')).toBe(false);
      expect(await m.compareAndSet('k', 'v1', 'v2')).toBe(true);
      expect(await m.compareAndSet('k', 'v1', undefined)).toBe(false);
      expect(await m.compareAndSet('k', 'v2', undefined)).toBe(true);
      expect(await m.get('k')).toBeUndefined();
      expect(await m.compareAndSet('k', undefined, undefined)).toBe(true);
    });

    it('maps of one name are one map for every connection; other names and namespaces are apart', async () => {
      const a = await fresh();
      await a.map('shared').add([['x', '1']]);
      expect(await a.map('other').entries()).toEqual([]);
      if (target.name === 'memory') return; // memory is per process by design
      const url = target.url();
      const ns = target.namespace();
      const [b, c] = [await openStore(url, ns), await openStore(url, ns)];
      open.push(b, c);
      await b.map('shared').add([['y', '2']]);
      expect(await c.map('shared').entries()).toEqual([['y', '2']]);
      // Another namespace on the same server or file (Redis namespaces come from the target, which removes them after).
      const d = await openStore(url, target.name === 'redis' ? target.namespace() : `${ns}-other`);
      open.push(d);
      expect(await d.map('shared').entries()).toEqual([]);
    });

    it('200 concurrent updates of one member and 200 adds to one map lose nothing', async () => {
      const store = await fresh();
      const counter = new TypedMap(store.map('counter'), z.number());
      const list = store.map('list');
      await Promise.all([
        ...Array.from({ length: 200 }, () => counter.update('n', (v) => (v ?? 0) + 1)),
        ...Array.from({ length: 200 }, (_, i) => list.add([[`m${i}`, String(i)]])),
      ]);
      expect(await counter.get('n')).toBe(200);
      expect(await list.size()).toBe(200);
    });
  });
}
