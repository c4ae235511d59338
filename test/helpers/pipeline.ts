import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AlertScope } from '../../src/core/alerts.js';
import type { Log } from '../../src/log.js';
import { pollSource, type PollOutcome } from '../../src/pipeline/poll.js';
import type { ListSource } from '../../src/sources/list-source.js';
import type { Store } from '../../src/store/store.js';
import { REAL } from './fixtures.js';

/** A logger that keeps what it was told, so tests can assert that reasons are logged. */
export function recordingLog(): Log & { lines: Array<{ level: string; msg: string; obj: object }> } {
  const lines: Array<{ level: string; msg: string; obj: object }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, msg: msg ?? '', obj });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const realFileUrl = (relative: string): string => pathToFileURL(path.join(REAL, relative)).href;

export function poll(source: ListSource, store: Store, scope: AlertScope = 'all', log: Log = recordingLog()): Promise<PollOutcome> {
  return pollSource(source, {
    store,
    log,
    scope,
    maxRemovalShare: 0.05,
    fetch: { timeoutMs: 1500, maxBytes: 64 * 1024 * 1024, userAgent: 'dprk-watch-test' },
  });
}
