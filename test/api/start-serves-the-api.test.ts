/**
 * `dprk-watch start` with API_KEYS (and no Slack) serves the API on PORT on its own, says where
 * in its opening summary, answers a lookup from the list it polled, and never logs the key.
 */
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnChild } from '../helpers/children.js';
import { PROCESS_TEST_TIMEOUT_MS } from '../helpers/cli.js';
import { realFileUrl } from '../helpers/pipeline.js';

const BIN = fileURLToPath(new URL('../../bin/dprk-watch.js', import.meta.url));
const KEY = 'start-test-key-0123456789abcdef';
const dir = mkdtempSync(path.join(tmpdir(), 'dprk-api-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dprk-watch start with API_KEYS', () => {
  it('opens with a summary naming the API port, then answers /v1/lookup with the key', async () => {
    const child = spawnChild(process.execPath, [BIN, 'start'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        STORE_URL: `sqlite://${path.join(dir, 'state.sqlite')}`,
        SOURCES: 'ofac-sdn',
        OFAC_SDN_URL: realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv'),
        REPORT_FEEDS: 'none',
        HEALTH_PORT: '0',
        PORT: '0',
        API_KEYS: KEY,
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout!.resume();
    const running = new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/dprk-watch is running/.test(stderr)) resolve();
      });
      child.on('close', (code) => reject(new Error(`start exited with ${code}:\n${stderr}`)));
    });
    try {
      await running;
      const port = /HTTP API: http:\/\/localhost:(\d+)\/v1\//.exec(stderr)?.[1];
      expect(port, stderr).toBeDefined();
      expect(stderr).toMatch(/watching 1 sanctions list/);
      const res = await fetch(`http://127.0.0.1:${port}/v1/lookup?q=Lazarus%20Group`, { headers: { authorization: `Bearer ${KEY}` } });
      expect(res.status).toBe(200);
      const top = ((await res.json()) as { results: Array<{ name: string; source: string }> }).results[0]!;
      expect(top).toMatchObject({ name: expect.stringMatching(/LAZARUS GROUP/), source: 'ofac-sdn' });
      expect((await fetch(`http://127.0.0.1:${port}/v1/status`)).status).toBe(401);
    } finally {
      const closed = new Promise((r) => child.once('close', r));
      child.kill('SIGTERM');
      await closed;
    }
    // Piped stderr: the logs are JSON lines, and the key is in none of them.
    expect(stderr).toMatch(/^\{"level":/m);
    expect(stderr).not.toContain(KEY);
  }, PROCESS_TEST_TIMEOUT_MS);
});
