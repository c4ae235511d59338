import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { realFileUrl } from '../helpers/pipeline.js';

const BIN = fileURLToPath(new URL('../../bin/dprk-watch.js', import.meta.url));
const redis = process.env.REDIS_URL;
if (!redis) console.warn('[two-instances] REDIS_URL is not set: skipping the multi-instance test (set REDIS_URL=redis://127.0.0.1:6379)');

/** Start `dprk-watch start` and collect its stderr; resolves once the pattern appears. */
function startBot(env: Record<string, string>): { child: ChildProcess; output: () => string; waitFor: (re: RegExp, ms?: number) => Promise<void> } {
  let err = '';
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REPORT_FEEDS: 'none', HEALTH_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const waitFor = (re: RegExp, ms = 20_000) =>
    new Promise<void>((resolve, reject) => {
      const t0 = Date.now();
      const tick = () => (re.test(err) ? resolve() : Date.now() - t0 > ms ? reject(new Error(`timed out waiting for ${re}:\n${err.slice(-2000)}`)) : setTimeout(tick, 50));
      tick();
    });
  return { child, output: () => err, waitFor };
}

describe.skipIf(!redis)('several instances on one Redis', () => {
  it('only the lease holder polls; when it is killed, the other takes over within one lease', async () => {
    // A Redis database of its own keeps this test's state and lease apart from everything else.
    const url = `${redis!.replace(/\/\d*$/, '')}/7`;
    const env = {
      STORE_URL: url,
      LEASE_TTL_MS: '1500',
      SOURCES: 'ofac-sdn',
      OFAC_SDN_URL: realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv'),
    };
    const a = startBot({ ...env, INSTANCE_ID: 'a' });
    await a.waitFor(/dprk-watch is running/);
    expect(a.output()).toMatch(/✓ ofac-sdn: /);
    const b = startBot({ ...env, INSTANCE_ID: 'b' });
    await b.waitFor(/dprk-watch is running/);
    expect(b.output()).toMatch(/another instance holds the lease/);
    expect(b.output()).not.toMatch(/✓ ofac-sdn: /);
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await b.waitFor(/this instance now polls and delivers/, 10_000);
    expect(Date.now() - killedAt).toBeLessThan(1500 + 1500);
    b.child.kill('SIGTERM');
    await new Promise((r) => b.child.on('close', r));
  });
});
