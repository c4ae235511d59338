import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_OPTIONS, NOT_QUICK, type OfacCsvDocs, parseBundle, parseOfacCsv, quickRows } from '../../../src/sources/ofac/csv.js';
import { fixtureText, REAL } from '../../helpers/fixtures.js';
import { seededRandom } from '../../helpers/random.js';

/**
 * quickRows, the hand-written reader for OFAC's CSV files, promises one of two answers for any
 * text: exactly the rows csv-parse gives with the same options, or NOT_QUICK (the caller then
 * reads the bundle with csv-parse). These tests hold it to that on every real CSV fixture, on
 * hostile variants built from real rows, and on seeded random mutations; and they prove the
 * fast path is actually taken on the real files, so the pin is not vacuous.
 */

/** Every real CSV fixture (sdn.csv and its companions), relative to test/fixtures. */
const REAL_CSV = ['ofac_sdn_csv', 'ofac_add_alt_csv'].flatMap((dir) =>
  readdirSync(path.join(REAL, dir))
    .filter((f) => /\.csv(\.gz)?$/.test(f))
    .sort()
    .map((f) => `real/${dir}/${f}`),
);

/** What readRows hands quickRows: the file without its trailing 0x1A / whitespace. */
const withoutTrailer = (text: string): string => text.replace(/[\x1a\s]+$/, '');

type Quick = { taken: true; rows: string[][] } | { taken: false };

function quick(body: string): Quick {
  const rows: string[][] = [];
  try {
    quickRows(body, (row) => rows.push(row));
  } catch (err) {
    if (err === NOT_QUICK) return { taken: false };
    throw err; // any other error breaks the promise
  }
  return { taken: true, rows };
}

const csvParse = (body: string): string[][] => parse(body, CSV_OPTIONS) as string[][];

/**
 * The pin: quickRows gives csv-parse's rows or declines; never other rows, never rows where
 * csv-parse fails. Returns whether the fast path took the text.
 */
function pinned(body: string, label: string): boolean {
  const q = quick(body);
  if (!q.taken) return false;
  let expected: string[][];
  try {
    expected = csvParse(body);
  } catch (err) {
    throw new Error(`${label}: quickRows read ${JSON.stringify(body)} but csv-parse rejects it (${(err as Error).message})`);
  }
  expect(q.rows, `${label}: ${JSON.stringify(body)}`).toEqual(expected);
  return true;
}

/**
 * The same pin one level up, where readRows strips the 0x1A trailer and csv-parse's garbled-row
 * recovery runs: parsing `text` as sdn.csv gives the same list on the fast path as with
 * csv-parse, or the fast path declines. Returns whether it was taken.
 */
function samePublicResult(text: string, label: string): boolean {
  let fast;
  try {
    fast = parseBundle({ sdn: text }, true, undefined);
  } catch (err) {
    if (err === NOT_QUICK) return false;
    throw err;
  }
  expect(fast, `${label}: ${JSON.stringify(text)}`).toEqual(parseBundle({ sdn: text }, false, undefined));
  return true;
}

/** Real published lines (no line break) from the DPRK subset and the companion files. */
function realLines(relative: string, count: number): string[] {
  const lines = withoutTrailer(fixtureText(relative)).split('\r\n');
  expect(lines.length).toBeGreaterThanOrEqual(count);
  return lines.slice(0, count);
}

const SUBSET = 'real/ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv';
const ADD = 'real/ofac_add_alt_csv/add_watchman-7f361c98_2025-01-06.csv.gz';
const ALT = 'real/ofac_add_alt_csv/alt_watchman-7f361c98_2025-01-06.csv.gz';
const COMMENTS = 'real/ofac_add_alt_csv/sdn_comments_watchman-a8dfe527_2025-02-27.csv';

describe('quickRows on every real OFAC CSV file', () => {
  it('finds the nine real CSV fixtures (sdn.csv ×4, add/alt ×4, sdn_comments ×1)', () => {
    expect(REAL_CSV).toHaveLength(9);
  });

  for (const file of REAL_CSV) {
    it(`${path.basename(file)}: takes the fast path and yields exactly csv-parse's rows`, () => {
      const text = fixtureText(file);
      const body = withoutTrailer(text);
      const q = quick(body);
      expect(q.taken).toBe(true);
      const rows = (q as { rows: string[][] }).rows;
      // One row per published CRLF line, counted without any CSV reader.
      expect(rows).toHaveLength(body.split('\r\n').length);
      expect(rows).toEqual(csvParse(body));
      // The file as published, 0x1A and all, is read the same way by both.
      expect(pinned(text, file)).toBe(true);
    });
  }
});

