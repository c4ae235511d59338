import { parse } from 'csv-parse/sync';
import type { Options } from 'csv-parse/sync';
import type { Address, Alias, Designation, DesignationDraft, ParsedList, PartyType, Vessel } from '../../core/designation.js';
import { finalizeDesignation } from '../../core/finalize.js';
import { classifyIdentifier } from '../identifiers.js';
import { ofacRecordUrl } from './links.js';
import { parseRemarks } from './remarks.js';

/**
 * Parser for OFAC's legacy CSV publication of the SDN list: sdn.csv plus its optional
 * companions add.csv (addresses), alt.csv (strong aliases) and sdn_comments.csv (the rest
 * of Remarks longer than 1,000 characters). Pure: text in, ParsedList out.
 *
 * Format (no header row, CRLF, a 0x1A byte at the end, `-0- ` for "no value"):
 *   sdn.csv           ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
 *                     Tonnage, GRT, Vess_flag, Vess_owner, Remarks
 *   add.csv           ent_num, add_num, address, city/state/postal, country, add_remarks
 *   alt.csv           ent_num, alt_num, alt_type, alt_name, alt_remarks
 *   sdn_comments.csv  ent_num, remarks continuation
 */
export interface OfacCsvDocs {
  sdn: string;
  add?: string;
  alt?: string;
  comments?: string;
}

/** sdn.csv cuts Remarks at this many characters; the rest goes to sdn_comments.csv. */
export const REMARKS_LIMIT = 1000;

const CSV_OPTIONS: Options = {
  bom: true,
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
};

