import { TOPICS, type Subscription } from '../../src/subscriptions/model.js';

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
