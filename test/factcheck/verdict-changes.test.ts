/**
 * A rating that changes between two polls: exactly one `verdict.changed`, one
 * `verdict.published` for the new DPRK claim, nothing for non-DPRK claims, nothing on
 * re-polls, and no duplicates across a restart or a crash between recording alerts and
 * saving state. SQLite store in a temporary directory, as the bot runs by default.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VerdictAlertSchema, type VerdictAlert } from '../../src/core/verdicts.js';
import { GOOGLE_SOURCE_ID } from '../../src/sources/factcheck/source.js';
import { readSourceState, stateKey } from '../../src/factcheck/state.js';
import { renderAlertText } from '../../src/render/text.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { deps, fixture, GoogleFake, googleConfig, pollGoogleFactCheck } from './helpers.js';

const POLL1 = 'factcheck/google-dprk-poll1.json';
const POLL2 = 'factcheck/google-dprk-poll2.json';
const KIM = 'https://factdesk.example.org/factchecks/2025/may/06/kim-crypto-3-billion-month/';
const LAZARUS = 'https://claimswatch.example.org/checks/lazarus-dex-50-million';
const BICYCLE = 'https://verify.example.org/2025/04/bicycle-ban/';

let dir: string;
let url: string;
let fake: GoogleFake;
let body = POLL1;
const opened: Store[] = [];

async function open(): Promise<Store> {
  const s = await openStore(url);
  opened.push(s);
  return s;
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dprk-factcheck-'));
  url = `sqlite://${path.join(dir, 'state.sqlite')}`;
  body = POLL1;
  fake = await new GoogleFake(() => ({ body: fixture(body) })).start();
});
afterEach(async () => {
  await fake.stop();
  for (const s of opened.splice(0)) await s.close().catch(() => undefined);
});

const byKind = (alerts: readonly VerdictAlert[], kind: VerdictAlert['kind']) => alerts.filter((a) => a.kind === kind);

describe('verdict changes between polls', () => {
  it('baseline, then exactly one verdict.changed (with the timeline) and one verdict.published; re-polls add nothing', async () => {
    const store = await open();
    const config = googleConfig(fake.base);

    const first = await pollGoogleFactCheck(config, deps(store, '2025-05-10T00:00:00Z'));
    expect(first.result).toEqual({ outcome: 'baseline', verdicts: 2, dprk: 1 });
    expect(await store.pendingAlerts()).toEqual([]);

    body = POLL2;
    const second = await pollGoogleFactCheck(config, deps(store, '2025-05-21T00:00:00Z'));
    expect(second.result).toMatchObject({ outcome: 'changed', added: 2, changed: 2 });
    const changed = byKind(second.alerts, 'verdict.changed');
    const published = byKind(second.alerts, 'verdict.published');
    expect(second.alerts).toHaveLength(2);
    expect(changed).toHaveLength(1);
    expect(published).toHaveLength(1);
    for (const a of second.alerts) expect(VerdictAlertSchema.parse(a)).toEqual(a);

    const c = changed[0]!;
    expect(c).toMatchObject({
      source: GOOGLE_SOURCE_ID,
      sourceLabel: 'Google Fact Check Tools',
      dprk: true,
      url: KIM,
      previous: { rating: 'Unproven', normalized: 'unproven' },
      verdict: { id: KIM, rating: 'False', normalized: 'false', reviewDate: '2025-05-20T10:00:00Z', publisher: 'Example Fact Desk' },
    });
    expect(c.summary).toMatch(/Unproven → False/);
    expect(c.verdict.timeline).toEqual([
      {
        rating: 'Unproven',
        normalized: 'unproven',
        reviewDate: '2025-05-06T14:00:00Z',
        seenAt: '2025-05-10T00:00:00.000Z',
        publisher: 'Example Fact Desk',
        url: KIM,
      },
    ]);
    expect(renderAlertText(c)).toMatch(/VERDICT CHANGED[\s\S]*Unproven → False \(false\)[\s\S]*Earlier ratings: Unproven \(reviewed 2025-05-06\)/);

    // The new DPRK claim (no reviewDate, like PolitiFact's items) is published; the non-DPRK
    // claims (new bridge claim, bicycle rating change) are stored and not alerted.
    expect(published[0]!.verdict).toMatchObject({ id: LAZARUS, rating: 'Mostly False', normalized: 'mostly-false', dprk: true });
    expect(published[0]!.verdict.reviewDate).toBeUndefined();
    const state = await readSourceState(store, GOOGLE_SOURCE_ID);
    expect(state!.entries).toHaveLength(4);
    const bicycle = state!.entries.find((e) => e.verdict.id === BICYCLE)!;
    expect(bicycle.verdict).toMatchObject({ rating: 'Half True', normalized: 'mixed', dprk: false });
    expect(bicycle.verdict.timeline.map((t) => t.rating)).toEqual(['False']);

    const third = await pollGoogleFactCheck(config, deps(store, '2025-05-22T00:00:00Z'));
    expect(third.result).toEqual({ outcome: 'unchanged' });
    expect(third.alerts).toEqual([]);
    expect((await store.pendingAlerts()).map((a) => a.id).sort()).toEqual(second.alerts.map((a) => a.id).sort());
  });

  it('a restart (new process, same SQLite file) re-polls the same result with no duplicate alerts', async () => {
    const config = googleConfig(fake.base);
    let store = await open();
    await pollGoogleFactCheck(config, deps(store, '2025-05-10T00:00:00Z'));
    body = POLL2;
    const second = await pollGoogleFactCheck(config, deps(store, '2025-05-21T00:00:00Z'));
    expect(second.alerts).toHaveLength(2);
    await store.close();

    store = await open();
    const after = await pollGoogleFactCheck(config, deps(store, '2025-05-21T06:00:00Z'));
    expect(after.alerts).toEqual([]);
    expect(await store.recentAlerts(100)).toHaveLength(2);
    expect(await store.pendingAlerts()).toHaveLength(2);
    const kim = (await readSourceState(store, GOOGLE_SOURCE_ID))!.entries.find((e) => e.verdict.id === KIM)!;
    expect(kim.verdict.rating).toBe('False');
    expect(kim.verdict.timeline).toHaveLength(1);
  });

  it('a crash after the alerts were recorded but before the state was saved re-runs to the same alert ids', async () => {
    const config = googleConfig(fake.base);
    const store = await open();
    await pollGoogleFactCheck(config, deps(store, '2025-05-10T00:00:00Z'));
    body = POLL2;

    // The "process" dies when it tries to save the new verdict state.
    const crashing: Store = Object.create(store);
    crashing.setValue = async (key: string, value: unknown) => {
      if (key === stateKey(GOOGLE_SOURCE_ID)) throw new Error('simulated crash while saving verdict state');
      return store.setValue(key, value);
    };
    const crashed = await pollGoogleFactCheck(config, deps(crashing, '2025-05-21T00:00:00Z'));
    expect(crashed.result).toMatchObject({ outcome: 'degraded', reason: expect.stringMatching(/simulated crash/) });
    const recorded = await store.pendingAlerts();
    expect(recorded).toHaveLength(2);
    expect((await readSourceState(store, GOOGLE_SOURCE_ID))!.entries).toHaveLength(2); // old state kept

    const rerun = await pollGoogleFactCheck(config, deps(store, '2025-05-21T00:10:00Z'));
    expect(rerun.alerts).toEqual([]); // same ids: recorded once
    expect(rerun.result).toMatchObject({ outcome: 'changed', changed: 2 });
    expect((await store.pendingAlerts()).map((a) => a.id).sort()).toEqual(recorded.map((a) => a.id).sort());
    expect((await readSourceState(store, GOOGLE_SOURCE_ID))!.entries).toHaveLength(4);
    expect((await store.getStatus(GOOGLE_SOURCE_ID))?.degraded).toBeUndefined();
  });

  it('a new release that normalizes a wording differently re-normalizes silently (no alert storm after an upgrade)', async () => {
    const config = googleConfig(fake.base);
    const store = await open();
    await pollGoogleFactCheck(config, deps(store, '2025-05-10T00:00:00Z'));
    // As if an older release had mapped "Unproven" to "mixed".
    const state = (await readSourceState(store, GOOGLE_SOURCE_ID))!;
    const older = { ...state, version: 'older-release', entries: state.entries.map((e) => (e.verdict.id === KIM ? { ...e, verdict: { ...e.verdict, normalized: 'mixed' as const } } : e)) };
    await store.setValue(stateKey(GOOGLE_SOURCE_ID), older);
    const again = await pollGoogleFactCheck(config, deps(store, '2025-05-11T00:00:00Z'));
    expect(again.alerts).toEqual([]);
    const kim = (await readSourceState(store, GOOGLE_SOURCE_ID))!.entries.find((e) => e.verdict.id === KIM)!;
    expect(kim.verdict).toMatchObject({ rating: 'Unproven', normalized: 'unproven', timeline: [] });
  });

  it('a rating flip back (False → Unproven → False) alerts each real change once', async () => {
    const config = googleConfig(fake.base);
    const store = await open();
    await pollGoogleFactCheck(config, deps(store, '2025-05-10T00:00:00Z'));
    body = POLL2;
    const a = await pollGoogleFactCheck(config, deps(store, '2025-05-21T00:00:00Z'));
    body = POLL1;
    const b = await pollGoogleFactCheck(config, deps(store, '2025-05-22T00:00:00Z'));
    expect(byKind(b.alerts, 'verdict.changed').map((x) => [x.previous?.rating, x.verdict.rating])).toEqual([['False', 'Unproven']]);
    const kim = (await readSourceState(store, GOOGLE_SOURCE_ID))!.entries.find((e) => e.verdict.id === KIM)!;
    expect(kim.verdict.timeline.map((t) => t.rating)).toEqual(['Unproven', 'False']);
    expect(new Set([...a.alerts, ...b.alerts].map((x) => x.id)).size).toBe(3);
  });
});
