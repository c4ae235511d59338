import { randomUUID } from 'node:crypto';
import { createClient } from '@redis/client';
import type { RunCoordinator } from 'node-cron';
import type { Log } from '../log.js';

/*
 * Why this mechanism
 * ------------------
 * Several dprk-watch processes may share one Redis store; exactly one of them must poll and fan
 * alerts out at a time (two drains of one outbox would post every alert twice), and another must
 * take over when it dies. This is the single-instance Redis lock documented by Redis itself
 * ("Distributed locks with Redis", https://redis.io/docs/latest/develop/clients/patterns/distributed-locks/):
 *
 *   acquire  SET key <token> NX PX <ttl>                           (only if nobody holds it)
 *   renew    if GET key == <token> then PEXPIRE key <ttl>          (Lua: atomic compare-and-extend)
 *   release  if GET key == <token> then DEL key                    (Lua: atomic compare-and-delete)
 *
 * with a random token per process, so a process can only ever extend or free its own lease.
 * We use it rather than Redlock: Redlock's extra safety is only for *several independent* Redis
 * masters, and dprk-watch has one Redis (the store) — on one node Redlock reduces to exactly this;
 * it is also not installed, while @redis/client (under @keyv/redis) is.
 *
 * It plugs into node-cron 4.6's own distribution hook: `lease.coordinator` is a node-cron
 * `RunCoordinator`, so scheduled tasks take `{ distributed: true, runCoordinator: lease.coordinator }`
 * and node-cron skips ticks on non-leaders (event `execution:skipped`, reason `not-elected`), and
 * fails closed when Redis cannot be asked (reason `coordinator-error`).
 *
 * Leadership is a lease, not a promise: `isLeader()` turns false on its own once the last
 * confirmed acquire/renew is older than the TTL (minus a clock-drift margin), even before the
 * background renewer notices. A leader paused for longer than the TTL (GC, a blocked event loop)
 * can still finish work it started before the pause; a write that must never happen twice checks
 * the lease key still holds `token` in the same atomic step (a fenced write).
 */

export interface Lease {
  readonly instanceId: string;
  /** The value this process writes into the lease key (instance id + a random token). */
  readonly token: string;
  /** true for the Redis lease; false for the always-leader lease of SQLite/memory stores. */
  readonly distributed: boolean;
  /** Take the lease if free (or extend it if already ours). Resolves to whether we lead now. */
  acquire(): Promise<boolean>;
  /** Extend the lease if it is still ours; false (and follower) if it was lost. */
  renew(): Promise<boolean>;
  /** Give the lease up if it is ours (compare-and-delete: never frees someone else's). */
  release(): Promise<boolean>;
  /** Whether this process holds a lease that has not expired by its own clock. */
  isLeader(): boolean;
  /** Keep trying to lead in the background: renew every ttl/3 while leader, retry as the lease expires otherwise. */
  start(): Promise<void>;
  /** Stop the background loop without releasing (what a crash looks like to the others). */
  stopRenewing(): void;
  /** Stop, release, and close the Redis connection. */
  close(): Promise<void>;
  /** Called with true on becoming leader and false on losing leadership. Returns an unsubscribe. */
  onChange(listener: (leader: boolean) => void): () => void;
  /** node-cron RunCoordinator: a tick runs only on the leader (trying to take the lease first). */
  readonly coordinator: RunCoordinator;
}

export interface LeaseOptions {
  /** STORE_URL: a redis:// or rediss:// URL gives a Redis lease; anything else an always-leader one. */
  url: string;
  /** The lease key, e.g. "dprk-watch:leader". */
  key?: string;
  ttlMs: number;
  instanceId: string;
  log?: Log;
  /** Renewal period (default ttl/3). */
  renewEveryMs?: number;
}

