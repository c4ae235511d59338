import { setTimeout as sleep } from 'node:timers/promises';

interface Turn {
  /** Resolves with the time (performance.now()) this turn actually began. */
  began: Promise<number>;
  /** Set once it began: lets idle keys be forgotten without awaiting. */
  at?: number;
}

/**
 * Spaces calls per key: each key (a Slack channel, a webhook URL) goes at most once per
 * `intervalMs`, while different keys proceed independently. Turns are handed out in call
 * order, so concurrent callers for one key are served first come, first served; a key that
 * has been quiet for an interval goes at once.
 *
 * The interval is counted from when the previous turn actually began, not from when it was
 * due: a busy process that wakes a sleeper late must not let the next one follow it sooner.
 */
export class KeyedPacer {
  private readonly last = new Map<string, Turn>();

  constructor(readonly intervalMs: number) {}

  /** Resolves when the caller may go. `notBeforeMs` delays this turn further (a Retry-After still running). */
  async wait(key: string, notBeforeMs = 0): Promise<void> {
    const notBefore = performance.now() + notBeforeMs;
    const previous = this.last.get(key);
    const turn: Turn = { began: Promise.resolve(0) };
    turn.began = (async () => {
      const prevBegan = previous ? await previous.began : -Infinity;
      const at = Math.max(notBefore, prevBegan + this.intervalMs);
      // Timers run on the loop's millisecond clock and can fire a fraction of a millisecond early:
      // sleep again for what is left, so a turn never begins before its interval is over.
      for (let now = performance.now(); at > now; now = performance.now()) await sleep(Math.max(1, Math.ceil(at - now)));
      return (turn.at = performance.now());
    })();
    this.last.set(key, turn);
    if (this.last.size > 256) this.forgetIdle();
    await turn.began;
  }

  /** Keys whose last turn began more than an interval ago need no entry: drop them so the map stays small. */
  private forgetIdle(): void {
    const now = performance.now();
    for (const [key, t] of this.last) if (t.at !== undefined && t.at + this.intervalMs <= now) this.last.delete(key);
  }
}
