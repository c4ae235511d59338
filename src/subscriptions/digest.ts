import { z } from 'zod';
import type { Alert } from '../core/alerts.js';
import { localClock } from '../core/digest.js';
import { sha256 } from '../core/snapshot.js';
import { destinationId, MAPS } from '../store/layout.js';
import { TypedMap } from '../store/shared-map.js';
import type { Store } from '../store/store.js';
import { destinationKey, wants, type Subscription } from './model.js';

export { localClock } from '../core/digest.js';

/**
 * Whether a digest subscription is due: its local time has come today and today's digest
 * has not gone out. A bot that was down at the digest time sends it when it comes back.
 */
export function digestDue(sub: Subscription, now: Date, lastSentDate: string | undefined): boolean {
  if (sub.delivery.mode !== 'digest' || sub.disabled) return false;
  const { date, time } = localClock(now, sub.delivery.timezone);
  return time >= sub.delivery.time && lastSentDate !== date;
}

/** A digest being sent: fixed when it falls due, so a retry or another instance sends exactly it. */
const PendingSchema = z.object({ id: z.string(), date: z.string(), since: z.string().optional(), until: z.string(), alertIds: z.array(z.string()) });
export type PendingDigest = z.infer<typeof PendingSchema>;

/** One digest subscription's state: the last digest sent, and the one in flight. */
const StateSchema = z.object({
  lastSentDate: z.string().optional(),
  /** When the last digest was compiled: the next one covers what came after. */
  lastSentAt: z.string().optional(),
  pending: PendingSchema.optional(),
});
type State = z.infer<typeof StateSchema>;

const idOf = (sub: Subscription) => destinationId(destinationKey(sub));

/**
 * Digest queues and state, per destination, in shared maps: alerts are queued with an atomic
 * add (several drains never lose one another's), and a digest moves through its state with
 * compare-and-set — pending (the exact alerts it holds, written before anything is sent), then
 * sent — so a crash or a second instance resumes the same digest instead of starting another.
 */
export class DigestQueues {
  private readonly states: TypedMap<State>;

  constructor(private readonly store: Store) {
    this.states = new TypedMap(store.map(MAPS.digestState), StateSchema);
  }

  private queue(sub: Subscription) {
    return this.store.map(MAPS.digestQueue(idOf(sub)));
  }

  /** Queue an alert for every digest subscription that wants it. */
  async enqueue(subs: readonly Subscription[], alert: Alert): Promise<void> {
    for (const sub of subs) if (sub.delivery.mode === 'digest' && wants(sub, alert)) await this.queue(sub).add([[alert.id, '']]);
  }

  /** Alert ids waiting for this destination's next digest, oldest first. */
  async queued(sub: Subscription): Promise<string[]> {
    return (await this.queue(sub).entries()).map(([id]) => id);
  }

  /**
   * The digest to send now for `sub`: the one in flight if a previous attempt did not finish,
   * else — when due — a new one holding everything queued, made pending atomically (if two
   * instances race, both get the one that won). Undefined when nothing is due.
   */
  async begin(sub: Subscription, now: Date): Promise<PendingDigest | undefined> {
    if (sub.delivery.mode !== 'digest') return undefined;
    const id = idOf(sub);
    const current = await this.states.get(id);
    if (current?.pending) return current.pending;
    if (!digestDue(sub, now, current?.lastSentDate)) return undefined;
    const date = localClock(now, sub.delivery.timezone).date;
    const candidate: PendingDigest = {
      id: sha256(`digest|${id}|${date}`).slice(0, 24),
      date,
      until: now.toISOString(),
      alertIds: await this.queued(sub),
      ...(current?.lastSentAt ? { since: current.lastSentAt } : sub.createdAt ? { since: sub.createdAt } : {}),
    };
    const { after } = await this.states.update(id, (s) => (s?.pending || !digestDue(sub, now, s?.lastSentDate) ? s : { ...s, pending: candidate }));
    return after?.pending;
  }

  /**
   * A digest was sent (or skipped as empty): its alerts leave the queue first — alerts queued
   * since it began stay for the next one — then it is recorded as the day's digest.
   */
  async finish(sub: Subscription, digest: PendingDigest): Promise<void> {
    await this.queue(sub).delete(digest.alertIds);
    await this.states.update(idOf(sub), (s) =>
      s?.pending?.id === digest.id ? { lastSentDate: digest.date, lastSentAt: digest.until } : s,
    );
  }
}
