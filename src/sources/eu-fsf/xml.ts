import type { Address, Alias, Designation, DesignationDraft, Identifier, ParsedList, PartyType } from '../../core/designation.js';
import { finalizeDesignation } from '../../core/finalize.js';
import { classifyIdentifier } from '../identifiers.js';
import { describe, list, node, str, streamDocument, type XmlNode } from '../xml.js';
import { EU_FSF_PAGE } from './links.js';

/**
 * EU Financial Sanctions Files, XML v1.1 (`<export generationDate=… globalFileId=…>` in the
 * namespace http://eu.europa.ec/fpi/fsd/export, one `sanctionEntity` per designated party).
 * Read by the checking reader (xml-reader.ts), which rejects a truncated file, entity by entity
 * (see parseEuFsfXml).
 *
 * The publisher's key is `euReferenceNumber` (EU.4011.64); `unitedNationId` (LYi.009) is kept as
 * `unReference` when the EU took the record over from the UN list. The order of `nameAlias`,
 * `address`, `citizenship`, … elements is cosmetic: the primary name is chosen by a rule that
 * does not depend on it (see primaryAlias) and finalizeDesignation sorts every list.
 */

const LABEL = 'EU FSF XML';
const ROOT = 'export';

const REPEATING = new Set([
  'sanctionEntity',
  'regulation',
  'nameAlias',
  'citizenship',
  'birthdate',
  'address',
  'identification',
  'remark',
  'contactInfo',
  'regulationSummary',
  'publicationUrl',
]);

const TYPES: Record<string, PartyType> = { person: 'individual', enterprise: 'entity' };

const ENTITIES = new Set(['sanctionEntity']);

/**
 * Each sanctionEntity is handed over as it closes (the real file is some 25 MB: it is never a
 * tree at once) and kept without the parts no record uses, until the file is read: entities
 * sharing a reference are merged, wherever they stand in the file.
 */
export function parseEuFsfXml(xml: string | Uint8Array): ParsedList {
  const items: XmlNode[] = [];
  const doc = streamDocument(xml, ROOT, LABEL, REPEATING, ENTITIES, (_name, value) => {
    const n = node(value);
    if (n) items.push(withoutSummaries(n));
  });
  const root = node(doc[ROOT]) ?? {};
  const warnings: string[] = [];

  let publishedAt: string | undefined;
  const generated = str(root['@_generationDate']);
  if (generated !== undefined) {
    const t = Date.parse(generated);
    if (Number.isNaN(t)) warnings.push(`${LABEL}: generationDate "${generated}" is not a date; publishedAt left unset`);
    else publishedAt = new Date(t).toISOString();
  } else {
    warnings.push(`${LABEL}: no generationDate attribute on <${ROOT}>`);
  }

  if (items.length === 0) warnings.push(`${LABEL}: no sanctionEntity records`);

  // One party listed under several regimes (AFG and TAQA, say) appears as one sanctionEntity per
  // regime with the same euReferenceNumber and logicalId: they are merged into one record.
  const groups = new Map<string, XmlNode[]>();
  items.forEach((n, index) => {
    const ref = str(n['@_euReferenceNumber']);
    const logicalId = str(n['@_logicalId']);
    let sourceId = ref;
    if (!sourceId) {
      if (!logicalId) {
        warnings.push(`${LABEL}: sanctionEntity #${index + 1} has neither euReferenceNumber nor logicalId; skipped`);
        return;
      }
      sourceId = `logicalId:${logicalId}`;
      warnings.push(`${LABEL}: sanctionEntity logicalId ${logicalId} has no euReferenceNumber; using ${sourceId}`);
    }
    const group = groups.get(sourceId);
    if (group) group.push(n);
    else groups.set(sourceId, [n]);
  });

  const records: Designation[] = [];
  for (const [sourceId, nodes] of groups) {
    const logicalIds = new Set(nodes.map((n) => str(n['@_logicalId'])));
    if (logicalIds.size > 1)
      warnings.push(`${LABEL}: ${sourceId} is used by sanctionEntity logicalIds ${[...logicalIds].join(', ')}; merged into one record`);
    try {
      records.push(finalizeDesignation(toDraft(nodes, sourceId)));
    } catch (err) {
      warnings.push(`${LABEL}: ${sourceId} skipped: ${describe(err)}`);
    }
  }

  const out: ParsedList = { source: 'eu-fsf', format: 'eu-fsf-xml', records, warnings };
  if (publishedAt) out.publishedAt = publishedAt;
  return out;
}

const attr = (n: XmlNode, name: string): string | undefined => str(n[`@_${name}`]);

/** Every name, address, date… repeats the regulation that published it: nothing reads that copy. */
function withoutSummaries(entity: XmlNode): XmlNode {
  for (const child of Object.values(entity)) for (const part of list(child)) delete part['regulationSummary'];
  return entity;
}

