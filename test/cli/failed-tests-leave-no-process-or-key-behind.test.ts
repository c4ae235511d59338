/**
 * The cleanup guarantee, proved on tests that fail: a nested vitest run of
 * test/fixtures/forced-failure (tests that fail or time out on purpose with a started
 * `dprk-watch start`, a process group holding a bot it started itself, a child that ignores
 * SIGTERM, and keys in an owned Redis database) — then none of those processes is left
 * (`pgrep -f dprk-watch.js` lists none of them), and neither are the keys.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@redis/client';
import { describe, expect, it } from 'vitest';
import { spawnChild } from '../helpers/children.js';
import { PROCESS_TEST_TIMEOUT_MS } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VITEST = path.join(ROOT, 'node_modules/vitest/vitest.mjs');
const CONFIG = path.join(ROOT, 'test/fixtures/forced-failure/vitest.config.ts');

/** Running, by /proc: a zombie (exited, not yet reaped by its new parent) is not. */
function running(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    return readFileSync(stat, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The pids `pgrep -f dprk-watch.js` lists (other runs' bots included). */
function dprkWatchPids(): number[] {
  try {
    return execFileSync('pgrep', ['-f', 'dprk-watch.js'], { encoding: 'utf8' }).trim().split('\n').map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

type Reported = { kind: 'bot' | 'stubborn'; pid: number } | { kind: 'group'; pid: number; grandchild: number } | { kind: 'redis'; db: number; key: string };

describe('a test that fails or times out', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('leaves no child process (nor its process group, nor one that ignores SIGTERM) and no Redis key behind', async () => {
    const reportFile = path.join(mkdtempSync(path.join(tmpdir(), 'dprk-forced-failure-')), 'report.jsonl');
    const nested = spawnChild(process.execPath, [VITEST, 'run', '--config', CONFIG], {
      cwd: ROOT,
      env: { ...process.env, FORCED_FAILURE_REPORT: reportFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    nested.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    nested.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => nested.on('close', resolve));
    const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
    expect(code, plain.slice(-3000)).toBe(1);
    const redis = process.env.REDIS_URL;
    expect(plain).toMatch(new RegExp(`Tests\\s+${redis ? 4 : 3} failed`));
    expect(plain).toMatch(/Test timed out in 4000ms/);

    const reported = readFileSync(reportFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Reported);
    expect(reported.map((r) => r.kind).sort()).toEqual(['bot', 'group', 'stubborn', ...(redis ? ['redis'] : [])].sort());
    const pids = reported.flatMap((r) => (r.kind === 'redis' ? [] : r.kind === 'group' ? [r.pid, r.grandchild] : [r.pid]));
    expect(pids.every((p) => Number.isInteger(p) && p > 0)).toBe(true);
    for (const pid of pids) expect(running(pid), `pid ${pid}`).toBe(false);
    expect(dprkWatchPids().filter((p) => pids.includes(p))).toEqual([]);
    // The setup file did it, and said so.
    expect(plain).toMatch(/\[children\] stopped 1 child process/);

    for (const r of reported) {
      if (r.kind !== 'redis') continue;
      const client = createClient({ url: `${redis!.replace(/\/\d*$/, '')}/${r.db}` });
      await client.connect();
      try {
        expect(await client.exists(r.key)).toBe(0);
      } finally {
        await client.close();
      }
    }
  });
});
