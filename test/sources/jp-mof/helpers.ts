import * as XLSX from '@e965/xlsx';
import { fixtureBytes } from '../../helpers/fixtures.js';

export const APR14 = 'jp_mof_xls/mof_shisantouketsu_saved2022-04-14.xls.gz';
export const MAY09 = 'jp_mof_xls/mof_shisantouketsu_saved2022-05-09.xls.gz';

/** The real .xls bytes of a fixture (under test/fixtures/real). */
export const realXls = (relative: string): Buffer => fixtureBytes(`real/${relative}`);

/**
 * The same workbook saved as .xlsx with SheetJS's XLSX.write — MOF's switch from .xls to .xlsx,
 * made here from the real .xls, not a file MOF published. SheetJS's BIFF reader formats cells
 * of the built-in date format 14 (`w` = "10/13/44") but leaves their `z` unset, so the format is
 * set back to `m/d/yy` before writing, as Excel's "Save As .xlsx" keeps numFmtId 14.
 * `edit` may change the workbook first (a cosmetic variant, say).
 */
export function asXlsx(xls: Buffer, edit?: (wb: XLSX.WorkBook) => void): Buffer {
  const wb = XLSX.read(xls, { type: 'buffer', cellNF: true });
  for (const name of wb.SheetNames) {
    for (const [ref, cell] of Object.entries(wb.Sheets[name]!)) {
      if (ref.startsWith('!')) continue;
      const c = cell as XLSX.CellObject;
      if (c.t === 'n' && c.z === undefined && typeof c.w === 'string' && /^\d+\/\d+\/\d+$/.test(c.w)) c.z = 'm/d/yy';
    }
  }
  edit?.(wb);
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

/** The sheet whose name starts with `<n>.`. */
export function sheetNumbered(wb: XLSX.WorkBook, n: number): XLSX.WorkSheet {
  const name = wb.SheetNames.find((s) => s.startsWith(`${n}.`));
  if (!name) throw new Error(`no sheet ${n}`);
  return wb.Sheets[name]!;
}

/** Numbered rows (column B an integer) per sheet number, counted straight from the workbook. */
export function numberedRows(xls: Buffer): Map<number, { numbered: number; deleted: number }> {
  const wb = XLSX.read(xls, { type: 'buffer' });
  const out = new Map<number, { numbered: number; deleted: number }>();
  for (const name of wb.SheetNames) {
    const m = /^(\d+)\./.exec(name);
    if (!m) continue;
    const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[name]!, { header: 1, raw: false, defval: '' });
    const numbered = rows.filter((r) => /^\d+$/.test(String(r[1]).trim()));
    out.set(Number(m[1]), { numbered: numbered.length, deleted: numbered.filter((r) => String(r[0]).includes('削除')).length });
  }
  return out;
}

/**
 * Rows whose 告示番号 carries a mark or a cross-reference (`*1`, `#17`, `2(*39)`, `1(#47)`): per the
 * sheets' notes, parties also designated under another resolution or measure. Not integers, so not
 * among numberedRows; counted here per sheet number, straight from the workbook, with the name
 * (column D) and whether column A marks the row 削除.
 */
export function markedRows(xls: Buffer): Map<number, Array<{ notice: string; name: string; deleted: boolean }>> {
  const wb = XLSX.read(xls, { type: 'buffer' });
  const out = new Map<number, Array<{ notice: string; name: string; deleted: boolean }>>();
  for (const name of wb.SheetNames) {
    const m = /^(\d+)\./.exec(name);
    if (!m) continue;
    const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[name]!, { header: 1, raw: false, defval: '' });
    const marked = rows.filter((r) => /^[*＊#]?\d+\s*(\([*＊#]\d+\))?$/.test(String(r[1]).trim()) && !/^\d+$/.test(String(r[1]).trim()));
    if (marked.length > 0)
      out.set(
        Number(m[1]),
        marked.map((r) => ({ notice: String(r[1]).trim(), name: String(r[3]).trim(), deleted: String(r[0]).includes('削除') })),
      );
  }
  return out;
}
