import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * Every child process a test starts goes through `spawnChild`, which remembers it until it has
 * exited. test/helpers/setup-children.ts (a vitest setup file, so every test file has it)
 * kills what a test left running in afterEach — and what beforeAll started, in afterAll — and
 * waits for it to exit, whether the test passed, failed or timed out. A child started with
 * `group: true` leads a process group of its own (detached), and the whole group is killed:
 * for programs that start children of their own (discord.js shards).
 */

interface Tracked {
  child: ChildProcess;
  group: boolean;
  /** 'test' when started inside a test (killed after it), 'file' when in beforeAll (after the file). */
  scope: 'test' | 'file';
  closed: Promise<void>;
}

const live = new Set<Tracked>();
let inTest = false;

/** Called by the setup file around each test. */
export function enterTest(): void {
  inTest = true;
}

export interface SpawnChildOptions extends SpawnOptions {
  /** Run in a process group of its own and kill the whole group (the child forks children). */
  group?: boolean;
}

export function spawnChild(command: string, args: readonly string[], options: SpawnChildOptions = {}): ChildProcess {
  const { group = false, ...rest } = options;
  const child = spawn(command, args, { ...rest, detached: group });
  const t: Tracked = {
    child,
    group,
    scope: inTest ? 'test' : 'file',
    closed: new Promise<void>((resolve) => {
      // 'close' waits for stdio to end too; 'error' (spawn failed) may come without either.
      child.once('close', () => resolve());
      child.once('error', () => resolve());
    }),
  };
  live.add(t);
  void t.closed.then(() => live.delete(t));
  return child;
}

const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

function signal(t: Tracked, sig: NodeJS.Signals): void {
  const pid = t.child.pid;
  if (pid === undefined) return;
  try {
    if (t.group) process.kill(-pid, sig);
    else if (running(t.child)) t.child.kill(sig);
  } catch {
    // ESRCH: already gone.
  }
}

/** Whether any process of the child's group is still there (signal 0 only asks). */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Stop the tracked children of `scope` (all when omitted): SIGTERM first, so a bot can give up
 * its lease and close its store; SIGKILL after `graceMs` as the last resort. Resolves once every
 * one has exited (and, for a group, every process of the group). Returns how many were running.
 */
export async function stopChildren(scope?: 'test' | 'file', graceMs = 3000): Promise<number> {
  if (scope === 'test') inTest = false;
  const targets = [...live].filter((t) => scope === undefined || t.scope === scope);
  const alive = targets.filter((t) => running(t.child) || (t.group && t.child.pid !== undefined && groupAlive(t.child.pid)));
  for (const t of alive) signal(t, 'SIGTERM');
  await Promise.all(
    alive.map(async (t) => {
      const deadline = Date.now() + graceMs;
      const gone = () => !running(t.child) && !(t.group && groupAlive(t.child.pid!));
      while (!gone() && Date.now() < deadline) await sleep(20);
      if (!gone()) signal(t, 'SIGKILL');
      await t.closed;
      // A group's other members (shards) may outlive its leader by a moment after SIGKILL.
      while (t.group && groupAlive(t.child.pid!)) {
        signal(t, 'SIGKILL');
        await sleep(20);
      }
    }),
  );
  for (const t of targets) live.delete(t);
  return alive.length;
}

// The test runner's worker exiting (a crash, an unhandled error) must not leave a bot behind.
process.once('exit', () => {
  for (const t of live) signal(t, 'SIGKILL');
});
