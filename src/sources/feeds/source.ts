import { z } from 'zod';
import type { Designation } from '../../core/designation.js';
import { matchDprkTerms } from '../../core/dprk-terms.js';
import { ReportAlertSchema, type ReportAlert } from '../../core/reports.js';
import { sha256 } from '../../core/snapshot.js';
import type { Log } from '../../log.js';
import type { Store } from '../../store/store.js';
import { fetchEdition, requireDocument } from '../documents.js';
import type { PollReportLine, Source } from '../source.js';
import { DEFAULT_REPORT_FEEDS_CRON, type ConfiguredFeed } from './config.js';
import { PartyMatcher } from './mentions.js';
import type { FeedItem } from './item.js';
import { parseFeedDocument, type ParsedFeed } from './parse.js';
import { truncate } from './text.js';

/** How many item ids are remembered per feed (the current window is never forgotten). */
export const SEEN_LIMIT = 5000;
/** A poll where more than this many items are new, and more than half the window, re-baselines. */
export const MASS_NEW_MIN = 20;
const SUMMARY_MAX = 500;
/** Matching looks at this much of an item's text (title, summary, body). */
const MATCH_TEXT_MAX = 200_000;

export type PollableFeed = Pick<ConfiguredFeed, 'id' | 'title' | 'url' | 'kind'> & { dprkDedicated?: boolean };

/** The stored designations (all lists) a feed's items are matched against; only DPRK-related ones count. */
export type PartiesOf = (store: Store) => Promise<Designation[]> | Designation[];

/** What is kept per feed: hashed ids of every item seen, oldest first. */
export const FeedStateSchema = z.object({
  url: z.string(),
  baselineAt: z.string(),
  ids: z.array(z.string()),
});
export type FeedState = z.infer<typeof FeedStateSchema>;

export const feedStateKey = (feedId: string): string => `feeds:${feedId}`;
export const feedSourceId = (feedId: string): string => `feed:${feedId}`;
/** Stored form of an item id: short, fixed length, whatever the guid or link. */
export const itemKey = (itemId: string): string => sha256(itemId).slice(0, 24);
/** Deterministic alert id: the same item of the same feed is one alert, on every instance and re-run. */
export const reportAlertId = (feedId: string, itemId: string): string => sha256(`report|${feedId}|${itemId}`).slice(0, 24);

/**
 * Remember `current` (the feed's window) as most recently seen, then forget the oldest ids
 * beyond the limit. The current window always survives, however large.
 */
export function rememberIds(previous: readonly string[], current: readonly string[], limit = SEEN_LIMIT): string[] {
  const now = new Set(current);
  const kept = previous.filter((id) => !now.has(id));
  const merged = [...kept, ...now];
  return merged.slice(-Math.max(limit, now.size));
}

// One matcher per party list: rebuilt only when the caller hands over a different array.
const matchers = new WeakMap<readonly Designation[], PartyMatcher>();
function matcherFor(parties: readonly Designation[]): PartyMatcher {
  let m = matchers.get(parties);
  if (!m) {
    m = PartyMatcher.build(parties);
    matchers.set(parties, m);
  }
  return m;
}

/** Oldest first: by date when every item has one, else the reverse of feed order (feeds list newest first). */
function deliveryOrder(items: readonly FeedItem[]): FeedItem[] {
  const reversed = [...items].reverse();
  if (!reversed.every((i) => i.publishedAt)) return reversed;
  return reversed.sort((a, b) => Date.parse(a.publishedAt!) - Date.parse(b.publishedAt!));
}

function newest(items: readonly FeedItem[]): string | undefined {
  let best: number | undefined;
  for (const i of items) {
    const ms = i.publishedAt ? Date.parse(i.publishedAt) : NaN;
    if (!Number.isNaN(ms) && (best === undefined || ms > best)) best = ms;
  }
  return best === undefined ? undefined : new Date(best).toISOString();
}

function buildAlert(feed: PollableFeed, item: FeedItem, matcher: PartyMatcher, detectedAt: string, log: Log): ReportAlert | undefined {
  const text = `${item.title}\n${item.summaryText}\n${item.bodyText}`.slice(0, MATCH_TEXT_MAX);
  const matchedTerms = matchDprkTerms(text);
  const entities = matcher.find(text);
  if (!feed.dprkDedicated && matchedTerms.length === 0 && entities.length === 0) return undefined;
  const link = item.link ?? feed.url;
  const summary = truncate(item.summaryText || item.bodyText, SUMMARY_MAX);
  const parsed = ReportAlertSchema.safeParse({
    id: reportAlertId(feed.id, item.id),
    kind: 'report.published',
    source: feedSourceId(feed.id),
    sourceLabel: feed.title,
    dprk: true,
    detectedAt,
    url: link,
    summary: item.title,
    report: {
      id: item.id,
      feed: feed.id,
      feedTitle: feed.title,
      title: item.title,
      link,
      ...(item.publishedAt ? { publishedAt: item.publishedAt } : {}),
      summary,
      matchedTerms,
      entities,
    },
  });
  if (parsed.success) return parsed.data;
  log.warn({ source: feedSourceId(feed.id), item: item.id }, `feed:${feed.id}: item "${item.title}" skipped: ${parsed.error.issues[0]?.message}`);
  return undefined;
}

