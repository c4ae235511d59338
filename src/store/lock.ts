import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import type { Store } from './store.js';
import { MAPS } from './layout.js';
import { TypedMap } from './shared-map.js';

/*
 * Why a lock in the store
 * -----------------------
 * Two processes may work on one store at once: `dprk-watch poll --once` from a cron job beside
 * `dprk-watch start` on one SQLite file, several instances on one Redis (the lease elects one
 * scheduler, but a lease changes hands while the old holder finishes), a dry run. Polling one
 * source twice at once would diff both fetches against the same stored list and store whichever
 * finished last; draining the outbox twice at once would post alerts twice. So a poll holds its
 * source's lock and a delivery holds the delivery lock, in the store both processes share.
 *
 * A lock is one member of the `locks` map, changed only by compare-and-set: acquire when absent
 * or stale, renew and release only while the member still holds our token. It is a lease: the
 * holder renews it every ttl/3 and `held()` turns false on its own clock once it could have
 * expired, so work checks `held()` before each step that must not run twice. A holder that died
 * without releasing is recognised at once when it ran on this host (its pid is gone — SQLite
 * files are always local), else after `ttlMs`.
 */

const HolderSchema = z.object({ token: z.string(), host: z.string(), pid: z.number(), until: z.number(), what: z.string().optional() });
type Holder = z.infer<typeof HolderSchema>;

export const DEFAULT_LOCK_TTL_MS = 30_000;

export interface LockOptions {
  ttlMs?: number;
  /** How long to wait for a busy lock before giving up (default: no waiting). */
  waitMs?: number;
  /** Checked while waiting: once false, stop waiting (shutting down). */
  keepWaiting?: () => boolean;
  /** Called once when the lock is busy and we start waiting (to say so in the logs). */
  onWait?: (holder: { host: string; pid: number; what?: string }) => void;
  /** What the holder is doing, for whoever waits. */
  what?: string;
}

export interface HeldLock {
  /** True while the lock is surely ours: not released, renewed in time, not taken over. */
  held(): boolean;
  release(): Promise<void>;
}

const HOST = hostname();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A holder whose lease ran out, or whose process on this host is gone. */
function stale(h: Holder, now: number): boolean {
  return h.until <= now || (h.host === HOST && h.pid !== process.pid && !alive(h.pid));
}

function parseHolder(text: string): Holder | undefined {
  try {
    return HolderSchema.safeParse(JSON.parse(text)).data;
  } catch {
    return undefined; // unreadable: treated as stale and replaced
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Take the lock `name` (waiting up to `waitMs` while another holds it); undefined if not taken. */
export async function acquireLock(store: Store, name: string, o: LockOptions = {}): Promise<HeldLock | undefined> {
  const ttl = o.ttlMs ?? DEFAULT_LOCK_TTL_MS;
  const locks = new TypedMap(store.map(MAPS.locks), HolderSchema);
  const token = randomUUID();
  const deadline = Date.now() + (o.waitMs ?? 0);
  const mine = (until: number): Holder => ({ token, host: HOST, pid: process.pid, until, ...(o.what ? { what: o.what } : {}) });
  let told = false;
  for (;;) {
    const now = Date.now();
    const current = await locks.raw.get(name);
    const holder = current === undefined ? undefined : parseHolder(current);
    if (current === undefined || !holder || stale(holder, now)) {
      const until = now + ttl;
      if (await locks.raw.compareAndSet(name, current, JSON.stringify(mine(until)))) return heldLock(locks, name, mine, until, ttl);
      continue; // someone else moved first: look again at once
    }
    if (Date.now() >= deadline || (o.keepWaiting && !o.keepWaiting())) return undefined;
    if (!told) {
      told = true;
      o.onWait?.({ host: holder.host, pid: holder.pid, ...(holder.what ? { what: holder.what } : {}) });
    }
    await sleep(25 + Math.random() * 75);
  }
}

function heldLock(locks: TypedMap<Holder>, name: string, mine: (until: number) => Holder, acquiredUntil: number, ttl: number): HeldLock {
  let until = acquiredUntil;
  let state: 'held' | 'lost' | 'released' = 'held';
  let current = JSON.stringify(mine(until));
  // One store call at a time: a release must not race a renewal it would then fail to match.
  let inflight: Promise<void> = Promise.resolve();
  const renew = async () => {
    if (state !== 'held') return;
    const next = Date.now() + ttl;
    const text = JSON.stringify(mine(next));
    try {
      if (await locks.raw.compareAndSet(name, current, text)) {
        current = text;
        until = next;
      } else state = 'lost';
    } catch {
      // A store hiccup: held() runs out on its own if it lasts.
    }
  };
  // Renewal stops when the work ends; it never keeps the process alive on its own.
  const timer = setInterval(() => void (inflight = inflight.then(renew)), Math.max(50, Math.floor(ttl / 3)));
  timer.unref();
  return {
    // A margin of a tenth of the TTL for clock drift between the processes.
    held: () => state === 'held' && Date.now() < until - ttl / 10,
    async release() {
      if (state === 'released') return;
      clearInterval(timer);
      await inflight;
      const wasHeld = state === 'held';
      state = 'released';
      if (wasHeld) await locks.raw.compareAndSet(name, current, undefined).catch(() => undefined);
    },
  };
}

/**
 * Run `work` holding the lock `name`; resolves to `{ ran: false }` when the lock stayed busy
 * for `waitMs`. The lock is released when `work` settles, whatever happened.
 */
export async function withLock<T>(store: Store, name: string, work: (lock: HeldLock) => Promise<T>, o: LockOptions = {}): Promise<{ ran: true; value: T } | { ran: false }> {
  const lock = await acquireLock(store, name, o);
  if (!lock) return { ran: false };
  try {
    return { ran: true, value: await work(lock) };
  } finally {
    await lock.release();
  }
}
