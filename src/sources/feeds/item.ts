/** One item of a feed or page, normalized; text fields are plain text. */
export interface FeedItem {
  /** guid, else Atom id, else link, else "title:" + hash of the title (never the date). */
  id: string;
  title: string;
  /** Absolute link, when the item has one. */
  link?: string;
  /** ISO date-time (or YYYY-MM-DD for pages that show only a date). */
  publishedAt?: string;
  /** The item's summary/description as plain text, not truncated. */
  summaryText: string;
  /** The item's full content (content:encoded / Atom content) as plain text, when present. */
  bodyText: string;
}
