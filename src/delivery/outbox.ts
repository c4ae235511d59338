import type { Alert } from '../core/alerts.js';
import type { Log } from '../log.js';
import type { Store } from '../store/store.js';
import type { AlertOutput } from './output.js';

/**
 * Hand every queued alert to every output, oldest first, and take it off the queue once
 * all outputs accepted it. An alert an output refused stays queued for the next drain
 * (later alerts wait behind it, so order is kept).
 */
export async function drainOutbox(store: Store, outputs: readonly AlertOutput[], log: Log): Promise<Alert[]> {
  const delivered: Alert[] = [];
  for (const alert of await store.pendingAlerts()) {
    try {
      for (const out of outputs) await out.deliver(alert);
    } catch (e) {
      log.error({ alert: alert.id, err: (e as Error).message }, 'delivery failed; the alert stays queued');
      break;
    }
    await store.markDelivered([alert.id]);
    delivered.push(alert);
  }
  return delivered;
}
