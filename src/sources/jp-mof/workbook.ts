import * as XLSX from '@e965/xlsx';
import type { Alias, Designation, DesignationDraft, Identifier, ParsedList, PartyType } from '../../core/designation.js';
import { finalizeDesignation } from '../../core/finalize.js';
import { SourceError } from '../source.js';

/** The page people read the list on: MOF publishes no page per record. */
export const JP_MOF_LIST_PAGE =
  'https://www.mof.go.jp/policy/international_policy/gaitame_kawase/gaitame/economic_sanctions/list.html';

/** Sheets 13–17 are the North Korea programmes (UNSCR 1695, 1718 and successors, coordinated measures). */
export const DPRK_SHEETS = new Set([13, 14, 15, 16, 17]);

const INDEX_SHEET = '一覧';

/** A header cell without the spaces MOF pads it with (`日 本 語 表 記`, `告示\n番号`). */
const key = (s: string): string => s.replace(/[\s\u3000]+/g, '');

/** The text of a cell: line breaks kept (they separate entries), runs of spaces collapsed. */
const lines = (s: string): string[] =>
  s
    .split(/\r?\n/)
    .map((l) => l.replace(/[\s\u3000]+/g, ' ').trim())
    .filter((l) => l !== '' && !/^(不明|－|-|―|なし)$/.test(l));

const UNKNOWN = /^(不明|－|-|―|なし|unknown)$/i;

/** Pick the column whose header (spaces removed) matches. */
function columnOf(header: readonly string[], ...names: RegExp[]): number | undefined {
  for (const re of names) {
    const i = header.findIndex((h) => re.test(key(h)));
    if (i >= 0) return i;
  }
  return undefined;
}

interface Columns {
  date?: number;
  number: number;
  ja?: number;
  en?: number;
  alias?: number;
  former?: number;
  title?: number;
  position?: number;
  dob?: number;
  dobPlace?: number;
  pob?: number;
  nationality?: number;
  passport?: number;
  idNumber?: number;
  address?: number;
  unListed?: number;
  other: number[];
}

function columnsOf(header: readonly string[]): Columns {
  const used = new Set<number>();
  const at = (...names: RegExp[]): number | undefined => {
    const i = columnOf(header, ...names);
    if (i !== undefined) used.add(i);
    return i;
  };
  const c: Columns = {
    number: at(/^告示番号$/)!,
    ...opt('date', at(/^告示日付/)),
    ...opt('ja', at(/日本語表記/)),
    ...opt('en', at(/英語表記/)),
    ...opt('alias', at(/^別名/, /^別称/)),
    ...opt('former', at(/^旧称$/)),
    ...opt('title', at(/^称号/)),
    ...opt('position', at(/^役職/)),
    ...opt('dobPlace', at(/^生年月日・出生地/)),
    ...opt('dob', at(/^生年月日$/)),
    ...opt('pob', at(/^出生地/)),
    ...opt('nationality', at(/^国籍/)),
    ...opt('passport', at(/^旅券番号/)),
    ...opt('idNumber', at(/^ID番号/i, /身分証/)),
    ...opt('address', at(/^住所/, /^所在地/)),
    ...opt('unListed', at(/指定日/)),
    other: [],
  };
  for (let i = 0; i < header.length; i++) if (!used.has(i) && key(header[i]!) !== '') c.other.push(i);
  return c;
}

function opt<K extends string>(k: K, v: number | undefined): Partial<Record<K, number>> {
  return v === undefined ? {} : ({ [k]: v } as Record<K, number>);
}

/** `2009.5.22` (the first date of a 告示日付 cell, which lists later revisions below it) → 2009-05-22. */
function noticeDate(cell: string): string | undefined {
  const m = /(\d{4})\.(\d{1,2})\.(\d{1,2})/.exec(cell);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : undefined;
}

