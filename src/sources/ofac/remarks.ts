import type { Alias, Identifier } from '../../core/designation.js';
import { classifyIdentifier } from '../identifiers.js';

/**
 * Parser for the Remarks column of OFAC's legacy sdn.csv.
 *
 * OFAC writes everything it has no column for into Remarks, as items separated by "; ":
 *   DOB 07 Jun 1978; nationality Korea, North; Gender Male; Secondary sanctions risk: …;
 *   Passport 563210175 (Korea, North); a.k.a. 'HIDDEN COBRA'; Linked To: GREEN PINE ….
 * The whole string ends with a full stop. Quoted a.k.a./f.k.a./n.k.a. in Remarks are the
 * aliases OFAC rates "weak" (its strong aliases are published in alt.csv instead), so they
 * are returned with quality "weak".
 */

/** A recognised "Label value" statement that has no field of its own in a Designation. */
export interface RemarkFact {
  label: string;
  value: string;
}

export interface ParsedRemarks {
  aliases: Alias[];
  /** As published: "07 Jun 1978", "circa 1975", "1962 to 1964", "Jan 1960". */
  dobs: string[];
  placesOfBirth: string[];
  /** "nationality X", "citizen X", and (for companies) "Nationality of Registration X". */
  nationalities: string[];
  identifiers: Identifier[];
  gender?: string;
  /** Names after "Linked To:". */
  linkedTo: string[];
  /** Secondary sanctions risk, Organization Type, Vessel Year of Build, Aircraft Model, … */
  facts: RemarkFact[];
  /** Items not recognised (titles, roles, free text); they stay readable in the full remarks. */
  unparsed: string[];
  /** True when the text was given as cut (sdn.csv 1,000-char limit, no continuation); an incomplete last item is in `unparsed`. */
  truncated: boolean;
}

export interface ParseRemarksOptions {
  /**
   * The text is known to be cut mid-item (sdn.csv Remarks cut at 1,000 characters without
   * its sdn_comments.csv continuation): the last item is put in `unparsed` instead of
   * yielding a half identifier such as a partial crypto address.
   */
  truncated?: boolean;
}

// ---------------------------------------------------------------------------------------
// Patterns. All compiled once, here; nothing is built per item. All are anchored at the
// start, and parseRemarks only tries one on items whose first character it can match (the
// literal first letter of the case-sensitive ones; IDENTIFIER_FIRST / FACT_FIRST for the
// label lists): change a pattern's start, change its guard there too.

const ALT_PREFIX = /^alt\.\s+/i;
/** An alias item; the name may itself contain apostrophes (CH'OE), so match to the last quote. */
const ALIAS = /^([afn])\.k\.a\.\s+'(.+)'$/s;
const ALIAS_START = /^(?:alt\.\s+)?[afn]\.k\.a\.\s+'/;
const DOB = /^DOB\s+(.+)$/;
const POB = /^POB\s+(.+)$/;
const NATIONALITY = /^(?:nationality|citizen)\s+(.+)$/;
const REGISTRATION_NATIONALITY = /^Nationality of Registration\s+(.+)$/;
const GENDER = /^Gender\s+(.+)$/;
const LINKED_TO = /^Linked To:\s*(.+)$/;
const CRYPTO = /^(Digital Currency Address\s*-\s*[A-Za-z0-9]+)\s+(\S+)$/;

/**
 * Identifier labels seen in sdn.csv (2022-2023), as published. Longest first so that a
 * label that is a prefix of another ("Passport" / "Passport Booklet") never wins wrongly.
 */
