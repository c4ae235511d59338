import { DiscordAPIError, HTTPError, REST, Routes } from 'discord.js';
import type { Alert } from '../core/alerts.js';
import { createHash } from 'node:crypto';
import { chatOutput, type DeliveryRef } from '../delivery/fanout.js';
import type { AlertOutput } from '../delivery/output.js';
import type { Log } from '../log.js';
import { renderAlertForDiscord, renderDigestForDiscord, type DiscordMessagePayload } from '../render/discord.js';
import type { Store } from '../store/store.js';
import { configuredWebhook, instantTargets, type Destination, type Subscription } from '../subscriptions/model.js';
import { DISCORD_DEFAULT_API_URL, parseWebhookUrl, redactWebhookUrl, type DiscordConfig } from '../settings/discord.js';

/**
 * Discord's answers that mean a destination is gone for good: the subscription is disabled
 * (and says why in /dprk subscriptions) instead of being retried forever.
 */
export const PERMANENT_CODES: Readonly<Record<number, string>> = {
  10003: 'Unknown Channel (the channel was deleted)',
  10004: 'Unknown Guild (the bot was removed from the server)',
  10015: 'Unknown Webhook (the webhook was deleted)',
  50001: 'Missing Access (the bot cannot see the channel)',
  50013: 'Missing Permissions (the bot may not post embeds in the channel)',
};

export type DeliveryFailure =
  /** The destination is gone: disable its subscription. */
  | { kind: 'gone'; reason: string }
  /** Discord refused this message for good (4xx): retrying cannot help; logged, not retried. */
  | { kind: 'rejected'; reason: string }
  /** Try again later: 5xx, network, timeouts, rate limits, a bad token. */
  | { kind: 'transient'; reason: string };

/** A stored webhook destination that is not a Discord webhook URL: it can never work. */
class InvalidWebhookUrl extends Error {
  override name = 'InvalidWebhookUrl';
}

export function classifyDiscordError(e: unknown): DeliveryFailure {
  if (e instanceof InvalidWebhookUrl) return { kind: 'gone', reason: e.message };
  if (e instanceof DiscordAPIError) {
    const code = typeof e.code === 'number' ? e.code : Number(e.code);
    const permanent = PERMANENT_CODES[code];
    if (permanent) return { kind: 'gone', reason: `${permanent} — Discord error ${code}` };
    if (e.status === 401 || e.status === 408 || e.status === 429 || e.status >= 500)
      return { kind: 'transient', reason: `HTTP ${e.status} ${e.message}` };
    return { kind: 'rejected', reason: `HTTP ${e.status} code ${String(e.code)}: ${e.message}` };
  }
  if (e instanceof HTTPError) return { kind: 'transient', reason: `HTTP ${e.status} ${e.message}` };
  return { kind: 'transient', reason: (e as Error)?.message ?? String(e) };
}

export interface DiscordOutputOptions {
  /** The store the subscriptions live in (Services satisfies this; `config` may carry the Discord settings). */
  services: { store: Store; config?: unknown };
  log: Log;
  /** A REST client to share (the bot's `client.rest`, so one rate limiter covers both). */
  rest?: REST;
  /** Otherwise a REST client is made with this token (DISCORD_TOKEN) … */
  token?: string;
  /** … against this API base (DISCORD_API_URL). */
  apiUrl?: string;
  /** DISCORD_WEBHOOK_URLS; each acts as a subscription to every topic. Default: from services.config. */
  webhookUrls?: readonly string[];
  /** Destinations sent to at once (each channel has its own rate-limit bucket). Default DISCORD_FANOUT_CONCURRENCY. */
  concurrency?: number;
}



/**
 * Channels posted to at once. The pace is set by discord.js' REST limiter (Discord's 50
 * requests/s per bot, and 5 per 5 s per channel), not by this number; it only has to keep
 * enough requests in flight for that limiter to reach 50/s: 50/s × a round trip of up to
 * ~0.5 s (Discord is 20–200 ms away, plus our delivery record's write) = 25. With 8, a
 * 500-channel alert 200 ms from Discord took 14 s instead of 10 (bench/fanout.bench.ts).
 */
