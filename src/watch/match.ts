import { SOURCE_LABELS } from '../core/alerts.js';
import { buildWatchAlert, matchKey, type WatchAlert, type WatchMatch, type WatchedItem } from '../core/watch.js';
import type { Log } from '../log.js';
import { describeAttribution, type AttributionIndex } from '../search/attributions.js';
import { DEFAULT_MIN_SCORE, type EntityIndex } from '../search/entity-index.js';
import type { LookupService } from '../search/lookup-service.js';
import type { Store } from '../store/store.js';
import { WatchlistStore } from './store.js';

/** Results looked at per watched item: a common name can match several records. */
const MAX_MATCHES = 10;

/** Everything a watched item matches now, best first: designations (lookup engine) and attributions. */
export function watchMatches(index: EntityIndex, attributions: AttributionIndex, item: Pick<WatchedItem, 'input' | 'kind'>): WatchMatch[] {
  const results =
    item.kind === 'address'
      ? index.lookup(item.input, { limit: MAX_MATCHES }).filter((r) => r.matchKind === 'identifier' && r.identifier?.kind === 'crypto')
      : index.lookup(item.input, { limit: MAX_MATCHES, minScore: DEFAULT_MIN_SCORE });
  const out = new Map<string, WatchMatch>();
  for (const r of results) {
    const m: WatchMatch = {
      type: 'designation',
      source: r.source,
      sourceId: r.sourceId,
      name: r.name,
      matchedOn: r.matchedOn,
      matchKind: r.matchKind,
      score: r.score,
      partyType: r.type,
      dprk: r.dprk,
      programs: r.programs,
      lists: [...new Set([r.source, ...r.crossReferences.map((x) => x.source)])].map((s) => SOURCE_LABELS[s]),
      url: r.url,
    };
    const k = matchKey(m);
    if (!out.has(k) || out.get(k)!.score < m.score) out.set(k, m);
  }
  if (item.kind === 'address')
    for (const h of attributions.forAddress(item.input)) {
      const m: WatchMatch = {
        type: 'attribution',
        source: `attribution:${h.attribution.id}`,
        sourceId: h.attribution.id,
        name: h.attribution.actor.name,
        matchedOn: h.address.address,
        matchKind: 'identifier',
        score: 1,
        dprk: true,
        programs: [],
        lists: [],
        description: describeAttribution(h.attribution),
        url: h.attribution.url,
      };
      out.set(matchKey(m), m);
    }
  return [...out.values()];
}

/** The label of a match's source for alerts and replies. */
export function matchSourceLabel(m: WatchMatch, attributions: AttributionIndex): string {
  if (m.type === 'attribution') return attributions.attributions.find((a) => a.id === m.sourceId)?.attributedBy.short ?? m.sourceId;
  return SOURCE_LABELS[m.source as keyof typeof SOURCE_LABELS] ?? m.source;
}

/**
 * After a poll stored a new edition of a list: every watched item of every channel is matched
 * again against the lists as they are now, and each match the channel has not seen (not told
 * when the item was added, not alerted before) becomes a `watch.matched` alert for that channel.
 * Alerts are recorded first (their ids are deterministic, so a re-run or a second process records
 * nothing twice), then the matches are marked seen.
 */
export async function checkWatchlists(deps: {
  store: Store;
  lookup: LookupService;
  attributions: AttributionIndex;
  log?: Log;
  now?: () => Date;
}): Promise<WatchAlert[]> {
  const watchlists = new WatchlistStore(deps.store);
  const lists = await watchlists.all();
  if (lists.length === 0) return [];
  // The poll just stored a new edition: match against it, not the index still answering lookups.
  const { index } = await deps.lookup.latest();
  const detectedAt = (deps.now?.() ?? new Date()).toISOString();
  const recorded: WatchAlert[] = [];
  for (const list of lists) {
    const alerts: WatchAlert[] = [];
    const seen = new Map<string, { addedAt: string; matches: string[] }>();
    for (const item of list.items) {
      const fresh = watchMatches(index, deps.attributions, item).filter((m) => !item.seen.includes(matchKey(m)));
      if (fresh.length === 0) continue;
      seen.set(item.key, { addedAt: item.addedAt, matches: fresh.map(matchKey) });
      for (const m of fresh)
        alerts.push(buildWatchAlert(list.destination, item, m, { sourceLabel: matchSourceLabel(m, deps.attributions), detectedAt, dprk: m.dprk }));
    }
    if (alerts.length === 0) continue;
    recorded.push(...(await deps.store.recordAlerts(alerts)));
    await watchlists.markSeen(list.destination, seen);
  }
  if (recorded.length > 0) deps.log?.info({ alerts: recorded.length }, 'watchlist matches raised alerts');
  return recorded;
}

