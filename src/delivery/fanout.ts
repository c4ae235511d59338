import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Alert } from '../core/alerts.js';
import type { Log } from '../log.js';
import { DeliveryInterrupted, type AlertOutput } from './output.js';
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
  alert: Alert;
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
}

/** Which message of which alert to which destination: the same on every retry, in every process. */
export interface DeliveryRef {
  alertId: string;
  /** The message's position among the alert's rendered messages. */
  index: number;
  /** A hash of (destination, index); never contains the destination itself (webhook URLs carry tokens). */
  key: string;
}

/** Which (destination, message) pairs of one alert a platform confirmed. */
const RecordSchema = z.object({ done: z.array(z.string()) });

/** Destination keys in the store are hashed: a webhook URL carries its token. */
const progressKey = (d: Destination, message: number) => `${createHash('sha256').update(destinationKey(d)).digest('hex').slice(0, 20)}#${message}`;

/** Where one platform records which deliveries of one alert the platform confirmed. */
export const deliveryRecordKey = (platform: string, alertId: string): string => `delivery:${platform.toLowerCase()}:${alertId}`;

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  for (const r of await Promise.allSettled(workers)) if (r.status === 'rejected') throw r.reason;
}

/**
 * The set of confirmed deliveries of one alert, written to the store as soon as each is
 * confirmed. One write is in flight at a time (so a later write never lands before an earlier
 * one), and every confirmation that arrives meanwhile goes into the next write together: a
 * confirmation waits for at most the write in flight plus its own, never behind a queue.
 */
class DeliveryRecord {
  private version = 0;
  private durable = 0;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly key: string,
    readonly done: Set<string>,
  ) {}

  static async open(store: Store, platform: string, alertId: string): Promise<DeliveryRecord> {
    const key = deliveryRecordKey(platform, alertId);
    return new DeliveryRecord(store, key, new Set((await store.getValue(key, RecordSchema))?.done ?? []));
  }

  /** Resolves once the store holds `k` (rejects if the store refused the write). */
  async add(k: string): Promise<void> {
    this.done.add(k);
    const mine = ++this.version;
    while (this.durable < mine) {
      if (!this.writing) {
        const version = this.version;
        this.writing = this.store
          .setValue(this.key, { done: [...this.done] })
          .then(() => void (this.durable = Math.max(this.durable, version)))
          .finally(() => (this.writing = undefined));
      }
      await this.writing;
    }
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
        // A configured webhook has no stored subscription yet: store it so it can carry the reason.
        if (!(await subscriptions.get(sub))) await subscriptions.put(sub);
        await subscriptions.disable(sub, `${o.platform}: ${f.reason}`);
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

/** Forget one alert's delivery record once the alert left the outbox (a leftover is harmless). */
export async function forgetDeliveries(store: Store, platform: string, alertId: string): Promise<void> {
  await store.setValue(deliveryRecordKey(platform, alertId), null);
}

export interface ChatOutputOptions<M> extends Omit<FanOutOptions<M>, 'alert' | 'targets' | 'messages'> {
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
}

/** An AlertOutput for one chat platform: choose destinations, then fan out. */
export function chatOutput<M>(o: ChatOutputOptions<M>): Required<AlertOutput> {
  const subscriptions = new SubscriptionStore(o.store);
  let warned = false;
  const deliverToTargets = async (alert: Alert, chosen: readonly Subscription[], shouldContinue?: () => boolean): Promise<void> => {
    let targets = [...chosen];
    if (!o.canPostToChannels) {
      const channels = targets.filter((t) => t.platform === o.channel);
      if (channels.length > 0 && !warned) {
        warned = true;
        o.log.warn({ channels: channels.length }, `${o.platform} channel subscriptions exist but ${o.tokenVariable} is not set: only webhooks get alerts`);
      }
      targets = targets.filter((t) => t.platform !== o.channel);
    }
    await fanOut({ ...o, alert, targets, messages: targets.length > 0 ? o.render(alert) : [], ...(shouldContinue ? { shouldContinue } : {}) });
  };
  return {
    name: o.name,
    deliver: async (alert, opts) => deliverToTargets(alert, o.targetsFor(alert, await subscriptions.all()), opts?.shouldContinue),
    deliverTo: (alert, chosen) => deliverToTargets(alert, chosen.filter((t) => t.platform === o.channel || t.platform === o.webhook)),
    settled: (alert) => forgetDeliveries(o.store, o.platform, alert.id),
  };
}
