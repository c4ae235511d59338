import { z } from 'zod';
import { AlertEnvelopeSchema } from './alert-envelope.js';
import { sha256 } from './snapshot.js';

/** The one chat channel a watchlist belongs to: watch alerts go there and nowhere else. */
export const WatchDestinationSchema = z.object({
  platform: z.enum(['discord', 'slack']),
  workspaceId: z.string().optional(),
  channelId: z.string().min(1),
});
export type WatchDestination = z.infer<typeof WatchDestinationSchema>;

/** What a channel watches: a name (matched fuzzily, as `entity` does) or a wallet address (exactly). */
export const WatchedItemSchema = z.object({
  /** The duplicate key: `name:<casefolded, single-spaced>` or `address:<identifier key>`. */
  key: z.string().min(1),
  /** As the channel manager typed it (trimmed). */
  input: z.string().min(1),
  kind: z.enum(['name', 'address']),
  addedAt: z.string(),
  addedBy: z.string().optional(),
});
export type WatchedItem = z.infer<typeof WatchedItemSchema>;

/** The match a watch alert reports: a designation on a list, or a law-enforcement attribution. */
export const WatchMatchSchema = z.object({
  type: z.enum(['designation', 'attribution']),
  /** A list id (ofac-sdn, un-sc…), `seeds`, or `attribution:<id>`. */
  source: z.string(),
  /** The list's record id, or the attribution's id. */
  sourceId: z.string(),
  /** The designated party's name, or the attributed actor's. */
  name: z.string(),
  /** The name, alias or address that matched, as published. */
  matchedOn: z.string(),
  matchKind: z.enum(['name', 'alias', 'identifier']),
  /** 0..1 (1: an exact name after normalization, or an address). */
  score: z.number().min(0).max(1),
  partyType: z.string().optional(),
  /** The designated party is DPRK-related (an attribution is, by definition). */
  dprk: z.boolean().default(false),
  programs: z.array(z.string()).default([]),
  /** Every list that carries the party (its own and the same party's other listings), as labels. */
  lists: z.array(z.string()).default([]),
  /** For an attribution: who attributes it to whom, for what ("attributed by the FBI to …"). */
  description: z.string().optional(),
  url: z.string(),
});
export type WatchMatch = z.infer<typeof WatchMatchSchema>;

/** A watched name or address newly matches a designation or an attribution: for the watching channel only. */
export const WatchAlertSchema = AlertEnvelopeSchema.extend({
  kind: z.literal('watch.matched'),
  destination: WatchDestinationSchema,
  watch: WatchedItemSchema.pick({ input: true, kind: true, addedAt: true }),
  match: WatchMatchSchema,
});
export type WatchAlert = z.infer<typeof WatchAlertSchema>;

/** The stable name of a match: what "already seen" and the alert id are keyed by. */
export const matchKey = (m: Pick<WatchMatch, 'source' | 'sourceId'>): string => `${m.source}|${m.sourceId}`;

const destinationKey = (d: WatchDestination) => `${d.platform}:${d.workspaceId ?? '-'}:${d.channelId}`;

/**
 * Alert id: a hash of the channel, the watched item (its key and when it was added) and the
 * matched record. Every process, every retry and every later poll computes the same id, so the
 * store records the alert once; a watch removed and added again is a new watch (new addedAt).
 */
export function watchAlertId(destination: WatchDestination, item: Pick<WatchedItem, 'key' | 'addedAt'>, match: Pick<WatchMatch, 'source' | 'sourceId'>): string {
  return sha256(['watch', destinationKey(destination), item.key, item.addedAt, matchKey(match)].join('|')).slice(0, 24);
}

/** The alert for one new match of one watched item. */
export function buildWatchAlert(
  destination: WatchDestination,
  item: WatchedItem,
  match: WatchMatch,
  ctx: { sourceLabel: string; detectedAt: string; dprk: boolean },
): WatchAlert {
  const score = match.type === 'attribution' ? 'attributed wallet' : `score ${match.score.toFixed(2)}`;
  const what = match.type === 'attribution' ? `${match.description ?? `attributed to ${match.name}`} (not a sanctions designation)` : `${ctx.sourceLabel} ${match.sourceId} ${match.name}`;
  return {
    id: watchAlertId(destination, item, match),
    kind: 'watch.matched',
    source: match.source,
    sourceLabel: ctx.sourceLabel,
    dprk: ctx.dprk,
    detectedAt: ctx.detectedAt,
    url: match.url,
    summary: `Watched ${item.kind} “${item.input}” now matches ${what} (${score})`,
    destination,
    watch: { input: item.input, kind: item.kind, addedAt: item.addedAt },
    match,
  };
}
