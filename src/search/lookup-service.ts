import type { SourceId } from '../core/designation.js';
import type { Store } from '../store/store.js';
import { EntityIndex } from './entity-index.js';

export interface ListEdition {
  source: SourceId;
  listDate: string | null;
  recordCount: number;
}

export interface IndexedLists {
  index: EntityIndex;
  /** Which lists (and which editions) the index answers from. */
  editions: ListEdition[];
}

/**
 * Keeps one EntityIndex warm per set of list versions: built on first use and rebuilt only
 * when a poll stored a new version of a list, never per query.
 */
export class LookupService {
  private cached?: { key: string; value: IndexedLists };
  private building?: Promise<IndexedLists>;

  constructor(
    private readonly store: Store,
    private readonly sources: readonly SourceId[],
  ) {}

  async current(): Promise<IndexedLists> {
    const statuses = await Promise.all(this.sources.map((s) => this.store.getStatus(s)));
    const key = statuses.map((s, i) => `${this.sources[i]}=${s?.snapshotVersion ?? '-'}`).join('|');
    if (this.cached?.key === key) return this.cached.value;
    this.building ??= (async () => {
      try {
        const editions: ListEdition[] = [];
        const records = [];
        for (const [i, source] of this.sources.entries()) {
          const snapshot = await this.store.getSnapshot(source);
          if (!snapshot) continue;
          for (const e of snapshot.entries.values()) records.push(e.record);
          editions.push({ source, listDate: statuses[i]?.listDate ?? null, recordCount: snapshot.entries.size });
        }
        const value = { index: EntityIndex.build(records), editions };
        this.cached = { key, value };
        return value;
      } finally {
        this.building = undefined;
      }
    })();
    return this.building;
  }
}
