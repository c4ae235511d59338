import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ukSanctionsSource } from '../../../src/sources/uk-sanctions/source.js';
import { openStore } from '../../../src/store/open.js';
import type { Store } from '../../../src/store/store.js';
import { fixtureBytes, fixtureText } from '../../helpers/fixtures.js';
import { expectDegradedKeepingState, poll, recordingLog } from '../../helpers/pipeline.js';
import { SourceServer } from '../../helpers/source-server.js';

const REAL_XML = fixtureText('real/uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz');
const REAL_XLSX = fixtureBytes('real/uk_ofsi_conlist_xlsx/ofsi_ConList_2025-04-10.xlsx.gz');
const UN_XML = fixtureText('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml');
const OFAC_CSV = fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv');
const PATH = '/docs/UK-Sanctions-List.xml';

/** A workbook made here that is plainly no sanctions list (one sheet, one row): not posing as real data. */
function otherWorkbook(): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Not a sanctions list', 'made in this test']]), 'Sheet1');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}
const server = new SourceServer();

beforeAll(() => server.start());
afterAll(() => server.stop());

let ns = 0;
async function baseline(): Promise<Store> {
  const store = await openStore('memory:', `uk-faults-${ns++}`);
  server.set(PATH, { kind: 'document', body: REAL_XML });
  expect((await poll(ukSanctionsSource(server.url(PATH)), store)).outcome).toBe('baseline');
  return store;
}

describe('UK Sanctions List: a bad fetch keeps the previous list, alerts nothing, and marks the source degraded', () => {
  const cases: Array<[string, () => void, RegExp]> = [
    // Cut from the real file mid-record, as a dropped connection leaves it.
    ['a truncated FCDO XML (the real file cut at 60%)', () => server.set(PATH, { kind: 'document', body: REAL_XML.slice(0, Math.floor(REAL_XML.length * 0.6)) }), /not well-formed XML.*truncated/],
    ['a truncated OFSI workbook (the real 10 Apr 2025 file cut in half)', () => server.set(PATH, { kind: 'document', body: REAL_XLSX.subarray(0, Math.floor(REAL_XLSX.length / 2)) }), /workbook is truncated \(its ZIP central directory is missing\)/],
    [
      'an HTML error page served with 200',
      () =>
        server.set(PATH, {
          kind: 'document',
          body: '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>Maintenance</body></html>',
          contentType: 'text/html',
        }),
      /HTML page/,
    ],
    ['an empty 200 response', () => server.set(PATH, { kind: 'document', body: '' }), /empty/],
    ['the UN consolidated list (real) at the UK URL', () => server.set(PATH, { kind: 'document', body: UN_XML }), /UK_SANCTIONS_URL points at the UN consolidated list/],
    ['the OFAC sdn.csv (real) at the UK URL', () => server.set(PATH, { kind: 'document', body: OFAC_CSV }), /UK_SANCTIONS_URL points at an OFAC list/],
    ['a workbook that is not the OFSI ConList', () => server.set(PATH, { kind: 'document', body: otherWorkbook() }), /UK_SANCTIONS_URL points at a spreadsheet that is not the OFSI Consolidated List/],
    ['an HTTP 500', () => server.set(PATH, { kind: 'status', status: 500, body: 'Internal Server Error' }), /HTTP 500/],
  ];

  for (const [name, arrange, reason] of cases) {
    it(name, async () => {
      const store = await baseline();
      const before = await store.getSnapshot('uk-sanctions');
      arrange();
      const log = recordingLog();
      const outcome = await poll(ukSanctionsSource(server.url(PATH)), store, 'all', log);
      expect(outcome.outcome).toBe('degraded');
      if (outcome.outcome === 'degraded') console.info(`${name}: ${outcome.reason}`);
      expect(before?.entries.size).toBe(261);
      await expectDegradedKeepingState(store, outcome, before, reason, log, 'uk-sanctions');

      // The real list back: nothing changed since the last good state, and the source is healthy again.
      server.set(PATH, { kind: 'document', body: REAL_XML });
      const recovered = await poll(ukSanctionsSource(server.url(PATH)), store, 'all');
      expect(recovered.alerts).toEqual([]);
      expect((await store.getStatus('uk-sanctions'))?.degraded).toBeUndefined();
      expect((await store.getSnapshot('uk-sanctions'))?.version).toBe(before?.version);
    });
  }
});
