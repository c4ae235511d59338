import type { FetchOptions } from '../sources/fetcher.js';

/** Documents smaller than this download without a word: only the long ones are worth a line. */
const SHOWN_FROM_BYTES = 1_000_000;
const REDRAW_MS = 250;

const mb = (n: number) => (n / 1e6).toFixed(1);

/** "webgate.ec.europa.eu/…/content" → a short name for the line. */
function shortName(url: string): string {
  try {
    const u = new URL(url);
    const last = u.pathname.split('/').filter(Boolean).pop() ?? '';
    return `${u.host}${last ? `/…/${last}` : ''}`;
  } catch {
    return url.slice(0, 60);
  }
}

/**
 * Download progress on a terminal: one line per document over 1 MB, redrawn in place at most
 * four times a second and ended when the document is in. Nothing at all when `out` is not a
 * terminal (piped, a service's journal): undefined, and the fetcher reports to no one.
 */
export function downloadProgress(out: Pick<NodeJS.WriteStream, 'isTTY' | 'write'> = process.stderr): FetchOptions['onProgress'] {
  if (!out.isTTY) return undefined;
  const shown = new Map<string, number>();
  return (url, received, total, done) => {
    const drawnAt = shown.get(url);
    if (drawnAt === undefined && (received < SHOWN_FROM_BYTES || done)) return;
    const now = Date.now();
    if (!done && drawnAt !== undefined && now - drawnAt < REDRAW_MS) return;
    shown.set(url, now);
    const of = total ? ` of ${mb(total)} MB (${Math.min(100, Math.floor((received * 100) / total))}%)` : ' MB';
    out.write(`\r\x1b[Kdownloading ${shortName(url)}: ${mb(received)}${of}${done ? ' done\n' : ''}`);
    if (done) shown.delete(url);
  };
}
