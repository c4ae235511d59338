/**
 * The watchlist check matches every watch against all lists, so `poll` runs it once after the
 * last of the lists that took turns is stored, not after each: one lookup-index build for a
 * run of seven new editions instead of seven. A poll that stores nothing checks nothing.
 *
 * Data: the real UN DPRK subset (2026-02-27), OFAC's DPRK subset (2022-04-12) and the EU's PRK
 * records (2022-03-18), read from test/fixtures/real.
 */
import { describe, expect, it } from 'vitest';
import { euFsfSource } from '../../src/sources/eu-fsf/source.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import type { Source } from '../../src/sources/source.js';
import { unScSource } from '../../src/sources/un/source.js';
import { openStore } from '../../src/store/open.js';
import { realFileUrl, testApp } from '../helpers/pipeline.js';

describe('the watchlist check after list polls', () => {
  it('runs once, after the last list of a run is stored; again after a later new edition; not after an unchanged poll', async () => {
    const events: string[] = [];
    const observed = (source: Source): Source => ({
      ...source,
      save: async (ctx, next, changed) => {
        await source.save(ctx, next, changed);
        events.push(`stored ${source.id}`);
      },
    });
    const sources = [
      observed(unScSource(realFileUrl('un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml'))),
      observed(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv'))),
      observed(euFsfSource(realFileUrl('eu_fsf_xml/eu_fsf_20220318_gfid137925_PRK_only.xml'))),
    ];
    const store = await openStore('memory:', 'watch-once');
    const app = testApp(store, sources, {
      afterListStored: async () => {
        events.push('watch check');
        return [];
      },
    });
    try {
      const first = await app.pollAll();
      expect(first.map((r) => r.result.outcome)).toEqual(['baseline', 'baseline', 'baseline']);
      expect(events).toEqual(['stored un-sc', 'stored ofac-sdn', 'stored eu-fsf', 'watch check']);

      // Nothing new: nothing stored, nothing to check.
      events.length = 0;
      expect((await app.pollAll()).map((r) => r.result.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
      expect(events).toEqual([]);

      // One list's new edition, polled on its own (as its schedule does): checked right after it.
      events.length = 0;
      const next = observed(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv')));
      expect((await app.poll(next)).result.outcome).toBe('changed');
      expect(events).toEqual(['stored ofac-sdn', 'watch check']);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
