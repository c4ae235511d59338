import { z } from 'zod';
import type { Alert } from '../core/alerts.js';
import type { Log } from '../log.js';
import { DigestQueues } from '../subscriptions/digest.js';
import { SubscriptionStore } from '../subscriptions/store.js';
import type { Store } from '../store/store.js';
import { DeliveryInterrupted, type AlertOutput } from './output.js';
import { metrics } from '../ops/metrics.js';

/** Which outputs already took an alert that is still queued (another output failed, or the process died). */
const OutputsDoneSchema = z.array(z.string());
const outputsDoneKey = (alertId: string) => `outbox:outputs-done:${alertId}`;

/**
 * Hand every queued alert to every output, oldest first, and take it off the queue once
 * all outputs accepted it; alerts for daily-digest subscriptions are queued for their
 * digest first. An alert an output refused stays queued for the next drain (later alerts
 * wait behind it, so order is kept); the outputs that already took it are remembered and
 * not called again for it (the console does not print it again on every retry). Chat
 * outputs keep their own per-destination record, so a retry there sends only the rest.
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
    const done = new Set((await store.getValue(outputsDoneKey(alert.id), OutputsDoneSchema)) ?? []);
    const recorded = done.size > 0;
    try {
      await digests.enqueue(subscriptions, alert);
      for (const [i, out] of outputs.entries()) {
        if (done.has(out.name)) continue;
        current = out.name;
        await out.deliver(alert, { shouldContinue });
        metrics.delivered(out.name, true);
        // Remembered only when another output still has to take it (the last one ends the alert).
        if (outputs.slice(i + 1).some((o) => !done.has(o.name))) {
          done.add(out.name);
          await store.setValue(outputsDoneKey(alert.id), [...done]);
        }
      }
    } catch (e) {
      if (e instanceof DeliveryInterrupted) {
        log.info({ alert: alert.id, output: current }, 'delivery stopped part-way (shutting down, or no longer the leader); the rest stays queued');
        break;
      }
      metrics.delivered(current, false);
      log.error({ alert: alert.id, output: current, err: (e as Error).message }, 'delivery failed; the alert stays queued');
      break;
    }
    await store.markDelivered([alert.id]);
    delivered.push(alert);
    // Housekeeping once the alert is off the queue: a crash here only leaves a stale record.
    try {
      if (recorded || done.size > 0) await store.setValue(outputsDoneKey(alert.id), null);
      for (const out of outputs) await out.settled?.(alert);
    } catch (e) {
      log.warn({ alert: alert.id, err: (e as Error).message }, 'could not clear the delivery record of a delivered alert');
    }
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
