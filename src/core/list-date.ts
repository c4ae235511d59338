import { z } from 'zod';

/**
 * What a list's date is, so that nobody reads one kind of date as another:
 * - `published`: the list's own publication date (OFAC XML Publish_Date, UN dateGenerated);
 * - `last-modified`: the publisher's HTTP Last-Modified, for a format that carries no date;
 * - `fetched`: when a copy was fetched from the publisher by an archive (a replayed copy
 *   whose provenance gives that time, as the demo's git-scrape files do).
 * A list with none of these has no date: never this machine's clock or a file's mtime.
 */
export const LIST_DATE_BASES = ['published', 'last-modified', 'fetched'] as const;
export const ListDateBasisSchema = z.enum(LIST_DATE_BASES);
export type ListDateBasis = z.infer<typeof ListDateBasisSchema>;

export interface ListDate {
  /** ISO date or date-time. */
  date: string;
  basis: ListDateBasis;
}

const iso = (s: string | undefined): string | undefined => {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
};

/** The best date a list has, in order: its own stamp, the server's Last-Modified, an archive's fetch time. */
export function listDateOf(dates: { publishedAt?: string; lastModified?: string; fetchedAt?: string }): ListDate | undefined {
  if (dates.publishedAt) return { date: dates.publishedAt, basis: 'published' };
  const lastModified = iso(dates.lastModified);
  if (lastModified) return { date: lastModified, basis: 'last-modified' };
  const fetchedAt = iso(dates.fetchedAt);
  if (fetchedAt) return { date: fetchedAt, basis: 'fetched' };
  return undefined;
}
