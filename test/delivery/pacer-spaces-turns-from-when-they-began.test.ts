import { describe, expect, it } from 'vitest';
import { KeyedPacer } from '../../src/delivery/pacer.js';

/** Block the event loop (a GC pause, a full-list parse, a busy machine) for `ms`. */
function stall(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('KeyedPacer', () => {
  it('counts the interval from when the previous turn began, so a sleeper woken late does not let the next one follow it sooner', async () => {
    const pacer = new KeyedPacer(300);
    const began: number[] = [];
    const turn = async () => {
      await pacer.wait('C1');
      began.push(performance.now());
    };
    const turns = [turn(), turn(), turn()];
    // While the second turn sleeps towards 300 ms, the process is busy until about 550 ms: it begins late.
    setTimeout(() => stall(400), 150);
    await Promise.all(turns);
    expect(began[1]! - began[0]!).toBeGreaterThanOrEqual(300 - 2);
    expect(began[2]! - began[1]!).toBeGreaterThanOrEqual(300 - 2); // it was about 50 ms when counted from the due time
  });

  it('lets other keys go at once, honours notBefore, and serves one key first come, first served', async () => {
    const pacer = new KeyedPacer(200);
    const order: string[] = [];
    const t0 = performance.now();
    await pacer.wait('A');
    await pacer.wait('B'); // another key: no wait
    expect(performance.now() - t0).toBeLessThan(200);
    await Promise.all([pacer.wait('A').then(() => order.push('a2')), pacer.wait('A').then(() => order.push('a3'))]);
    expect(order).toEqual(['a2', 'a3']);
    const t1 = performance.now();
    await pacer.wait('Z', 250);
    expect(performance.now() - t1).toBeGreaterThanOrEqual(250 - 2);
  });
});
