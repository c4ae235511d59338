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

/**
 * Run `work` (one whole-list poll) with V8 collecting once its heap has grown a fifth past what
 * was live at the last collection, instead of letting it grow up to four times that first (V8's
 * default when memory is plentiful), then collect. A list's parse, diff and save leave garbage
 * at the rate they read (trees of each record, each record's JSON for its hash, the stored
 * chunks): left to the default, the Swiss file's 50 MB of records made a 200 MB heap. V8 sets
 * its next limit when it collects, so the setting is followed by a collection on the way in and
 * given back only after the one on the way out. Lists take turns, so this covers one list at a
 * time; other work meanwhile sees the same setting.
 */
export async function withTightHeap<T>(work: () => Promise<T>): Promise<T> {
  setFlagsFromString('--heap-growing-percent=20');
  collectGarbage();
  try {
    return await work();
  } finally {
    collectGarbage();
    setFlagsFromString('--heap-growing-percent=0'); // 0: V8's own choice again, from its next collection
  }
}
