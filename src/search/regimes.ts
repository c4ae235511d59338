import type { ListId } from '../core/designation.js';
import { LISTS } from '../core/lists.js';
import type { LookupResult } from './entity-index.js';
import type { ListEdition } from './lookup-service.js';

/** One regime listing a party: its own key, when it listed the party, its list's date, the record. */
export interface Listing {
  source: ListId;
  sourceId: string;
  /** When this regime designated the party (YYYY-MM-DD), when its list says. */
  listedOn: string | null;
  /** The date of the list edition searched (see the editions' basis). */
  listDate: string | null;
  url: string;
}

/** A row per list searched, in catalogue order: listed (with the listing) or not. */
export interface RegimeRow {
  source: ListId;
  regime: string;
  listing: Listing | null;
}

const isList = (s: string): s is ListId => s in LISTS;

/**
 * Who lists this party, among the lists searched: the result's own record and the records the
 * core linker says are the same party (src/core/parties.ts). A list not stored yet is not a row:
 * "not listed" must mean the list was searched.
 */
export function regimeRows(r: LookupResult, editions: readonly ListEdition[]): RegimeRow[] {
  const dates = new Map(editions.map((e) => [e.source, e.listDate]));
  const records = [{ source: r.source, sourceId: r.sourceId, url: r.url, listedOn: r.record.listedOn }, ...r.crossReferences];
  const listings = new Map<ListId, Listing>();
  for (const x of records)
    if (isList(x.source) && !listings.has(x.source))
      listings.set(x.source, { source: x.source, sourceId: x.sourceId, listedOn: x.listedOn ?? null, listDate: dates.get(x.source) ?? null, url: x.url });
  return (Object.keys(LISTS) as ListId[])
    .filter((id) => dates.has(id))
    .map((id) => ({ source: id, regime: LISTS[id].regime, listing: listings.get(id) ?? null }));
}

/** "US ✓ 2019 · UN ✗ · EU ✓": the year is when that regime listed the party, where it says. */
export function regimeLine(rows: readonly RegimeRow[]): string {
  return rows.map((row) => `${row.regime} ${row.listing ? `✓${row.listing.listedOn ? ` ${row.listing.listedOn.slice(0, 4)}` : ''}` : '✗'}`).join(' · ');
}
