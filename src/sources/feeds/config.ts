import { z } from 'zod';
import { cronField as cron } from '../../config-fields.js';

/**
 * Report feeds: press releases and advisories polled for DPRK-relevant items.
 *
 * Default feeds, their real addresses and formats (looked up 2026 with no live network; see
 * src/sources/feeds/README.md for the evidence behind each row and what is unverified):
 *
 * | id       | URL                                                          | kind | format                                                   |
 * |----------|--------------------------------------------------------------|------|----------------------------------------------------------|
 * | treasury | https://home.treasury.gov/news/press-releases                | html | Drupal listing page: rows of `<time datetime>` +         |
 * |          |                                                              |      | `h3.featured-stories__headline > a[href=/news/press-releases/sbNNNN]`. Treasury publishes no RSS for press releases (RSSHub and others scrape this page). |
 * | state    | https://www.state.gov/rss-feed/press-releases/feed/          | rss  | WordPress RSS 2.0 (dc:creator, content:encoded,          |
 * |          |                                                              |      | guid isPermaLink="false" …/releases/preview/NNNNNN/)     |
 * | cisa     | https://www.cisa.gov/cybersecurity-advisories/all.xml        | rss  | Drupal RSS 2.0, HTML-escaped `<description>`, dc:creator, |
 * |          |                                                              |      | guid isPermaLink="false"                                 |
 * | fbi      | https://www.fbi.gov/feeds/national-press-releases/rss.xml    | rss  | RSS 2.0, links …/news/press-releases/<slug>             |
 * | 38north  | https://www.38north.org/feed/                                | rss  | WordPress RSS 2.0 (an Atom twin lives at /feed/atom/)    |
 * | msmt     | https://msmt.info/                                           | html | MSMT site; publications at /Publications/detail/MSMT%20Report/<n>, PDFs under /view/save/…; every item is about the DPRK (`dprk` flag) |
 *
 * `REPORT_FEEDS` format: comma-separated `id=url` entries, each with optional `|flag` suffixes:
 * `|html` (an HTML page whose publication links are extracted, instead of RSS/Atom), `|rss`
 * (the default), `|dprk` (a DPRK-dedicated source: every item is kept, no term match needed).
 * Example: `treasury=https://home.treasury.gov/news/press-releases|html,cisa=https://www.cisa.gov/cybersecurity-advisories/all.xml`.
 */

