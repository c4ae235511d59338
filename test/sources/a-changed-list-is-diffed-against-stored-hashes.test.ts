import { describe, expect, it, vi } from 'vitest';
import type { DesignationAlert } from '../../src/core/alerts.js';
import { pollSource } from '../../src/pipeline/poll.js';
import { auDfatSource } from '../../src/sources/au-dfat/source.js';
import { jpMofSource } from '../../src/sources/jp-mof/source.js';
import { listSource, type ListSource } from '../../src/sources/list-source.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { realFileUrl, recordingLog } from '../helpers/pipeline.js';

/**
 * A changed poll of a list whose parser takes over no stored record reads the stored edition as
 * hashes and reads stored records only for the ids that changed or left. On real pairs it must
 * give exactly the alerts of the diff over both whole lists (the stored records all loaded):
 * the same list polled with `takesOverRecords` set, which loads them.
 */
const PAIRS: Array<{ name: string; make: (url: string) => ListSource; before: string; after: string }> = [
  // Additions, removals and amendments, .xls → .xlsx (au_dfat/PROVENANCE.md).
  { name: 'DFAT 2022-05-03 → 2024-11-11', make: (u) => auDfatSource(u), before: 'au_dfat/dfat_regulation8_consolidated_2022-05-03.xls.gz', after: 'au_dfat/dfat_regulation8_consolidated_2024-11-11.xlsx.gz' },
  { name: 'MOF 2022-04-14 → 05-09', make: (u) => jpMofSource(u), before: 'jp_mof_xls/mof_shisantouketsu_saved2022-04-14.xls.gz', after: 'jp_mof_xls/mof_shisantouketsu_saved2022-05-09.xls.gz' },
  { name: 'OFAC sdn.csv 2023-11-30 → 12-01', make: (u) => ofacSdnSource(u), before: 'ofac_sdn_csv/sdn_2023-11-30.csv.gz', after: 'ofac_sdn_csv/sdn_2023-12-01.csv.gz' },
];

let ns = 0;
// One detection time for both runs, so that their alerts can be compared whole.
const NOW = new Date('2026-12-03T12:00:00Z');
const pollWith = (source: ListSource, store: Store) =>
  pollSource(source, {
    store,
    log: recordingLog(),
    scope: 'all',
    // DFAT's 2024 list drops 385 of 2,666 records, which the default guard (0.05) holds back.
    maxRemovalShare: 0.2,
    now: () => NOW,
    fetch: { timeoutMs: 5000, maxBytes: 64 * 1024 * 1024, userAgent: 'dprk-watch-test' },
  });
const withRecords = (s: ListSource, takesOverRecords: boolean) => listSource({ ...s.spec, takesOverRecords });

async function pollPair(make: (url: string) => ListSource, before: string, after: string, takesOverRecords: boolean, spy?: (store: Store) => void) {
  const store = await openStore('memory:', `stored-hashes-${ns++}`);
  expect((await pollWith(withRecords(make(realFileUrl(before)), takesOverRecords), store)).outcome).toBe('baseline');
  spy?.(store);
  const r = await pollWith(withRecords(make(realFileUrl(after)), takesOverRecords), store);
  expect(r.outcome).toBe('changed');
  vi.restoreAllMocks();
  return { r, snapshot: await store.getSnapshot(make(realFileUrl(after)).spec.id) };
}

const kinds = (alerts: DesignationAlert[]) => Object.fromEntries(['added', 'removed', 'amended'].map((k) => [k, alerts.filter((a) => a.kind === `designation.${k}`).length]));

describe('a changed list diffed against the stored hashes gives the alerts of the diff over both whole lists', () => {
  for (const { name, make, before, after } of PAIRS)
    it(name, async () => {
      const whole = await pollPair(make, before, after, true);
      let read = 0;
      let wholeReads = 0;
      const hashes = await pollPair(make, before, after, false, (store) => {
        const id = make('file:///x').spec.id;
        const records = store.getSnapshotRecords.bind(store);
        vi.spyOn(store, 'getSnapshotRecords').mockImplementation(async (source, version, ids) => {
          if (source === id) read += ids.size;
          return records(source, version, ids);
        });
        const snapshot = store.getSnapshot.bind(store);
        vi.spyOn(store, 'getSnapshot').mockImplementation(async (source) => {
          if (source === id) wholeReads++;
          return snapshot(source);
        });
      });
      console.log(`${name}: ${hashes.r.alerts.length} alerts ${JSON.stringify(kinds(hashes.r.alerts))}; stored records read: ${read} of ${whole.snapshot?.entries.size}`);
      expect(whole.r.alerts.length).toBeGreaterThan(0);
      expect(hashes.r.alerts).toEqual(whole.r.alerts);
      expect(hashes.r.counts).toEqual(whole.r.counts);
      expect(hashes.snapshot?.version).toBe(whole.snapshot?.version);
      // The stored edition was never loaded whole, and only the changed or removed records were
      // read: on these pairs every record whose hash changed has a field change, so exactly the
      // records of the amendments and removals.
      expect(wholeReads).toBe(0);
      const { amended, removed } = kinds(hashes.r.alerts);
      expect(read).toBe(amended! + removed!);
    });
});
