import { z } from 'zod';
import type { Store } from '../store/store.js';
import { destinationKey, SubscriptionSchema, type Destination, type Subscription } from './model.js';

const KEY = 'subscriptions';
const ListSchema = z.array(SubscriptionSchema);

/**
 * Subscriptions per channel, kept in the store so they survive restarts. One small
 * document: even thousands of channels read in a millisecond, and writes are rare.
 */
export class SubscriptionStore {
  constructor(private readonly store: Store) {}

  async all(): Promise<Subscription[]> {
    return (await this.store.getValue(KEY, ListSchema)) ?? [];
  }

  async get(d: Destination): Promise<Subscription | undefined> {
    const key = destinationKey(d);
    return (await this.all()).find((s) => destinationKey(s) === key);
  }

  async put(sub: Subscription): Promise<void> {
    const key = destinationKey(sub);
    const rest = (await this.all()).filter((s) => destinationKey(s) !== key);
    await this.store.setValue(KEY, [...rest, SubscriptionSchema.parse(sub)]);
  }

  async remove(d: Destination): Promise<boolean> {
    const key = destinationKey(d);
    const all = await this.all();
    const rest = all.filter((s) => destinationKey(s) !== key);
    if (rest.length === all.length) return false;
    await this.store.setValue(KEY, rest);
    return true;
  }

  /** Stop delivering to a destination the platform rejected for good, and say why. */
  async disable(d: Destination, reason: string, at = new Date().toISOString()): Promise<void> {
    const sub = await this.get(d);
    if (sub) await this.put({ ...sub, disabled: { reason, at } });
  }
}
