import { destinationId, MAPS } from '../store/layout.js';
import { TypedMap } from '../store/shared-map.js';
import type { Store } from '../store/store.js';
import { destinationKey, SubscriptionSchema, type Destination, type Subscription } from './model.js';

const idOf = (d: Destination) => destinationId(destinationKey(d));

/**
 * Subscriptions, one member of a shared map per destination: every instance, shard and CLI
 * changes one channel's subscription with one atomic operation, so concurrent subscribes in
 * different channels never lose each other, and a stale write cannot bring back a channel
 * that was unsubscribed meanwhile (changes are compare-and-set on that channel alone).
 */
export class SubscriptionStore {
  private readonly map: TypedMap<Subscription>;

  constructor(private readonly store: Store) {
    this.map = new TypedMap(store.map(MAPS.subscriptions), SubscriptionSchema);
  }

  all(): Promise<Subscription[]> {
    return this.map.values();
  }

  get(d: Destination): Promise<Subscription | undefined> {
    return this.map.get(idOf(d));
  }

  /** Insert or replace one destination's subscription. */
  put(sub: Subscription): Promise<void> {
    return this.map.set(idOf(sub), SubscriptionSchema.parse(sub));
  }

  /** Change one destination's subscription atomically (see TypedMap.update): `change` may run more than once. */
  update(d: Destination, change: (current: Subscription | undefined) => Subscription | undefined) {
    return this.map.update(idOf(d), (current) => {
      const next = change(current);
      return next === undefined ? undefined : SubscriptionSchema.parse(next);
    });
  }

  /** Remove a destination's subscription (and its digest queue); false when it had none. */
  async remove(d: Destination): Promise<boolean> {
    const id = idOf(d);
    const removed = await this.map.delete(id);
    // What was queued for its digest goes with it (a later subscription starts afresh).
    await this.store.map(MAPS.digestQueue(id)).clear();
    await this.store.map(MAPS.digestState).delete([id]);
    return removed;
  }

  /**
   * Stop delivering to a destination the platform rejected for good, and say why. Only an
   * existing subscription is disabled — one removed meanwhile stays removed — except a
   * configured webhook (`configured`), which has no stored subscription until it needs one
   * to carry the reason.
   */
  async disable(d: Destination, reason: string, opts: { at?: string; configured?: Subscription } = {}): Promise<boolean> {
    const at = opts.at ?? new Date().toISOString();
    const { after } = await this.update(d, (current) => {
      const base = current ?? opts.configured;
      return base ? { ...base, disabled: { reason, at } } : undefined;
    });
    return after !== undefined;
  }
}
