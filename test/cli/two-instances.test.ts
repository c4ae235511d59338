import { createClient } from '@redis/client';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnBot } from '../helpers/bot-process.js';
import { PROCESS_TEST_TIMEOUT_MS } from '../helpers/cli.js';
import { realFileUrl } from '../helpers/pipeline.js';
import { claimRedisDb, type OwnedRedisDb } from '../helpers/redis-db.js';

const redis = process.env.REDIS_URL;
if (!redis) console.warn('[two-instances] REDIS_URL is not set: skipping the multi-instance test (set REDIS_URL=redis://127.0.0.1:6379)');

const LEASE_TTL_MS = 1500;
const LEASE_KEY = 'dprk-watch:leader';
let owned: OwnedRedisDb | undefined;
/** The `time` of the first JSON log line with this message. */
const logTime = (stderr: string, msg: string): number => {
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    const l = JSON.parse(line) as { msg?: string; time?: number };
    if (l.msg === msg && typeof l.time === 'number') return l.time;
  }
  throw new Error(`no log line "${msg}" in:\n${stderr.slice(-2000)}`);
};
// The bots are stopped by the children helper after the test (setup-children.ts) — before this.
afterAll(async () => {
  await owned?.release();
});

describe.skipIf(!redis)('several instances on one Redis', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('only the lease holder polls; when it is killed, the other takes over once its lease runs out', async () => {
    // A Redis database of this run's own keeps its state and lease apart from other runs.
    owned = await claimRedisDb(redis!);
    const env = {
      STORE_URL: owned.url,
      LEASE_TTL_MS: String(LEASE_TTL_MS),
      SOURCES: 'ofac-sdn',
      OFAC_SDN_URL: realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv'),
    };
    const a = spawnBot(['start'], { ...env, INSTANCE_ID: 'a' }, 'a');
    await a.waitFor(/dprk-watch is running/, 60_000);
    expect(a.stderr()).toMatch(/✓ ofac-sdn: /);
    const b = spawnBot(['start'], { ...env, INSTANCE_ID: 'b' }, 'b');
    await b.waitFor(/dprk-watch is running/, 60_000);
    expect(b.stderr()).toMatch(/another instance holds the lease/);
    expect(b.stderr()).not.toMatch(/✓ ofac-sdn: /);

    const client = createClient({ url: owned.url });
    await client.connect();
    try {
      expect((await client.get(LEASE_KEY))?.split(':')[0]).toBe('a');
      a.child.kill('SIGKILL');
      await a.exited;
      // What the dead leader left: its lease runs out on its own, at most one TTL from now.
      const left = await client.pTTL(LEASE_KEY);
      const leftAt = Date.now();
      expect(left).toBeLessThanOrEqual(LEASE_TTL_MS);
      await b.waitFor(/this instance now polls and delivers/, 30_000);
      expect((await client.get(LEASE_KEY))?.split(':')[0]).toBe('b');
      // When b took over, by its own log's timestamp (not when the line reached us). The rule: a
      // follower retries at the latest one renewal period (TTL/3) after the holder's lease
      // expired. Margin: one more TTL for b's timer firing late on a loaded machine.
      const tookOver = logTime(b.stderr(), 'this instance now polls and delivers');
      expect(tookOver - leftAt).toBeLessThanOrEqual(Math.max(left, 0) + LEASE_TTL_MS / 3 + LEASE_TTL_MS);
      // The new leader polls.
      await b.waitFor(/✓ ofac-sdn: /, 30_000);
    } finally {
      await client.close();
    }
    expect(await b.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
