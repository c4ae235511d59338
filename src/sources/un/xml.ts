import type { Address, Alias, Designation, DesignationDraft, Identifier, ParsedList } from '../../core/designation.js';
import { finalizeDesignation } from '../../core/finalize.js';
import { classifyIdentifier } from '../identifiers.js';
import { unRecordUrl } from './links.js';
import { describe, list, node, parseDocument, str, strs, type DocumentReader, type XmlNode } from '../xml.js';

/**
 * UN Security Council Consolidated List XML (`CONSOLIDATED_LIST` with `INDIVIDUALS/INDIVIDUAL`
 * and `ENTITIES/ENTITY`, schema https://www.un.org/sc/resources/sc-sanctions.xsd).
 */

const LABEL = 'UN XML';
const ROOT = 'CONSOLIDATED_LIST';

/** Every element that may repeat, so that one occurrence still parses as an array. */
const REPEATING = new Set([
  'INDIVIDUAL',
  'ENTITY',
  'INDIVIDUAL_ALIAS',
  'ENTITY_ALIAS',
  'INDIVIDUAL_ADDRESS',
  'ENTITY_ADDRESS',
  'INDIVIDUAL_DATE_OF_BIRTH',
  'INDIVIDUAL_PLACE_OF_BIRTH',
  'INDIVIDUAL_DOCUMENT',
  'NATIONALITY',
  'DESIGNATION',
  'TITLE',
  'VALUE',
  'LIST_TYPE',
  'LAST_DAY_UPDATED',
]);

type Kind = 'individual' | 'entity';

/** `read` is the document reader: parseDocument, unless a test or the bench compares another. */
export function parseUnXml(xml: string, read: DocumentReader = parseDocument): ParsedList {
  const doc = read(xml, ROOT, LABEL, REPEATING);
  const root = node(doc[ROOT]) ?? {};
  const warnings: string[] = [];

  let publishedAt: string | undefined;
  const generated = str(root['@_dateGenerated']);
  if (generated !== undefined) {
    const t = Date.parse(generated);
    if (Number.isNaN(t)) warnings.push(`${LABEL}: dateGenerated "${generated}" is not a date; publishedAt left unset`);
    else publishedAt = new Date(t).toISOString();
  } else {
    warnings.push(`${LABEL}: no dateGenerated attribute on <${ROOT}>`);
  }

  const items: Array<[Kind, XmlNode]> = [
    ...list(node(root['INDIVIDUALS'])?.['INDIVIDUAL']).map((n): [Kind, XmlNode] => ['individual', n]),
    ...list(node(root['ENTITIES'])?.['ENTITY']).map((n): [Kind, XmlNode] => ['entity', n]),
  ];
  if (items.length === 0) warnings.push(`${LABEL}: no INDIVIDUAL or ENTITY records`);

  const records: Designation[] = [];
  const seen = new Set<string>();
  items.forEach(([kind, n], index) => {
    const ref = str(n['REFERENCE_NUMBER']);
    const dataId = str(n['DATAID']);
    let sourceId = ref;
    if (!sourceId) {
      if (!dataId) {
        warnings.push(`${LABEL}: ${kind} #${index + 1} has neither REFERENCE_NUMBER nor DATAID; skipped`);
        return;
      }
      sourceId = `DATAID:${dataId}`;
      warnings.push(`${LABEL}: ${kind} DATAID ${dataId} has no REFERENCE_NUMBER; using ${sourceId}`);
    }
    if (seen.has(sourceId)) {
      warnings.push(`${LABEL}: duplicate REFERENCE_NUMBER ${sourceId}${dataId ? ` (DATAID ${dataId})` : ''}; kept the first`);
      return;
    }
    try {
      records.push(finalizeDesignation(toDraft(kind, n, sourceId, warnings)));
      seen.add(sourceId);
    } catch (err) {
      warnings.push(`${LABEL}: ${sourceId} skipped: ${describe(err)}`);
    }
  });

  const out: ParsedList = { source: 'un-sc', format: 'un-xml', records, warnings };
  if (publishedAt) out.publishedAt = publishedAt;
  return out;
}

const QUALITY: Record<string, Pick<Alias, 'kind' | 'quality'>> = {
  good: { kind: 'aka', quality: 'strong' },
  'a.k.a.': { kind: 'aka', quality: 'strong' },
  low: { kind: 'aka', quality: 'weak' },
  'f.k.a.': { kind: 'fka' },
  'n.k.a.': { kind: 'nka' },
};

