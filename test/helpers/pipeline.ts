import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Alert, AlertScope, DesignationAlert } from '../../src/core/alerts.js';
import type { Log } from '../../src/log.js';
import { pollSource, type PollDeps, type PollResult } from '../../src/pipeline/poll.js';
import type { ListSource } from '../../src/sources/list-source.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import type { ListId } from '../../src/core/designation.js';
import type { Snapshot } from '../../src/core/snapshot.js';
import { expect } from 'vitest';
import { App, type AppDeps } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Source } from '../../src/sources/source.js';
import { REAL } from './fixtures.js';

/** A logger that keeps what it was told, so tests can assert that reasons are logged. */
export function recordingLog(): Log & { lines: Array<{ level: string; msg: string; obj: object }> } {
  const lines: Array<{ level: string; msg: string; obj: object }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, msg: msg ?? '', obj });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const realFileUrl = (relative: string): string => pathToFileURL(path.join(REAL, relative)).href;

/** `fetch`: overrides of the test fetch options (a small FETCH_MAX_BYTES, say). */
export function poll(
  source: ListSource,
  store: Store,
  scope: AlertScope = 'all',
  log: Log = recordingLog(),
  fetch: Partial<PollDeps['fetch']> = {},
): Promise<PollResult<DesignationAlert>> {
  return pollSource(source, {
    store,
    log,
    scope,
    maxRemovalShare: 0.05,
    fetch: { timeoutMs: 1500, maxBytes: 64 * 1024 * 1024, userAgent: 'dprk-watch-test', ...fetch },
  });
}

/**
 * The alerts a real pair of published files yields: a fresh memory store polled with the
 * earlier file (the baseline) and then the later one. Throws unless the later poll changed something.
 */
export async function realPairAlerts(before: string, after: string, scope: AlertScope = 'all'): Promise<Alert[]> {
  const store = await openStore('memory:', `pair-${before}-${after}-${scope}`);
  await poll(ofacSdnSource(realFileUrl(before)), store, scope);
  const r = await poll(ofacSdnSource(realFileUrl(after)), store, scope);
  if (r.outcome !== 'changed') throw new Error(`expected ${before} → ${after} to change, got ${r.outcome}`);
  return r.alerts;
}

/** The real 2022-04-12 → 04-14 amendment: an ETH address added to LAZARUS GROUP. */
export const realLazarusAmendment = async (): Promise<Alert> =>
  (await realPairAlerts('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv', 'ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv', 'dprk'))[0]!;

/** A poll that must have degraded for `reason` and kept everything: the stored list, no alert, the reason in status and the log. */
export async function expectDegradedKeepingState(
  store: Store,
  outcome: PollResult,
  before: Snapshot | undefined,
  reason: RegExp,
  log: ReturnType<typeof recordingLog>,
  list: ListId = 'ofac-sdn',
): Promise<void> {
  expect(outcome.outcome === 'degraded' && outcome.reason).toMatch(reason);
  expect((await store.getSnapshot(list))?.version).toBe(before?.version);
  expect(await store.pendingAlerts()).toEqual([]);
  const status = await store.getStatus(list);
  expect(status?.degraded?.reason).toMatch(reason);
  expect(status?.recordCount).toBe(before?.entries.size);
  expect(log.lines.some((l) => l.level === 'warn' && reason.test(l.msg))).toBe(true);
}

/**
 * The App as a test drives it: no outputs, no configured sources but `sources`, a memory-store
 * config, and the source-health alert far away (a test's polls are never "degraded for long").
 */
export function testApp(store: Store, sources: Source[], extra: Partial<AppDeps> = {}): App {
  const config = loadConfig({ STORE_URL: 'memory:', REPORT_FEEDS: 'none' });
  return new App({ config: { ...config, SOURCE_DEGRADED_ALERT_MS: 3_600_000 }, store, log: recordingLog(), outputs: [], sources, ...extra });
}
