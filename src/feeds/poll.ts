import { z } from 'zod';
import type { Designation } from '../core/designation.js';
import { matchDprkTerms } from '../core/dprk-terms.js';
import { ReportAlertSchema, type ReportAlert } from '../core/reports.js';
import { sha256 } from '../core/snapshot.js';
import type { Log } from '../log.js';
import { fetchDocuments } from '../sources/documents.js';
import type { FetchOptions } from '../sources/fetcher.js';
import type { SourceStatus, Store } from '../store/store.js';
import type { ConfiguredFeed } from './config.js';
import { PartyMatcher } from './mentions.js';
import { parseFeedDocument, type FeedItem } from './parse.js';
import { truncate } from './text.js';

/** How many item ids are remembered per feed (the current window is never forgotten). */
export const SEEN_LIMIT = 5000;
/** A poll where more than this many items are new, and more than half the window, re-baselines. */
export const MASS_NEW_MIN = 20;
const SUMMARY_MAX = 500;
/** Matching looks at this much of an item's text (title, summary, body). */
const MATCH_TEXT_MAX = 200_000;

export type PollableFeed = Pick<ConfiguredFeed, 'id' | 'title' | 'url' | 'kind'> & { dprkDedicated?: boolean };

export interface FeedPollDeps {
  store: Store;
  log: Log;
  fetch: Omit<FetchOptions, 'previous'>;
  /** The stored designations (all lists); only DPRK-related ones are matched. */
  parties: () => Promise<Designation[]> | Designation[];
  now?: () => Date;
}

export interface FeedPollResult {
  outcome: 'baseline' | 'unchanged' | 'changed' | 'degraded';
  /** Alerts recorded by this poll (new ones only; a re-run records nothing twice). */
  alerts: ReportAlert[];
  reason?: string;
}

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

/**
 * Poll one report feed: fetch (conditional GET, timeout, size cap) → parse → keep the items
 * not seen before → keep the DPRK-relevant ones → persist their alerts → remember the ids.
 *
 * - The first successful poll (or the first after the feed's URL changed) is a baseline.
 * - Items are known by guid/id/link/title hash, so rewritten dates and reordering repeat nothing.
 * - A failure (HTTP error, timeout, empty body, HTML in place of the feed, malformed XML, no
 *   items) marks `feed:<id>` degraded with the reason and keeps the remembered ids.
 * - Alerts are persisted before the ids are remembered; their ids are deterministic, so a crash
 *   in between re-runs into the same alerts and records none twice.
 */
export async function pollFeed(feed: PollableFeed, deps: FeedPollDeps): Promise<FeedPollResult> {
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const { log, store } = deps;
  const source = feedSourceId(feed.id);
  const key = feedStateKey(feed.id);
  const previous: SourceStatus = (await store.getStatus(source)) ?? { source, url: feed.url, warnings: [], documents: [] };
  const state = await store.getValue(key, FeedStateSchema);
  // Without remembered ids, or for a new URL, a 304 must not stand in for the baseline.
  const documents = state && state.url === feed.url && previous.url === feed.url ? previous.documents : [];
  const status: SourceStatus = { ...previous, url: feed.url, lastAttemptAt: now };
  const { degraded: wasDegraded, ...healthy } = status;

  const degrade = async (reason: string): Promise<FeedPollResult> => {
    const since = wasDegraded?.since ?? now;
    await store.setStatus({ ...status, degraded: { reason, since } });
    log.warn({ source, reason, degradedSince: since }, `${source} degraded: ${reason}`);
    return { outcome: 'degraded', alerts: [], reason };
  };

  try {
    const fetched = await fetchDocuments([{ url: feed.url }], documents, deps.fetch);
    if (fetched.unchanged) {
      await store.setStatus({ ...healthy, lastSuccessAt: now, documents: fetched.states });
      log.debug({ source }, `${source} unchanged`);
      return { outcome: 'unchanged', alerts: [] };
    }
    const body = fetched.bodies.get(feed.url) ?? [...fetched.bodies.values()][0];
    if (!body) throw new Error('the server sent no body');
    const parsed = await parseFeedDocument(body, feed.kind, feed.url);

    // One item per id (a page may list a release twice).
    const items: FeedItem[] = [];
    const ids = new Set<string>();
    for (const item of parsed.items) {
      if (ids.has(item.id)) continue;
      ids.add(item.id);
      items.push(item);
    }
    const keys = items.map((i) => itemKey(i.id));
    const listDate = newest(items);
    // A feed's date is its newest item's: say so, and drop an older one when no item is dated.
    const { listDate: _date, listDateBasis: _basis, ...undated } = healthy;
    const healthyStatus = (changed: boolean): SourceStatus => ({
      ...undated,
      lastSuccessAt: now,
      lastChangeAt: changed ? now : previous.lastChangeAt,
      recordCount: items.length,
      format: parsed.format,
      documents: fetched.states,
      warnings: [],
      ...(listDate ? { listDate, listDateBasis: 'newest-item' as const } : {}),
    });

    const rebaseline = async (why: string): Promise<FeedPollResult> => {
      await store.setValue(key, { url: feed.url, baselineAt: now, ids: rememberIds(state?.ids ?? [], keys) } satisfies FeedState);
      await store.setStatus(healthyStatus(true));
      log.info({ source, items: items.length }, `${source} baseline stored: ${items.length} items (${why})`);
      return { outcome: 'baseline', alerts: [] };
    };

    if (!state) return await rebaseline('first poll alerts nothing');
    if (state.url !== feed.url) return await rebaseline(`URL changed from ${state.url}; alerts nothing`);

    const seen = new Set(state.ids);
    const fresh = items.filter((_, i) => !seen.has(keys[i]!));
    if (fresh.length === 0) {
      await store.setStatus(healthyStatus(false));
      log.debug({ source }, `${source}: no new items`);
      return { outcome: 'unchanged', alerts: [] };
    }
    if (fresh.length > MASS_NEW_MIN && fresh.length > items.length / 2) {
      log.warn(
        { source, fresh: fresh.length, items: items.length },
        `${source}: ${fresh.length} of ${items.length} items look new at once — the feed probably changed its item ids; re-baselining instead of alerting`,
      );
      return await rebaseline('item ids changed en masse');
    }

    const matcher = matcherFor(await deps.parties());
    const built: ReportAlert[] = [];
    for (const item of deliveryOrder(fresh)) {
      const alert = buildAlert(feed, item, matcher, now, log);
      if (alert) built.push(alert);
    }
    const alerts = await store.recordAlerts(built);
    await store.setValue(key, { url: feed.url, baselineAt: state.baselineAt, ids: rememberIds(state.ids, keys) } satisfies FeedState);
    await store.setStatus(healthyStatus(true));
    log.info(
      { source, fresh: fresh.length, relevant: built.length, alerts: alerts.length },
      `${source}: ${fresh.length} new item(s), ${built.length} DPRK-relevant, ${alerts.length} new alert(s)`,
    );
    return { outcome: 'changed', alerts };
  } catch (e) {
    return degrade((e as Error).message);
  }
}
