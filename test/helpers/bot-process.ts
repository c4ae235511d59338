import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnChild } from './children.js';

const BIN = fileURLToPath(new URL('../../bin/dprk-watch.js', import.meta.url));

export interface BotProcess {
  readonly child: ChildProcess;
  readonly name: string;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited (with its code, or the signal that ended it). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Resolves once stderr matches; rejects after `ms` or when the process exits first. */
  waitFor(re: RegExp, ms?: number): Promise<void>;
  /** Send a signal if still running; resolves when it has exited. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Run the real `dprk-watch` bin (as `runCli` does: loopback-only defaults, controlled environment)
 * and keep a handle on it, for tests that kill or signal a running bot. The process is tracked
 * (test/helpers/children.ts): whatever the test does, it is stopped after it. `group: true` for
 * a bot that starts processes of its own (`discord-shards`): the whole group is stopped.
 */
export function spawnBot(args: string[], env: Record<string, string>, name = args[0] ?? 'bot', o: { group?: boolean } = {}): BotProcess {
  const child = spawnChild(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', REPORT_FEEDS: 'none', HEALTH_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    group: o.group ?? false,
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  const alive = () => !done && child.exitCode === null && child.signalCode === null;
  return {
    child,
    name,
    stdout: () => out,
    stderr: () => err,
    exited,
    alive,
    waitFor: (re, ms = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const t0 = Date.now();
        const tick = () => {
          if (re.test(err)) return resolve();
          if (done) return reject(new Error(`[${name}] exited before ${re}:\n${err.slice(-3000)}`));
          if (Date.now() - t0 > ms) return reject(new Error(`[${name}] timed out waiting for ${re}:\n${err.slice(-3000)}`));
          setTimeout(tick, 20);
        };
        tick();
      }),
    stop: (signal) => {
      if (alive()) {
        // A group leader's signal goes to its whole group (its shards too).
        if (o.group && child.pid !== undefined) process.kill(-child.pid, signal);
        else child.kill(signal);
      }
      return exited;
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `cond` every few ms; rejects with `what` after `timeoutMs`. */
export async function until(cond: () => boolean, timeoutMs: number, what: string, everyMs = 5): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