function toDraft(kind: Kind, n: XmlNode, sourceId: string, warnings: string[]): DesignationDraft {
  const prefix = kind === 'individual' ? 'INDIVIDUAL' : 'ENTITY';
  const originalScript = str(n['NAME_ORIGINAL_SCRIPT']);
  const name =
    ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME']
      .map((k) => str(n[k]))
      .filter((s): s is string => s !== undefined)
      .join(' ') || originalScript;
  if (!name) throw new Error('no FIRST_NAME…FOURTH_NAME or NAME_ORIGINAL_SCRIPT');

  const dobs: string[] = [];
  const placesOfBirth: string[] = [];

  const aliases: Alias[] = [];
  if (originalScript && originalScript !== name) aliases.push({ name: originalScript, kind: 'aka', quality: 'strong' });
  for (const a of list(n[`${prefix}_ALIAS`])) {
    const aliasName = unquote(str(a['ALIAS_NAME']));
    if (!aliasName) continue;
    const q = str(a['QUALITY'])?.toLowerCase();
    aliases.push({ name: aliasName, ...((q && QUALITY[q]) || { kind: 'aka' }) });
    // Some aliases carry the date/place of birth used with that identity.
    const aliasDob = str(a['DATE_OF_BIRTH']);
    if (aliasDob) dobs.push(aliasDob);
    const aliasPob = joinParts([str(a['CITY_OF_BIRTH']), str(a['COUNTRY_OF_BIRTH'])]);
    if (aliasPob) placesOfBirth.push(aliasPob);
  }

  for (const d of list(n['INDIVIDUAL_DATE_OF_BIRTH'])) {
    const dob = dateOfBirth(d);
    if (dob) dobs.push(dob);
  }
  for (const p of list(n['INDIVIDUAL_PLACE_OF_BIRTH'])) {
    const pob = withNote(joinParts([str(p['STREET']), str(p['CITY']), str(p['STATE_PROVINCE']), str(p['COUNTRY'])]), str(p['NOTE']));
    if (pob) placesOfBirth.push(pob);
  }

  const addresses: Address[] = [];
  for (const a of list(n[`${prefix}_ADDRESS`])) {
    const country = str(a['COUNTRY']);
    const text = withNote(
      joinParts([str(a['STREET']), str(a['CITY']), str(a['STATE_PROVINCE']), str(a['ZIP_CODE']), country]),
      str(a['NOTE']),
    );
    if (!text) continue;
    const address: Address = { text };
    if (country) address.country = country;
    addresses.push(address);
  }

  const identifiers: Identifier[] = [];
  for (const d of list(n['INDIVIDUAL_DOCUMENT'])) {
    const id = documentIdentifier(d);
    if (id) identifiers.push(id);
  }

  const draft: DesignationDraft = {
    source: 'un-sc',
    sourceId,
    name,
    type: kind,
    programs: strs(n['UN_LIST_TYPE']),
    aliases,
    dobs,
    placesOfBirth,
    nationalities: list(n['NATIONALITY']).flatMap((x) => strs(x['VALUE'])),
    addresses,
    identifiers,
    url: unRecordUrl(sourceId),
  };

  // TITLE holds honorifics/positions ("Dr.", "Maulavi"), DESIGNATION the function; both are
  // what OFAC calls a title.
  const title = [...list(n['TITLE']), ...list(n['DESIGNATION'])].flatMap((x) => strs(x['VALUE'])).join('; ');
  if (title) draft.title = title;
  const remarks = str(n['COMMENTS1']);
  if (remarks) draft.remarks = remarks;
  const listed = str(n['LISTED_ON']);
  if (listed) {
    // Mostly "2009-07-16"; a few carry a zone offset ("2015-04-07-04:00").
    const m = /^\d{4}-\d{2}-\d{2}/.exec(listed);
    if (m) draft.listedOn = m[0];
    else warnings.push(`${LABEL}: ${sourceId} LISTED_ON "${listed}" is not a date; ignored`);
  }
  return draft;
}

/** One INDIVIDUAL_DATE_OF_BIRTH as text: "1944-10-13", "1938", "circa 1960", "1967 to 1969", with any NOTE in parentheses. */
function dateOfBirth(d: XmlNode): string | undefined {
  const type = str(d['TYPE_OF_DATE'])?.toUpperCase();
  const from = str(d['FROM_YEAR']);
  const to = str(d['TO_YEAR']);
  let value = str(d['DATE']) ?? str(d['YEAR']);
  if (!value && (from || to)) value = from && to ? `${from} to ${to}` : (from ?? to);
  if (value && type === 'APPROXIMATELY') value = `circa ${value}`;
  return withNote(value, str(d['NOTE']));
}

/**
 * One INDIVIDUAL_DOCUMENT as an identifier. A few documents have no NUMBER and carry the
 * number in TYPE_OF_DOCUMENT2 or NOTE ("Tunisian passport number L 191609 …"); that text
 * becomes the value so nothing is lost.
 */
function documentIdentifier(d: XmlNode): Identifier | undefined {
  const type1 = str(d['TYPE_OF_DOCUMENT']);
  let type2 = str(d['TYPE_OF_DOCUMENT2']);
  if (type1 && type2 && type1.toLowerCase() === type2.toLowerCase()) type2 = undefined;
  let note = str(d['NOTE']);
  let value = str(d['NUMBER']);
  let label = type1 ?? type2;
  if (label === type2) type2 = undefined;
  if (!value && type2) {
    value = type2;
    type2 = undefined;
  }
  if (!value && note) {
    value = note;
    note = undefined;
  }
  if (!value) return undefined;
  label ??= 'Document';
  const issued = str(d['DATE_OF_ISSUE']);
  const city = str(d['CITY_OF_ISSUE']);
  const notes = [
    type2,
    city && `issued in ${city}`,
    issued && `issued ${issued}`,
    note,
  ].filter((s): s is string => Boolean(s));
  const country = str(d['ISSUING_COUNTRY']) ?? str(d['COUNTRY_OF_ISSUE']);
  return classifyIdentifier(label, value, country, notes.join('; ') || undefined);
}

function joinParts(parts: Array<string | undefined>): string | undefined {
  const s = parts.filter((p): p is string => p !== undefined).join(', ');
  return s === '' ? undefined : s;
}

function withNote(text: string | undefined, note: string | undefined): string | undefined {
  if (text && note) return `${text} (${note})`;
  return text ?? note;
}

/** `"KOMID"` → `KOMID` (only when the whole alias is wrapped in double quotes). */
function unquote(s: string | undefined): string | undefined {
  if (!s) return s;
  const m = /^["“”](.*)["“”]$/s.exec(s);
  return m && !/["“”]/.test(m[1] ?? '') ? (m[1] ?? '').trim() || undefined : s;
}
