import { SOURCE_LABELS } from '../core/alerts.js';
import type { Designation, SourceId } from '../core/designation.js';
import { describeListDate } from '../render/list-date.js';
import type { SourceStatus, Store } from '../store/store.js';
import type { Organisation } from '../seeds/schema.js';
import type { BundledList } from '../seeds/snapshot.js';
import { createHash } from 'node:crypto';
import { EntityIndex } from './entity-index.js';
import { codeFingerprint, type IndexCache } from './index-cache.js';
import { findOrganisations } from './organisations.js';

export interface ListEdition {
  source: SourceId;
  listDate: string | null;
  /** What kind of date listDate is; null when none was recorded. */
  listDateBasis: SourceStatus['listDateBasis'] | null;
  recordCount: number;
  /** Set when this list is answered from the bundled snapshot: no poll of it has succeeded yet. */
  bundled?: true;
}

export interface IndexedLists {
  index: EntityIndex;
  /** Which lists (and which editions) the index answers from. */
  editions: ListEdition[];
}

/**
 * Keeps one EntityIndex warm per set of list versions: built on first use and rebuilt only
 * when a poll stored a new version of a list, never per query. While a new version is being
 * indexed the previous index goes on answering (with its own editions, so answers say which
 * lists they searched); the build runs in slices that leave the event loop free between them.
 */
export class LookupService {
  private cached?: { key: string; value: IndexedLists };
  private building?: { key: string; done: Promise<IndexedLists> };

  /**
   * @param extra records indexed beside the stored lists: the bundled seeds (designations
   *   announced in the documents the product ships with), so a fresh install can answer.
   * @param organisations organisations dprk-watch knows that are not designations (bundled seeds).
   * @param bundled the bundled snapshot's lists: each answers for its list until a poll of that
   *   list has stored one (read only then).
   * @param cache where the index is persisted for the next process (SQLite stores; see
   *   index-cache.ts): read before building, written after a build.
   */
  constructor(
    private readonly store: Store,
    private readonly sources: readonly SourceId[],
    private readonly extra: () => Designation[] = () => [],
    private readonly organisations: () => readonly Organisation[] = () => [],
    private readonly bundled: () => readonly BundledList[] = () => [],
    private readonly cache?: IndexCache,
  ) {}

  /** Known organisations (not designations) a query names, to say what a name is when no list has it. */
  organisationsNamed(query: string): Organisation[] {
    return findOrganisations(query, this.organisations());
  }

  /**
   * The index to answer from now: that of the stored list versions, or, while a newer version
   * is being indexed, the previous index. Only the first build of the process is waited for.
   */
  async current(): Promise<IndexedLists> {
    const { key, statuses } = await this.versions();
    if (this.cached?.key === key) return this.cached.value;
    const done = this.build(key, statuses);
    if (!this.cached) return done;
    // A failed background build is tried again by the next question; the old index answers meanwhile.
    done.catch(() => undefined);
    return this.cached.value;
  }

  /**
   * The index of the list versions stored now, waiting for its build if need be: for work that
   * must see the new version, such as matching watchlists right after a poll stored it.
   */
  async latest(): Promise<IndexedLists> {
    const { key, statuses } = await this.versions();
    if (this.cached?.key === key) return this.cached.value;
    return this.build(key, statuses);
  }

  private async versions(): Promise<{ key: string; statuses: Array<SourceStatus | undefined> }> {
    const statuses = await Promise.all(this.sources.map((s) => this.store.getStatus(s)));
    return { key: statuses.map((s, i) => `${this.sources[i]}=${s?.snapshotVersion ?? '-'}`).join('|'), statuses };
  }

  /** One build per set of versions; a build for newer versions starts when the one under way ends. */
  private build(key: string, statuses: Array<SourceStatus | undefined>): Promise<IndexedLists> {
    if (this.building?.key === key) return this.building.done;
    const before = this.building?.done.catch(() => undefined);
    const done = (async () => {
      try {
        await before;
        const cacheKey = this.cache ? this.cacheKey(key, statuses) : undefined;
        const persisted = cacheKey === undefined ? undefined : this.persisted(cacheKey, statuses);
        if (persisted) {
          this.cached = { key, value: persisted };
          return persisted;
        }
        const { records, editions, complete } = await this.gather(statuses);
        const value = { index: await EntityIndex.buildInSlices(records), editions };
        // Answers come from the new index while it is being written (in slices too).
        this.cached = { key, value };
        if (cacheKey !== undefined && complete) await this.cache!.write(cacheKey, value.index, editions);
        return value;
      } finally {
        if (this.building?.key === key) this.building = undefined;
      }
    })();
    this.building = { key, done };
    return done;
  }

