import { fileURLToPath } from 'node:url';
import { spawnChild } from './children.js';

const BIN = fileURLToPath(new URL('../../bin/dprk-watch.js', import.meta.url));

/**
 * The hang guard for a test that starts the bin several times: each start loads the sources
 * through tsx (seconds when idle; half a minute or more on a loaded machine). Generous on
 * purpose: it only bounds a test that hangs, and asserts nothing about speed.
 */
export const PROCESS_TEST_TIMEOUT_MS = 240_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the real `dprk-watch` bin as a user would, with a controlled environment. With
 * `stopWhen`, send SIGTERM once stderr matches it (for the long-running `start`). The process
 * is tracked (test/helpers/children.ts): a test that fails or times out does not leave it running.
 */
export function runCli(args: string[], env: Record<string, string> = {}, stopWhen?: RegExp): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(process.execPath, [BIN, ...args], {
      // Report feeds default to real publishers; tests stay on loopback unless they set them.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', REPORT_FEEDS: 'none', HEALTH_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    let signalled = false;
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stopWhen && !signalled && stopWhen.test(stderr)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