describe('parseOfacCsv gives identical results on the fast path and the csv-parse path', () => {
  const sdnFiles = REAL_CSV.filter((f) => f.includes('/ofac_sdn_csv/'));
  const bundles: Array<[string, () => OfacCsvDocs]> = [
    ...sdnFiles.map((f): [string, () => OfacCsvDocs] => [path.basename(f), () => ({ sdn: fixtureText(f) })]),
    [
      'sdn.csv 2023-12-01 with add.csv, alt.csv and sdn_comments.csv',
      () => ({
        sdn: fixtureText('real/ofac_sdn_csv/sdn_2023-12-01.csv.gz'),
        add: fixtureText(ADD),
        alt: fixtureText(ALT),
        comments: fixtureText(COMMENTS),
      }),
    ],
  ];
  for (const [name, docs] of bundles) {
    it(name, () => {
      const d = docs();
      const fast = parseBundle(d, true, undefined); // throws NOT_QUICK if any file needed csv-parse
      const slow = parseBundle(d, false, undefined);
      expect(fast.records.length).toBeGreaterThan(500);
      expect(fast).toEqual(slow);
    });
  }

  it('parseOfacCsv itself returns the fast path\'s result on a real file', () => {
    const d = { sdn: fixtureText(SUBSET) };
    expect(parseOfacCsv(d)).toEqual(parseBundle(d, true, undefined));
  });
});

describe('hostile variants of real rows: csv-parse rows or NOT_QUICK, never a different answer', () => {
  const rows = realLines(SUBSET, 40);
  const crlf = rows.join('\r\n');
  const lf = rows.join('\n');
  // A real row with a quoted name, to mutate inside quotes: `ent,"NAME",...`.
  const quotedRow = rows.find((r) => /^\d+,"[^"]+",/.test(r))!;
  const [ent, nameField, ...restFields] = quotedRow.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  const withName = (name: string): string => [ent, name, ...restFields].join(',');
  const name = nameField!.slice(1, -1);
  const nameHead = name.slice(0, name.length >> 1);
  const nameTail = name.slice(name.length >> 1);
  const around = (line: string) => [...rows.slice(0, 3), line, ...rows.slice(3, 6)].join('\r\n');

  // Variants the fast path must take (the shapes OFAC publishes), and those it may decline.
  const taken: Array<[string, string]> = [
    ['CRLF line ends, no line break after the last line', crlf],
    ['LF line ends', lf],
    ['a final line ending in CRLF then 0x1A (as published)', `${crlf}\r\n\x1a`],
    ['a BOM', `\ufeff${crlf}`],
    ['"" inside a quoted field', around(withName(`"${nameHead}""${nameTail}"`))],
    ['a quoted field that is only a quote', around(withName('""""'))],
    ['an empty quoted field', around(withName('""'))],
    ['a comma inside a quoted field', around(withName(`"${nameHead},${nameTail}"`))],
    ['0x1A inside a field', around(withName(`"${nameHead}\x1a${nameTail}"`))],
    ['a valid surrogate pair (astral character)', around(withName(`"${nameHead}😀${nameTail}"`))],
    ['a whitespace-only line', `${rows[0]}\r\n \r\n${rows[1]}`],
    ['a trailing comma', around(`${quotedRow},`)],
  ];
  const mayDecline: Array<[string, string]> = [
    ['a quoted field with an embedded LF', around(withName(`"${nameHead}\n${nameTail}"`))],
    ['a quoted field with an embedded CRLF', around(withName(`"${nameHead}\r\n${nameTail}"`))],
    ['a quoted field with an embedded CRLF in an LF file', [rows[0], withName(`"${nameHead}\r\n${nameTail}"`), rows[1]].join('\n')],
    ['a lone CR inside a field', around(withName(`"${nameHead}\r${nameTail}"`))],
    ['a lone CR inside an unquoted field', around(`${quotedRow}\rX`)],
    ['lone CR line ends (old Mac)', rows.join('\r')],
    ['CRLF first, then LF', `${rows.slice(0, 3).join('\r\n')}\r\n${rows.slice(3, 6).join('\n')}`],
    ['LF first, then CRLF', `${rows.slice(0, 3).join('\n')}\n${rows.slice(3, 6).join('\r\n')}`],
    ['CRLF with one LF-only line end', `${rows.slice(0, 3).join('\r\n')}\n${rows.slice(3, 6).join('\r\n')}`],
    ['an empty line (CRLF)', [rows[0], '', rows[1], rows[2]].join('\r\n')],
    ['an empty line (LF)', [rows[0], '', rows[1], rows[2]].join('\n')],
    ['a final line break', `${crlf}\r\n`],
    ['a quote inside an unquoted field', around(withName('KIM "JONG" UN'))],
    ['a field that starts with a space then a quote', around(withName(` "${name}"`))],
    ['text after a closing quote', around(withName(`"${nameHead}"${nameTail}`))],
    ['a quote not closed on its line', around(withName(`"${name}`))],
    ['a quote never closed', `${crlf}\r\n1,"open`],
    ['a lone high surrogate', around(withName(`"${nameHead}\ud800${nameTail}"`))],
    ['a lone low surrogate in an unquoted field', around(`${quotedRow}\udc00`)],
    ['two BOMs', `\ufeff\ufeff${crlf}`],
    ['a BOM in the middle', `${rows[0]}\r\n\ufeff${rows[1]}`],
    ['only 0x1A', '\x1a'],
    ['empty text', ''],
  ];

  for (const [label, body] of taken) {
    it(`takes ${label}`, () => {
      expect(pinned(body, label)).toBe(true);
      expect(samePublicResult(body, label)).toBe(true);
    });
  }
  for (const [label, body] of mayDecline) {
    it(`is safe on ${label}`, () => {
      pinned(body, label);
      samePublicResult(body, label);
    });
  }

  it('reads CRLF, LF and BOM variants of the same rows alike', () => {
    const a = quick(crlf);
    expect(a.taken && a.rows).toHaveLength(rows.length);
    expect(quick(lf)).toEqual(a);
    expect(quick(`\ufeff${crlf}`)).toEqual(a);
  });

  it('reads "" as one quote and keeps 0x1A inside a field', () => {
    const q = quick(withName(`"${nameHead}""${nameTail}\x1a"`));
    expect(q.taken && q.rows[0]![1]).toBe(`${nameHead}"${nameTail}\x1a`);
  });
});

