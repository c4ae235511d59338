import { webApi } from '@slack/bolt';
import type { Alert } from '../core/alerts.js';
import { chatOutput } from '../delivery/fanout.js';
import { KeyedPacer } from '../delivery/pacer.js';
import type { AlertOutput } from '../delivery/output.js';
import type { Log } from '../log.js';
import { renderAlertForSlack, renderDigestForSlack, type SlackMessage } from '../render/slack.js';
import type { Store } from '../store/store.js';
import { configuredWebhook, instantTargets, type Destination, type Subscription } from '../subscriptions/model.js';
import { slackSettings } from '../settings/slack.js';

type WebClient = InstanceType<typeof webApi.WebClient>;

/**
 * Slack's answers that mean a destination is gone for good: its subscription is disabled,
 * with the reason shown by /dprk subscriptions, instead of being retried forever.
 * (chat.postMessage error codes, and the bodies incoming webhooks answer with.)
 */
export const PERMANENT_ERRORS: Readonly<Record<string, string>> = {
  channel_not_found: 'the channel was deleted, or the bot cannot see it',
  not_in_channel: 'a private channel the bot is not a member of (invite it with /invite @dprk-watch)',
  is_archived: 'the channel was archived',
  channel_is_archived: 'the channel was archived',
  account_inactive: 'the bot was deactivated or the app uninstalled',
  team_access_not_granted: 'the app is not allowed in this workspace',
  restricted_action: 'the workspace does not let the bot post in this channel',
  restricted_action_read_only_channel: 'the channel is read-only',
  restricted_action_thread_only_channel: 'the channel only allows threads',
  restricted_action_non_threadable_channel: 'the channel does not allow this post',
  no_service: 'the webhook was removed or disabled',
  no_active_hooks: 'the webhook was removed or disabled',
  invalid_token: 'the webhook URL is no longer valid',
  action_prohibited: 'an admin restricted this webhook',
  team_disabled: 'the workspace was disabled',
  user_not_found: 'the webhook’s user is gone',
};

/** Slack refused this message itself: retrying the same payload cannot help. */
export const REJECTED_ERRORS: ReadonlySet<string> = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_attachments',
  'msg_too_long',
  'msg_blocks_too_long',
  'no_text',
  'too_many_attachments',
  'invalid_arguments',
  'invalid_payload',
  'invalid_form_data',
  'markdown_text_conflict',
]);

export type SlackFailure =
  /** The destination is gone: disable its subscription. */
  | { kind: 'gone'; reason: string }
  /** Slack refused this payload for good; logged, retried once as plain text, not retried after. */
  | { kind: 'rejected'; reason: string }
  /** Try again later (5xx, network, rate limits, token problems); `retryAfterMs` when Slack said. */
  | { kind: 'transient'; reason: string; retryAfterMs?: number };

function byCode(code: string, what: string): SlackFailure {
  const gone = PERMANENT_ERRORS[code];
  if (gone) return { kind: 'gone', reason: `${code}: ${gone}` };
  if (REJECTED_ERRORS.has(code)) return { kind: 'rejected', reason: `${what} ${code}` };
  return { kind: 'transient', reason: `${what} ${code}` };
}

/** Classify an error thrown by @slack/web-api (chat.postMessage). */
export function classifySlackError(e: unknown): SlackFailure {
  if (e instanceof webApi.WebAPIPlatformError) return byCode(String(e.data.error), 'Slack error');
  if (e instanceof webApi.WebAPIRateLimitedError)
    return { kind: 'transient', reason: `rate limited (Retry-After ${e.retryAfter}s)`, retryAfterMs: e.retryAfter * 1000 };
  if (e instanceof webApi.WebAPIHTTPError) return { kind: 'transient', reason: `HTTP ${e.statusCode} ${e.statusMessage}` };
  if (e instanceof webApi.WebAPIRequestError) return { kind: 'transient', reason: `network: ${e.original?.message ?? e.message}` };
  return { kind: 'transient', reason: (e as Error)?.message ?? String(e) };
}