const NULL_MARKER = '-0-';
const ENT_NUM = /^\d+$/;
const LINE_BREAK = /\r\n|\n|\r/;
const TRAILING_EOF = /[\x1a\s]+$/;
const PROGRAM_SEPARATOR = /\]\s*\[/;
const TYPES: Readonly<Record<string, PartyType>> = { individual: 'individual', vessel: 'vessel', aircraft: 'aircraft' };

/** A field's value, or undefined for empty / the `-0- ` null marker. */
function value(field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const t = field.trim();
  return t === '' || t === NULL_MARKER ? undefined : t;
}

/** The field untouched (no trimming: a cut Remarks can end in a space that the continuation needs), or ''. */
function rawValue(field: string | undefined): string {
  return field === undefined || field.trim() === NULL_MARKER ? '' : field;
}

const snippet = (s: string): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 80)}…` : one;
};

/**
 * Read CSV rows with csv-parse. OFAC rows never span lines, so a record that does (or an
 * unclosed quote that swallowed the rest of the file) is a garbled row: its lines are
 * re-read one by one, the bad line is reported in `warnings`, and the good ones are kept.
 */
function readRows(text: string, file: string, warnings: string[]): string[][] {
  const body = text.replace(TRAILING_EOF, '');
  if (body.trim() === '') return [];
  const suspect: string[] = [];
  let records: { record: string[]; raw: string }[];
  try {
    records = parse(body, {
      ...CSV_OPTIONS,
      raw: true,
      skip_records_with_error: true,
      on_skip: (err, raw) => {
        if (raw !== undefined) suspect.push(raw);
        else warnings.push(`${file}: unreadable row skipped (${err?.message ?? 'unknown error'})`);
        return undefined;
      },
    }) as unknown as { record: string[]; raw: string }[];
  } catch (err) {
    warnings.push(`${file}: not readable as CSV (${(err as Error).message}); file ignored`);
    return [];
  }
  const rows: string[][] = [];
  for (const { record, raw } of records) {
    const trimmed = raw.replace(/[\r\n]+$/, '');
    if (trimmed.includes('\n') || trimmed.includes('\r')) suspect.push(raw);
    else rows.push(record);
  }
  for (const chunk of suspect) {
    for (const line of chunk.split(LINE_BREAK)) {
      if (line.replace(TRAILING_EOF, '').trim() === '') continue;
      try {
        const [record] = parse(line, CSV_OPTIONS) as string[][];
        if (record) rows.push(record);
      } catch (err) {
        warnings.push(`${file}: garbled row skipped (${(err as Error).message.split('\n')[0]}): ${snippet(line)}`);
      }
    }
  }
  return rows;
}

/** Row-level warnings listed per file; beyond this (say, an HTML error page) they are counted. */
const MAX_ROW_WARNINGS = 20;

/**
 * Rows of a file with exactly `columns` fields and a numeric ent_num first; others are
 * reported and dropped.
 */
function validRows(text: string, file: string, columns: number, warnings: string[]): string[][] {
  const problems: string[] = [];
  const out: string[][] = [];
  for (const row of readRows(text, file, problems)) {
    if (row.length !== columns) {
      problems.push(`${file}: row with ${row.length} fields instead of ${columns} skipped: ${snippet(row.join(','))}`);
    } else if (!ENT_NUM.test((row[0] as string).trim())) {
      problems.push(`${file}: row whose ent_num is not a number skipped: ${snippet(row.join(','))}`);
    } else {
      out.push(row);
    }
  }
  warnings.push(...problems.slice(0, MAX_ROW_WARNINGS));
  if (problems.length > MAX_ROW_WARNINGS) {
    warnings.push(`${file}: ${problems.length - MAX_ROW_WARNINGS} more unreadable rows skipped (not listed)`);
  }
  return out;
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** One warning per companion file for its rows that name an ent_num missing from sdn.csv. */
function reportOrphans(file: string, orphans: string[], warnings: string[]): void {
  if (orphans.length === 0) return;
  const distinct = [...new Set(orphans)];
  const shown = distinct.slice(0, 20).join(', ');
  const more = distinct.length > 20 ? ` and ${distinct.length - 20} more` : '';
  warnings.push(
    `${file}: ${orphans.length} row(s) for ent_num(s) not in sdn.csv ignored: ${shown}${more}`,
  );
}

/** Alias identity for de-duplication: kind + name ignoring case, quotes and spacing. */
const aliasKey = (a: Alias): string =>
  `${a.kind}|${a.name
    .toLowerCase()
    .replace(/['‘’"`]/g, '')
    .replace(/\s+/g, ' ')
    .trim()}`;

/** alt.csv aliases (strong) first, then remark aliases (weak), dropping near-duplicates. */
function mergeAliases(fromAlt: readonly Alias[], fromRemarks: readonly Alias[]): Alias[] {
  const seen = new Map<string, Alias>();
  for (const a of [...fromAlt, ...fromRemarks]) {
    const key = aliasKey(a);
    if (!seen.has(key)) seen.set(key, a);
  }
  return [...seen.values()];
}

export function parseOfacCsv(docs: OfacCsvDocs): ParsedList {
  const warnings: string[] = [];

  // Companions, keyed by ent_num. Orphans are checked once sdn.csv is known.
  const continuations = new Map<string, string>();
  const companionEnts: Record<'sdn_comments.csv' | 'add.csv' | 'alt.csv', string[]> = {
    'sdn_comments.csv': [],
    'add.csv': [],
    'alt.csv': [],
  };
  const addresses = new Map<string, Address[]>();
  const altAliases = new Map<string, Alias[]>();

  if (docs.comments !== undefined) {
    for (const row of validRows(docs.comments, 'sdn_comments.csv', 2, warnings)) {
      const ent = (row[0] as string).trim();
      companionEnts['sdn_comments.csv'].push(ent);
      continuations.set(ent, (continuations.get(ent) ?? '') + rawValue(row[1]));
    }
  }
  if (docs.add !== undefined) {
    for (const row of validRows(docs.add, 'add.csv', 6, warnings)) {
      const ent = (row[0] as string).trim();
      companionEnts['add.csv'].push(ent);
      const country = value(row[4]);
      const remark = value(row[5]);
      const parts = [value(row[2]), value(row[3]), country].filter((p): p is string => p !== undefined);
      if (parts.length === 0) continue; // an address row that says nothing
      let text = parts.join(', ');
      if (remark) text += ` (${remark})`;
      push(addresses, ent, country ? { text, country } : { text });
    }
  }
  if (docs.alt !== undefined) {
    for (const row of validRows(docs.alt, 'alt.csv', 5, warnings)) {
      const ent = (row[0] as string).trim();
      companionEnts['alt.csv'].push(ent);
      const kind = value(row[2])?.toLowerCase().replace(/\./g, '');
      const name = value(row[3]);
      if (!name || (kind !== 'aka' && kind !== 'fka' && kind !== 'nka')) {
        warnings.push(`alt.csv: alias row skipped (type '${row[2]?.trim() ?? ''}', name '${name ?? ''}'): ent_num ${ent}`);
        continue;
      }
      const quality = /\bweak\b/i.test(row[4] ?? '') ? 'weak' : 'strong';
      push(altAliases, ent, { name, kind, quality });
    }
  }

  const records: Designation[] = [];
  const seen = new Set<string>();
  for (const row of validRows(docs.sdn, 'sdn.csv', 12, warnings)) {
    const entNum = (row[0] as string).trim();
    const name = value(row[1]);
    if (seen.has(entNum)) {
      warnings.push(`sdn.csv: duplicate ent_num ${entNum} skipped (${name ?? 'no name'})`);
      continue;
    }
    seen.add(entNum);
    if (!name) {
      warnings.push(`sdn.csv: ent_num ${entNum} has no name; row skipped`);
      continue;
    }
    const typeText = value(row[2])?.toLowerCase();
    const type: PartyType | undefined = typeText === undefined ? 'entity' : TYPES[typeText];
    if (!type) {
      warnings.push(`sdn.csv: ent_num ${entNum} (${name}) has unknown SDN_Type '${typeText}'; row skipped`);
      continue;
    }

    // Remarks: the sdn.csv part is cut at 1,000 characters; append the continuation as is.
    const head = rawValue(row[11]);
    let full = head;
    let truncated = false;
    const continuation = continuations.get(entNum);
    if (continuation !== undefined) {
      if (head.length >= REMARKS_LIMIT) {
        full = head + continuation;
      } else {
        warnings.push(
          `sdn_comments.csv: continuation for ent_num ${entNum} ignored: its sdn.csv Remarks are not cut (${head.length} characters), so the two files are not from the same publication`,
        );
      }
    } else if (head.length >= REMARKS_LIMIT && !head.endsWith('.')) {
      truncated = true;
      warnings.push(
        `sdn.csv: Remarks of ent_num ${entNum} (${name}) are cut at ${REMARKS_LIMIT} characters and sdn_comments.csv has no continuation: what follows the cut is missing (an incomplete last item is not parsed)`,
      );
    }
    const remarksText = full.trim() || undefined;
    const remarks = parseRemarks(remarksText, { truncated });

    const vessel: Vessel = {
      callSign: value(row[5]),
      vesselType: value(row[6]),
      tonnage: value(row[7]),
      grossRegisteredTonnage: value(row[8]),
      flag: value(row[9]),
      owner: value(row[10]),
    };
    const hasVessel = Object.values(vessel).some((v) => v !== undefined);

    const draft: DesignationDraft = {
      source: 'ofac-sdn',
      sourceId: entNum,
      name,
      type,
      programs: (value(row[3]) ?? '').split(PROGRAM_SEPARATOR).map((p) => p.replace(/^\[|\]$/g, '').trim()).filter(Boolean),
      aliases: mergeAliases(altAliases.get(entNum) ?? [], remarks.aliases),
      title: value(row[4]),
      dobs: remarks.dobs,
      placesOfBirth: remarks.placesOfBirth,
      nationalities: remarks.nationalities,
      addresses: addresses.get(entNum) ?? [],
      // Labelled statements (e.g. "Secondary sanctions risk") become identifiers of kind 'other',
      // as SDN.XML publishes them as <id>s: both formats of one list normalize alike.
      identifiers: [...remarks.identifiers, ...remarks.facts.map((f) => classifyIdentifier(f.label, f.value))],
      vessel: hasVessel ? vessel : undefined,
      remarks: remarksText,
      url: ofacRecordUrl(entNum),
    };
    try {
      records.push(finalizeDesignation(draft));
    } catch (err) {
      warnings.push(`sdn.csv: ent_num ${entNum} (${name}) rejected by validation: ${snippet((err as Error).message)}`);
    }
  }

  for (const [file, ents] of Object.entries(companionEnts)) {
    reportOrphans(file, ents.filter((e) => !seen.has(e)), warnings);
  }

  return { source: 'ofac-sdn', format: 'ofac-csv', records, warnings };
}
