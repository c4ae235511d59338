import * as XLSX from '@e965/xlsx';
import type { Address, Alias, Designation, DesignationDraft, Identifier, ParsedList, PartyType } from '../../core/designation.js';
import { finalizeDesignation } from '../../core/finalize.js';
import { classifyIdentifier } from '../identifiers.js';
import { SourceError } from '../source.js';
import { describe } from '../xml.js';
import { joinSorted, nameRole, pickNames, ukDate, ukDob, ukFullName, ukPartyType, UK_SANCTIONS_LIST_PAGE, type NameRole } from './common.js';

/**
 * The OFSI Consolidated List as `ConList.xlsx` (published until 28 Jan 2026, when the FCDO UK
 * Sanctions List replaced it): one sheet `Data`, row 1 `Last Updated,<dd/mm/yyyy>`, row 2 the
 * header, then one row per name variant, grouped by `Group ID`. A party is keyed by the UK
 * Sanctions List Ref that `Other Information` carries (`(UK Sanctions List Ref):DPR0006`), the
 * same key as the FCDO XML's UniqueID, so both publications name a party the same way.
 * Columns are read by their header, never by position.
 */

const LABEL = 'OFSI ConList xlsx';
const SHEET = 'Data';
const REQUIRED = ['Name 6', 'Group Type', 'Alias Type', 'Regime', 'Other Information', 'Group ID'] as const;

/**
 * `(UK Sanctions List Ref):DPR0006` at the start of Other Information, with the separator OFSI
 * put after it: none (`DPR0006 Associations…`) or a full stop (`DPR0006. Associations…`), a
 * rewording OFSI applied to every row at once. The ref is taken out of the remarks with its
 * separator, so that rewording is no amendment.
 */
const REF = /\(UK Sanctions List Ref\):\s*([A-Z]{2,4}\d{3,5})\s*[.;,]?\s*/;

type Row = Record<string, string>;

export function parseOfsiXlsx(body: Buffer): ParsedList {
  // A ZIP ends with its central directory (end record PK\x05\x06 in the last 64 KiB + 22 bytes):
  // without it the download was cut short, whatever a lenient reader might still recover.
  const tail = body.subarray(Math.max(0, body.length - 65_557));
  if (tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) < 0)
    throw new SourceError(`${LABEL}: the workbook is truncated (its ZIP central directory is missing)`);
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(body, { type: 'buffer', cellDates: true, dense: true });
  } catch (err) {
    throw new SourceError(`${LABEL}: the spreadsheet cannot be read (truncated or corrupt?): ${describe(err)}`);
  }
  const sheet = workbook.Sheets[SHEET];
  if (!sheet) throw new SourceError(`${LABEL}: no sheet "${SHEET}" (sheets: ${workbook.SheetNames.join(', ')}): UK_SANCTIONS_URL points at a spreadsheet that is not the OFSI Consolidated List`);
  const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: false, defval: '' });
  const cell = (r: unknown[] | undefined, i: number): string => (r && r[i] !== undefined ? String(r[i]).trim() : '');
  const first = rows[0];
  const header = (rows[1] ?? []).map((_, i) => cell(rows[1], i));
  const missing = REQUIRED.filter((h) => !header.includes(h));
  if (cell(first, 0) !== 'Last Updated' || missing.length > 0)
    throw new SourceError(
      `UK_SANCTIONS_URL points at a spreadsheet that is not the OFSI Consolidated List (row 1 must be "Last Updated", row 2 the header${missing.length ? `; missing columns: ${missing.join(', ')}` : ''})`,
    );

  const warnings: string[] = [];
  let publishedAt: string | undefined;
  const day = ukDate(cell(first, 1));
  if (day) publishedAt = `${day}T00:00:00.000Z`;
  else warnings.push(`${LABEL}: Last Updated "${cell(first, 1)}" is not a dd/mm/yyyy date; publishedAt left unset`);

  // Rows by Group ID, in file order.
  const groups = new Map<string, Row[]>();
  for (let i = 2; i < rows.length; i++) {
    const raw = rows[i]!;
    const row: Row = {};
    header.forEach((h, j) => {
      if (h) row[h] = cell(raw, j);
    });
    const group = row['Group ID'];
    if (!group) {
      if (Object.values(row).some((v) => v !== '')) warnings.push(`${LABEL}: row ${i + 1} has no Group ID; skipped`);
      continue;
    }
    const rs = groups.get(group);
    if (rs) rs.push(row);
    else groups.set(group, [row]);
  }
  if (groups.size === 0) warnings.push(`${LABEL}: no rows`);

  const records: Designation[] = [];
  const seen = new Map<string, string>();
  for (const [group, rs] of groups) {
    const ref = rs.map((r) => REF.exec(r['Other Information'] ?? '')?.[1]).find((x) => x !== undefined);
    let sourceId = ref;
    if (!sourceId) {
      sourceId = `GROUP:${group}`;
      warnings.push(`${LABEL}: Group ID ${group} carries no UK Sanctions List Ref; using ${sourceId}`);
    }
    const other = seen.get(sourceId);
    if (other !== undefined) {
      warnings.push(`${LABEL}: UK Sanctions List Ref ${sourceId} on Group IDs ${other} and ${group}; kept the first`);
      continue;
    }
    try {
      records.push(finalizeDesignation(toDraft(rs, sourceId, warnings)));
      seen.set(sourceId, group);
    } catch (err) {
      warnings.push(`${LABEL}: ${sourceId} (Group ID ${group}) skipped: ${describe(err)}`);
    }
  }

  const out: ParsedList = { source: 'uk-sanctions', format: 'ofsi-xlsx', records, warnings };
  if (publishedAt) out.publishedAt = publishedAt;
  return out;
}