/** Dates of birth: `1941年8月20日` → 1941-08-20, `1970年生` → 1970; a line with no such date is kept as written. */
function birthDates(cell: string): string[] {
  const out: string[] = [];
  for (const line of lines(cell)) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(line)) {
      out.push(line);
      continue;
    }
    const found = [...line.matchAll(/(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?/g)].map(
      (m) => [m[1], m[2]?.padStart(2, '0'), m[3]?.padStart(2, '0')].filter(Boolean).join('-'),
    );
    if (found.length > 0) out.push(...found);
    else if (!/[A-Za-z]/.test(line) || out.length === 0) out.push(line);
  }
  return out;
}

/** Alias lines: `（別称）…` / `（旧称）…` labels, entries separated by line breaks, `；`, `;` or `、`. */
function aliasesOf(cell: string, kind: Alias['kind']): Alias[] {
  const out: Alias[] = [];
  let current = kind;
  for (const line of lines(cell)) {
    let text = line;
    const label = /^[（(](別称|別名|旧称)[）)]\s*/.exec(text);
    if (label) {
      current = label[1] === '旧称' ? 'fka' : 'aka';
      text = text.slice(label[0].length);
    }
    for (const part of text.split(/[；;、]/)) {
      const name = part.trim();
      if (name !== '' && !UNKNOWN.test(name)) out.push({ name, kind: current });
    }
  }
  return out;
}

/**
 * A sheet's rows as text, read from the cells rather than their display text: dates (a date
 * format on a serial number) become ISO dates whatever locale format the workbook names, and
 * numbers are written plainly, so that the .xls and the .xlsx of the same list read the same.
 */
function rowsOf(sheet: XLSX.WorkSheet): string[][] {
  const data = (sheet['!data'] ?? []) as Array<Array<XLSX.CellObject | undefined> | undefined>;
  const rows: string[][] = [];
  for (const cells of data) rows.push(cells ? Array.from(cells, textOf) : []);
  return rows;
}

