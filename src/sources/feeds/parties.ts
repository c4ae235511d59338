import { LIST_IDS, type Designation, type SourceId } from '../../core/designation.js';
import type { Store } from '../../store/store.js';

/**
 * A `parties` provider for a feed source: the DPRK-related records of the stored lists. The list
 * (and so the matcher the feed source builds from it) is reused until a stored snapshot changes
 * version. A feed source calls it only when a feed has new items.
 */
export function storedParties(store: Store, sources: readonly SourceId[] = LIST_IDS): () => Promise<Designation[]> {
  let cache: { key: string; parties: Designation[] } | undefined;
  return async () => {
    // The status carries the snapshot version: compare that before loading whole lists
    // (a status without one, e.g. a list never stored, means: load and look).
    const statuses = await Promise.all(sources.map((s) => store.getStatus(s)));
    const known = statuses.every((s) => s?.snapshotVersion !== undefined);
    if (known && cache?.key === statuses.map((s) => s!.snapshotVersion).join('|')) return cache.parties;
    const snapshots = await Promise.all(sources.map((s) => store.getSnapshot(s)));
    const key = known ? statuses.map((s) => s!.snapshotVersion).join('|') : snapshots.map((s) => s?.version ?? '-').join('|');
    if (cache?.key === key) return cache.parties;
    const parties = snapshots.flatMap((s) => (s ? [...s.entries.values()].map((e) => e.record).filter((r) => r.dprk) : []));
    cache = { key, parties };
    return parties;
  };
}

/** `storedParties` for whichever store a poll runs on: one cached view per store. */
export function storedPartiesOf(sources: readonly SourceId[]): (store: Store) => Promise<Designation[]> {
  const views = new WeakMap<Store, () => Promise<Designation[]>>();
  return (store) => {
    let view = views.get(store);
    if (!view) views.set(store, (view = storedParties(store, sources)));
    return view();
  };
}
