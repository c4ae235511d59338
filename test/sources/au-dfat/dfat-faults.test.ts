import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/core/snapshot.js';
import { auDfatSource } from '../../../src/sources/au-dfat/source.js';
import { openStore } from '../../../src/store/open.js';
import type { Store } from '../../../src/store/store.js';
import { fixtureBytes } from '../../helpers/fixtures.js';
import { expectDegradedKeepingState, recordingLog } from '../../helpers/pipeline.js';
import { pollWith, realBytes, realRows, toXlsx, XLS_2022, XLSX_2024 } from './dfat.js';

// The list is polled from one file:// address whose bytes each case replaces, as a mirror would.
const dir = mkdtempSync(path.join(tmpdir(), 'au-dfat-faults-'));
const file = path.join(dir, 'Australian_Sanctions_Consolidated_List.xlsx');
const URL = pathToFileURL(file).href;
const REAL_2024 = realBytes(XLSX_2024);

let store: Store;
let before: Snapshot | undefined;
beforeAll(async () => {
  store = await openStore('memory:', 'au-dfat-faults');
  writeFileSync(file, REAL_2024);
  expect((await pollWith(auDfatSource(URL), store)).outcome).toBe('baseline');
  before = await store.getSnapshot('au-dfat');
  expect(before?.entries.size).toBe(3062);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a DFAT fetch that is not a sound list degrades the source and keeps the 2024 list (every variant from real files)', () => {
  const cases: Array<[string, () => Buffer, RegExp]> = [
    ['the real 2024 .xlsx cut at 60% of its bytes', () => REAL_2024.subarray(0, Math.floor(REAL_2024.length * 0.6)), /\.xlsx workbook cannot be read/],
    ['an empty body', () => Buffer.alloc(0), /empty/],
    [
      'an HTML error page',
      () => Buffer.from('<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>Maintenance</body></html>'),
      /HTML page/,
    ],
    ['the real UN consolidated XML (another list)', () => fixtureBytes('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml'), /AU_DFAT_URL points at the UN consolidated list/],
    ['the real OFAC sdn.csv (another list)', () => fixtureBytes('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv'), /AU_DFAT_URL points at an OFAC list/],
    [
      'a workbook without the DFAT header row (the real 2024 rows minus their header)',
      () => toXlsx(realRows(REAL_2024).slice(1).map((r) => r.slice(0, 12))),
      /AU_DFAT_URL: .*not the DFAT list/,
    ],
  ];

  for (const [name, body, reason] of cases) {
    it(name, async () => {
      writeFileSync(file, body());
      const log = recordingLog();
      const outcome = await pollWith(auDfatSource(URL), store, { log });
      console.log(`DFAT fault "${name}": ${outcome.reason}`);
      await expectDegradedKeepingState(store, outcome, before, reason, log, 'au-dfat');
    });
  }

  it('the real 2022 .xls cut at 60% of its bytes is refused as unreadable', async () => {
    const xls = realBytes(XLS_2022);
    writeFileSync(file, xls.subarray(0, Math.floor(xls.length * 0.6)));
    const log = recordingLog();
    const outcome = await pollWith(auDfatSource(URL), store, { log });
    console.log(`DFAT fault "truncated .xls": ${outcome.reason}`);
    await expectDegradedKeepingState(store, outcome, before, /\.xls workbook cannot be read/, log, 'au-dfat');
  });

  it('when the real list comes back the source is healthy again and nothing is alerted', async () => {
    writeFileSync(file, REAL_2024);
    const r = await pollWith(auDfatSource(URL), store);
    expect(r.outcome).not.toBe('degraded');
    expect(r.alerts).toEqual([]);
    expect((await store.getStatus('au-dfat'))?.degraded).toBeUndefined();
    expect((await store.getSnapshot('au-dfat'))?.version).toBe(before?.version);
  });
});
