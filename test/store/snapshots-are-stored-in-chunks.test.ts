/**
 * A list's snapshot is stored as chunks of entries under a head that names them (state-store.ts):
 * one 40 MB list is never serialized as one string. Proved on the real UN consolidated list
 * (1,003 records: three chunks) on every store backing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildSnapshot, type Snapshot } from '../../src/core/snapshot.js';
import { parseUnXml } from '../../src/sources/un/xml.js';
import { openStore } from '../../src/store/open.js';
import type { StateStore } from '../../src/store/state-store.js';
import { fixtureText } from '../helpers/fixtures.js';
import { storeTargets } from '../helpers/stores.js';

const UN = parseUnXml(fixtureText('real/un_consolidated_xml/consolidated_2026-02-27.xml.gz')).records;
const whole = () => buildSnapshot(UN);
// Another edition: the last 20 records gone.
const shorter = () => buildSnapshot(UN.slice(0, -20));

const same = (a: Snapshot | undefined, b: Snapshot) => {
  expect(a?.version).toBe(b.version);
  expect(a?.entries.size).toBe(b.entries.size);
  for (const [id, e] of b.entries) expect(a?.entries.get(id)).toEqual({ hash: e.hash, record: e.record });
};

interface Head {
  version: string;
  generation: string;
  chunks: number;
}

for (const target of storeTargets()) {
  describe(`snapshots over ${target.name}`, () => {
    const open: StateStore[] = [];
    const fresh = async () => {
      const s = (await openStore(target.url(), target.namespace())) as StateStore;
      open.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
      await target.cleanup();
    });

    it('stores the real UN list as three chunks under one head and reads back every record', async () => {
      const store = await fresh();
      const snapshot = whole();
      await store.setSnapshot('un-sc', snapshot);
      const head = (await store.backend.values.get('snapshot:un-sc')) as Head;
      expect(head).toMatchObject({ version: snapshot.version, chunks: 3 });
      const chunks = (await store.backend.values.getMany([0, 1, 2].map((n) => `snapshot:un-sc:${head.generation}:${n}`))) as unknown[][];
      expect(chunks.map((c) => c.length)).toEqual([500, 500, 3]);
      same(await store.getSnapshot('un-sc'), snapshot);
    });

    it('removes the chunks of the edition it replaces, and keeps those of the new one', async () => {
      const store = await fresh();
      await store.setSnapshot('un-sc', whole());
      const first = (await store.backend.values.get('snapshot:un-sc')) as Head;
      const next = shorter();
      await store.setSnapshot('un-sc', next);
      const second = (await store.backend.values.get('snapshot:un-sc')) as Head;
      expect(second.generation).not.toBe(first.generation);
      expect(await store.backend.values.hasMany([0, 1, 2].map((n) => `snapshot:un-sc:${first.generation}:${n}`))).toEqual([false, false, false]);
      same(await store.getSnapshot('un-sc'), next);
    });

    it('reads the stored edition as hashes alone, the records of given ids only, and each record cut down', async () => {
      const store = await fresh();
      const snapshot = whole();
      await store.setSnapshot('un-sc', snapshot);
      const hashes = await store.getSnapshotHashes('un-sc');
      expect(hashes?.version).toBe(snapshot.version);
      expect([...hashes!.entries]).toEqual([...snapshot.entries].map(([id, e]) => [id, { hash: e.hash }]));
      // Ids from the first and the last chunk, and one the list does not hold.
      const ids = new Set([UN[0]!.sourceId, UN[1002]!.sourceId, 'KPi.999']);
      const records = await store.getSnapshotRecords('un-sc', snapshot.version, ids);
      expect([...records.keys()]).toEqual([UN[0]!.sourceId, UN[1002]!.sourceId]);
      expect(records.get(UN[1002]!.sourceId)).toEqual({ hash: snapshot.entries.get(UN[1002]!.sourceId)!.hash, record: UN[1002] });
      await expect(store.getSnapshotRecords('un-sc', 'another-edition', ids)).rejects.toThrow(`stored snapshot of un-sc is edition ${snapshot.version}, not another-edition`);
      expect(await store.mapSnapshotRecords('un-sc', (r) => r.sourceId)).toEqual(UN.map((r) => r.sourceId));
      expect(await store.mapSnapshotRecords('eu-fsf', (r) => r.sourceId)).toBeUndefined();
      expect(await store.getSnapshotHashes('eu-fsf')).toBeUndefined();
    });

    it('still reads a snapshot stored whole, as stores written before chunking hold them', async () => {
      const store = await fresh();
      const snapshot = whole();
      const entries = [...snapshot.entries].map(([id, e]) => [id, e.hash, e.record]);
      await store.backend.values.set('snapshot:un-sc', { version: snapshot.version, entries });
      same(await store.getSnapshot('un-sc'), snapshot);
      // The next write replaces it with chunks.
      await store.setSnapshot('un-sc', shorter());
      same(await store.getSnapshot('un-sc'), shorter());
    });

    it('a reader running beside a writer always gets one whole edition, the old or the new', async () => {
      const writer = await fresh();
      const editions = [whole(), shorter()];
      await writer.setSnapshot('un-sc', editions[0]!);
      const versions = new Map(editions.map((e) => [e.version, e.entries.size]));
      let writing = true;
      const writes = (async () => {
        for (let i = 1; i <= 6; i++) await writer.setSnapshot('un-sc', editions[i % 2]!);
        writing = false;
      })();
      const seen: string[] = [];
      while (writing) {
        const read = await writer.getSnapshot('un-sc');
        expect(versions.get(read!.version)).toBe(read!.entries.size);
        seen.push(read!.version);
      }
      await writes;
      expect(seen.length).toBeGreaterThan(0);
      same(await writer.getSnapshot('un-sc'), editions[0]!);
    });

    it('says which edition lost a chunk instead of returning part of a list', async () => {
      const store = await fresh();
      await store.setSnapshot('un-sc', whole());
      const head = (await store.backend.values.get('snapshot:un-sc')) as Head;
      await store.backend.values.delete(`snapshot:un-sc:${head.generation}:1`);
      await expect(store.getSnapshot('un-sc')).rejects.toThrow(`stored snapshot of un-sc is missing chunks of edition ${head.generation}`);
    });
  });
}
