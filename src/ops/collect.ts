import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * A full garbage collection now. V8 collects lazily: a list poll leaves its garbage (the
 * document's text, its tree, a workbook's cells) for a collection that comes only once the heap
 * has grown further, so list polls run back to back pile up each other's garbage. The bot
 * collects after each whole-list poll (tens of milliseconds, once per list per poll). The
 * collector is reached as Jest's leak detector reaches it: exposed for one lookup in a fresh
 * context, then hidden again.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
    setFlagsFromString('--no-expose-gc');
  }
  gc();
}
