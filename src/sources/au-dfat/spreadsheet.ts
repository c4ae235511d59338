import * as XLSX from '@e965/xlsx';
import type { Address, Alias, Designation, DesignationDraft, Identifier, ListFormat, ParsedList, PartyType } from '../../core/designation.js';
import { finalizeDesignation } from '../../core/finalize.js';
import { classifyIdentifier } from '../identifiers.js';
import { SourceError } from '../source.js';
import { DFAT_CONSOLIDATED_LIST_URL } from './links.js';

/**
 * DFAT's Consolidated List workbook (.xls BIFF until 2024, .xlsx since): one sheet ("Consolidated
 * List" since Nov 2025, the first sheet before), one row per NAME. `Reference` keys the record:
 * `1113`, `1113a`, `1113b` are names of record 1113. Columns are read by their header, never by
 * position, and the Name Type vocabulary is read loosely (`aka`, `Aka `, `Alias` are one kind),
 * so DFAT's layout changes (columns added in Nov 2025) change no record. Columns this parser does
 * not know (alias strength, IMO number, measures of the 2025 layout) are ignored for the same reason.
 */

const SHEET = 'Consolidated List';
const COLUMNS = {
  reference: 'reference',
  name: 'name of individual or entity',
  type: 'type',
  nameType: 'name type',
  dob: 'date of birth',
  pob: 'place of birth',
  citizenship: 'citizenship',
  address: 'address',
  info: 'additional information',
  listing: 'listing information',
  committees: 'committees',
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: Column[] = ['reference', 'name', 'nameType', 'committees'];

/** Name Type as DFAT writes it (any case, stray spaces) → primary name or alias kind. */
function nameKind(v: string): 'primary' | Alias['kind'] {
  const t = v.trim().toLowerCase().replace(/\s+/g, ' ');
  if (t === 'primary name' || t === 'primary') return 'primary';
  if (t === 'formerly known as' || t === 'previously listed as' || t === 'fka' || t === 'f.k.a.') return 'fka';
  return 'aka'; // aka, Aka, Alias, Original Script, and anything new: a name under which the party is known
}

/** "Not applicable" placeholders DFAT puts in empty fields. */
const PLACEHOLDER = /^(n\/?a|-+|none|unknown)$/i;

/** A cell as text: dates as YYYY-MM-DD (rounded to the nearest day: SheetJS dates carry the local offset). */
function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    return new Date(v.getTime() + 12 * 3600 * 1000).toISOString().slice(0, 10);
  }
  return String(v).replace(/\s+/g, ' ').trim();
}

/** "a) X b) Y" → [X, Y]; anything else → [it] (placeholders dropped). */
function items(v: string): string[] {
  if (v === '' || PLACEHOLDER.test(v)) return [];
  const parts = /^\(?a\)\s*/.test(v) ? v.split(/\s*\(?\b[a-z]\)\s*/) : [v];
  return parts.map((p) => p.replace(/[;,]\s*$/, '').trim()).filter((p) => p !== '' && !PLACEHOLDER.test(p));
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const iso = (y: number, m: number, d: number): string | undefined =>
  m >= 1 && m <= 12 && d >= 1 && d <= 31 ? `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` : undefined;

/**
 * A date of birth DFAT typed as text ("13 Oct. 1944", "13 October 1944", "13/10/1944", day first
 * as in Australia) → YYYY-MM-DD, the form its date cells give: DFAT moves dates between text and
 * date cells, which is not a change of the record. Anything else ("Approximately 1963") is kept.
 */
export function dateOfBirth(v: string): string {
  let m = /^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})$/.exec(v);
  if (m) {
    const month = MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1;
    return (month > 0 && iso(Number(m[3]), month, Number(m[1]))) || v;
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  if (m) return iso(Number(m[3]), Number(m[2]), Number(m[1])) ?? v;
  return v;
}

/**
 * The date a record was first listed, when its Listing Information opens with one: "Listed on: 16
 * Jul. 2009 (amended …)", "Listed by UN 1267 Committee on 25 January 2001", "Designated under the
 * Autonomous Sanctions Regulations 2011 on 2 March 2012", "The Minister for Foreign Affairs listed
 * this entity on 4 December 2019". Instruments named without a date give none.
 */
const LISTED =
  /^(?:listed(?: by [^.]*?)? on:?|designated under [^.]*? on|the minister for foreign affairs listed this \w+ on)\s+(\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4})/i;
export function listedOn(listing: string): string | undefined {
  const m = LISTED.exec(listing);
  if (!m) return undefined;
  const date = dateOfBirth(m[1]!.replace(/\s+/g, ' '));
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : undefined;
}

/**
 * Numbers DFAT writes into Additional Information with a label: "Passport no: 645120196",
 * "Passport: 381420754", "IMO: 8829593", "Tax ID No: 7714789249; Company No: 62817565;
 * Registration No: 109774656366". The value holds a digit and five characters at least, so "Passport Date of Issue" and a year are none.
 */
