import { z } from 'zod';
import type { Alert } from '../core/alerts.js';
import { PartyTypeSchema } from '../core/designation.js';

export const TOPICS = ['designations', 'reports', 'verdicts', 'source-health'] as const;
export const TopicSchema = z.enum(TOPICS);
export type Topic = z.infer<typeof TopicSchema>;

export const DestinationSchema = z.object({
  platform: z.enum(['discord', 'slack', 'discord-webhook', 'slack-webhook']),
  /** Discord guild / Slack team (absent for webhooks). */
  workspaceId: z.string().optional(),
  /** Channel id, or the webhook URL for webhook destinations. */
  channelId: z.string().min(1),
});
export type Destination = z.infer<typeof DestinationSchema>;

export const FiltersSchema = z.object({
  /** Only these lists (ofac-sdn, un-sc). */
  lists: z.array(z.string()).default([]),
  /** Only designations carrying one of these programs (DPRK3, CYBER2…). */
  programs: z.array(z.string()).default([]),
  types: z.array(PartyTypeSchema).default([]),
  /** Only alerts whose text contains one of these words (case-insensitive). */
  keywords: z.array(z.string()).default([]),
});
export type Filters = z.infer<typeof FiltersSchema>;

export const DeliverySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('instant') }),
  z.object({
    mode: z.literal('digest'),
    /** Local time of day, HH:MM. */
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM (24-hour)'),
    timezone: z.string(),
    /** On a day with nothing new: stay silent (skip), or post "nothing new since …" (post). */
    quiet: z.enum(['skip', 'post']).default('skip'),
  }),
]);
export type Delivery = z.infer<typeof DeliverySchema>;

export const SubscriptionSchema = DestinationSchema.extend({
  topics: z.array(TopicSchema).min(1),
  filters: FiltersSchema,
  delivery: DeliverySchema,
  createdBy: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Set when the platform said the destination is gone for good (deleted channel, lost access). */
  disabled: z.object({ reason: z.string(), at: z.string() }).optional(),
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

export const destinationKey = (d: Destination): string => `${d.platform}:${d.workspaceId ?? '-'}:${d.channelId}`;

export function topicOf(alert: Alert): Topic {
  if (alert.kind.startsWith('designation.')) return 'designations';
  if (alert.kind.startsWith('report.')) return 'reports';
  if (alert.kind.startsWith('verdict.')) return 'verdicts';
  return 'source-health';
}

/** Whether a subscription wants an alert: its topic, then every filter it set. */
export function wants(sub: Subscription, alert: Alert): boolean {
  if (sub.disabled) return false;
  // A watchlist match belongs to the channel that watches (instantTargets adds it): a channel's
  // counterparties are its own business, so no subscription, webhook or digest gets it.
  if (alert.kind === 'watch.matched') return false;
  if (!sub.topics.includes(topicOf(alert))) return false;
  const f = sub.filters;
  if (f.lists.length > 0 && !f.lists.includes(alert.source)) return false;
  if ('record' in alert) {
    if (f.programs.length > 0 && !alert.programs.some((p) => f.programs.includes(p))) return false;
    if (f.types.length > 0 && !f.types.includes(alert.record.type)) return false;
  } else if (f.programs.length > 0 || f.types.length > 0) {
    // Program and type filters describe designations; other topics pass them untouched.
  }
  if (f.keywords.length > 0) {
    const text = JSON.stringify(alert).toLowerCase();
    if (!f.keywords.some((k) => text.includes(k.toLowerCase()))) return false;
  }
  return true;
}

type Platform = Destination['platform'];

/** What a *_WEBHOOK_URLS entry means: a subscription to every topic, no filters, instant. */
export function configuredWebhook(platform: Platform, url: string, configVariable: string, now = new Date().toISOString()): Subscription {
  return {
    platform,
    channelId: url,
    topics: [...TOPICS],
    filters: { lists: [], programs: [], types: [], keywords: [] },
    delivery: { mode: 'instant' },
    createdAt: now,
    updatedAt: now,
    createdBy: configVariable,
  };
}

/**
 * The destinations of one platform that get an alert now: instant subscriptions that want
 * it, and the configured webhooks. A stored entry for a configured webhook (disabled, or
 * re-filtered) decides for it; otherwise the webhook gets everything.
 */
export function instantTargets(
  alert: Alert,
  stored: readonly Subscription[],
  platforms: { channel: Platform; webhook: Platform; configVariable: string },
  webhookUrls: readonly string[],
): Subscription[] {
  if (alert.kind === 'watch.matched') {
    // Only the watching channel, unless the platform disabled it (deleted channel, lost access).
    if (alert.destination.platform !== platforms.channel) return [];
    const here = stored.find((s) => destinationKey(s) === destinationKey(alert.destination));
    if (here?.disabled) return [];
    const now = new Date().toISOString();
    return [{ ...alert.destination, topics: [...TOPICS], filters: { lists: [], programs: [], types: [], keywords: [] }, delivery: { mode: 'instant' }, createdAt: now, updatedAt: now, createdBy: 'watchlist' }];
  }
  const known = new Set(stored.map(destinationKey));
  const targets = stored.filter(
    (s) => (s.platform === platforms.channel || s.platform === platforms.webhook) && s.delivery.mode === 'instant' && wants(s, alert),
  );
  for (const url of new Set(webhookUrls)) {
    const sub = configuredWebhook(platforms.webhook, url, platforms.configVariable);
    if (!known.has(destinationKey(sub)) && wants(sub, alert)) targets.push(sub);
  }
  return targets;
}
