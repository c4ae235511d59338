import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { auDfatSource } from '../../../src/sources/au-dfat/source.js';
import { openStore } from '../../../src/store/open.js';
import { expectDegradedKeepingState, realFileUrl, recordingLog } from '../../helpers/pipeline.js';
import { pollWith, realBytes, realRows, toXlsx, XLS_2022, XLSX_2024 } from './dfat.js';

const DPRK_ADDED = [
  ['7791', 'Pyon Kwang Chol'],
  ['7792', 'Kang Chol Hak'],
  ['7793', 'Kim Song Hun'],
  ['7794', 'Sim Kwang Sok'],
  ['7795', 'Choe Myong Hyon'],
  ['7796', 'O Yong Ho'],
  ['7797', 'Roman Anatolyevich Alar'],
  ['7798', 'Parsek LLC'],
];

// Variants built from the real file are written here and polled through file:// like the real ones.
const dir = mkdtempSync(path.join(tmpdir(), 'au-dfat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const written = (name: string, body: Buffer): string => {
  const file = path.join(dir, name);
  writeFileSync(file, body);
  return pathToFileURL(file).href;
};

let ns = 0;
const freshStore = () => openStore('memory:', `au-dfat-pair-${ns++}`);

describe('the real pair 2022-05-03 (.xls) → 2024-11-11 (.xlsx) through pollSource', () => {
  it('is held by the mass-removal guard at the default MAX_REMOVAL_SHARE 0.05 (385 of 2,666 removed): degraded, state kept', async () => {
    const store = await freshStore();
    expect((await pollWith(auDfatSource(realFileUrl(XLS_2022)), store)).outcome).toBe('baseline');
    const before = await store.getSnapshot('au-dfat');
    expect(before?.entries.size).toBe(2666);
    const log = recordingLog();
    const r = await pollWith(auDfatSource(realFileUrl(XLSX_2024)), store, { scope: 'dprk', log });
    console.log(`DFAT pair at 0.05: ${r.outcome} — ${r.reason}`);
    await expectDegradedKeepingState(store, r, before, /would remove 385 of 2666 records/, log, 'au-dfat');
  });

  it('with the threshold raised gives exactly the DPRK additions and removals PROVENANCE states, in DPRK scope', async () => {
    const store = await freshStore();
    await pollWith(auDfatSource(realFileUrl(XLS_2022)), store, { scope: 'dprk', maxRemovalShare: 0.2 });
    const r = await pollWith(auDfatSource(realFileUrl(XLSX_2024)), store, { scope: 'dprk', maxRemovalShare: 0.2 });
    expect(r.outcome).toBe('changed');
    const of = (kind: string) => r.alerts.filter((a) => a.kind === kind);
    const added = of('designation.added');
    const removed = of('designation.removed');
    const amended = of('designation.amended');
    console.log(`DFAT pair, DPRK scope: ${added.length} added, ${removed.length} removed, ${amended.length} amended (of ${r.counts?.changes} changes)`);
    expect(r.alerts.every((a) => a.dprk && a.source === 'au-dfat')).toBe(true);
    expect(added.map((a) => [a.sourceId, a.name]).sort()).toEqual(DPRK_ADDED);
    expect(removed).toHaveLength(47);
    expect(removed.every((a) => a.programs.includes('Autonomous (DPRK)'))).toBe(true);
    expect(removed.map((a) => a.sourceId)).toEqual(expect.arrayContaining(['1693', '2653', '2662', '3423']));
    expect(removed.find((a) => a.sourceId === '1693')?.name).toBe('Hesong Trading Corporation');
    // DFAT also rewrote DPRK records it kept (Korean-script aliases dropped, names upper-cased,
    // DPRK written out in addresses, amended listing notes): real amendments, alerted as such.
    expect(amended).toHaveLength(137);
    expect((await store.getSnapshot('au-dfat'))?.entries.size).toBe(3062);
  });

  it('in all scope: 781 references added and 385 removed', async () => {
    const store = await freshStore();
    await pollWith(auDfatSource(realFileUrl(XLS_2022)), store, { maxRemovalShare: 0.2 });
    const r = await pollWith(auDfatSource(realFileUrl(XLSX_2024)), store, { maxRemovalShare: 0.2 });
    const count = (kind: string) => r.alerts.filter((a) => a.kind === kind).length;
    console.log(`DFAT pair, all scope: ${count('designation.added')} added, ${count('designation.removed')} removed, ${count('designation.amended')} amended`);
    expect(count('designation.added')).toBe(781);
    expect(count('designation.removed')).toBe(385);
  });
});

describe('publisher changes that change no record raise no alert (variants built here from the real 2024 file)', () => {
  const rows = realRows(realBytes(XLSX_2024)).map((r) => r.slice(0, 12));

  async function pollAfterReal(name: string, body: Buffer) {
    const store = await freshStore();
    expect((await pollWith(auDfatSource(realFileUrl(XLSX_2024)), store)).outcome).toBe('baseline');
    const before = await store.getSnapshot('au-dfat');
    const r = await pollWith(auDfatSource(written(name, body)), store);
    expect(r.reason).toBeUndefined();
    expect(r.outcome).not.toBe('degraded');
    expect(r.alerts).toEqual([]);
    expect(await store.pendingAlerts()).toEqual([]);
    expect((await store.getSnapshot('au-dfat'))?.version).toBe(before?.version);
    expect((await store.getStatus('au-dfat'))?.recordCount).toBe(3062);
  }

  it("DFAT's Nov 2025 layout: columns inserted, Name Type aka → Alias, sheet renamed \"Consolidated List\"", async () => {
    const relaid = rows.map((r, i) => {
      const header = i === 0;
      const nameType = String(r[3]);
      return [
        ...r.slice(0, 3),
        !header && nameType.trim().toLowerCase() === 'aka' ? 'Alias' : nameType,
        header ? 'Alias Strength' : '',
        ...r.slice(4, 8),
        header ? 'IMO Number' : '',
        ...r.slice(8, 10),
        header ? 'Instrument of Designation' : '',
        ...r.slice(10, 12),
        header ? 'Arms Embargo' : '',
        header ? 'Targeted Financial Sanction' : '',
        header ? 'Travel Ban' : '',
      ];
    });
    expect(relaid[0]).toContain('Alias Strength');
    expect(relaid.filter((r) => r[3] === 'Alias').length).toBeGreaterThan(5000);
    await pollAfterReal('Australian_Sanctions_Consolidated_List.xlsx', toXlsx(relaid, 'Consolidated List'));
  });

  it('rows in reverse order (aliases and addresses reordered) and stray whitespace around names and addresses', async () => {
    const [header, ...data] = rows;
    const messy = [header!, ...data.reverse().map((r) => r.map((c, i) => (i === 1 || i === 7) && c !== '' ? `  ${String(c)}   ` : c))];
    await pollAfterReal('reordered.xlsx', toXlsx(messy));
  });
});
