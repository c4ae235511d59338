import { sha256 } from '../core/snapshot.js';

/**
 * Where each piece of shared state lives: the shared maps (shared-map.ts) and what their members
 * are. One place, so the upgrade from earlier layouts (upgrade.ts) and the code that uses the maps
 * cannot disagree.
 */
export const MAPS = {
  /** alert id → '' : alerts queued for delivery, oldest first. */
  outbox: 'outbox',
  /** alert id → '' : the newest alerts (for `latest`), capped. */
  recent: 'alerts:recent',
  /** destination id → Subscription. */
  subscriptions: 'subscriptions',
  /** destination id → a daily-digest subscription's state (last sent, the digest in flight). */
  digestState: 'digest-state',
  /** alert id → '' : alerts waiting for one destination's next digest. */
  digestQueue: (destinationId: string) => `digest-queue:${destinationId}`,
  /** progress key → '' : the (destination, message) pairs of one alert or digest a platform confirmed. */
  deliveries: (platform: string, itemId: string) => `delivery:${platform.toLowerCase()}:${itemId}`,
  /** output name → '' : the outputs that already took a queued alert. */
  outputsDone: (alertId: string) => `outputs-done:${alertId}`,
  /** source id → state version : the fact-check sources that hold verdict state. */
  verdictIndex: 'verdicts:index',
  /** destination id → that channel's watchlist (its destination and watched items, with the matches already seen). */
  watchlists: 'watchlists',
  /** lock name → holder (lock.ts). */
  locks: 'locks',
} as const;

/** How a destination is named in the store: a hash of its key, since a webhook's key carries its token. */
export const destinationId = (destinationKey: string): string => sha256(destinationKey).slice(0, 24);