export const DISCORD_FANOUT_CONCURRENCY = 25;

/**
 * The nonce for one (alert, destination, message): at most 25 characters (Discord's limit),
 * the same in every process and on every retry.
 */
export const deliveryNonce = (d: DeliveryRef): string =>
  createHash('sha256').update(`${d.alertId}\0${d.key}`).digest('base64url').slice(0, 25);

function describeDestination(d: Destination): string {
  return d.platform === 'discord-webhook' ? `webhook ${redactWebhookUrl(d.channelId)}` : `channel ${d.channelId}${d.workspaceId ? ` (guild ${d.workspaceId})` : ''}`;
}

const DISCORD = { channel: 'discord', webhook: 'discord-webhook', configVariable: 'DISCORD_WEBHOOK_URLS' } as const;

/** What a DISCORD_WEBHOOK_URLS entry means: a subscription to every topic, no filters, instant. */
export const webhookSubscription = (url: string, now?: string): Subscription =>
  configuredWebhook(DISCORD.webhook, url, DISCORD.configVariable, now);

/** The Discord destinations that get an alert now: instant subscriptions that want it, and the configured webhooks. */
export const discordTargets = (alert: Alert, stored: readonly Subscription[], webhookUrls: readonly string[]): Subscription[] =>
  instantTargets(alert, stored, DISCORD, webhookUrls);

/**
 * Alerts to Discord over REST (discord.js' REST client and its rate limiter): every
 * Discord subscription that wants the alert (instant mode; digests are sent elsewhere) and
 * every DISCORD_WEBHOOK_URLS webhook. A destination that is gone for good (10003, 10004,
 * 10015, 50001, 50013) is disabled and the rest still get the alert; a transient failure
 * throws after the other destinations were served, so the outbox retries, and the retry
 * sends only what did not arrive.
 */
export function discordOutput(opts: DiscordOutputOptions): AlertOutput {
  const { store } = opts.services;
  const config = (opts.services.config ?? {}) as Partial<DiscordConfig>;
  const log = opts.log;
  const webhookUrls = opts.webhookUrls ?? config.DISCORD_WEBHOOK_URLS ?? [];
  const token = opts.token ?? config.DISCORD_TOKEN;
  const rest = opts.rest ?? new REST({ api: opts.apiUrl ?? config.DISCORD_API_URL ?? DISCORD_DEFAULT_API_URL, version: '10' });
  if (!opts.rest && token) rest.setToken(token);
  const hasToken = Boolean(opts.rest || token);

  async function send(sub: Subscription, message: DiscordMessagePayload, delivery: DeliveryRef): Promise<void> {
    if (sub.platform === 'discord-webhook') {
      const hook = parseWebhookUrl(sub.channelId);
      if (!hook) throw new InvalidWebhookUrl('stored destination is not a Discord webhook URL');
      const query = new URLSearchParams({ wait: 'true' });
      if (hook.threadId) query.set('thread_id', hook.threadId);
      await rest.post(Routes.webhook(hook.id, hook.token), { body: message, auth: false, query });
      return;
    }
    // With enforce_nonce Discord answers a repeated nonce with the message it already created,
    // so a retry after a crash between Discord's answer and our record cannot post twice.
    await rest.post(Routes.channelMessages(sub.channelId), { body: { ...message, nonce: deliveryNonce(delivery), enforce_nonce: true } });
  }

  return chatOutput({
    name: 'discord',
    platform: 'Discord',
    channel: 'discord',
    webhook: 'discord-webhook',
    canPostToChannels: hasToken,
    tokenVariable: 'DISCORD_TOKEN',
    targetsFor: (alert, stored) => discordTargets(alert, stored, webhookUrls),
    render: renderAlertForDiscord,
    renderDigest: renderDigestForDiscord,
    store,
    log,
    concurrency: opts.concurrency ?? DISCORD_FANOUT_CONCURRENCY,
    // Bot-channel posts carry a nonce with enforce_nonce: a repeat returns the first message.
    // Webhooks take no nonce, so a repeat there would be a visible duplicate.
    idempotent: (d) => d.platform === DISCORD.channel,
    send,
    classify: classifyDiscordError,
    describe: describeDestination,
  });
}
