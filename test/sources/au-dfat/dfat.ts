import * as XLSX from '@e965/xlsx';
import type { AlertScope, DesignationAlert } from '../../../src/core/alerts.js';
import { pollSource, type PollResult } from '../../../src/pipeline/poll.js';
import type { ListSource } from '../../../src/sources/list-source.js';
import type { Store } from '../../../src/store/store.js';
import { fixtureBytes } from '../../helpers/fixtures.js';
import { recordingLog } from '../../helpers/pipeline.js';

/** The two real DFAT files (test/fixtures/real/au_dfat/PROVENANCE.md). */
export const XLS_2022 = 'au_dfat/dfat_regulation8_consolidated_2022-05-03.xls.gz';
export const XLSX_2024 = 'au_dfat/dfat_regulation8_consolidated_2024-11-11.xlsx.gz';
export const realBytes = (relative: string): Buffer => fixtureBytes(`real/${relative}`);

/**
 * test/helpers/pipeline.ts `poll()`, with the mass-removal threshold (MAX_REMOVAL_SHARE, a
 * PollDeps dep of pollSource) as a parameter: the helper fixes it at the default 0.05.
 */
export function pollWith(
  source: ListSource,
  store: Store,
  o: { scope?: AlertScope; maxRemovalShare?: number; log?: ReturnType<typeof recordingLog> } = {},
): Promise<PollResult<DesignationAlert>> {
  return pollSource(source, {
    store,
    log: o.log ?? recordingLog(),
    scope: o.scope ?? 'all',
    maxRemovalShare: o.maxRemovalShare ?? 0.05,
    fetch: { timeoutMs: 5000, maxBytes: 64 * 1024 * 1024, userAgent: 'dprk-watch-test' },
  });
}

/** The first sheet of a real workbook as rows of raw cell values (dates as Date). */
export function realRows(bytes: Buffer): unknown[][] {
  const wb = XLSX.read(bytes, { type: 'buffer', cellDates: true });
  return XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1, raw: true, defval: '' });
}

/** Rows → an .xlsx workbook with one sheet named `sheet`. */
export function toXlsx(rows: unknown[][], sheet = 'Sheet1'): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows, { cellDates: true }), sheet);
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}