export const FEED_KINDS = ['rss', 'html'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

/** One entry of REPORT_FEEDS after validation. */
export interface FeedSpec {
  id: string;
  url: string;
  kind: FeedKind;
  /** Every item of this source concerns the DPRK (MSMT): kept without a term match. */
  dprkDedicated: boolean;
}

/** A feed as the poller and the `latest reports` command see it. */
export interface ConfiguredFeed extends FeedSpec {
  /** Human label, used as the alert's sourceLabel ("U.S. Treasury press releases"). */
  title: string;
}

/** Human titles of the feed ids dprk-watch knows; other ids are labelled by id and host. */
export const FEED_TITLES: Readonly<Record<string, string>> = {
  treasury: 'U.S. Treasury press releases',
  state: 'U.S. State Department press releases',
  cisa: 'CISA cybersecurity advisories',
  fbi: 'FBI national press releases',
  '38north': '38 North',
  msmt: 'MSMT publications',
};

export const DEFAULT_REPORT_FEEDS = [
  'treasury=https://home.treasury.gov/news/press-releases|html',
  'state=https://www.state.gov/rss-feed/press-releases/feed/',
  'cisa=https://www.cisa.gov/cybersecurity-advisories/all.xml',
  'fbi=https://www.fbi.gov/feeds/national-press-releases/rss.xml',
  '38north=https://www.38north.org/feed/',
  'msmt=https://msmt.info/|html|dprk',
].join(',');

export const DEFAULT_REPORT_FEEDS_CRON = '*/15 * * * *';

const ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const FLAGS = new Set(['html', 'rss', 'dprk']);

export type ParsedFeeds = { ok: true; feeds: FeedSpec[] } | { ok: false; problems: string[] };

/** Parse REPORT_FEEDS text; every invalid entry yields a problem naming it. */
export function parseReportFeeds(text: string): ParsedFeeds {
  const problems: string[] = [];
  const feeds: FeedSpec[] = [];
  const seen = new Set<string>();
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  // "none" turns report feeds off (air-gapped installs, tests).
  if (entries.length === 1 && entries[0]!.toLowerCase() === 'none') return { ok: true, feeds: [] };
  if (entries.length === 0) return { ok: false, problems: ['must name at least one feed as id=url, or "none"'] };
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      problems.push(`entry "${entry}" is not id=url`);
      continue;
    }
    const id = entry.slice(0, eq).trim().toLowerCase();
    const [rawUrl = '', ...flags] = entry
      .slice(eq + 1)
      .split('|')
      .map((s) => s.trim());
    const bad: string[] = [];
    if (!ID.test(id)) bad.push(`id "${id}" must be 1-40 of a-z, 0-9, "-" or "_"`);
    if (!/^(https?|file):\/\/\S+$/.test(rawUrl)) bad.push(`"${rawUrl}" is not an http://, https:// or file:// URL`);
    else {
      try {
        new URL(rawUrl);
      } catch {
        bad.push(`"${rawUrl}" is not a valid URL`);
      }
    }
    const unknown = flags.filter((f) => !FLAGS.has(f.toLowerCase()));
    if (unknown.length) bad.push(`unknown flag(s) ${unknown.map((f) => `"|${f}"`).join(', ')} (use |html, |rss, |dprk)`);
    const lower = flags.map((f) => f.toLowerCase());
    if (lower.includes('html') && lower.includes('rss')) bad.push('cannot be both |html and |rss');
    if (seen.has(id)) bad.push(`id "${id}" is used twice`);
    if (bad.length) {
      problems.push(`entry "${entry}": ${bad.join('; ')}`);
      continue;
    }
    seen.add(id);
    feeds.push({ id, url: rawUrl, kind: lower.includes('html') ? 'html' : 'rss', dprkDedicated: lower.includes('dprk') });
  }
  return problems.length ? { ok: false, problems } : { ok: true, feeds };
}

function defaultFeeds(): FeedSpec[] {
  const parsed = parseReportFeeds(DEFAULT_REPORT_FEEDS);
  if (!parsed.ok) throw new Error(`built-in REPORT_FEEDS default is invalid: ${parsed.problems.join('; ')}`);
  return parsed.feeds;
}

const reportFeeds = z.string().transform((text, ctx): FeedSpec[] => {
  const parsed = parseReportFeeds(text);
  if (parsed.ok) return parsed.feeds;
  for (const message of parsed.problems) ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
});


/** The settings this module reads; the lead merges the shape into src/config.ts. */
export const FeedsConfigSchema = z.object({
  REPORT_FEEDS: reportFeeds.default(defaultFeeds()),
  REPORT_FEEDS_CRON: cron.default(DEFAULT_REPORT_FEEDS_CRON),
});
export type FeedsConfig = z.infer<typeof FeedsConfigSchema>;

function titleOf(spec: FeedSpec): string {
  if (Object.hasOwn(FEED_TITLES, spec.id)) return FEED_TITLES[spec.id]!;
  let host = spec.url;
  try {
    host = new URL(spec.url).host || spec.url;
  } catch {
    // validated already; keep the raw URL
  }
  return `${spec.id} (${host})`;
}

/** The configured feeds with their human titles, in configuration order. */
export function configuredFeeds(config: Pick<FeedsConfig, 'REPORT_FEEDS'>): ConfiguredFeed[] {
  return config.REPORT_FEEDS.map((spec) => ({ ...spec, title: titleOf(spec) }));
}
