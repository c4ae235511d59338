import { describe, expect, it } from 'vitest';
import type { DesignationAlert as Alert } from '../../src/core/alerts.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import { poll, realFileUrl } from '../helpers/pipeline.js';

let ns = 0;

/** Poll `before` (baseline) then `after` on a fresh store; return the alerts of the second poll. */
async function replay(before: string, after: string, scope: 'dprk' | 'all'): Promise<Alert[]> {
  const store = await openStore('memory:', `pairs-${ns++}`);
  const first = await poll(ofacSdnSource(realFileUrl(before)), store, scope);
  expect(first.outcome).toBe('baseline');
  const second = await poll(ofacSdnSource(realFileUrl(after)), store, scope);
  if (second.outcome !== 'changed') throw new Error(`expected a change, got ${JSON.stringify(second)}`);
  expect(await store.pendingAlerts()).toEqual(second.alerts);
  await store.close();
  return second.alerts;
}

const KIMSUKY_DAY = ['ofac_sdn_csv/sdn_2023-11-30.csv.gz', 'ofac_sdn_csv/sdn_2023-12-01.csv.gz'] as const;

describe('real OFAC sdn.csv 2023-11-30 → 2023-12-01 (Treasury jy1938, Kimsuky)', () => {
  it('yields exactly the 9 additions SOURCES.md lists, and nothing else, in ALERT_SCOPE=all', async () => {
    const alerts = await replay(...KIMSUKY_DAY, 'all');
    expect(alerts.map((a) => [a.kind, a.sourceId, a.name, a.programs.join(' ')])).toEqual([
      ['designation.added', '37656', 'KANG, Phyong Guk', 'DPRK'],
      ['designation.added', '37657', 'RI, Sung Il', 'DPRK'],
      ['designation.added', '37658', 'KANG, Kyong Il', 'DPRK'],
      ['designation.added', '45430', 'KIMSUKY', expect.stringContaining('DPRK2')],
      ['designation.added', '46129', 'CHOE, Song Chol', 'DPRK4'],
      ['designation.added', '46130', 'IM, Song Sun', 'DPRK4'],
      ['designation.added', '46131', 'JANG, Myong Chol', 'DPRK4'],
      ['designation.added', '46448', 'SO, Myong', 'NPWMD'],
      ['designation.added', '46449', 'CHOE, Un Hyok', 'DPRK3'],
    ]);
    for (const a of alerts) {
      expect(a.url).toBe(`https://sanctionssearch.ofac.treas.gov/Details.aspx?id=${a.sourceId}`);
      expect(a.id).toMatch(/^[0-9a-f]{24}$/);
      // sdn.csv carries no date of its own, and a file:// copy has no server Last-Modified: no date.
      expect(a.listDate).toBeUndefined();
    }
  });

  it('keeps in DPRK scope exactly the additions that are DPRK-related, each with its reason', async () => {
    const all = await replay(...KIMSUKY_DAY, 'all');
    const dprk = await replay(...KIMSUKY_DAY, 'dprk');
    expect(dprk.map((a) => a.sourceId)).toEqual(all.filter((a) => a.record.dprk).map((a) => a.sourceId));
    // Eight carry a DPRK program. SO, Myong is listed under NPWMD (non-proliferation) but his
    // record makes him North Korean (nationality, passport, remarks citing the NKSR), so DPRK
    // scope keeps all nine.
    expect(dprk.map((a) => a.sourceId)).toEqual(all.map((a) => a.sourceId));
    const so = all.find((a) => a.sourceId === '46448')!;
    expect(so.record.dprkReasons).toEqual([
      'North Korean nationality',
      'document issued by North Korea',
      'remarks cite the North Korea Sanctions Regulations',
    ]);
    for (const a of dprk) expect(a.record.dprkReasons.length).toBeGreaterThan(0);
    expect(dprk.filter((a) => a.programs.some((p) => p.startsWith('DPRK')))).toHaveLength(8);
  });

  it('yields the same alert ids when the same pair is replayed (ids are deterministic)', async () => {
    const a = await replay(...KIMSUKY_DAY, 'all');
    const b = await replay(...KIMSUKY_DAY, 'all');
    expect(b.map((x) => x.id)).toEqual(a.map((x) => x.id));
  });
});

describe('real OFAC DPRK subset 2022-04-12 → 2022-04-14 (Ronin bridge hack)', () => {
  it('yields one amendment of 27307 LAZARUS GROUP naming the added ETH address', async () => {
    const alerts = await replay('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv', 'ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv', 'dprk');
    expect(alerts).toHaveLength(1);
    const [a] = alerts;
    expect(a!.kind).toBe('designation.amended');
    expect(a!.sourceId).toBe('27307');
    expect(a!.name).toBe('LAZARUS GROUP');
    expect(a!.changes).toContainEqual({
      field: 'identifiers',
      added: ['Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96'],
      removed: [],
    });
    expect(a!.summary).toContain('0x098B716B8Aaf21512996dC57EB0615e2383E2f96');
  });
});

describe('real OFAC CONSOLIDATED.XML 2025-10-22 → 2025-12-18', () => {
  it('yields exactly one removal (uid 26182) although ~240 entries only reordered their <id>s', async () => {
    const alerts = await replay(
      'ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-18_pub-2025-10-22.XML.gz',
      'ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-19_pub-2025-12-18.XML.gz',
      'all',
    );
    expect(alerts.map((a) => [a.kind, a.sourceId, a.name])).toEqual([['designation.removed', '26182', 'KAYAKIRAN, Evren']]);
    expect([alerts[0]!.listDate, alerts[0]!.listDateBasis]).toEqual(['2025-12-18', 'published']); // Publish_Date
  });
});
