/**
 * Issue 13: "a new list version is indexed without blocking answers (the old index answers
 * until the new one is ready)". On OFAC's real DPRK subset: 2022-04-12, then the 2022-04-14
 * edition that added an ETH address to LAZARUS GROUP. While the new edition is being indexed,
 * questions are answered on every turn of the event loop, from the old index, which does not
 * know the address; once it is built, the new index answers and knows it. Order, not time.
 */
import { describe, expect, it } from 'vitest';
import { LookupService } from '../../src/search/lookup-service.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import { poll, realFileUrl } from '../helpers/pipeline.js';

const BEFORE = 'ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv';
const AFTER = 'ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv';
const ADDED_ETH = '0x098b716b8aaf21512996dc57eb0615e2383e2f96';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const knowsAddress = (lists: Awaited<ReturnType<LookupService['current']>>) => lists.index.lookup(ADDED_ETH).some((r) => r.sourceId === '27307');

describe('a new list version', () => {
  it('is indexed in the background: the old index answers on every turn until the new one is ready, then the new one answers', async () => {
    const store = await openStore('memory:', 'rebuild-while-answering');
    await poll(ofacSdnSource(realFileUrl(BEFORE)), store);
    const lookup = new LookupService(store, ['ofac-sdn']);
    // The first index of the process is waited for: there is nothing older to answer from.
    const old = await lookup.current();
    expect(old.index.size).toBeGreaterThan(500);
    expect(knowsAddress(old)).toBe(false);

    const changed = await poll(ofacSdnSource(realFileUrl(AFTER)), store);
    expect(changed.outcome).toBe('changed');

    let built = false;
    const rebuild = lookup.latest().then((lists) => {
      built = true;
      return lists;
    });
    // Questions asked while the build runs: each is answered before the build finishes.
    const answeredDuring: boolean[] = [];
    for (;;) {
      await nextTurn();
      if (built) break;
      const lists = await lookup.current();
      if (built) break;
      expect(lists).toBe(old);
      answeredDuring.push(knowsAddress(lists));
    }
    // A build that held the event loop until it ended would leave no turn to answer on; the
    // sliced one pauses after its record slices and after each finishing step (four of them).
    expect(answeredDuring.length).toBeGreaterThanOrEqual(3);
    expect(answeredDuring.every((known) => known === false)).toBe(true);

    const fresh = await rebuild;
    expect(fresh).not.toBe(old);
    expect(knowsAddress(fresh)).toBe(true);
    expect(await lookup.current()).toBe(fresh);
    expect(fresh.editions).toHaveLength(1);
    await store.close();
  });

  it('`latest()` waits for the new edition, as the watch check after a poll needs', async () => {
    const store = await openStore('memory:', 'latest-waits');
    await poll(ofacSdnSource(realFileUrl(BEFORE)), store);
    const lookup = new LookupService(store, ['ofac-sdn']);
    expect(knowsAddress(await lookup.current())).toBe(false);
    await poll(ofacSdnSource(realFileUrl(AFTER)), store);
    expect(knowsAddress(await lookup.latest())).toBe(true);
    await store.close();
  });
});
