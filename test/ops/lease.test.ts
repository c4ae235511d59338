import { randomUUID } from 'node:crypto';
import { createClient } from '@redis/client';
import cron from 'node-cron';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLease, type Lease } from '../../src/ops/lease.js';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn('[lease tests] REDIS_URL is not set: skipping the Redis lease tests (set REDIS_URL=redis://127.0.0.1:6379 to run them)');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
  return Date.now() - t0;
}

describe('lease without Redis (SQLite / memory stores)', () => {
  it('is always leader and lets every cron tick run', async () => {
    for (const url of ['sqlite://./data/x.sqlite', 'memory:']) {
      const lease = createLease({ url, ttlMs: 1000, instanceId: 'solo' });
      expect(lease.distributed).toBe(false);
      const seen: boolean[] = [];
      lease.onChange((l) => seen.push(l));
      await lease.start();
      expect(lease.isLeader()).toBe(true);
      expect(await lease.coordinator.shouldRun('poll:x', 1000)).toBe(true);
      expect(seen).toEqual([true]);
      await lease.close();
    }
  });
});

describe.skipIf(!REDIS_URL)('Redis lease', () => {
  const TTL = 500;
  const leases: Lease[] = [];
  let redis: ReturnType<typeof createClient>;
  const make = (key: string, instanceId: string) => {
    const l = createLease({ url: REDIS_URL!, key, ttlMs: TTL, instanceId });
    leases.push(l);
    return l;
  };
  // Every key this file writes starts with one run's prefix, so afterAll can remove exactly
  // them (a failed test leaves a fenced list or a foreign lease value behind otherwise).
  const prefix = `dprk-watch-test:lease:${randomUUID()}:`;
  const freshKey = () => `${prefix}${randomUUID()}`;
  beforeAll(async () => {
    redis = createClient({ url: REDIS_URL! });
    await redis.connect();
  });
  afterEach(async () => {
    await Promise.all(leases.splice(0).map((l) => l.close()));
  });
  afterAll(async () => {
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) keys.push(...batch);
    if (keys.length) await redis.del(keys);
    await redis.close();
  });

  it('two leases on one key: exactly one leads, and the key holds its token with the TTL', async () => {
    const key = freshKey();
    const a = make(key, 'a');
    const b = make(key, 'b');
    const got = await Promise.all([a.acquire(), b.acquire()]);
    expect(got.filter(Boolean)).toHaveLength(1);
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
    const leader = a.isLeader() ? a : b;
    expect(await redis.get(key)).toBe(leader.token);
    const pttl = await redis.pTTL(key);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(TTL);
    // Acquiring again as the holder extends; as the other, still fails.
    expect(await leader.acquire()).toBe(true);
    expect(await (leader === a ? b : a).acquire()).toBe(false);
  });

  it('with background renewal, two started leases keep exactly one leader for several TTLs', async () => {
    const key = freshKey();
    const a = make(key, 'a');
    const b = make(key, 'b');
    await Promise.all([a.start(), b.start()]);
    const first = a.isLeader() ? a : b;
    let samples = 0;
    const t0 = Date.now();
    while (Date.now() - t0 < TTL * 4) {
      expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
      expect(first.isLeader()).toBe(true); // renew keeps leadership: no flapping
      samples++;
      await sleep(20);
    }
    expect(samples).toBeGreaterThan(50);
    expect(await redis.get(key)).toBe(first.token);
  });

  it('the leader stops renewing (simulated death): the other takes over within one TTL', async () => {
    const key = freshKey();
    const a = make(key, 'a');
    await a.start();
    expect(a.isLeader()).toBe(true);
    const b = make(key, 'b');
    await b.start();
    expect(b.isLeader()).toBe(false);
    await sleep(TTL); // a renews meanwhile; b stays follower
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
    a.stopRenewing(); // "dies": no release, no more renewals
    const died = Date.now();
    await until(() => b.isLeader(), TTL * 3);
    const takeover = Date.now() - died;
    expect(takeover).toBeLessThanOrEqual(TTL + 50);
    // The dead leader's own clock has also run out: it does not believe it still leads.
    expect(a.isLeader()).toBe(false);
    expect(await redis.get(key)).toBe(b.token);
    // And it cannot renew a lease that is no longer its own.
    expect(await a.renew()).toBe(false);
    expect(await redis.get(key)).toBe(b.token);
  });

  it('the leader releases: the other takes over at its next attempt, well within one TTL', async () => {
    const key = freshKey();
    const a = make(key, 'a');
    const b = make(key, 'b');
    await a.start();
    await b.start();
    expect(b.isLeader()).toBe(false);
    const events: boolean[] = [];
    b.onChange((l) => events.push(l));
    expect(await a.release()).toBe(true);
    a.stopRenewing();
    expect(a.isLeader()).toBe(false);
    const took = await until(() => b.isLeader(), TTL * 2);
    expect(took).toBeLessThanOrEqual(TTL);
    expect(events).toEqual([true]);
  });

  it("a non-leader's release does not free the leader's key (compare-and-delete)", async () => {
    const key = freshKey();
    const a = make(key, 'a');
    const b = make(key, 'b');
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    expect(await b.release()).toBe(false);
    expect(await redis.get(key)).toBe(a.token);
    expect(await b.acquire()).toBe(false);
    expect(a.isLeader()).toBe(true);
    // Nor does a stale leader's renewal extend someone else's lease.
    expect(await b.renew()).toBe(false);
    expect(await redis.get(key)).toBe(a.token);
  });

  it('renew extends the lease past its original TTL', async () => {
    const key = freshKey();
    const a = make(key, 'a');
    expect(await a.acquire()).toBe(true);
    for (let i = 0; i < 5; i++) {
      await sleep(TTL / 2);
      expect(await a.renew()).toBe(true);
      expect(a.isLeader()).toBe(true);
    }
    // 2.5 TTLs later it is still ours.
    expect(await redis.get(key)).toBe(a.token);
    // Without renewal it lapses, locally and in Redis.
    await sleep(TTL + 20);
    expect(a.isLeader()).toBe(false);
    expect(await redis.get(key)).toBeNull();
  });

  it('a leader whose key was taken over (e.g. after a long pause) steps down at its next renewal', async () => {
    const key = freshKey();
    const a = make(key, 'a');
    const events: boolean[] = [];
    a.onChange((l) => events.push(l));
    await a.start();
    expect(a.isLeader()).toBe(true);
    await redis.set(key, 'someone-else', { expiration: { type: 'PX', value: 5000 } });
    const t = await until(() => !a.isLeader(), TTL * 2);
    expect(t).toBeLessThanOrEqual(TTL / 3 + 100);
    expect(events).toEqual([true, false]);
    expect(await redis.get(key)).toBe('someone-else'); // and it did not overwrite or delete it
  });

  it('Redis unreachable: no leader, node-cron fails closed, nothing crashes', async () => {
    const lease = createLease({ url: 'redis://127.0.0.1:1', key: freshKey(), ttlMs: TTL, instanceId: 'x' });
    leases.push(lease);
    await lease.start(); // logs and keeps retrying in the background
    expect(lease.isLeader()).toBe(false);
    await expect(lease.coordinator.shouldRun('poll:x', TTL)).rejects.toThrow();
    await sleep(TTL);
    expect(lease.isLeader()).toBe(false);
  });

  it('as a node-cron RunCoordinator: a distributed task runs on the leader only', async () => {
    const key = freshKey();
    const a = make(key, 'a');
    const b = make(key, 'b');
    await a.start();
    await b.start();
    const runs = { a: 0, b: 0 };
    const skipped = { a: 0, b: 0 };
    const tasks = (['a', 'b'] as const).map((who) => {
      const t = cron.schedule('* * * * * *', () => void runs[who]++, {
        name: `lease-test-${who}`,
        distributed: true,
        runCoordinator: (who === 'a' ? a : b).coordinator,
        distributedLease: TTL,
      });
      t.on('execution:skipped', () => void skipped[who]++);
      return t;
    });
    await sleep(2600);
    for (const t of tasks) await t.destroy();
    const leader = a.isLeader() ? 'a' : 'b';
    const follower = leader === 'a' ? 'b' : 'a';
    expect(runs[leader]).toBeGreaterThanOrEqual(2);
    expect(runs[follower]).toBe(0);
    expect(skipped[follower]).toBeGreaterThanOrEqual(2);
  });
});