const IDENTIFIER_LABELS = [
  // travel and identity documents
  'Passport',
  'Diplomatic Passport',
  'Passport Booklet',
  'Travel Document Number',
  'National ID No.',
  'National Foreign ID Number',
  'Identification Number',
  'Personal ID Card',
  'Kenyan ID No.',
  'Turkish Identification Number',
  'Tazkira National ID Card',
  'Refugee ID Card',
  "Citizen's Card Number",
  'Numero de Identidad',
  'Cedula No.',
  'D.N.I.',
  'C.U.R.P.',
  'C.U.R.P. #',
  'C.U.I.',
  'C.U.I.P.',
  'C.U.I.T.',
  'C.I.F.',
  'I.F.E.',
  'Credencial electoral',
  'Electoral Registry No.',
  'Cartilla de Servicio Militar Nacional',
  'SSN',
  'Birth Certificate Number',
  "Driver's License No.",
  'Pilot License Number',
  'Residency Number',
  'VisaNumberID',
  'Immigration No.',
  // tax and company registration
  'Tax ID No.',
  'US FEIN',
  'Italian Fiscal Code',
  'V.A.T. Number',
  'R.F.C.',
  'R.F.C. #',
  'RFC',
  'NIT #',
  'RUC #',
  'RIF #',
  'RTN',
  'Numero Unico de Identificacao Tributaria (NUIT)',
  'Paraguayan tax identification number',
  'Registration Number',
  'Registration ID',
  'Business Registration Number',
  'Business Registration Document #',
  'Business Number',
  'Commercial Registry Number',
  'Company Number',
  'UK Company Number',
  'C.R. No.',
  'Romanian C.R.',
  'Legal Entity Number',
  'LE Number',
  'Unified Social Credit Code (USCC)',
  'United Social Credit Code Certificate (USCCC)',
  'Government Gazette Number',
  'Economic Register Number (CBLS)',
  'Folio Mercantil No.',
  'Matricula Mercantil No',
  'Chamber of Commerce Number',
  'Istanbul Chamber of Comm. No.',
  'Dubai Chamber of Commerce Membership No.',
  'Central Registration System Number',
  'Certificate of Incorporation Number',
  'Enterprise Number',
  'Branch Unit Number',
  'Public Registration Number',
  'Registered Charity No.',
  'Trade License No.',
  'License',
  'Permit Number',
  'SRE Permit No.',
  'Afghan Money Service Provider License Number',
  'Organization Code',
  'D-U-N-S Number',
  'File Number',
  'ISIN',
  'Chinese Commercial Code',
  // finance and contact
  'SWIFT/BIC',
  'BIK (RU)',
  'Website',
  'Email Address',
  'Email',
  'Phone Number',
  'Phone No.',
  'Phone',
  'Telephone',
  'Telephone No.',
  'Fax',
  'Fax No.',
  'Telex',
  // vessels and aircraft
  'Vessel Registration Identification',
  'MMSI',
  'Other Vessel Call Sign',
  "Aircraft Manufacturer's Serial Number (MSN)",
  'Aircraft Construction Number (also called L/N or S/N or F/N)',
  'Aircraft Tail Number',
  'Previous Aircraft Tail Number',
  'Aircraft Mode S Transponder Code',
  'Aircraft Serial Identification',
];

/** Labelled statements kept as facts (no Designation field; XML carries most of them as <id>s). */
const FACT_LABELS = [
  'Secondary sanctions risk',
  'Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions',
  'Additional Sanctions Information',
  'Organization Established Date',
  'Organization Type',
  'Target Type',
  'Aircraft Model',
  'Aircraft Manufacture Date',
  'Aircraft Operator',
  'Vessel Year of Build',
  'Vessel Flag',
  'Vessel Type',
  'Former Vessel Flag',
  'Other Vessel Flag',
  'Other Vessel Type',
  'IFCA Determination',
  'CAATSA Section 235 Information',
  'Executive Order 13662 Directive Determination',
  'Executive Order 13846 information',
  'Executive Order 14024 Directive Information',
];

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternation = (labels: readonly string[]): string =>
  [...labels]
    .sort((a, b) => b.length - a.length)
    .map(escapeRe)
    .join('|');

/** "Label value", "Label: value" or "Label - value"; case-insensitive (OFAC also writes PHONE, FAX). */
const IDENTIFIER = new RegExp(`^(${alternation(IDENTIFIER_LABELS)})(?:\\s*:\\s*|\\s+)(.+)$`, 'i');
const FACT = new RegExp(`^(${alternation(FACT_LABELS)})(?:\\s*:\\s*|\\s+-\\s+|\\s+)(.+)$`, 'i');
/** "Listing Date (EO 14024 Directive 2): 24 Feb 2022", "Effective Date (…): …". */
const DATED_FACT = /^((?:Listing|Effective) Date \([^()]*\)):\s*(.+)$/;
/**
 * Fallback for identifier labels not listed above: a short capitalised label ending in
 * "No.", "Number", "ID" or "#", followed by a value that contains a digit.
 */