  /**
   * Everything the index of these versions is made of, as a cache key: the stored list
   * versions, the bundled seeds and, for each list not stored, the bundled snapshot's records
   * (read only then), and the code that builds the index.
   */
  private cacheKey(versions: string, statuses: Array<SourceStatus | undefined>): string {
    const hash = createHash('sha256').update(JSON.stringify(this.extra()));
    this.sources.forEach((source, i) => {
      if (statuses[i]?.snapshotVersion === undefined) hash.update(JSON.stringify(this.bundled().find((b) => b.source === source) ?? null));
    });
    return `code ${codeFingerprint()}|lists ${versions}|bundled ${hash.digest('hex').slice(0, 32)}`;
  }

  /** The persisted index of this key, its editions dated by the statuses stored now. */
  private persisted(cacheKey: string, statuses: Array<SourceStatus | undefined>): IndexedLists | undefined {
    const found = this.cache!.read(cacheKey);
    if (!found || !Array.isArray(found.meta)) return undefined;
    const editions = (found.meta as ListEdition[]).map((e) => {
      const status = e.source === 'seeds' || e.bundled ? undefined : statuses[this.sources.indexOf(e.source)];
      return status ? { ...e, listDate: status.listDate ?? null, listDateBasis: status.listDateBasis ?? null } : e;
    });
    return { index: found.index, editions };
  }

  /** The records to index; `complete` is false when a list's status names a version its snapshot is not (then nothing is persisted). */
  private async gather(statuses: Array<SourceStatus | undefined>): Promise<{ records: Designation[]; editions: ListEdition[]; complete: boolean }> {
    const editions: ListEdition[] = [];
    const records: Designation[] = [];
    let complete = true;
    for (const [i, source] of this.sources.entries()) {
      const snapshot = await this.store.getSnapshot(source);
      if (snapshot?.version !== statuses[i]?.snapshotVersion) complete = false;
      if (!snapshot) {
        const fallback = this.bundled().find((b) => b.source === source);
        if (fallback) {
          records.push(...fallback.records);
          editions.push({ source, listDate: fallback.listDate, listDateBasis: 'published', recordCount: fallback.records.length, bundled: true });
        }
        continue;
      }
      for (const e of snapshot.entries.values()) records.push(e.record);
      const status = statuses[i];
      editions.push({
        source,
        listDate: status?.listDate ?? null,
        listDateBasis: status?.listDateBasis ?? null,
        recordCount: snapshot.entries.size,
      });
    }
    const extra = this.extra();
    records.push(...extra);
    if (extra.length > 0) editions.push({ source: 'seeds', listDate: null, listDateBasis: null, recordCount: extra.length });
    return { records, editions, complete };
  }
}

/**
 * "OFAC SDN list published 2025-12-18; UN Security Council list from the bundled snapshot of
 * 2026-02-27; 2 bundled seed records".
 */
export function describeEditions(editions: readonly ListEdition[]): string {
  if (editions.length === 0) return 'no list stored yet';
  return editions
    .map((e) =>
      e.source === 'seeds'
        ? `${e.recordCount} bundled seed record(s)`
        : e.bundled
          ? `${SOURCE_LABELS[e.source]} from the bundled snapshot of ${e.listDate}`
          : `${SOURCE_LABELS[e.source]} ${describeListDate(e.listDate, e.listDateBasis)}`,
    )
    .join('; ');
}

/** Whether any list polled here is stored (not only the bundled snapshot and seeds). */
export const anyListStored = (editions: readonly ListEdition[]): boolean => editions.some((e) => e.source !== 'seeds' && !e.bundled);

/** What an answer from the bundled snapshot must say, or undefined when every list searched was polled. */
export function bundledNotice(editions: readonly ListEdition[]): string | undefined {
  const bundled = editions.filter((e) => e.bundled);
  if (bundled.length === 0) return undefined;
  const dates = [...new Set(bundled.map((e) => e.listDate))].sort();
  const which = anyListStored(editions) ? `${bundled.map((e) => SOURCE_LABELS[e.source]).join(', ')} answered` : 'Answered';
  return `${which} from the bundled snapshot of ${dates.join(', ')}; run a poll for today's lists (\`dprk-watch poll --once\`, or wait for the first scheduled poll).`;
}