/** Classify an incoming-webhook answer (status and body text). */
export function classifyWebhookResponse(status: number, body: string, retryAfter: string | null): SlackFailure | undefined {
  if (status >= 200 && status < 300) return undefined;
  const code = body.trim().slice(0, 100) || `http_${status}`;
  if (status === 429) return { kind: 'transient', reason: `webhook rate limited (${code})`, retryAfterMs: retryAfterMs(retryAfter) ?? 1000 };
  if (status >= 500) return { kind: 'transient', reason: `webhook HTTP ${status} ${code}` };
  const f = byCode(code, `webhook HTTP ${status}`);
  if (f.kind !== 'transient') return f;
  if (status === 404 || status === 410) return { kind: 'gone', reason: `HTTP ${status} ${code}: the webhook no longer exists` };
  if (status === 403) return { kind: 'gone', reason: `HTTP 403 ${code}: the webhook may no longer post` };
  if (status === 400) return { kind: 'rejected', reason: `webhook HTTP 400 ${code}` };
  return f;
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const s = Number(header);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** A webhook URL safe to log: only its host and the start of its path. */
export function redactSlackWebhookUrl(url: string): string {
  try {
    const u = new URL(url);
    const parts = u.pathname.split('/').filter(Boolean);
    return `${u.protocol}//${u.host}/${parts.slice(0, Math.max(1, parts.length - 1)).join('/')}/[redacted]`;
  } catch {
    return '[invalid webhook URL]';
  }
}

const SLACK = { channel: 'slack', webhook: 'slack-webhook', configVariable: 'SLACK_WEBHOOK_URLS' } as const;

/** What a SLACK_WEBHOOK_URLS entry means: a subscription to every topic, no filters, instant. */
export const slackWebhookSubscription = (url: string, now?: string): Subscription =>
  configuredWebhook(SLACK.webhook, url, SLACK.configVariable, now);

/** The Slack destinations that get an alert now: instant subscriptions that want it, and the configured webhooks. */
export const slackTargets = (alert: Alert, stored: readonly Subscription[], webhookUrls: readonly string[]): Subscription[] =>
  instantTargets(alert, stored, SLACK, webhookUrls);

function describe(d: Destination): string {
  return d.platform === 'slack-webhook' ? `webhook ${redactSlackWebhookUrl(d.channelId)}` : `channel ${d.channelId}${d.workspaceId ? ` (team ${d.workspaceId})` : ''}`;
}

/** The body to send: a message without blocks is sent as text alone (an empty blocks array is refused). */
const payloadOf = (m: SlackMessage): Partial<SlackMessage> => (m.blocks.length > 0 || m.attachments?.length ? m : { text: m.text });

class SlackDeliveryError extends Error {
  constructor(readonly failure: SlackFailure) {
    super(failure.reason);
    this.name = 'SlackDeliveryError';
  }
}

export interface SlackOutputOptions {
  /** Where subscriptions live (Services satisfies this); `config` may carry the Slack settings. */
  services: { store: Store; config?: unknown };
  /** The bot's Web API client (SLACK_BOT_TOKEN); without one only webhooks get alerts. */
  client?: WebClient;
  log: Log;
  /** SLACK_WEBHOOK_URLS; default from services.config. */
  webhookUrls?: readonly string[];
  /** Wait out a Retry-After up to this long inside one delivery; longer ones fail it for the outbox to retry. Default 5 s. */
  maxRetryWaitMs?: number;
  /** Per-request timeout for webhooks. Default 10 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /**
   * Spaces posts to one channel, and to one webhook: Slack allows about one message per
   * second each ("short bursts" beyond that may be refused). Default: 1 s apart, per output;
   * pass one pacer to outputs that share a token.
   */
  pacer?: KeyedPacer;
}

/** Slack's posting limit: about one message per second per channel, and per incoming webhook. */
export const SLACK_POST_INTERVAL_MS = 1000;

/**
 * Alerts to Slack: chat.postMessage to every Slack subscription that wants the alert
 * (instant mode; digests are sent elsewhere) and a POST to every SLACK_WEBHOOK_URLS
 * webhook. A destination gone for good (channel_not_found, not_in_channel, is_archived,
 * account_inactive, webhook 404 / no_service …) is disabled and the others still get the
 * alert; a payload Slack refuses is retried once as plain text, then logged; a transient
 * failure (rate limit, 5xx, network) throws once the other destinations were served, so the
 * outbox retries — and the retry sends only what did not arrive. Retry-After is honoured:
 * short waits inline, longer ones by not calling Slack again before the time is up. Posts to
 * one channel (or webhook) are paced about one a second, so an alert of several messages or
 * a digest does not trip Slack's limit; other channels do not wait for that channel's turn.
 */
export function slackOutput(opts: SlackOutputOptions): AlertOutput {
  const { store } = opts.services;
  const settings = slackSettings((opts.services.config ?? {}) as object);
  const webhookUrls = opts.webhookUrls ?? settings.SLACK_WEBHOOK_URLS;
  const log = opts.log;
  const client = opts.client;
  const maxWait = opts.maxRetryWaitMs ?? 5000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const doFetch = opts.fetch ?? globalThis.fetch;
  /** Not before this time (ms): per bot token, and per webhook URL. */
  const pausedUntil = new Map<string, number>();
  const pacer = opts.pacer ?? new KeyedPacer(SLACK_POST_INTERVAL_MS);

  const lane = (d: Destination) => (d.platform === 'slack-webhook' ? `hook:${d.channelId}` : 'bot');
  /** What Slack's per-channel limit counts: a channel of a workspace, or one webhook. */
  const paceKey = (d: Destination) => (d.platform === 'slack-webhook' ? `hook:${d.channelId}` : `channel:${d.workspaceId ?? ''}:${d.channelId}`);

  async function postOnce(sub: Subscription, message: SlackMessage): Promise<void> {
    if (sub.platform === 'slack-webhook') {
      let res: Response;
      try {
        res = await doFetch(sub.channelId, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...payloadOf(message), unfurl_links: false, unfurl_media: false }),
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        throw new SlackDeliveryError({ kind: 'transient', reason: `webhook network: ${(e as Error).message}` });
      }
      const body = await res.text().catch(() => '');
      const f = classifyWebhookResponse(res.status, body, res.headers.get('retry-after'));
      if (f) throw new SlackDeliveryError(f);
      return;
    }
    try {
      await client!.chat.postMessage({
        channel: sub.channelId,
        ...payloadOf(message),
        unfurl_links: false,
        unfurl_media: false,
      } as unknown as Parameters<WebClient['chat']['postMessage']>[0]);
    } catch (e) {
      throw new SlackDeliveryError(classifySlackError(e));
    }
  }

  /** One message to one destination, in its turn and honouring Retry-After; throws SlackDeliveryError. */
  async function post(sub: Subscription, message: SlackMessage): Promise<void> {
    const key = lane(sub);
    for (let attempt = 0; ; ) {
      const wait = (pausedUntil.get(key) ?? 0) - Date.now();
      if (wait > 0 && (wait > maxWait || attempt >= 3))
        throw new SlackDeliveryError({ kind: 'transient', reason: `rate limited: not calling Slack for another ${Math.ceil(wait / 1000)}s`, retryAfterMs: wait });
      await pacer.wait(paceKey(sub), Math.max(0, wait));
      // Another post was told to back off while this one waited for its turn: wait that out first.
      if ((pausedUntil.get(key) ?? 0) > Date.now()) continue;
      try {
        await postOnce(sub, message);
        return;
      } catch (e) {
        attempt++;
        const f = (e as SlackDeliveryError).failure;
        if (f?.kind === 'transient' && f.retryAfterMs !== undefined) {
          pausedUntil.set(key, Math.max(pausedUntil.get(key) ?? 0, Date.now() + f.retryAfterMs));
          if (f.retryAfterMs <= maxWait && attempt <= 3) continue;
        }
        throw e;
      }
    }
  }

  return chatOutput({
    name: 'slack',
    platform: 'Slack',
    channel: 'slack',
    webhook: 'slack-webhook',
    canPostToChannels: Boolean(client),
    tokenVariable: 'SLACK_BOT_TOKEN',
    targetsFor: (alert, stored) => slackTargets(alert, stored, webhookUrls),
    render: renderAlertForSlack,
    renderDigest: renderDigestForSlack,
    store,
    log,
    // Slack posts have no idempotency key, so fanOut sends them one at a time (each recorded
    // before the next): a crash can repeat at most one. No destination is idempotent here.
    concurrency: 1,
    // A message Slack refuses (invalid_blocks…) is resent once as plain text rather than lost.
    async send(sub, message) {
      try {
        await post(sub, message);
      } catch (e) {
        const f = (e as SlackDeliveryError).failure;
        if (f?.kind !== 'rejected') throw e;
        log.error({ destination: describe(sub), reason: f.reason }, 'Slack refused the alert message; sending it as plain text');
        await post(sub, { text: message.text, blocks: [] });
      }
    },
    classify: (e) => (e as SlackDeliveryError).failure ?? { kind: 'transient', reason: (e as Error).message },
    describe,
  });
}
