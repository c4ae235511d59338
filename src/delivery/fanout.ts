import type { Alert } from '../core/alerts.js';
import type { Digest } from '../core/digest.js';
import type { Log } from '../log.js';
import { DeliveryInterrupted, type AlertOutput } from './output.js';
import { destinationId, MAPS } from '../store/layout.js';
import type { SharedMap } from '../store/shared-map.js';
import type { Store } from '../store/store.js';
import { destinationKey, type Destination, type Subscription } from '../subscriptions/model.js';
import { SubscriptionStore } from '../subscriptions/store.js';

/** How a platform said no: gone for good, refused this message, or try again later. */
export type DeliveryFailure = { kind: 'gone' | 'rejected' | 'transient'; reason: string };

export interface FanOutOptions<M> {
  /** Platform name for logs and the progress key ("Discord", "Slack"). */
  platform: string;
  store: Store;
  log: Log;
  /** What is delivered: an alert, or a digest (only its id is used: records and nonces are keyed by it). */
  alert: { id: string };
  targets: readonly Subscription[];
  /** The alert rendered for this platform: one or more messages, sent in order. */
  messages: readonly M[];
  concurrency: number;
  /**
   * Whether sending the same message to this destination twice posts it once (Discord bot
   * channels: nonce + enforce_nonce). Others are sent one at a time. Default: none is.
   */
  idempotent?(target: Destination): boolean;
  /** Send one message; `delivery` names it stably across retries (Discord's nonce is made from it). */
  send(target: Subscription, message: M, delivery: DeliveryRef): Promise<void>;
  classify(error: unknown): DeliveryFailure;
  describe(target: Destination): string;
  /** Checked before each send: once false no send starts, and the fan-out rejects with DeliveryInterrupted if any is left. */
  shouldContinue?: () => boolean;
  /** The platform's webhook destinations: those come from configuration, and may be stored only to be disabled. */
  webhookPlatform?: Subscription['platform'];
}

/** Which message of which alert to which destination: the same on every retry, in every process. */
export interface DeliveryRef {
  alertId: string;
  /** The message's position among the alert's rendered messages. */
  index: number;
  /** A hash of (destination, index); never contains the destination itself (webhook URLs carry tokens). */
  key: string;
}

/** Destination keys in the store are hashed: a webhook URL carries its token. */
const progressKey = (d: Destination, message: number) => `${destinationId(destinationKey(d)).slice(0, 20)}#${message}`;

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  for (const r of await Promise.allSettled(workers)) if (r.status === 'rejected') throw r.reason;
}

/**
 * The confirmed deliveries of one alert (or digest) on one platform: a shared map with one
 * member per (destination, message), added the moment the platform confirms it. Adding is
 * atomic, so concurrent confirmations (25 sends in flight) and other processes never
 * overwrite each other's records.
 */
class DeliveryRecord {
  private constructor(
    private readonly map: SharedMap,
    readonly done: Set<string>,
  ) {}

  static async open(store: Store, platform: string, itemId: string): Promise<DeliveryRecord> {
    const map = store.map(MAPS.deliveries(platform, itemId));
    return new DeliveryRecord(map, new Set((await map.entries()).map(([k]) => k)));
  }

  /** Resolves once the store holds `k` (rejects if the store refused the write). */
  async add(k: string): Promise<void> {
    this.done.add(k);
    await this.map.add([[k, '']]);
  }
}

/**
 * Send one alert's messages to many destinations of one platform, recording in the store each
 * (destination, message) the platform confirmed the moment it confirms it, so a retry — in this
 * process, after a crash, or in the instance that takes over — sends only the rest.
 *
 * Duplicates: a crash between a platform's confirmation and our record means the message is
 * sent again. Where a repeat is harmless (Discord bot channels: nonce + enforce_nonce) sends run
 * `concurrency` at a time; everywhere else they run one at a time, each recorded before the next
 * starts, so a crash can repeat at most one message there.
 *
 * A destination that is gone for good is disabled with the reason and the others still get the
 * alert; a refused message is logged, not retried; transient failures throw after every other
 * destination was served, so the outbox retries the alert.
 */
