import { hash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { Options } from 'csv-parse/sync';
import type { Address, Alias, Designation, DesignationDraft, ParsedList, PartyType } from '../../core/designation.js';
import { finalizeDesignation } from '../../core/finalize.js';
import type { SnapshotEntry } from '../../core/snapshot.js';
import { PACKAGE_VERSION } from '../../version.js';
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

/**
 * Part of every row digest: a record is only taken over from a snapshot stored by the same
 * release and the same normalization. Bump the suffix when parsing or normalizing changes
 * between releases (a release changes the version anyway).
 */
const ROWS_REVISION = `${PACKAGE_VERSION}+csv.1`;
const FIELD = '\u001f';
const PART = '\u001e';

/** A digest of everything a record is built from: its sdn.csv row, Remarks continuation, alt and add rows. */
const rowsDigest = (row: readonly string[], continuation = '', alt = '', add = ''): string =>
  hash('sha1', ROWS_REVISION + PART + row.join(FIELD) + PART + continuation + PART + alt + PART + add, 'base64');

/** sdn.csv cuts Remarks at this many characters; the rest goes to sdn_comments.csv. */
export const REMARKS_LIMIT = 1000;

/** Exported (with quickRows, NOT_QUICK, parseBundle) only for the test that pins the fast path to csv-parse. */
export const CSV_OPTIONS: Options = {
  bom: true,
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
};

const NULL_MARKER = '-0-';
const ENT_NUM = /^\d+$/;
const LINE_BREAK = /\r\n|\n|\r/;
const TRAILING_EOF = /[\x1a\s]+$/;
const EOF_CHAR = /[\x1a\s]/;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const PROGRAM_SEPARATOR = /\]\s*\[/;
const TYPES: Readonly<Record<string, PartyType>> = { individual: 'individual', vessel: 'vessel', aircraft: 'aircraft' };

/** A field's value, or undefined for empty / the `-0- ` null marker. */
function value(field: string | undefined): string | undefined {
  if (field === undefined || field === '-0- ') return undefined; // the marker as published: skip trim()'s copy
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

/** `text` without its trailing run of \x1a / whitespace (the same as text.replace(TRAILING_EOF, '')). */
function stripTrailingEof(text: string): string {
  // A loop from the end: the regex form rescans every whitespace run of a 3 MB file (≈10 ms).
  let end = text.length;
  while (end > 0 && EOF_CHAR.test(text[end - 1] as string)) end--;
  return end === text.length ? text : text.slice(0, end);
}

const QUOTE = 34;
const COMMA = 44;

/** Thrown by `quickRows` at the first line it cannot vouch for: the bundle is then re-read with csv-parse. */
export const NOT_QUICK = new Error('not a plain CSV file');

/**
 * Fast path for the well-formed files OFAC publishes: split lines with indexOf and take
 * fields apart without csv-parse, which costs about as much as all the rest of the ingest.
 * Rows go to `each` one at a time, so they die young instead of piling up in a 13,000-row
 * array. It only vouches for lines whose reading is unambiguous — one line break style
 * (CRLF or LF) throughout, no empty line, fields either unquoted without any quote or wholly
 * quoted (`""` for a quote) and followed by a comma or the end of the line — and for those
 * gives exactly what csv-parse does with CSV_OPTIONS. At anything else (a run-on quote, a
 * stray CR or LF, a quote inside an unquoted field…) it throws NOT_QUICK and parseOfacCsv
 * starts over with csv-parse, so odd files keep their csv-parse behaviour and warnings.
 */
export function quickRows(body: string, each: (row: string[]) => void): void {
  if (LONE_SURROGATE.test(body)) throw NOT_QUICK; // csv-parse would turn them into U+FFFD
  // csv-parse takes the first line break as the record delimiter for the whole file.
  const firstCr = body.indexOf('\r');
  const crlf = firstCr !== -1; // else there is no CR at all
  if (crlf && body.charCodeAt(firstCr + 1) !== 10) throw NOT_QUICK; // a lone CR first: old Mac line ends
  const eol = crlf ? '\r\n' : '\n';
  let s = body.charCodeAt(0) === 0xfeff ? 1 : 0; // bom: true
  while (s <= body.length) {
    const next = body.indexOf(eol, s);
    const e = next === -1 ? body.length : next;
    // No other CR or LF inside the line (csv-parse would keep it inside a field).
    if (crlf && (body.indexOf('\r', s) !== next || body.indexOf('\n', s) !== (next === -1 ? -1 : next + 1))) {
      throw NOT_QUICK;
    }
    // An empty line: csv-parse skips it but glues its CR to the next record's raw text,
    // which readRows then re-reads as a garbled chunk (moved to the end); leave that to it.
    if (e === s) throw NOT_QUICK;
    const row: string[] = [];
    let p = s;
    for (;;) {
      if (p < e && body.charCodeAt(p) === QUOTE) {
        let value = '';
        let from = p + 1;
        for (;;) {
          const q = body.indexOf('"', from);
          if (q === -1 || q >= e) throw NOT_QUICK; // quote not closed on this line
          if (q + 1 < e && body.charCodeAt(q + 1) === QUOTE) {
            value += body.slice(from, q + 1); // "" inside a quoted field: one quote
            from = q + 2;
            continue;
          }
          value += body.slice(from, q);
          p = q + 1;
          break;
        }
        row.push(value);
        if (p === e) break;
        if (body.charCodeAt(p) !== COMMA) throw NOT_QUICK; // text after the closing quote
        p++;
      } else {
        let c = body.indexOf(',', p);
        if (c === -1 || c > e) c = e;
        const q = body.indexOf('"', p);
        if (q !== -1 && q < c) throw NOT_QUICK; // a quote inside an unquoted field
        row.push(body.slice(p, c));
        if (c === e) break;
        p = c + 1;
      }
    }
    each(row);
    s = e + eol.length;
  }
}

/**
 * Rows of a CSV file, in order, to `each`: `quickRows` when `quick`, else csv-parse. OFAC
 * rows never span lines, so a csv-parse record that does (or an unclosed quote that
 * swallowed the rest of the file) is a garbled row: its lines are re-read one by one, the
 * bad line is reported in `warnings`, and the good ones are kept.
 */
function readRows(text: string, file: string, warnings: string[], quick: boolean, each: (row: string[]) => void): void {
  const body = stripTrailingEof(text);
  if (body.trim() === '') return;
  if (quick) return quickRows(body, each);
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
    return;
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
  for (const row of rows) each(row);
}

/** Row-level warnings listed per file; beyond this (say, an HTML error page) they are counted. */
const MAX_ROW_WARNINGS = 20;

/**
 * Rows of a file with exactly `columns` fields and a numeric ent_num first, to `each`;
 * others are reported (in `warnings`, once the last row has been taken) and dropped.
 */
function validRows(
  text: string,
  file: string,
  columns: number,
  warnings: string[],
  quick: boolean,
  each: (row: string[]) => void,
): void {
  const problems: string[] = [];
  readRows(text, file, problems, quick, (row) => {
    if (row.length !== columns) {
      problems.push(`${file}: row with ${row.length} fields instead of ${columns} skipped: ${snippet(row.join(','))}`);
    } else if (!ENT_NUM.test((row[0] as string).trim())) {
      problems.push(`${file}: row whose ent_num is not a number skipped: ${snippet(row.join(','))}`);
    } else {
      each(row);
    }
  });
  warnings.push(...problems.slice(0, MAX_ROW_WARNINGS));
  if (problems.length > MAX_ROW_WARNINGS) {
    warnings.push(`${file}: ${problems.length - MAX_ROW_WARNINGS} more unreadable rows skipped (not listed)`);
  }
}

/** "IRAN] [SDGT] [IFSR" → ['IRAN', 'SDGT', 'IFSR']; most rows name one program and need no split. */
function programsOf(text: string | undefined): string[] {
  if (text === undefined) return [];
  if (!text.includes('[') && !text.includes(']')) return [text]; // value() trimmed it; it is not empty
  return text.split(PROGRAM_SEPARATOR).map((p) => p.replace(/^\[|\]$/g, '').trim()).filter(Boolean);
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
  if (fromAlt.length + fromRemarks.length <= 1) return [...fromAlt, ...fromRemarks]; // nothing to merge (most records)
  const seen = new Map<string, Alias>();
  for (const a of [...fromAlt, ...fromRemarks]) {
    const key = aliasKey(a);
    if (!seen.has(key)) seen.set(key, a);
  }
  return [...seen.values()];
}

/**
 * `prior`: the stored snapshot's entries. A record whose published rows have the digest
 * stored with it is taken over as it is (the same object) instead of being normalized again;
 * every other row is parsed. The result is the same either way: only the work differs.
 */
export function parseOfacCsv(docs: OfacCsvDocs, prior?: ReadonlyMap<string, SnapshotEntry>): ParsedList {
  try {
    return parseBundle(docs, true, prior);
  } catch (err) {
    if (err !== NOT_QUICK) throw err;
    return parseBundle(docs, false, prior); // some file is not plain CSV: csv-parse reads them all
  }
}

/** Append a companion row, as published, to what its ent_num is built from. */
function keepRaw(raw: Map<string, string>, ent: string, row: readonly string[]): void {
  const before = raw.get(ent);
  raw.set(ent, before === undefined ? row.join(FIELD) : before + PART + row.join(FIELD));
}

/** One pass over the bundle: `quick` reads with quickRows (throwing NOT_QUICK at an odd line), else with csv-parse. */
export function parseBundle(docs: OfacCsvDocs, quick: boolean, prior: ReadonlyMap<string, SnapshotEntry> | undefined): ParsedList {
  const warnings: string[] = [];
  // Warnings about rows taken from a file go after that file's unreadable-row warnings,
  // which validRows only adds once the file is exhausted: they wait in `notes`.
  let notes: string[] = [];

  // Companions, keyed by ent_num. Orphans are checked once sdn.csv is known.
  const continuations = new Map<string, string>();
  const companionEnts: Record<'sdn_comments.csv' | 'add.csv' | 'alt.csv', string[]> = {
    'sdn_comments.csv': [],
    'add.csv': [],
    'alt.csv': [],
  };
  const addresses = new Map<string, Address[]>();
  const altAliases = new Map<string, Alias[]>();
  const rawAdd = new Map<string, string>();
  const rawAlt = new Map<string, string>();
  const rowDigests = new Map<string, string>();

  if (docs.comments !== undefined) {
    validRows(docs.comments, 'sdn_comments.csv', 2, warnings, quick, (row) => {
      const ent = (row[0] as string).trim();
      companionEnts['sdn_comments.csv'].push(ent);
      continuations.set(ent, (continuations.get(ent) ?? '') + rawValue(row[1]));
    });
  }
  if (docs.add !== undefined) {
    validRows(docs.add, 'add.csv', 6, warnings, quick, (row) => {
      const ent = (row[0] as string).trim();
      companionEnts['add.csv'].push(ent);
      keepRaw(rawAdd, ent, row);
      const country = value(row[4]);
      const remark = value(row[5]);
      const parts = [value(row[2]), value(row[3]), country].filter((p): p is string => p !== undefined);
      if (parts.length === 0) return; // an address row that says nothing
      let text = parts.join(', ');
      if (remark) text += ` (${remark})`;
      push(addresses, ent, country ? { text, country } : { text });
    });
  }
  if (docs.alt !== undefined) {
    validRows(docs.alt, 'alt.csv', 5, warnings, quick, (row) => {
      const ent = (row[0] as string).trim();
      companionEnts['alt.csv'].push(ent);
      keepRaw(rawAlt, ent, row);
      const kind = value(row[2])?.toLowerCase().replace(/\./g, '');
      const name = value(row[3]);
      if (!name || (kind !== 'aka' && kind !== 'fka' && kind !== 'nka')) {
        notes.push(`alt.csv: alias row skipped (type '${row[2]?.trim() ?? ''}', name '${name ?? ''}'): ent_num ${ent}`);
        return;
      }
      const quality = /\bweak\b/i.test(row[4] ?? '') ? 'weak' : 'strong';
      push(altAliases, ent, { name, kind, quality });
    });
    for (const n of notes) warnings.push(n);
    notes = [];
  }

  const records: Designation[] = [];
  const seen = new Set<string>();
  validRows(docs.sdn, 'sdn.csv', 12, warnings, quick, (row) => {
    const entNum = (row[0] as string).trim();
    const name = value(row[1]);
    if (seen.has(entNum)) {
      notes.push(`sdn.csv: duplicate ent_num ${entNum} skipped (${name ?? 'no name'})`);
      return;
    }
    seen.add(entNum);
    if (!name) {
      notes.push(`sdn.csv: ent_num ${entNum} has no name; row skipped`);
      return;
    }
    const typeText = value(row[2])?.toLowerCase();
    const type: PartyType | undefined = typeText === undefined ? 'entity' : TYPES[typeText];
    if (!type) {
      notes.push(`sdn.csv: ent_num ${entNum} (${name}) has unknown SDN_Type '${typeText}'; row skipped`);
      return;
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
        notes.push(
          `sdn_comments.csv: continuation for ent_num ${entNum} ignored: its sdn.csv Remarks are not cut (${head.length} characters), so the two files are not from the same publication`,
        );
      }
    } else if (head.length >= REMARKS_LIMIT && !head.endsWith('.')) {
      truncated = true;
      notes.push(
        `sdn.csv: Remarks of ent_num ${entNum} (${name}) are cut at ${REMARKS_LIMIT} characters and sdn_comments.csv has no continuation: what follows the cut is missing (an incomplete last item is not parsed)`,
      );
    }
    const digest = rowsDigest(row, continuation, rawAlt.get(entNum), rawAdd.get(entNum));
    rowDigests.set(entNum, digest);
    const stored = prior?.get(entNum);
    if (stored !== undefined && stored.rows === digest) {
      records.push(stored.record); // the same rows, the same record
      return;
    }
    const remarksText = full.trim() || undefined;
    const remarks = parseRemarks(remarksText, { truncated });

    const callSign = value(row[5]);
    const vesselType = value(row[6]);
    const tonnage = value(row[7]);
    const grossRegisteredTonnage = value(row[8]);
    const flag = value(row[9]);
    const owner = value(row[10]);
    // Vessel columns are "-0- " on all but a few hundred rows: build the object only for those.
    const hasVessel =
      callSign !== undefined ||
      vesselType !== undefined ||
      tonnage !== undefined ||
      grossRegisteredTonnage !== undefined ||
      flag !== undefined ||
      owner !== undefined;

    const draft: DesignationDraft = {
      source: 'ofac-sdn',
      sourceId: entNum,
      name,
      type,
      programs: programsOf(value(row[3])),
      aliases: mergeAliases(altAliases.get(entNum) ?? [], remarks.aliases),
      title: value(row[4]),
      dobs: remarks.dobs,
      placesOfBirth: remarks.placesOfBirth,
      nationalities: remarks.nationalities,
      addresses: addresses.get(entNum) ?? [],
      // Labelled statements (e.g. "Secondary sanctions risk") become identifiers of kind 'other',
      // as SDN.XML publishes them as <id>s: both formats of one list normalize alike.
      identifiers:
        remarks.facts.length === 0
          ? remarks.identifiers
          : [...remarks.identifiers, ...remarks.facts.map((f) => classifyIdentifier(f.label, f.value))],
      vessel: hasVessel ? { callSign, vesselType, tonnage, grossRegisteredTonnage, flag, owner } : undefined,
      remarks: remarksText,
      url: ofacRecordUrl(entNum),
    };
    try {
      records.push(finalizeDesignation(draft));
    } catch (err) {
      notes.push(`sdn.csv: ent_num ${entNum} (${name}) rejected by validation: ${snippet((err as Error).message)}`);
    }
  });
  for (const n of notes) warnings.push(n);

  for (const [file, ents] of Object.entries(companionEnts)) {
    reportOrphans(file, ents.filter((e) => !seen.has(e)), warnings);
  }

  return { source: 'ofac-sdn', format: 'ofac-csv', records, warnings, rowDigests };
}