function textOf(cell: XLSX.CellObject | undefined): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  if (cell.t === 'n' && typeof cell.v === 'number') {
    // A date is a serial number with a date format; BIFF's built-in formats leave `z` unset, `w` shows it.
    const dated = cell.z !== undefined ? XLSX.SSF.is_date(cell.z) : cell.w !== undefined && /^\d{1,4}[/.年-]\d{1,2}[/.月-]\d{1,4}/.test(cell.w);
    if (dated) {
      const d = XLSX.SSF.parse_date_code(cell.v);
      return `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
    }
    return String(cell.v);
  }
  if (cell.v instanceof Date) return cell.v.toISOString().slice(0, 10);
  return String(cell.v);
}

const cellText = (row: readonly unknown[], i: number | undefined): string => (i === undefined ? '' : String(row[i] ?? ''));

/**
 * A 告示番号 cell: a plain integer (`12`) or one carrying a mark, per the sheets' own notes a party
 * designated under another resolution or measure as well:
 * - `*1`, `#17` (sheets 2, 14, 15): the sheet's own notice 1 / 17, the mark saying which other
 *   measure also lists it (sheet 2: `＊` = also under UNSCR 1373, sheets 3–4; sheet 14: `*` = also
 *   under UNSCR 1695, sheet 13, `#` = also under the measures coordinated with the US, EU…, sheet 16;
 *   sheet 15: `#` = also in sheet 17);
 * - `2(*39)`, `1(#47)` (sheets 3, 4, 13, 16, 17): the sheet's own notice 2 / 1; the bracket is a
 *   cross-reference, "the number after * (#) is the 告示番号 in the other list" (sheet 13 `2(*39)` is
 *   sheet 14 `*39`, sheet 16 `1(#47)` sheet 14 `#47`, sheet 17 `1(#48)` sheet 15 `#48`, sheet 3
 *   `1(*186)` sheet 2 `*186`).
 * So the leading number is the notice. The cell as written goes into the record's remarks
 * (`告示番号 2(*39)`), followed by the sheet's note on that mark. Full-width ＊＃（） read as ASCII.
 */
interface Notice {
  number: number;
  /** The cell as written (spaces removed, full-width forms folded), for instance `2(*39)`. */
  written: string;
  marked: boolean;
}

function noticeOf(cell: string): Notice | undefined {
  const written = cell.normalize('NFKC').replace(/\s+/g, '');
  const m = /^[*#]?(\d+)(?:\([*#]\d+\))?$/.exec(written);
  return m ? { number: Number(m[1]), written, marked: !/^\d+$/.test(written) } : undefined;
}

/** The lines of a sheet's notes (above its header row) that explain a mark: `（注）*で標記した…`. */
function markNotes(rows: readonly (readonly string[])[], header: number): Map<string, string[]> {
  const notes = rows
    .slice(0, header)
    .flatMap((r) => r.flatMap((cell) => lines(String(cell).normalize('NFKC'))));
  return new Map(['*', '#'].map((mark) => [mark, notes.filter((l) => l.includes(mark))]));
}

interface SheetRef {
  number: number;
  name: string;
}

function typeOf(sheet: SheetRef, row: readonly unknown[], c: Columns): PartyType {
  if (/個人/.test(sheet.name)) return 'individual';
  if (/団体|銀行/.test(sheet.name)) return 'entity';
  const personal = [c.dob, c.dobPlace, c.nationality, c.passport, c.pob].some((i) => {
    const v = cellText(row, i).trim();
    return v !== '' && !UNKNOWN.test(v);
  });
  return personal ? 'individual' : 'entity';
}

function recordOf(
  sheet: SheetRef,
  row: readonly unknown[],
  c: Columns,
  id: string,
  markNote: readonly string[],
): DesignationDraft | undefined {
  const ja = lines(cellText(row, c.ja)).join(' ');
  const en = lines(cellText(row, c.en)).join(' ');
  const name = en || ja;
  if (name === '') return undefined;
  const aliases: Alias[] = [
    ...(en && ja ? [{ name: ja, kind: 'aka' as const }] : []),
    ...aliasesOf(cellText(row, c.alias), 'aka'),
    ...aliasesOf(cellText(row, c.former), 'fka'),
  ];
  const identifiers: Identifier[] = [
    ...lines(cellText(row, c.passport)).map((value) => ({ kind: 'passport' as const, label: '旅券番号 (passport)', value })),
    ...lines(cellText(row, c.idNumber)).map((value) => ({ kind: 'national-id' as const, label: 'ID番号 (ID number)', value })),
  ];
  const remarks = [
    ...(c.position !== undefined ? [cellText(row, c.position)] : []),
    ...(c.dobPlace !== undefined ? [cellText(row, c.dobPlace)] : []),
    ...(c.unListed !== undefined && cellText(row, c.unListed).trim() ? [`国連制裁委員会による指定日: ${cellText(row, c.unListed)}`] : []),
    ...c.other.map((i) => cellText(row, i)),
    ...markNote,
  ]
    .flatMap(lines)
    .join('\n');
  const listedOn = noticeDate(cellText(row, c.date));
  const programs = [sheet.name.replace(/^\d+\./, '').trim(), ...(DPRK_SHEETS.has(sheet.number) ? ['DPRK'] : [])];
  const title = lines(cellText(row, c.title)).join(' ');
  return {
    source: 'jp-mof',
    sourceId: `${sheet.number}-${id}`,
    name,
    type: typeOf(sheet, row, c),
    programs,
    aliases,
    ...(title ? { title } : {}),
    dobs: birthDates(cellText(row, c.dob ?? c.dobPlace)),
    placesOfBirth: lines(cellText(row, c.pob)),
    nationalities: lines(cellText(row, c.nationality)),
    addresses: lines(cellText(row, c.address))
      .flatMap((l) => l.split('；'))
      .map((text) => ({ text, ...(/北朝鮮/.test(text) ? { country: 'North Korea' } : {}) })),
    identifiers,
    ...(remarks ? { remarks } : {}),
    ...(listedOn ? { listedOn } : {}),
    url: JP_MOF_LIST_PAGE,
  };
}

/** Whether a workbook is MOF's list: the 一覧 index sheet and numbered programme sheets, the DPRK ones among them. */
function programmeSheets(wb: XLSX.WorkBook): SheetRef[] {
  const sheets = wb.SheetNames.flatMap((name) => {
    const m = /^(\d+)\./.exec(name.trim());
    return m ? [{ number: Number(m[1]), name }] : [];
  });
  const dprk = sheets.filter((s) => DPRK_SHEETS.has(s.number) && /北朝鮮/.test(s.name));
  if (!wb.SheetNames.includes(INDEX_SHEET) || dprk.length !== DPRK_SHEETS.size)
    throw new SourceError(
      'JP_MOF_URL points at a spreadsheet that is not the MOF asset-freeze list (no 一覧 index sheet and DPRK sheets 13–17)',
    );
  return sheets;
}

/**
 * MOF's asset-freeze workbook (資産凍結等の対象者リスト), .xls (BIFF, codepage 932) or .xlsx: one
 * record per row whose 告示番号 (notice number, column B) is an integer or a marked one (`*1`, `#17`,
 * `2(*39)`, `1(#47)`: see noticeOf), rows marked 削除 (deleted) left out. Each sheet is read by its own
 * header row (the layouts differ, some with merged titles). Record id `<sheet>-<notice>`.
 */
export function parseJpMofWorkbook(body: Buffer, format: 'jp-mof-xls' | 'jp-mof-xlsx'): ParsedList {
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(body, { type: 'buffer', dense: true, cellNF: true });
  } catch (e) {
    throw new SourceError(`the MOF workbook cannot be read (truncated or corrupt): ${(e as Error).message}`);
  }
  const sheets = programmeSheets(wb);
  const records: Designation[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const sheet of sheets) {
    const rows = rowsOf(wb.Sheets[sheet.name]!);
    const h = rows.findIndex((r) => key(String(r[1] ?? '')) === '告示番号');
    if (h < 0) {
      if (rows.some((r) => noticeOf(String(r[1] ?? ''))))
        throw new SourceError(`MOF sheet ${sheet.name.trim()} has numbered rows but no 告示番号 header`);
      continue; // a sheet of a lifted programme (【解除】), with no rows
    }
    const c = columnsOf(rows[h]!.map(String));
    const notes = markNotes(rows, h);
    const numbered = rows.slice(h + 1).flatMap((row) => {
      const notice = noticeOf(String(row[1] ?? ''));
      return notice ? [{ row, notice }] : [];
    });
    // The id of a marked row is its leading number, `14-1` for `*1`: that is its notice number (the
    // mark only annotates it), and the id then survives MOF adding or dropping a mark when a party
    // is listed under, or lifted from, another measure. Should a sheet ever give the same number to
    // a plain and a marked row (or to two marked ones), which MOF's numbering does not do (not in
    // the real workbooks), the marked rows take their number as written instead, `14-*1`, so that
    // no record replaces another.
    const uses = new Map<number, number>();
    for (const { notice } of numbered) uses.set(notice.number, (uses.get(notice.number) ?? 0) + 1);
    for (const { row, notice } of numbered) {
      if (/削除/.test(cellText(row, c.date)) || (/削除/.test(row.join('')) && !cellText(row, c.ja).trim() && !cellText(row, c.en).trim()))
        continue;
      const id = notice.marked && uses.get(notice.number)! > 1 ? notice.written : String(notice.number);
      const markNote = notice.marked
        ? [`告示番号 ${notice.written}`, ...[...notice.written].flatMap((ch) => notes.get(ch) ?? [])]
        : [];
      const draft = recordOf(sheet, row, c, id, [...new Set(markNote)]);
      if (!draft) {
        warnings.push(`sheet ${sheet.number} notice ${notice.written}: no name; skipped`);
        continue;
      }
      if (seen.has(draft.sourceId)) {
        warnings.push(`sheet ${sheet.number} notice ${notice.written} appears twice; the later row kept`);
        const i = records.findIndex((r) => r.sourceId === draft.sourceId);
        records.splice(i, 1);
      }
      seen.add(draft.sourceId);
      records.push(finalizeDesignation(draft));
    }
  }
  if (records.length === 0) throw new SourceError('the MOF workbook holds no numbered record');
  return { source: 'jp-mof', format, records, warnings };
}
