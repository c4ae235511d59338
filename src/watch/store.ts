import { z } from 'zod';
import { WatchDestinationSchema, WatchedItemSchema, type WatchDestination, type WatchedItem } from '../core/watch.js';
import { identifierKey } from '../search/identifiers.js';
import { isAddress } from '../screen/engine.js';
import { destinationId, MAPS } from '../store/layout.js';
import { TypedMap } from '../store/shared-map.js';
import type { Store } from '../store/store.js';

/** At most this many watched names and addresses per channel. */
export const WATCHLIST_CAP = 500;

/** A watched item as stored: with the matches the channel already knows of (told when added, or alerted). */
const StoredItemSchema = WatchedItemSchema.extend({ seen: z.array(z.string()).default([]) });
export type StoredWatchItem = z.infer<typeof StoredItemSchema>;

const WatchlistSchema = z.object({ destination: WatchDestinationSchema, items: z.array(StoredItemSchema) });
export type Watchlist = z.infer<typeof WatchlistSchema>;

const destinationKey = (d: WatchDestination) => `${d.platform}:${d.workspaceId ?? '-'}:${d.channelId}`;
const idOf = (d: WatchDestination) => destinationId(`watch|${destinationKey(d)}`);

/**
 * What a channel manager typed, read as a watch: a wallet address (compared by identifier key:
 * EVM and bech32 in any letter case) or a name (duplicates told apart by letters alone: case and
 * spacing do not count). A string that starts like an EVM address but is not one is refused
 * rather than watched as a name no list would ever carry.
 */
export function readWatchInput(raw: string): { ok: true; input: string; kind: WatchedItem['kind']; key: string } | { ok: false; reason: string } {
  const input = raw.normalize('NFKC').trim().replace(/\s+/g, ' ');
  if (input === '') return { ok: false, reason: 'give a name or a wallet address to watch' };
  if (isAddress(input)) return { ok: true, input, kind: 'address', key: `address:${identifierKey('crypto', input)}` };
  if (/^0x[0-9a-f]*$/i.test(input))
    return { ok: false, reason: `“${input}” looks like an EVM address but has ${input.length - 2} hex digits after 0x (an address has 40)` };
  if ([...input].filter((c) => /\p{L}|\p{N}/u.test(c)).length < 3) return { ok: false, reason: 'a watched name needs at least 3 letters or digits' };
  if (input.length > 200) return { ok: false, reason: 'a watched name is at most 200 characters' };
  return { ok: true, input, kind: 'name', key: `name:${input.toLocaleLowerCase('en')}` };
}

export type AddOutcome = { status: 'added'; item: StoredWatchItem; count: number } | { status: 'duplicate'; item: StoredWatchItem } | { status: 'full'; count: number };

/**
 * Watchlists, one member of a shared map per channel, changed only by compare-and-set of that
 * member (TypedMap.update): two managers adding at once in one channel — in two processes or
 * shards — both land, a duplicate is caught even when both add it together, and the cap holds
 * exactly. A poll marking matches as seen goes through the same compare-and-set, so it cannot
 * bring back an item removed meanwhile.
 */
export class WatchlistStore {
  private readonly map: TypedMap<Watchlist>;

  constructor(store: Store, private readonly cap = WATCHLIST_CAP) {
    this.map = new TypedMap(store.map(MAPS.watchlists), WatchlistSchema);
  }

  async get(d: WatchDestination): Promise<Watchlist | undefined> {
    return this.map.get(idOf(d));
  }

  all(): Promise<Watchlist[]> {
    return this.map.values();
  }

  /** Add one item (with the matches it has now, reported at once, as seen). */
  async add(d: WatchDestination, item: StoredWatchItem): Promise<AddOutcome> {
    let outcome: AddOutcome = { status: 'full', count: 0 };
    await this.map.update(idOf(d), (current) => {
      const items = current?.items ?? [];
      const existing = items.find((i) => i.key === item.key);
      if (existing) {
        outcome = { status: 'duplicate', item: existing };
        return current;
      }
      if (items.length >= this.cap) {
        outcome = { status: 'full', count: items.length };
        return current;
      }
      outcome = { status: 'added', item, count: items.length + 1 };
      return { destination: current?.destination ?? d, items: [...items, item] };
    });
    return outcome;
  }

  /** Remove one item by key; the removed item, or undefined when the channel did not watch it. */
  async remove(d: WatchDestination, key: string): Promise<StoredWatchItem | undefined> {
    let removed: StoredWatchItem | undefined;
    await this.map.update(idOf(d), (current) => {
      removed = current?.items.find((i) => i.key === key);
      if (!current || !removed) return current;
      const items = current.items.filter((i) => i.key !== key);
      return items.length > 0 ? { ...current, items } : undefined;
    });
    return removed;
  }

  /** Record matches as seen on the items still watched (same key, same addedAt). */
  async markSeen(d: WatchDestination, seen: ReadonlyMap<string, { addedAt: string; matches: readonly string[] }>): Promise<void> {
    await this.map.update(idOf(d), (current) => {
      if (!current) return current;
      let changed = false;
      const items = current.items.map((i) => {
        const s = seen.get(i.key);
        if (!s || s.addedAt !== i.addedAt) return i;
        const fresh = s.matches.filter((m) => !i.seen.includes(m));
        if (fresh.length === 0) return i;
        changed = true;
        return { ...i, seen: [...i.seen, ...fresh] };
      });
      return changed ? { ...current, items } : current;
    });
  }
}
