import { describe, expect, it } from 'vitest';
import type { AlertScope, DesignationAlert } from '../../../src/core/alerts.js';
import { ukSanctionsSource } from '../../../src/sources/uk-sanctions/source.js';
import { openStore } from '../../../src/store/open.js';
import { poll, realFileUrl } from '../../helpers/pipeline.js';

/**
 * The real OFSI ConList pair of 10 → 14 Apr 2025 through the real pollSource (file:// URLs,
 * gzipped copies decompressed by the fetcher). PROVENANCE: added IRN0242 FOXTROT NETWORK and
 * IRN0243 Rawa MAJID (Iran); changed RUS1980, RUS2086, GAC0075; removed none; no DPRK change.
 */
const APR10 = 'uk_ofsi_conlist_xlsx/ofsi_ConList_2025-04-10.xlsx.gz';
const APR14 = 'uk_ofsi_conlist_xlsx/ofsi_ConList_2025-04-14.xlsx.gz';

async function pairAlerts(scope: AlertScope): Promise<DesignationAlert[]> {
  const store = await openStore('memory:', `uk-ofsi-pair-${scope}`);
  expect((await poll(ukSanctionsSource(realFileUrl(APR10)), store, scope)).outcome).toBe('baseline');
  const r = await poll(ukSanctionsSource(realFileUrl(APR14)), store, scope);
  expect(r.outcome).toBe('changed');
  const status = await store.getStatus('uk-sanctions');
  expect(status?.recordCount).toBe(4688);
  expect(status?.listDate).toBe('2025-04-14T00:00:00.000Z');
  return r.alerts;
}

describe('OFSI ConList 10 → 14 Apr 2025 (real pair)', () => {
  it('gives no alert in the DPRK scope: no DPRK party changed', async () => {
    expect(await pairAlerts('dprk')).toEqual([]);
  }, 60_000);

  it('gives exactly the 5 real changes in the "all" scope: IRN0242, IRN0243 added; GAC0075, RUS1980, RUS2086 amended', async () => {
    const alerts = await pairAlerts('all');
    for (const a of alerts)
      console.info(`${a.kind} ${a.sourceId} ${a.name}${a.changes ? `: ${a.changes.map((c) => c.field).join(', ')}` : ''}`);
    expect(alerts.map((a) => [a.kind, a.sourceId])).toEqual([
      ['designation.added', 'IRN0242'],
      ['designation.added', 'IRN0243'],
      ['designation.amended', 'GAC0075'],
      ['designation.amended', 'RUS1980'],
      ['designation.amended', 'RUS2086'],
    ]);
    expect(alerts.find((a) => a.sourceId === 'IRN0242')?.name).toBe('FOXTROT NETWORK');
    expect(alerts.find((a) => a.sourceId === 'IRN0243')?.name).toMatch(/Rawa MAJID/i);
    expect(alerts.every((a) => !a.dprk)).toBe(true);
    // What changed in each amended record (fields as the diff names them).
    const fields = (id: string) => alerts.find((a) => a.sourceId === id)?.changes?.map((c) => c.field);
    expect(fields('GAC0075')).toEqual(['nationalities']);
    expect(fields('RUS1980')).toEqual(['remarks']);
    expect(fields('RUS2086')).toEqual(['remarks']);
  }, 60_000);
});
