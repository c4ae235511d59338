import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces calls per key: each key (a Slack channel, a webhook URL) goes at most once per
 * `intervalMs`, while different keys proceed independently. Turns are handed out in call
 * order, so concurrent callers for one key are served first come, first served; a key that
 * has been quiet for an interval goes at once.
 */
export class KeyedPacer {
  /** The earliest time (performance.now()) each key may go next. */
  private readonly next = new Map<string, number>();

  constructor(readonly intervalMs: number) {}

  /**
   * Resolves when the caller may go, and books the key's following turn `intervalMs` later.
   * `notBeforeMs` delays this turn further (a Retry-After still running).
   */
  async wait(key: string, notBeforeMs = 0): Promise<void> {
    const now = performance.now();
    const at = Math.max(now + notBeforeMs, this.next.get(key) ?? now);
    this.next.set(key, at + this.intervalMs);
    if (this.next.size > 256) this.forgetIdle(now);
    if (at > now) await sleep(at - now);
  }

  /** Keys whose next turn is already due need no entry: drop them so the map stays small. */
  private forgetIdle(now: number): void {
    for (const [key, at] of this.next) if (at <= now) this.next.delete(key);
  }
}