// Acquire-or-extend in one round trip. Returns -1 when we hold the lease afterwards, else the
// remaining ms of the holder's lease (so a follower retries right when it expires).
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return -1 end
return redis.call('PTTL', KEYS[1])`;
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
/** The lease for a store URL: Redis for redis://, always-leader otherwise. */
export function createLease(o: LeaseOptions): Lease {
  return /^rediss?:\/\//.test(o.url) ? redisLease(o) : soloLease(o);
}

type Listener = (leader: boolean) => void;

function listeners() {
  const set = new Set<Listener>();
  return {
    add(l: Listener) {
      set.add(l);
      return () => void set.delete(l);
    },
    emit(leader: boolean, log?: Log) {
      for (const l of set) {
        try {
          l(leader);
        } catch (e) {
          log?.error({ component: 'lease', err: (e as Error).message }, 'lease listener failed');
        }
      }
    },
  };
}

/** SQLite and memory stores belong to one process: it always leads. */
function soloLease(o: LeaseOptions): Lease {
  const ls = listeners();
  return {
    instanceId: o.instanceId,
    token: o.instanceId,
    distributed: false,
    acquire: async () => true,
    renew: async () => true,
    release: async () => true,
    isLeader: () => true,
    async start() {
      ls.emit(true, o.log);
    },
    stopRenewing() {},
    async close() {},
    onChange: (l) => ls.add(l),
    coordinator: { shouldRun: () => true },
  };
}

function redisLease(o: LeaseOptions): Lease {
  const key = o.key ?? 'dprk-watch:leader';
  const ttl = o.ttlMs;
  const renewEvery = o.renewEveryMs ?? Math.max(1, Math.floor(ttl / 3));
  // Redis's own guidance: count validity from before the request and leave room for clock drift.
  const drift = Math.floor(ttl * 0.01) + 2;
  const token = `${o.instanceId}:${randomUUID()}`;
  const log = o.log;
  const ls = listeners();
  const client = createClient({
    url: o.url,
    // A lease command that cannot be sent now must fail now, not be replayed after its moment.
    disableOfflineQueue: true,
    socket: { connectTimeout: Math.min(5000, ttl), reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
  });
  let lastError = '';
  client.on('error', (e: Error) => {
    // Logged once per distinct error: a Redis outage reconnects every 2 s.
    if (e.message !== lastError) log?.warn({ component: 'lease', err: e.message }, 'lease: Redis connection error');
    lastError = e.message;
  });
  client.on('ready', () => (lastError = ''));
  let validUntil = 0; // local clock: leader while Date.now() < validUntil
  let leading = false; // last state announced to listeners
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let closed = false;

  const withTimeout = async <T>(p: Promise<T>, what = 'answer'): Promise<T> => {
    let t: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        p,
        new Promise<never>((_, reject) => {
          t = setTimeout(() => reject(new Error(`Redis: could not ${what} within ${renewEvery} ms`)), renewEvery);
        }),
      ]);
    } finally {
      clearTimeout(t);
    }
  };
  // connect() once: the client then reconnects on its own (reconnectStrategy) and its promise
  // resolves at the first successful connection — which may be never, so every wait is bounded.
  let connecting: Promise<unknown> | undefined;
  const connected = async () => {
    if (client.isReady) return;
    connecting ??= client.connect();
    connecting.catch(() => undefined);
    await withTimeout(connecting, 'connect to Redis');
  };

  const isLeader = () => Date.now() < validUntil;
  const announce = () => {
    const now = isLeader();
    if (now === leading) return;
    leading = now;
    log?.info({ component: 'lease', instance: o.instanceId, key }, now ? 'became leader' : 'lost leadership');
    ls.emit(now, log);
  };

  /** Returns -1 when we lead, else the other holder's remaining ms. */
  const acquireOnce = async (): Promise<number> => {
    const t0 = Date.now();
    await connected();
    const r = Number(await withTimeout(client.eval(ACQUIRE, { keys: [key], arguments: [token, String(ttl)] })));
    validUntil = r === -1 ? t0 + ttl - drift : 0;
    announce();
    return r;
  };
  const acquire = async () => (await acquireOnce()) === -1;

  const renew = async () => {
    const t0 = Date.now();
    try {
      await connected();
      const ok = Number(await withTimeout(client.eval(RENEW, { keys: [key], arguments: [token, String(ttl)] }))) === 1;
      validUntil = ok ? t0 + ttl - drift : 0;
      if (!ok) log?.warn({ component: 'lease', instance: o.instanceId }, 'lease renewal refused: another instance holds it');
      return ok;
    } catch (e) {
      // Cannot prove we still hold it: stop acting as leader now rather than at expiry.
      validUntil = 0;
      log?.warn({ component: 'lease', err: (e as Error).message }, 'lease renewal failed; stepping down');
      return false;
    } finally {
      announce();
    }
  };

  const release = async () => {
    const was = isLeader();
    validUntil = 0;
    announce();
    if (closed || !client.isReady) return false;
    try {
      return Number(await withTimeout(client.eval(RELEASE, { keys: [key], arguments: [token] }))) === 1;
    } catch (e) {
      if (was) log?.warn({ component: 'lease', err: (e as Error).message }, 'lease release failed; it expires on its own');
      return false;
    }
  };

  const schedule = (ms: number) => {
    if (!running) return;
    timer = setTimeout(() => void tick(), Math.max(10, ms));
    timer.unref();
  };
  const tick = async () => {
    if (!running) return;
    if (isLeader() || leading) {
      schedule((await renew()) ? renewEvery : 0);
      return;
    }
    try {
      const r = await acquireOnce();
      // Follower: retry just after the holder's lease would expire (≤ one TTL after it died),
      // but at least every renewal period in case it is released early.
      schedule(r === -1 ? renewEvery : r >= 0 ? Math.min(renewEvery, r + 5) : renewEvery);
    } catch (e) {
      validUntil = 0;
      announce();
      log?.debug({ component: 'lease', err: (e as Error).message }, 'lease acquire failed; retrying');
      schedule(renewEvery);
    }
  };

  // A timer can be late (busy event loop): step down as soon as the lease runs out locally.
  const expiryWatch = setInterval(announce, Math.max(10, Math.min(1000, Math.floor(ttl / 10))));
  expiryWatch.unref();

  const lease: Lease = {
    instanceId: o.instanceId,
    token,
    distributed: true,
    acquire,
    renew,
    release,
    isLeader,
    async start() {
      if (running) return;
      running = true;
      await tick();
    },
    stopRenewing() {
      running = false;
      clearTimeout(timer);
    },
    async close() {
      lease.stopRenewing();
      clearInterval(expiryWatch);
      await release();
      closed = true;
      if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy(); // still (re)connecting: nothing to flush
    },
    onChange: (l) => ls.add(l),
    coordinator: {
      // The key node-cron passes (task name + slot) is not needed: leadership covers every task.
      async shouldRun() {
        if (!isLeader()) await acquireOnce();
        return isLeader();
      },
    },
  };
  return lease;
}