/** The country as published, unless the file says it is unknown (`00` / "UNKNOWN"). */
function country(n: XmlNode): string | undefined {
  const iso = attr(n, 'countryIso2Code');
  const description = attr(n, 'countryDescription');
  if (iso === '00' || description?.toUpperCase() === 'UNKNOWN') return undefined;
  return description ?? iso;
}

/** Texts of the `remark` children of an element, in document order (a remark is text only). */
function remarksOf(n: XmlNode): string[] {
  const items = n['remark'];
  return (Array.isArray(items) ? items : items === undefined ? [] : [items]).map(str).filter((s): s is string => s !== undefined);
}

function toDraft(nodes: XmlNode[], sourceId: string): DesignationDraft {
  const all = (key: string): XmlNode[] => nodes.flatMap((n) => list(n[key]));
  const attrs = (key: string): string[] => [...new Set(nodes.map((n) => attr(n, key)).filter((s): s is string => s !== undefined))];

  const codes = [...new Set(all('subjectType').map((t) => attr(t, 'code') ?? ''))];
  const type = codes.length === 1 ? TYPES[codes[0]!] : undefined;
  if (!type) throw new Error(`subjectType code "${codes.join('", "')}" is not one of person, enterprise`);

  const aliases = all('nameAlias').filter((a) => aliasName(a) !== undefined);
  const primary = primaryAlias(aliases);
  if (!primary) throw new Error('no nameAlias with a wholeName');
  const name = aliasName(primary)!;

  const draftAliases: Alias[] = [];
  const titles: string[] = [];
  const functions: string[] = [];
  for (const a of aliases) {
    const aName = aliasName(a)!;
    if (a !== primary && aName !== name) draftAliases.push({ name: aName, kind: 'aka', quality: attr(a, 'strong') === 'false' ? 'weak' : 'strong' });
    const title = attr(a, 'title');
    if (title) titles.push(title.replace(/\s+/g, ' '));
    const fn = attr(a, 'function');
    if (fn) functions.push(fn.replace(/\s+/g, ' '));
  }

  const dobs: string[] = [];
  const placesOfBirth: string[] = [];
  for (const b of all('birthdate')) {
    const dob = birthDate(b);
    if (dob) dobs.push(dob);
    const pob = joinParts([attr(b, 'place'), attr(b, 'city'), attr(b, 'region'), attr(b, 'zipCode'), country(b)]);
    if (pob) placesOfBirth.push(pob);
  }

  const identifiers: Identifier[] = [];
  const addresses: Address[] = [];
  for (const a of all('address')) {
    const c = country(a);
    const poBox = attr(a, 'poBox');
    const text = withNote(
      joinParts([attr(a, 'street'), poBox && `PO Box ${poBox}`, attr(a, 'place'), attr(a, 'city'), attr(a, 'region'), attr(a, 'zipCode'), c]),
      remarksOf(a).join('; ') || undefined,
    );
    if (text) addresses.push(c ? { text, country: c } : { text });
    for (const ci of list(a['contactInfo'])) {
      const key = attr(ci, 'key');
      const value = attr(ci, 'value');
      if (key && value) identifiers.push(classifyIdentifier(contactLabel(key), value));
    }
  }

  for (const d of all('identification')) {
    const id = identification(d);
    if (id) identifiers.push(id);
  }

  const draft: DesignationDraft = {
    source: 'eu-fsf',
    sourceId,
    name,
    type,
    programs: all('regulation').map((r) => attr(r, 'programme')).filter((p): p is string => p !== undefined),
    aliases: draftAliases,
    dobs,
    placesOfBirth,
    nationalities: all('citizenship').map(country).filter((c): c is string => c !== undefined),
    addresses,
    identifiers,
    url: EU_FSF_PAGE,
  };
  const un = attrs('unitedNationId').sort()[0];
  if (un) draft.unReference = un;
  // Titles and functions sit on the aliases, in alias order: sorted so that this order stays
  // cosmetic. A person's function is a title (position); an enterprise's is a description.
  const sorted = (xs: string[]): string[] => [...new Set(xs)].sort();
  const title = sorted(type === 'individual' ? [...titles, ...functions] : titles).join('; ');
  if (title) draft.title = title;
  // Of a party listed under several regimes, each regime's remarks in turn, in an order that
  // does not depend on the order of its sanctionEntity elements.
  const perNode = nodes.map((n) => remarksOf(n).join('\n')).filter((r) => r !== '');
  const remarks = [
    ...(perNode.length > 1 ? perNode.sort() : perNode),
    ...attrs('designationDetails'),
    ...(type === 'individual' ? [] : sorted(functions)),
  ];
  if (remarks.length > 0) draft.remarks = [...new Set(remarks)].join('\n');
  const listed = attrs('designationDate')
    .map((d) => /^\d{4}-\d{2}-\d{2}/.exec(d)?.[0])
    .filter((d): d is string => d !== undefined)
    .sort()[0];
  if (listed) draft.listedOn = listed;
  return draft;
}