function toDraft(rows: Row[], sourceId: string, warnings: string[]): DesignationDraft {
  const v = (r: Row, k: string): string | undefined => r[k] || undefined;
  const types = new Set(rows.map((r) => ukPartyType(v(r, 'Group Type'))).filter((t): t is PartyType => t !== undefined));
  const type = [...types][0];
  if (!type) throw new Error(`Group Type "${rows[0]?.['Group Type'] ?? ''}" is not Individual, Entity or Ship`);
  if (types.size > 1) warnings.push(`${LABEL}: ${sourceId} rows disagree on Group Type (${[...types].join(', ')}); using ${type}`);

  const names: Array<{ name: string; role: NameRole }> = [];
  const extraAliases: Alias[] = [];
  const dobs: string[] = [];
  const placesOfBirth: string[] = [];
  const nationalities: string[] = [];
  const addresses: Address[] = [];
  const identifiers: Identifier[] = [];
  const titles: Array<string | undefined> = [];
  const remarks: Array<string | undefined> = [];
  const programs: string[] = [];
  const listed: Array<string | undefined> = [];
  for (const r of rows) {
    const name = ukFullName(['Name 1', 'Name 2', 'Name 3', 'Name 4', 'Name 5', 'Name 6'].map((k) => v(r, k)));
    if (name) names.push({ name, role: nameRole(v(r, 'Alias Type'), v(r, 'Alias Quality')) });
    const nonLatin = v(r, 'Name Non-Latin Script');
    if (nonLatin) extraAliases.push({ name: nonLatin, kind: 'aka' });
    const dob = v(r, 'DOB');
    if (dob) dobs.push(ukDob(dob));
    const pob = [v(r, 'Town of Birth'), v(r, 'Country of Birth')].filter(Boolean).join(', ');
    if (pob) placesOfBirth.push(pob);
    const nationality = v(r, 'Nationality');
    if (nationality) nationalities.push(nationality);
    const country = v(r, 'Country');
    const text = [...['Address 1', 'Address 2', 'Address 3', 'Address 4', 'Address 5', 'Address 6', 'Post/Zip Code'].map((k) => v(r, k)), country]
      .filter(Boolean)
      .join(', ');
    if (text) addresses.push(country ? { text, country } : { text });
    const passport = v(r, 'Passport Number');
    if (passport) identifiers.push(classifyIdentifier('Passport', passport, undefined, v(r, 'Passport Details')));
    const nid = v(r, 'National Identification Number');
    if (nid) identifiers.push(classifyIdentifier('National Identification Number', nid, undefined, v(r, 'National Identification Details')));
    titles.push(v(r, 'Title'), v(r, 'Position'));
    const info = v(r, 'Other Information');
    remarks.push(info?.replace(REF, '').trim());
    const regime = v(r, 'Regime');
    if (regime) programs.push(regime);
    listed.push(v(r, 'UK Sanctions List Date Designated') ?? v(r, 'Listed On'));
  }
  const { name, aliases } = pickNames(names);
  if (!name) throw new Error('no name in Name 1…Name 6');

  const draft: DesignationDraft = {
    source: 'uk-sanctions',
    sourceId,
    name,
    type,
    programs,
    aliases: [...aliases, ...extraAliases],
    dobs,
    placesOfBirth,
    nationalities,
    addresses,
    identifiers,
    url: UK_SANCTIONS_LIST_PAGE,
  };
  const title = joinSorted(titles);
  if (title) draft.title = title;
  const remark = joinSorted(remarks, ' ');
  if (remark) draft.remarks = remark;
  const dates = [...new Set(listed.filter((s): s is string => Boolean(s)))].sort();
  if (dates.length > 0) {
    const iso = ukDate(dates[0]);
    if (iso) draft.listedOn = iso;
    else warnings.push(`${LABEL}: ${sourceId} date designated "${dates[0]}" is not a date; ignored`);
  }
  return draft;
}