const GENERIC_IDENTIFIER = /^([A-Z][A-Za-z.'/&()-]*(?:\s+[A-Za-z.'/&()-]+){0,6}?\s+(?:No\.?|Number|ID|#))(?:\s*:\s*|\s+)(\S*\d.*)$/;
/**
 * Characters a case-insensitive `^(label|…)` pattern can match first: both cases of each
 * label's first letter (non-unicode /i folds no other character onto an ASCII letter).
 * parseRemarks tests an item's first character before calling a regex that would fail.
 */
const firstChars = (labels: readonly string[]): ReadonlySet<string> =>
  new Set(labels.flatMap((l) => [l.charAt(0), l.charAt(0).toLowerCase(), l.charAt(0).toUpperCase()]));
const IDENTIFIER_FIRST = firstChars(IDENTIFIER_LABELS);
const FACT_FIRST = firstChars(FACT_LABELS);

/** Value, then optional "(Country)", then optional issue/expiry details. */
const ID_VALUE =
  /^(.+?)(?:\s+\(([^()]+)\))?((?:\s+(?:issued|expires|expired|Issue Date|Expire Date|Expiration Date)\b.*)?)$/i;

// ---------------------------------------------------------------------------------------

/**
 * Split Remarks into items on "; ". An alias name could in principle contain "; " —
 * such an item is re-joined with the following pieces up to its closing quote.
 */
export function splitRemarkItems(text: string): string[] {
  let body = text.trim();
  if (body.endsWith('.')) body = body.slice(0, -1); // the full stop that ends every Remarks field
  else if (body.endsWith(';')) body = body.slice(0, -1); // a text cut just after a separator
  if (body === '') return [];
  const pieces = body.split('; ');
  const items: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    let item = pieces[i] as string;
    const c = item.charAt(0); // ALIAS_START can only match at 'a' (alt. / a.k.a.), 'f' or 'n'
    if ((c === 'a' || c === 'f' || c === 'n') && !item.endsWith("'") && ALIAS_START.test(item)) {
      // Look a little ahead for the closing quote, never past the start of another alias.
      for (let j = i + 1; j < pieces.length && j <= i + 3; j++) {
        const next = pieces[j] as string;
        if (ALIAS_START.test(next)) break;
        if (next.endsWith("'")) {
          item = pieces.slice(i, j + 1).join('; ');
          i = j;
          break;
        }
      }
    }
    item = item.trim();
    if (item !== '') items.push(item);
  }
  return items;
}

function parseIdentifier(label: string, rest: string): Identifier {
  const m = ID_VALUE.exec(rest.trim());
  const value = m?.[1] ?? rest;
  const country = m?.[2];
  const note = m?.[3]?.trim();
  return classifyIdentifier(label, value, country, note || undefined);
}

/** Parse one Remarks string (already joined with its sdn_comments.csv continuation). */
export function parseRemarks(text: string | undefined, options: ParseRemarksOptions = {}): ParsedRemarks {
  const out: ParsedRemarks = {
    aliases: [],
    dobs: [],
    placesOfBirth: [],
    nationalities: [],
    identifiers: [],
    linkedTo: [],
    facts: [],
    unparsed: [],
    truncated: options.truncated === true,
  };
  if (!text) return out;
  const items = splitRemarkItems(text);
  // A cut text: its last item is incomplete, unless the cut fell just after a "; " separator.
  const cut = out.truncated && !/;\s*$/.test(text) ? items.pop() : undefined;

  for (let i = 0; i < items.length; i++) {
    const original = items[i]!;
    const c0 = original.charAt(0);
    const item = c0 === 'a' || c0 === 'A' ? original.replace(ALT_PREFIX, '') : original;
    // Every pattern is anchored at the start: the first character rules most of them out
    // without a regex call (55,000 items per sdn.csv, tried in order against up to 12 patterns).
    const c = item.charAt(0);
    let m: RegExpExecArray | null = null;
    if ((c === 'a' || c === 'f' || c === 'n') && (m = ALIAS.exec(item))) {
      const kind = `${m[1]}ka` as Alias['kind'];
      out.aliases.push({ name: m[2] as string, kind, quality: 'weak' });
    } else if (c === 'D' && (m = DOB.exec(item))) {
      out.dobs.push(m[1] as string);
    } else if (c === 'P' && (m = POB.exec(item))) {
      out.placesOfBirth.push(m[1] as string);
    } else if (
      ((c === 'n' || c === 'c') && (m = NATIONALITY.exec(item))) ||
      (c === 'N' && (m = REGISTRATION_NATIONALITY.exec(item)))
    ) {
      out.nationalities.push(m[1] as string);
    } else if (c === 'G' && (m = GENDER.exec(item))) {
      out.gender = m[1] as string;
    } else if (c === 'L' && (m = LINKED_TO.exec(item))) {
      out.linkedTo.push(m[1] as string);
    } else if (c === 'D' && (m = CRYPTO.exec(item))) {
      out.identifiers.push(classifyIdentifier(m[1] as string, m[2] as string));
    } else if (IDENTIFIER_FIRST.has(c) && (m = IDENTIFIER.exec(item))) {
      out.identifiers.push(parseIdentifier(m[1] as string, m[2] as string));
    } else if (
      (FACT_FIRST.has(c) && (m = FACT.exec(item))) ||
      ((c === 'L' || c === 'E') && (m = DATED_FACT.exec(item)))
    ) {
      out.facts.push({ label: m[1] as string, value: m[2] as string });
    } else if (c >= 'A' && c <= 'Z' && (m = GENERIC_IDENTIFIER.exec(item))) {
      out.identifiers.push(parseIdentifier(m[1] as string, m[2] as string));
    } else {
      out.unparsed.push(original);
    }
  }
  if (cut !== undefined) out.unparsed.push(cut);
  return out;
}
