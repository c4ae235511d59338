/**
 * Issue 13, the persisted lookup index (src/search/index-cache.ts) is derived data that is never
 * wrong: on OFAC's real DPRK subset (2022-04-12, then 2022-04-14, which added an ETH address to
 * LAZARUS GROUP), a new process answers from the file the previous one wrote; a new list version
 * is never answered from the old file; a corrupt file is said once and rebuilt; and processes
 * writing the same index at once leave a whole file that a reader always reads whole or not at all.
 */
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EntityIndex } from '../../src/search/entity-index.js';
import { IndexCache } from '../../src/search/index-cache.js';
import { LookupService } from '../../src/search/lookup-service.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { spawnChild } from '../helpers/children.js';
import { poll, realFileUrl } from '../helpers/pipeline.js';

const BEFORE = 'ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv';
const AFTER = 'ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv';
const ADDED_ETH = '0x098b716b8aaf21512996dc57eb0615e2383e2f96';
const knowsAddress = (index: EntityIndex) => index.lookup(ADDED_ETH).some((r) => r.sourceId === '27307');

/** An IndexCache that counts what it read and what it said. */
class WatchedCache extends IndexCache {
  hits = 0;
  misses = 0;
  warnings: string[] = [];
  constructor(dir: string) {
    super(dir, (m) => this.warnings.push(m));
  }
  override read(key: string) {
    const found = super.read(key);
    if (found) this.hits++;
    else this.misses++;
    return found;
  }
}

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'index-cache-'));
  store = await openStore('memory:', 'persisted-index');
  await poll(ofacSdnSource(realFileUrl(BEFORE)), store);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A process's LookupService: a new one per "process", sharing the store and the cache directory. */
const lookupIn = (cache: IndexCache) => new LookupService(store, ['ofac-sdn'], () => [], () => [], () => [], cache);
const files = () => readdirSync(dir);

describe('the persisted lookup index', () => {
  it('is written by the process that builds it and read by the next one, which answers the same', async () => {
    const first = new WatchedCache(dir);
    const built = await lookupIn(first).current();
    expect(first.misses).toBe(1);
    expect(files()).toHaveLength(1);

    const second = new WatchedCache(dir);
    const read = await lookupIn(second).current();
    expect(second.hits).toBe(1);
    expect(read.editions).toEqual(built.editions);
    expect(read.index.lookup('KIM, Jong Un')).toEqual(built.index.lookup('KIM, Jong Un'));
    expect(read.index.lookup('Lazarus Group')).toEqual(built.index.lookup('Lazarus Group'));
  });

  it('is never used for a new list version: the new version is built (and knows what it added), and replaces the old file', async () => {
    await lookupIn(new WatchedCache(dir)).current();
    const old = files();
    expect((await poll(ofacSdnSource(realFileUrl(AFTER)), store)).outcome).toBe('changed');

    const next = new WatchedCache(dir);
    const lists = await lookupIn(next).current();
    expect(next.hits).toBe(0);
    expect(knowsAddress(lists.index)).toBe(true);
    expect(files()).toHaveLength(1);
    expect(files()).not.toEqual(old);

    // And the new file answers the new version.
    const after = new WatchedCache(dir);
    expect(knowsAddress((await lookupIn(after).current()).index)).toBe(true);
    expect(after.hits).toBe(1);
  });

  it('is rebuilt when its file is corrupt, saying so once, and the rebuilt file is read by the next process', async () => {
    const built = await lookupIn(new WatchedCache(dir)).current();
    const [file] = files();
    for (const garbage of [Buffer.from('not an index'), Buffer.concat([Buffer.from('dprkidx1'), Buffer.alloc(400, 7)])]) {
      writeFileSync(path.join(dir, file!), garbage);
      const cache = new WatchedCache(dir);
      const lookup = lookupIn(cache);
      const rebuilt = await lookup.current();
      expect(cache.hits).toBe(0);
      expect(cache.warnings).toHaveLength(1);
      expect(cache.warnings[0]).toMatch(/unreadable.*rebuilding the index/);
      expect(rebuilt.index.lookup('KIM, Jong Un')).toEqual(built.index.lookup('KIM, Jong Un'));
      const next = new WatchedCache(dir);
      await lookupIn(next).current();
      expect(next.hits).toBe(1);
      expect(next.warnings).toEqual([]);
    }
    // A file cut short (its records' JSON missing) is not read either.
    const { readFileSync } = await import('node:fs');
    const whole = readFileSync(path.join(dir, file!));
    writeFileSync(path.join(dir, file!), whole.subarray(0, whole.length - 100));
    const cut = new WatchedCache(dir);
    await lookupIn(cut).current();
    expect(cut.hits).toBe(0);
    expect(cut.warnings[0]).toMatch(/cut short|ends early/);
  });

  it('stays whole while several processes write it at once: every read gets the whole index or none', async () => {
    const expected = EntityIndex.build([...(await store.getSnapshot('ofac-sdn'))!.entries.values()].map((e) => e.record)).lookup('KIM, Jong Un');
    expect(expected.length).toBeGreaterThan(0);
    const writer = fileURLToPath(new URL('../helpers/index-cache-writer.ts', import.meta.url));
    const children = Array.from({ length: 4 }, () =>
      spawnChild(process.execPath, ['--import', 'tsx', writer, dir, 'one key', `real/${BEFORE}`, '15'], { stdio: ['ignore', 'ignore', 'pipe'] }),
    );
    const exits = children.map(async (c) => {
      let stderr = '';
      c.stderr!.on('data', (d) => (stderr += d));
      const [code] = await once(c, 'close');
      return { code, stderr };
    });
    let done = false;
    void Promise.all(exits).then(() => (done = true));
    const reader = new WatchedCache(dir);
    while (!done) {
      const found = reader.read('one key');
      if (found) expect(found.index.lookup('KIM, Jong Un')).toEqual(expected);
      await new Promise((r) => setTimeout(r, 5));
    }
    for (const { code, stderr } of await Promise.all(exits)) expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(reader.warnings).toEqual([]);
    expect(reader.read('one key')?.index.lookup('KIM, Jong Un')).toEqual(expected);
    // No temporary file is left: each writer renamed its own into place.
    expect(files()).toEqual([expect.stringMatching(/^index-[0-9a-f]{32}\.v8$/)]);
  }, 120_000);
});