const LABELLED_NUMBER =
  /\b(Diplomatic Passport|Passport|National ID|Identification|Tax ID|Company|Registration|IMO)((?:\s+(?:No\.?|Number|#))?)\s*:?\s*([A-Z]{0,3}\d[\dA-Z-]{4,})/gi;
export function identifiersIn(info: string): Identifier[] {
  return [...info.matchAll(LABELLED_NUMBER)].map((m) => {
    const id = classifyIdentifier(`${m[1]!}${m[2]!}`, m[3]!.replace(/-+$/, ''));
    if (id.kind === 'other' && /^company\b/i.test(id.label)) id.kind = 'registration'; // "Company No"
    return id;
  });
}

type Row = Record<Column, string>;

export function parseDfatWorkbook(body: Buffer, container: 'xls' | 'xlsx'): ParsedList {
  const format: ListFormat = container === 'xls' ? 'dfat-xls' : 'dfat-xlsx';
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(body, { type: 'buffer', cellDates: true, dense: true });
  } catch (err) {
    throw new SourceError(
      `AU_DFAT_URL: the .${container} workbook cannot be read (truncated or corrupt): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const sheetName = wb.SheetNames.includes(SHEET) ? SHEET : wb.SheetNames[0];
  const sheet = sheetName === undefined ? undefined : wb.Sheets[sheetName];
  if (!sheet) throw new SourceError(`AU_DFAT_URL: the .${container} workbook has no sheet`);
  const grid = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, defval: '' });

  // The header row: the first (of the first ten) naming Reference and Name of Individual or Entity.
  let headerAt = -1;
  const index = new Map<Column, number>();
  for (let r = 0; r < Math.min(grid.length, 10) && headerAt < 0; r++) {
    const cells = (grid[r] ?? []).map((c) => text(c).toLowerCase());
    if (!cells.includes(COLUMNS.reference) || !cells.includes(COLUMNS.name)) continue;
    headerAt = r;
    for (const [col, label] of Object.entries(COLUMNS) as Array<[Column, string]>) {
      const i = cells.indexOf(label);
      if (i >= 0) index.set(col, i);
    }
  }
  const missing = REQUIRED.filter((c) => !index.has(c)).map((c) => `"${COLUMNS[c]}"`);
  if (headerAt < 0 || missing.length > 0)
    throw new SourceError(
      `AU_DFAT_URL: sheet "${sheetName}" has no DFAT Consolidated List header row (missing ${missing.join(', ') || 'Reference'}); not the DFAT list`,
    );

  const warnings: string[] = [];
  const groups = new Map<string, Array<Row & { ref: string }>>();
  for (let r = headerAt + 1; r < grid.length; r++) {
    const cells = grid[r] ?? [];
    const row = {} as Row;
    for (const col of Object.keys(COLUMNS) as Column[]) {
      const i = index.get(col);
      row[col] = i === undefined ? '' : text(cells[i]);
    }
    if (row.reference === '' && row.name === '') continue; // blank row
    const m = /^(\d+)/.exec(row.reference);
    if (!m) {
      warnings.push(`DFAT: row ${r + 1} has no numeric Reference ("${row.reference}"); skipped`);
      continue;
    }
    const base = String(Number(m[1]));
    let group = groups.get(base);
    if (!group) groups.set(base, (group = []));
    group.push({ ...row, ref: row.reference.toLowerCase() });
  }
  if (groups.size === 0) warnings.push('DFAT: no records');

  const records: Designation[] = [];
  for (const [id, rows] of groups) {
    try {
      records.push(finalizeDesignation(toDraft(id, rows, warnings)));
    } catch (err) {
      warnings.push(`DFAT: ${id} skipped: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  const out: ParsedList = { source: 'au-dfat', format, records, warnings };
  const modified = wb.Props?.ModifiedDate;
  if (modified instanceof Date && !Number.isNaN(modified.getTime())) out.publishedAt = modified.toISOString();
  return out;
}

function toDraft(sourceId: string, unsorted: Array<Row & { ref: string }>, warnings: string[]): DesignationDraft {
  // Rows in Reference order (1113, 1113a, 1113b …) whatever order the sheet has them in.
  const rows = [...unsorted].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  const named = rows.filter((r) => r.name !== '');
  const primary = named.find((r) => nameKind(r.nameType) === 'primary') ?? named[0];
  if (!primary) throw new Error('no name on any row');
  if (nameKind(primary.nameType) !== 'primary') warnings.push(`DFAT: ${sourceId} has no Primary Name row; used "${primary.name}"`);

  const aliases: Alias[] = [];
  for (const r of named) {
    if (r === primary || r.name === primary.name) continue;
    const kind = nameKind(r.nameType);
    aliases.push({ name: r.name, kind: kind === 'primary' ? 'aka' : kind });
  }

  const types = new Set(rows.map((r) => r.type.toLowerCase()).filter((t) => t !== ''));
  const primaryType = primary.type.toLowerCase();
  let type: PartyType;
  if (primaryType === 'individual' || primaryType === 'entity') type = primaryType;
  else if (types.has('individual')) type = 'individual';
  else {
    if (!types.has('entity')) warnings.push(`DFAT: ${sourceId} has no Type; read as an entity`);
    type = 'entity';
  }

  const all = (col: Column, split = true): string[] => rows.flatMap((r) => (split ? items(r[col]) : r[col] === '' ? [] : [r[col]]));
  const addresses: Address[] = all('address').map((t) => ({ text: t }));
  const remarks = [...new Set([...all('info', false), ...all('listing', false)])].sort().join(' | ');

  const draft: DesignationDraft = {
    source: 'au-dfat',
    sourceId,
    name: primary.name,
    type,
    programs: all('committees', false),
    aliases,
    dobs: type === 'individual' ? all('dob').map(dateOfBirth) : [],
    placesOfBirth: type === 'individual' ? all('pob') : [],
    nationalities: all('citizenship'),
    addresses,
    identifiers: [...new Set(all('info', false))].flatMap(identifiersIn),
    url: DFAT_CONSOLIDATED_LIST_URL,
  };
  if (remarks !== '') draft.remarks = remarks;
  const listed = [primary, ...rows].map((r) => listedOn(r.listing)).find((d) => d !== undefined);
  if (listed) draft.listedOn = listed;
  return draft;
}
