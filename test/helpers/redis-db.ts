import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createClient } from '@redis/client';

/**
 * A Redis database (SELECT index) that one test run owns alone, for tests of real `dprk-watch`
 * processes: the CLI has no setting for a key prefix — the store's namespace and the lease key
 * ("dprk-watch:leader") are fixed — so two runs at once (CI and a developer, two agents) can
 * only be kept apart by database. A run claims an empty database by writing an owner key
 * (SET NX: one claimant wins) and keeps it only if that key is all there is; `release()`
 * empties the database (FLUSHDB — of a database this run owns, nothing else) so Redis is left
 * as it was found. Database 0, where people keep real data, is never claimed. A database left
 * behind by a run that died (its owner process is gone, on this host) is emptied and reused.
 */
export interface OwnedRedisDb {
  /** REDIS_URL with the database index: STORE_URL for the bots. */
  readonly url: string;
  readonly db: number;
  /** Empty the database (every key the test and its bots wrote) and give it up. */
  release(): Promise<void>;
}

const OWNER_KEY = 'dprk-watch-test:owner';
/** Owner value: "<host> <pid> <random>" — the pid says whether a leftover claim is stale. */
const ownerValue = () => `${hostname()} ${process.pid} ${randomUUID()}`;

// Compare-and-empty: only the owner may flush its database.
const FLUSH_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('FLUSHDB') return 1 end return 0`;
// Take over a stale claim atomically: flush, then claim (no other claimant can slip in between).
const TAKE_OVER = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('FLUSHDB') redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0`;

function ownerIsGone(value: string): boolean {
  const [host, pid] = value.split(' ');
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const withDb = (base: string, db: number) => `${base.replace(/\/\d*$/, '')}/${db}`;

export async function claimRedisDb(base: string): Promise<OwnedRedisDb> {
  const admin = createClient({ url: withDb(base, 0) });
  await admin.connect();
  let count = 16;
  try {
    const reply = (await admin.configGet('databases')) as Record<string, string>;
    count = Number(reply.databases) || 16;
  } catch {
    // CONFIG may be disabled (managed Redis): 16 is Redis's default.
  } finally {
    await admin.close();
  }
  // Random order: concurrent runs rarely race for the same database.
  const candidates = Array.from({ length: count - 1 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
  const me = ownerValue();
  for (const db of candidates) {
    const url = withDb(base, db);
    const client = createClient({ url });
    await client.connect();
    let owned = false;
    try {
      if ((await client.set(OWNER_KEY, me, { condition: 'NX' })) === 'OK') {
        // Ours only if it was empty: someone else's data (without our owner key) is left alone.
        if ((await client.dbSize()) === 1) owned = true;
        else await client.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, { keys: [OWNER_KEY], arguments: [me] });
      } else {
        const holder = await client.get(OWNER_KEY);
        if (holder && ownerIsGone(holder)) owned = Number(await client.eval(TAKE_OVER, { keys: [OWNER_KEY], arguments: [holder, me] })) === 1;
      }
    } finally {
      await client.close();
    }
    if (owned)
      return {
        url,
        db,
        async release() {
          const c = createClient({ url });
          await c.connect();
          try {
            await c.eval(FLUSH_IF_OWNER, { keys: [OWNER_KEY], arguments: [me] });
          } finally {
            await c.close();
          }
        },
      };
  }
  throw new Error(`no free Redis database at ${base} (databases 1–${count - 1} are all in use)`);
}
