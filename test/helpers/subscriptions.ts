import { MAPS } from '../../src/store/layout.js';
import type { Store } from '../../src/store/store.js';
import { TOPICS, type Subscription } from '../../src/subscriptions/model.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';

const AT = '2024-01-01T00:00:00.000Z';

/** What `/dprk subscribe` stores with no options: every topic, no filters, instant delivery. */
export function instantSubscription(platform: Subscription['platform'], channelId: string, over: Partial<Subscription> = {}): Subscription {
  return {
    platform,
    channelId,
    topics: [...TOPICS],
    filters: { lists: [], programs: [], types: [], keywords: [] },
    delivery: { mode: 'instant' },
    createdAt: AT,
    updatedAt: AT,
    ...over,
  };
}

/** Make these the store's only subscriptions (what a test sets up before a delivery). */
export async function replaceSubscriptions(store: Store, subs: readonly Subscription[]): Promise<void> {
  await store.map(MAPS.subscriptions).clear();
  const stored = new SubscriptionStore(store);
  for (const s of subs) await stored.put(s);
}