export async function fanOut<M>(o: FanOutOptions<M>): Promise<void> {
  const { store, log, alert } = o;
  if (o.targets.length === 0 || o.messages.length === 0) return;
  const subscriptions = new SubscriptionStore(store);
  const record = await DeliveryRecord.open(store, o.platform, alert.id);
  const failures: string[] = [];
  const idempotent = o.idempotent ?? (() => false);
  let interrupted = false;

  /** Send message `i` to `sub` unless it arrived before; false when the destination failed (skip its later messages). */
  const sendOne = async (sub: Subscription, i: number): Promise<boolean> => {
    const k = progressKey(sub, i);
    if (record.done.has(k)) return true;
    if (o.shouldContinue && !o.shouldContinue()) {
      interrupted = true;
      return false;
    }
    try {
      await o.send(sub, o.messages[i]!, { alertId: alert.id, index: i, key: k });
    } catch (e) {
      const f = o.classify(e);
      const where = o.describe(sub);
      if (f.kind === 'gone') {
        // A configured webhook has no stored subscription until one must carry the reason; a
        // channel unsubscribed meanwhile stays unsubscribed.
        await subscriptions.disable(sub, `${o.platform}: ${f.reason}`, sub.platform === o.webhookPlatform ? { configured: sub } : {});
        log.warn({ alert: alert.id, destination: where, reason: f.reason }, `${o.platform} destination is gone: subscription disabled`);
      } else if (f.kind === 'rejected') {
        log.error({ alert: alert.id, destination: where, reason: f.reason }, `${o.platform} refused the alert message; not retrying it`);
      } else {
        failures.push(`${where}: ${f.reason}`);
      }
      return false;
    }
    // Recorded before this worker sends anything else.
    await record.add(k);
    return true;
  };

  const repeatable = o.targets.filter((t) => idempotent(t));
  const once = o.targets.filter((t) => !idempotent(t));
  // Idempotent destinations share the workers, each taking one destination's messages in turn.
  const parallel = pool(repeatable, Math.max(1, o.concurrency - (once.length > 0 ? 1 : 0)), async (sub) => {
    for (let i = 0; i < o.messages.length; i++) if (!(await sendOne(sub, i))) return;
  });
  // The others get one worker of their own: one send in flight, recorded before the next. It
  // goes message by message across the destinations, so a per-destination pace (Slack: about
  // one post a second per channel) passes while the other destinations are served.
  const serial = (async () => {
    const failed = new Set<Subscription>();
    for (let i = 0; i < o.messages.length; i++)
      for (const sub of once) if (!failed.has(sub) && !(await sendOne(sub, i))) failed.add(sub);
  })();
  // Both settle before this returns: no send of this alert is left running when the next starts.
  const settledWork = await Promise.allSettled([parallel, serial]);
  for (const r of settledWork) if (r.status === 'rejected') throw r.reason;
  if (failures.length > 0)
    throw new Error(`${o.platform} delivery of alert ${alert.id} failed for ${failures.length} destination(s), will retry: ${failures.slice(0, 3).join('; ')}`);
  if (interrupted) throw new DeliveryInterrupted(`${o.platform} delivery of alert ${alert.id} stopped part-way; the rest stays queued`);
}

/** Forget one alert's (or digest's) delivery record once it is done (a leftover is harmless). */
export async function forgetDeliveries(store: Store, platform: string, itemId: string): Promise<void> {
  await store.map(MAPS.deliveries(platform, itemId)).clear();
}

export interface ChatOutputOptions<M> extends Omit<FanOutOptions<M>, 'alert' | 'targets' | 'messages' | 'webhookPlatform'> {
  /** Output name ("discord", "slack") and the two destination platforms it serves. */
  name: string;
  channel: Subscription['platform'];
  webhook: Subscription['platform'];
  /** Whether a bot token is configured: without one only webhooks can be posted to. */
  canPostToChannels: boolean;
  tokenVariable: string;
  /** Destinations that want an alert now (instant subscriptions and configured webhooks). */
  targetsFor(alert: Alert, stored: readonly Subscription[]): Subscription[];
  render(alert: Alert): readonly M[];
  renderDigest(digest: Digest): readonly M[];
}

/** An AlertOutput for one chat platform: choose destinations, then fan out. */
export function chatOutput<M>(o: ChatOutputOptions<M>): Required<AlertOutput> {
  const subscriptions = new SubscriptionStore(o.store);
  let warned = false;
  const handles = (t: Destination) => t.platform === o.webhook || (t.platform === o.channel && o.canPostToChannels);
  const fan = (item: { id: string }, targets: Subscription[], messages: () => readonly M[], shouldContinue?: () => boolean) =>
    fanOut({ ...o, webhookPlatform: o.webhook, alert: item, targets, messages: targets.length > 0 ? messages() : [], ...(shouldContinue ? { shouldContinue } : {}) });
  return {
    name: o.name,
    handles,
    async deliver(alert, opts) {
      const chosen = o.targetsFor(alert, await subscriptions.all());
      const skipped = chosen.filter((t) => !handles(t));
      if (skipped.length > 0 && !warned) {
        warned = true;
        o.log.warn({ channels: skipped.length }, `${o.platform} channel subscriptions exist but ${o.tokenVariable} is not set: only webhooks get alerts`);
      }
      await fan(alert, chosen.filter(handles), () => o.render(alert), opts?.shouldContinue);
    },
    async deliverDigest(digest, target, opts) {
      if (!handles(target)) throw new Error(`${o.platform} cannot post to ${o.describe(target)}: ${o.tokenVariable} is not set`);
      await fan(digest, [target], () => o.renderDigest(digest), opts?.shouldContinue);
    },
    settled: (itemId) => forgetDeliveries(o.store, o.platform, itemId),
  };
}
