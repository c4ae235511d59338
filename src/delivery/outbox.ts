import type { Alert } from '../core/alerts.js';
import type { Log } from '../log.js';
import { DigestQueues } from '../subscriptions/digest.js';
import { SubscriptionStore } from '../subscriptions/store.js';
import type { Store } from '../store/store.js';
import type { AlertOutput } from './output.js';
import { metrics } from '../ops/metrics.js';

/**
 * Hand every queued alert to every output, oldest first, and take it off the queue once
 * all outputs accepted it; alerts for daily-digest subscriptions are queued for their
 * digest first. An alert an output refused stays queued for the next drain (later alerts
 * wait behind it, so order is kept).
 */
export async function drainOutbox(
  store: Store,
  outputs: readonly AlertOutput[],
  log: Log,
  shouldContinue: () => boolean = () => true,
): Promise<Alert[]> {
  const delivered: Alert[] = [];
  const pending = await store.pendingAlerts();
  if (pending.length === 0) return delivered;
  const subscriptions = await new SubscriptionStore(store).all();
  const digests = new DigestQueues(store);
  for (const alert of pending) {
    // A process that lost the lease stops here; the new leader delivers the rest.
    if (!shouldContinue()) break;
    let current = '';
    try {
      await digests.enqueue(subscriptions, alert);
      for (const out of outputs) {
        current = out.name;
        await out.deliver(alert);
        metrics.delivered(out.name, true);
      }
    } catch (e) {
      metrics.delivered(current, false);
      log.error({ alert: alert.id, err: (e as Error).message }, 'delivery failed; the alert stays queued');
      break;
    }
    await store.markDelivered([alert.id]);
    delivered.push(alert);
  }
  return delivered;
}

/**
 * Send every daily digest that is due: the alerts queued for it since the last one, through
 * the outputs that can address one destination. A digest that fails stays due and is
 * retried at the next minute.
 */
export async function sendDueDigests(store: Store, outputs: readonly AlertOutput[], log: Log, now = new Date()): Promise<number> {
  const subscriptions = await new SubscriptionStore(store).all();
  const queues = new DigestQueues(store);
  let sent = 0;
  for (const { sub, alertIds } of await queues.due(subscriptions, now)) {
    try {
      for (const alert of await store.getAlerts(alertIds))
        for (const out of outputs) if (out.deliverTo) await out.deliverTo(alert, [sub]);
      await queues.markSent(sub, alertIds, now);
      sent++;
      log.info({ channel: sub.channelId, platform: sub.platform, alerts: alertIds.length }, 'daily digest sent');
    } catch (e) {
      log.error({ channel: sub.channelId, err: (e as Error).message }, 'daily digest failed; will retry');
    }
  }
  return sent;
}