/** A feed's edition: its items, one per id, in feed order. */
interface FeedEdition {
  items: FeedItem[];
  keys: string[];
  format: ParsedFeed['format'];
}

/**
 * A press-release or advisory feed (RSS, Atom, or an HTML listing page) as a source: its state
 * is the hashed ids of every item seen; an item not seen before that concerns the DPRK (a DPRK
 * term, a listed party named, or a DPRK-dedicated feed) is a `report.published` alert.
 *
 * - The first successful poll (or the first after the feed's URL changed) is a baseline.
 * - Items are known by guid/id/link/title hash, so rewritten dates and reordering repeat nothing.
 * - A feed whose ids all change at once (a CMS migration) re-baselines instead of alerting.
 */
export function feedSource(feed: PollableFeed, o: { parties: PartiesOf; cron?: string }): Source<FeedState, ReadonlyMap<string, Buffer>, FeedEdition, ReportAlert> {
  const id = feedSourceId(feed.id);
  const key = feedStateKey(feed.id);
  return {
    id,
    label: feed.title,
    url: feed.url,
    cron: o.cron ?? DEFAULT_REPORT_FEEDS_CRON,
    load: (ctx) => ctx.store.getValue(key, FeedStateSchema),
    // Without remembered ids, or for a new URL, a 304 must not stand in for the baseline.
    trustsValidators: (_, state) => state?.url === feed.url,
    fetch: (ctx, validators) => fetchEdition([{ url: feed.url }], validators, ctx.fetch),
    async parse(fetched) {
      const parsed = await parseFeedDocument(requireDocument(fetched.raw, feed.url), feed.kind, feed.url);
      // One item per id (a page may list a release twice).
      const items: FeedItem[] = [];
      const ids = new Set<string>();
      for (const item of parsed.items) {
        if (ids.has(item.id)) continue;
        ids.add(item.id);
        items.push(item);
      }
      return { items, keys: items.map((i) => itemKey(i.id)), format: parsed.format };
    },
    async compare(state, { items, keys, format }, ctx) {
      const listDate = newest(items);
      // A feed's date is its newest item's (none when no item is dated).
      const status = { recordCount: items.length, format, ...(listDate ? { listDate, listDateBasis: 'newest-item' as const } : {}) };
      const rebaseline = (why: string) => ({
        outcome: 'baseline' as const,
        alerts: [],
        changed: true,
        next: { url: feed.url, baselineAt: ctx.now, ids: rememberIds(state?.ids ?? [], keys) },
        status,
        warnings: [],
        report: () => ({ log: `${id} baseline stored: ${items.length} items (${why})`, fields: { items: items.length }, summary: 'baseline of the feed stored (no alerts on a first poll)' }),
      });
      if (!state) return rebaseline('first poll alerts nothing');
      if (state.url !== feed.url) return rebaseline(`URL changed from ${state.url}; alerts nothing`);

      const seen = new Set(state.ids);
      const fresh = items.filter((_, i) => !seen.has(keys[i]!));
      if (fresh.length === 0)
        return { outcome: 'unchanged', alerts: [], changed: false, status, warnings: [], report: () => ({ log: `${id}: no new items`, level: 'debug', summary: 'unchanged' }) };
      if (fresh.length > MASS_NEW_MIN && fresh.length > items.length / 2) {
        ctx.log.warn(
          { source: id, fresh: fresh.length, items: items.length },
          `${id}: ${fresh.length} of ${items.length} items look new at once — the feed probably changed its item ids; re-baselining instead of alerting`,
        );
        return rebaseline('item ids changed en masse');
      }

      const matcher = matcherFor(await o.parties(ctx.store));
      const alerts: ReportAlert[] = [];
      for (const item of deliveryOrder(fresh)) {
        const alert = buildAlert(feed, item, matcher, ctx.now, ctx.log);
        if (alert) alerts.push(alert);
      }
      return {
        outcome: 'changed',
        alerts,
        changed: true,
        next: { url: feed.url, baselineAt: state.baselineAt, ids: rememberIds(state.ids, keys) },
        status,
        warnings: [],
        report: (recorded): PollReportLine => ({
          log: `${id}: ${fresh.length} new item(s), ${alerts.length} DPRK-relevant, ${recorded.length} new alert(s)`,
          fields: { fresh: fresh.length, relevant: alerts.length, alerts: recorded.length },
          summary: `${recorded.length} new DPRK-relevant item(s)`,
        }),
      };
    },
    save: (ctx, next) => ctx.store.setValue(key, next satisfies FeedState),
  };
}
