import type { Alert } from '../core/alerts.js';
import type { Log } from '../log.js';
import { DigestQueues } from '../subscriptions/digest.js';
import { SubscriptionStore } from '../subscriptions/store.js';
import { MAPS } from '../store/layout.js';
import type { Store } from '../store/store.js';
import { DeliveryInterrupted, type AlertOutput } from './output.js';
import { metrics } from '../ops/metrics.js';

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
    // Which outputs already took this alert (another output failed, or the process died).
    const outputsDone = store.map(MAPS.outputsDone(alert.id));
    const done = new Set((await outputsDone.entries()).map(([name]) => name));
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
          await outputsDone.add([[out.name, '']]);
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
      if (recorded || done.size > 0) await outputsDone.clear();
      for (const out of outputs) await out.settled?.(alert.id);
    } catch (e) {
      log.warn({ alert: alert.id, err: (e as Error).message }, 'could not clear the delivery record of a delivered alert');
    }
  }
  return delivered;
}