describe('seeded random mutations of real rows: csv-parse rows or NOT_QUICK', () => {
  const pool = [...realLines(SUBSET, 300), ...realLines(ADD, 100), ...realLines(ALT, 100), ...realLines(COMMENTS, 20)];
  const TOKENS = ['"', '""', ',', '\r', '\n', '\r\n', '\x1a', '\ufeff', ' ', '\ud800', '\udc00', '😀', 'é', '\u2028', '\0', '","', '"\r\n"'];
  const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

  /** A few real rows, joined with CRLF or LF (sometimes mixed), then mutated a few times. */
  function mutant(seed: number): string {
    const r = seededRandom(seed);
    const eol = r() < 0.5 ? '\r\n' : '\n';
    const lines = Array.from({ length: 1 + Math.floor(r() * 6) }, () => pick(r, pool));
    let text = lines.map((l, i) => (i === 0 ? l : (r() < 0.08 ? pick(r, ['\r\n', '\n', '\r', '', eol + eol]) : eol) + l)).join('');
    const edits = Math.floor(r() * 4);
    for (let i = 0; i < edits; i++) {
      const at = Math.floor(r() * (text.length + 1));
      const kind = r();
      if (kind < 0.6) text = text.slice(0, at) + pick(r, TOKENS) + text.slice(at);
      else if (kind < 0.8) text = text.slice(0, at) + text.slice(at + 1); // drop a character (maybe a quote)
      else {
        // Quote the unquoted field around `at`, doubling its quotes: still valid CSV.
        const start = text.lastIndexOf(',', at - 1) + 1;
        const endComma = text.indexOf(',', at);
        const end = endComma === -1 ? text.length : endComma;
        const field = text.slice(start, end);
        if (!field.includes('\n') && !field.includes('\r')) text = `${text.slice(0, start)}"${field.replace(/"/g, '""')}"${text.slice(end)}`;
      }
    }
    if (r() < 0.1) text = `\ufeff${text}`;
    return text + pick(r, ['', '', '', '\r\n', '\n', '\x1a', '\r\n\x1a', eol + eol]);
  }

  it('holds for 4,000 seeded mutants, and both answers occur', () => {
    let taken = 0;
    const N = 4000;
    for (let seed = 1; seed <= N; seed++) if (pinned(mutant(seed), `seed ${seed}`)) taken++;
    // Both branches are exercised, so a broken reader or an always-declining one is caught.
    expect(taken).toBeGreaterThan(N * 0.2);
    expect(N - taken).toBeGreaterThan(N * 0.2);
  });

  it('parses the first 1,000 mutants as sdn.csv alike on both paths, and both paths occur', () => {
    let taken = 0;
    const N = 1000;
    for (let seed = 1; seed <= N; seed++) if (samePublicResult(mutant(seed), `seed ${seed}`)) taken++;
    expect(taken).toBeGreaterThan(N * 0.2);
    expect(N - taken).toBeGreaterThan(N * 0.2);
  });

  it('takes any well-formed single-line-field CSV and reads back the values written', () => {
    const ALPHABET = ['a', 'Z', '0', ' ', ',', '"', '\x1a', '\t', '-', 'é', '한', '😀', '\u2028', ';', "'"];
    for (let seed = 1; seed <= 1000; seed++) {
      const r = seededRandom(seed);
      const eol = r() < 0.5 ? '\r\n' : '\n';
      const values = Array.from({ length: 1 + Math.floor(r() * 5) }, () =>
        Array.from({ length: 2 + Math.floor(r() * 5) }, () => Array.from({ length: Math.floor(r() * 8) }, () => pick(r, ALPHABET)).join('')),
      );
      const text = values
        .map((row) => row.map((v) => (v.includes('"') || v.includes(',') || r() < 0.3 ? `"${v.replace(/"/g, '""')}"` : v)).join(','))
        .join(eol);
      expect(pinned(text, `seed ${seed}`), `seed ${seed}: ${JSON.stringify(text)}`).toBe(true);
      expect((quick(text) as { rows: string[][] }).rows).toEqual(values);
    }
  });
});