const aliasName = (a: XmlNode): string | undefined => attr(a, 'wholeName') ?? joinParts([attr(a, 'firstName'), attr(a, 'middleName'), attr(a, 'lastName')], ' ');

/**
 * The record's name, whatever order the aliases come in: of the aliases in no particular
 * language or in English, the one the EU entered first (lowest logicalId; the file lists it
 * first too), then the alphabetically first name as a tie-break.
 */
function primaryAlias(aliases: XmlNode[]): XmlNode | undefined {
  const latin = aliases.filter((a) => ['', 'EN'].includes((attr(a, 'nameLanguage') ?? '').toUpperCase()));
  const pool = latin.length > 0 ? latin : aliases;
  const id = (a: XmlNode): number => {
    const v = Number(attr(a, 'logicalId'));
    return Number.isFinite(v) ? v : Number.MAX_SAFE_INTEGER;
  };
  return pool.reduce<XmlNode | undefined>((best, a) => {
    if (!best) return a;
    const d = id(a) - id(best);
    return d < 0 || (d === 0 && aliasName(a)! < aliasName(best)!) ? a : best;
  }, undefined);
}

/** "1944-10-13", "1940", "1967 to 1969", "circa 1960", with month/day when only those are given. */
function birthDate(b: XmlNode): string | undefined {
  let value = attr(b, 'birthdate');
  if (!value) {
    const year = attr(b, 'year');
    const month = attr(b, 'monthOfYear');
    const day = attr(b, 'dayOfMonth');
    if (year && month && day) value = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
    else if (year && month) value = `${year}-${month.padStart(2, '0')}`;
    else if (year) value = year;
    else {
      const from = attr(b, 'yearRangeFrom');
      const to = attr(b, 'yearRangeTo');
      if (from || to) value = from && to ? `${from} to ${to}` : (from ?? to);
    }
  }
  if (value && attr(b, 'circa') === 'true') value = `circa ${value}`;
  return value;
}

function identification(d: XmlNode): Identifier | undefined {
  const value = attr(d, 'number') ?? attr(d, 'latinNumber');
  if (!value) return undefined;
  const label = attr(d, 'identificationTypeDescription') ?? attr(d, 'identificationTypeCode') ?? 'Document';
  const latin = attr(d, 'latinNumber');
  const notes = [
    latin && latin !== value && `latin ${latin}`,
    attr(d, 'nameOnDocument') && `name on document ${attr(d, 'nameOnDocument')}`,
    attr(d, 'issuedBy') && `issued by ${attr(d, 'issuedBy')}`,
    attr(d, 'issueDate') && `issued ${attr(d, 'issueDate')}`,
    attr(d, 'validFrom') && `valid from ${attr(d, 'validFrom')}`,
    attr(d, 'validTo') && `valid to ${attr(d, 'validTo')}`,
    attr(d, 'diplomatic') === 'true' && 'diplomatic',
    attr(d, 'knownExpired') === 'true' && 'known expired',
    attr(d, 'knownFalse') === 'true' && 'known false',
    attr(d, 'reportedLost') === 'true' && 'reported lost',
    attr(d, 'revokedByIssuer') === 'true' && 'revoked by issuer',
    ...remarksOf(d),
  ].filter((s): s is string => Boolean(s));
  const id = classifyIdentifier(label, value, country(d), notes.join('; ') || undefined);
  // The EU's own type code is more precise than the label ("Other identification number" is not a national ID).
  const kind = ID_KINDS[attr(d, 'identificationTypeCode') ?? ''];
  return kind ? { ...id, kind } : id;
}

const ID_KINDS: Record<string, Identifier['kind']> = {
  passport: 'passport',
  id: 'national-id',
  ssn: 'national-id',
  swiftbic: 'swift-bic',
  regnumber: 'registration',
  other: 'other',
};

/** contactInfo keys as identifier labels the classifier knows ("Website", "Email", "Phone"). */
function contactLabel(key: string): string {
  switch (key.toUpperCase()) {
    case 'WEB':
      return 'Website';
    case 'EMAIL':
      return 'Email Address';
    case 'PHONE':
      return 'Phone Number';
    case 'FAX':
      return 'Fax';
    default:
      return key;
  }
}

function joinParts(parts: Array<string | undefined | false>, sep = ', '): string | undefined {
  const s = parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(sep);
  return s === '' ? undefined : s;
}

function withNote(text: string | undefined, note: string | undefined): string | undefined {
  if (text && note) return `${text} (${note})`;
  return text ?? note;
}
