import type { ListDateBasis } from '../core/list-date.js';

/**
 * A list's date in words that say what kind of date it is, e.g. "list published 2025-12-18"
 * or "list last modified 2023-12-01 (server Last-Modified)". `basis` is absent on alerts and
 * statuses stored before it was recorded: their date is shown as such, with that caveat.
 */
export function describeListDate(date: string | null | undefined, basis: ListDateBasis | 'newest-item' | null | undefined): string {
  if (!date) return 'list date not published';
  const day = date.slice(0, 10);
  switch (basis) {
    case 'published':
      return `list published ${day}`;
    case 'last-modified':
      return `list last modified ${day} (server Last-Modified)`;
    case 'fetched':
      return `list fetched ${day} (archive's fetch time)`;
    case 'newest-item': // a report feed: its date is that of its newest item
      return `newest item published ${day}`;
    default:
      return `list as of ${day} (kind of date not recorded)`;
  }
}
