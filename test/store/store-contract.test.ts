import { afterEach, describe, expect, it } from 'vitest';
import { buildAlerts, type Alert } from '../../src/core/alerts.js';
import type { Designation } from '../../src/core/designation.js';
import { buildSnapshot } from '../../src/core/snapshot.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { party as makeParty } from '../helpers/designations.js';
import { storeTargets } from '../helpers/stores.js';

const party = (id: string, name: string, programs = ['DPRK3']): Designation => makeParty({ sourceId: id, name, programs });

const nameOf = (a: Alert): string => ('name' in a ? a.name : a.id);

function alertsFor(records: Designation[]): Alert[] {
  return buildAlerts(
    records.map((after) => ({ kind: 'added' as const, after })),
    { source: 'ofac-sdn', baseVersion: 'base', detectedAt: '2023-12-01T00:00:00.000Z', scope: 'all' },
  );
}

for (const target of storeTargets()) {
  describe(`store over ${target.name}`, () => {
    const open: Store[] = [];
    const fresh = async (url = target.url(), ns = target.namespace()) => {
      const s = await openStore(url, ns);
      open.push(s);
      return { store: s, url, ns };
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
      await target.cleanup();
    });

    it('round-trips a source status and a snapshot (row digests included), and keeps them across a reopen', async () => {
      const { store, url, ns } = await fresh();
      // Row digests travel with the entries that have one (snapshots stored before them have none).
      const snapshot = buildSnapshot([party('27307', 'LAZARUS GROUP'), party('45430', 'KIMSUKY', ['DPRK2'])], new Map([['45430', 'rows-digest']]));
      await store.setSnapshot('ofac-sdn', snapshot);
      await store.setStatus({ source: 'ofac-sdn', url: 'file:///x', recordCount: 2, warnings: [], documents: [{ url: 'file:///x', hash: 'h' }] });
      await store.close();
      open.pop();
      const { store: again } = await fresh(url, ns);
      const back = await again.getSnapshot('ofac-sdn');
      expect(back?.version).toBe(snapshot.version);
      expect(back?.entries.get('45430')?.record).toEqual(snapshot.entries.get('45430')?.record);
      expect(back?.entries.get('45430')?.rows).toBe('rows-digest');
      expect(back?.entries.get('27307')).not.toHaveProperty('rows');
      expect((await again.getStatus('ofac-sdn'))?.recordCount).toBe(2);
      expect(await again.getStatus('un-sc')).toBeUndefined();
    });

    it('records each alert once, queues it in order, and forgets it once delivered', async () => {
      const { store } = await fresh();
      const alerts = alertsFor([party('1', 'ONE'), party('2', 'TWO'), party('3', 'THREE')]);
      expect((await store.recordAlerts(alerts)).map(nameOf)).toEqual(['ONE', 'TWO', 'THREE']);
      // The same alerts again (a re-run after a crash) are not new and not queued twice.
      expect(await store.recordAlerts(alerts)).toEqual([]);
      expect((await store.pendingAlerts()).map(nameOf)).toEqual(['ONE', 'TWO', 'THREE']);
      await store.markDelivered([alerts[0]!.id]);
      expect((await store.pendingAlerts()).map(nameOf)).toEqual(['TWO', 'THREE']);
      expect((await store.recentAlerts(2)).map(nameOf)).toEqual(['THREE', 'TWO']);
    });

    it('keeps other state under its own key, validated on the way out', async () => {
      const { store } = await fresh();
      const { z } = await import('zod');
      const Seen = z.object({ ids: z.array(z.string()) });
      expect(await store.getValue('feeds:treasury', Seen)).toBeUndefined();
      await store.setValue('feeds:treasury', { ids: ['a', 'b'] });
      expect(await store.getValue('feeds:treasury', Seen)).toEqual({ ids: ['a', 'b'] });
      await store.setValue('feeds:bad', { ids: 'not a list' });
      await expect(store.getValue('feeds:bad', Seen)).rejects.toThrow(/corrupt/);
    });

    it('loses no queued alert when jobs record alerts at the same time', async () => {
      const { store } = await fresh();
      const batches = [0, 1, 2, 3].map((b) => alertsFor([party(`${b}1`, `B${b} ONE`), party(`${b}2`, `B${b} TWO`)]));
      await Promise.all(batches.map((b) => store.recordAlerts(b)));
      expect((await store.pendingAlerts()).map(nameOf).sort()).toEqual(batches.flat().map(nameOf).sort());
    });

    it('keeps undelivered alerts across a restart', async () => {
      const { store, url, ns } = await fresh();
      await store.recordAlerts(alertsFor([party('9', 'NINE')]));
      await store.close();
      open.pop();
      const { store: again } = await fresh(url, ns);
      expect((await again.pendingAlerts()).map(nameOf)).toEqual(['NINE']);
    });
  });
}

describe('openStore', () => {
  it('rejects an unknown scheme with a message naming the supported ones', async () => {
    await expect(openStore('postgres://127.0.0.1/x')).rejects.toThrow(/sqlite:\/\/<file>, redis:\/\/host:port or memory:/);
  });

  it('fails at start, not at first use, when Redis cannot be reached', async () => {
    await expect(openStore('redis://127.0.0.1:1')).rejects.toThrow();
  });
});
