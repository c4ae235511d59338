import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Alert } from '../core/alerts.js';
import type { Log } from '../log.js';
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
  /** Send one message; `delivery` names it stably across retries (Discord's nonce is made from it). */
  send(target: Subscription, message: M, delivery: DeliveryRef): Promise<void>;
  classify(error: unknown): DeliveryFailure;
  describe(target: Destination): string;
}

/** Which message of which alert to which destination: the same on every retry, in every process. */
export interface DeliveryRef {
  alertId: string;
  /** The message's position among the alert's rendered messages. */
  index: number;
  /** A hash of (destination, index); never contains the destination itself (webhook URLs carry tokens). */
  key: string;
}

const ProgressSchema = z.object({ alertId: z.string(), done: z.array(z.string()) });

/** Destination keys in the store are hashed: a webhook URL carries its token. */
const progressKey = (d: Destination, message: number) => `${createHash('sha256').update(destinationKey(d)).digest('hex').slice(0, 20)}#${message}`;

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}

/**
 * Send one alert's messages to many destinations of one platform, remembering in the store
 * which (destination, message) pairs arrived, so a retry sends only the rest. A destination
 * that is gone for good is disabled with the reason and the others still get the alert; a
 * refused message is logged, not retried; transient failures throw after every other
 * destination was served, so the outbox retries the alert.
 */
export async function fanOut<M>(o: FanOutOptions<M>): Promise<void> {
  const { store, log, alert } = o;
  if (o.targets.length === 0) return;
  const key = `${o.platform.toLowerCase()}:delivery-progress`;
  const subscriptions = new SubscriptionStore(store);
  const previous = await store.getValue(key, ProgressSchema);
  const done = new Set(previous?.alertId === alert.id ? previous.done : []);
  let saving: Promise<void> = Promise.resolve();
  const save = () => (saving = saving.then(() => store.setValue(key, { alertId: alert.id, done: [...done] })));
  const failures: string[] = [];

  await pool(o.targets, o.concurrency, async (sub) => {
    for (const [i, message] of o.messages.entries()) {
      const k = progressKey(sub, i);
      if (done.has(k)) continue;
      try {
        await o.send(sub, message, { alertId: alert.id, index: i, key: k });
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
        return;
      }
      done.add(k);
      await save();
    }
  });
  await saving;
  if (failures.length > 0)
    throw new Error(`${o.platform} delivery of alert ${alert.id} failed for ${failures.length} destination(s), will retry: ${failures.slice(0, 3).join('; ')}`);
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
export function chatOutput<M>(o: ChatOutputOptions<M>): { name: string; deliver(alert: Alert): Promise<void>; deliverTo(alert: Alert, chosen: readonly Subscription[]): Promise<void> } {
  const subscriptions = new SubscriptionStore(o.store);
  let warned = false;
  const deliverToTargets = async (alert: Alert, chosen: readonly Subscription[]): Promise<void> => {
    let targets = [...chosen];
    if (!o.canPostToChannels) {
      const channels = targets.filter((t) => t.platform === o.channel);
      if (channels.length > 0 && !warned) {
        warned = true;
        o.log.warn({ channels: channels.length }, `${o.platform} channel subscriptions exist but ${o.tokenVariable} is not set: only webhooks get alerts`);
      }
      targets = targets.filter((t) => t.platform !== o.channel);
    }
    await fanOut({ ...o, alert, targets, messages: targets.length > 0 ? o.render(alert) : [] });
  };
  return {
    name: o.name,
    deliver: async (alert) => deliverToTargets(alert, o.targetsFor(alert, await subscriptions.all())),
    deliverTo: (alert, chosen) => deliverToTargets(alert, chosen.filter((t) => t.platform === o.channel || t.platform === o.webhook)),
  };
}
