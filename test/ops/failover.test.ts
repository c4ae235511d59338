import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient } from '@redis/client';
import { describe, expect, it } from 'vitest';
import { spawnChild } from '../helpers/children.js';
import { PROCESS_TEST_TIMEOUT_MS } from '../helpers/cli.js';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn('[failover test] REDIS_URL is not set: skipping the two-process failover test (set REDIS_URL=redis://127.0.0.1:6379 to run it)');

const WORKER = fileURLToPath(new URL('./fixtures/lease-worker.ts', import.meta.url));
const TTL = 500;

interface WorkerEvent {
  instance: string;
  t: number;
  event: 'started' | 'leader' | 'follower' | 'delivered' | 'done';
  item?: number;
}

interface Worker {
  name: string;
  child: ChildProcess;
  events: WorkerEvent[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// The workers are stopped by the children helper after each test (setup-children.ts).
function startWorker(key: string, name: string): Worker {
  const child = spawnChild(process.execPath, ['--import', 'tsx', WORKER, REDIS_URL!, key, name, '10', String(TTL), '100'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: WorkerEvent[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      events.push(JSON.parse(buf.slice(0, i)) as WorkerEvent);
      buf = buf.slice(i + 1);
    }
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      if (code) process.stderr.write(`[${name}] exited ${code}: ${stderr}\n`);
      resolve({ code, signal });
    }),
  );
  return { name, child, events, exit };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe.skipIf(!REDIS_URL)('failover between two real processes', () => {
  it('SIGKILL of the leader mid-way: the other takes over once the lease runs out and every item is delivered exactly once', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const key = `dprk-watch-test:failover:${randomUUID()}`;
    const redis = createClient({ url: REDIS_URL! });
    await redis.connect();
    try {
      const workers = [startWorker(key, 'w1'), startWorker(key, 'w2')];
      const delivered = (w: Worker) => w.events.filter((e) => e.event === 'delivered').map((e) => e.item!);
      // Wait until one of them leads and has delivered 3 items.
      await until(() => workers.some((w) => delivered(w).length >= 3), 120_000, 'a leader delivering 3 items');
      const leader = workers.find((w) => delivered(w).length >= 3)!;
      const other = workers.find((w) => w !== leader)!;
      await until(() => other.events.some((e) => e.event === 'started'), 120_000, 'the second worker to start');
      expect(delivered(other)).toEqual([]);

      leader.child.kill('SIGKILL');
      expect(await leader.exit).toEqual({ code: null, signal: 'SIGKILL' });
      // What the dead leader left: its lease runs out on its own, at most one TTL from now.
      const left = await redis.pTTL(key);
      const leftAt = Date.now();
      expect(left).toBeLessThanOrEqual(TTL);

      expect(await other.exit).toEqual({ code: 0, signal: null });
      const tookOver = other.events.find((e) => e.event === 'leader')!;
      // The rule: a follower retries at the latest one renewal period (TTL/3) after the holder's
      // lease expired. Margin: one more TTL for the follower's timer firing late on a loaded machine.
      expect(tookOver.t - leftAt).toBeLessThanOrEqual(Math.max(left, 0) + TTL / 3 + TTL);

      const items = await redis.lRange(`${key}:items`, 0, -1);
      expect(items).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
      // Split between the two processes, none by both.
      const byLeader = delivered(leader);
      const byOther = delivered(other);
      expect(byLeader.length).toBeGreaterThanOrEqual(3);
      expect(byOther.length).toBeGreaterThanOrEqual(1);
      expect([...byLeader, ...byOther].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      // The survivor released the lease on its way out.
      expect(await redis.get(key)).toBeNull();
    } finally {
      await redis.del([`${key}:items`, `${key}:cursor`, key]);
      await redis.close();
    }
  });
});
