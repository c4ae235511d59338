import { z } from 'zod';
import type { Alert } from '../core/alerts.js';
import type { Store } from '../store/store.js';
import { destinationKey, wants, type Subscription } from './model.js';

/** The local calendar date and HH:MM of an instant in a time zone. */
export function localClock(at: Date, timezone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/**
 * Whether a digest subscription is due: its local time has come today and today's digest
 * has not gone out. A bot that was down at the digest time sends it when it comes back.
 */
export function digestDue(sub: Subscription, now: Date, lastSentDate: string | undefined): boolean {
  if (sub.delivery.mode !== 'digest' || sub.disabled) return false;
  const { date, time } = localClock(now, sub.delivery.timezone);
  return time >= sub.delivery.time && lastSentDate !== date;
}

const QueueSchema = z.object({ alertIds: z.array(z.string()), lastSentDate: z.string().optional() });
type Queue = z.infer<typeof QueueSchema>;

const queueKey = (sub: Subscription) => `digest:${destinationKey(sub)}`;

/** Digest queues per subscription, in the store, so a restart loses nothing. */
export class DigestQueues {
  constructor(private readonly store: Store) {}

  private async read(sub: Subscription): Promise<Queue> {
    return (await this.store.getValue(queueKey(sub), QueueSchema)) ?? { alertIds: [] };
  }

  /** Queue an alert for every digest subscription that wants it. */
  async enqueue(subs: readonly Subscription[], alert: Alert): Promise<void> {
    for (const sub of subs) {
      if (sub.delivery.mode !== 'digest' || !wants(sub, alert)) continue;
      const q = await this.read(sub);
      if (!q.alertIds.includes(alert.id)) await this.store.setValue(queueKey(sub), { ...q, alertIds: [...q.alertIds, alert.id] });
    }
  }

  /** The subscriptions due now, with the alert ids to send (possibly none: "nothing new today"). */
  async due(subs: readonly Subscription[], now: Date): Promise<Array<{ sub: Subscription; alertIds: string[] }>> {
    const out: Array<{ sub: Subscription; alertIds: string[] }> = [];
    for (const sub of subs) {
      const q = await this.read(sub);
      if (digestDue(sub, now, q.lastSentDate)) out.push({ sub, alertIds: q.alertIds });
    }
    return out;
  }

  /** Record a sent digest: its alerts leave the queue, and today is done. */
  async markSent(sub: Subscription, sentIds: readonly string[], now: Date): Promise<void> {
    if (sub.delivery.mode !== 'digest') return;
    const q = await this.read(sub);
    const sent = new Set(sentIds);
    await this.store.setValue(queueKey(sub), {
      alertIds: q.alertIds.filter((id) => !sent.has(id)),
      lastSentDate: localClock(now, sub.delivery.timezone).date,
    });
  }
}
