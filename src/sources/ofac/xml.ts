import type {
  Address,
  Alias,
  Designation,
  DesignationDraft,
  Identifier,
  ParsedList,
  PartyType,
  Vessel,
} from '../../core/designation.js';
import { finalizeDesignation } from '../../core/finalize.js';
import { classifyIdentifier } from '../identifiers.js';
import { ofacRecordUrl } from './links.js';
import { describe, list, node, parseDocument, str, strs, type DocumentReader, type XmlNode } from '../xml.js';

/**
 * OFAC legacy-schema XML (`sdnList/sdnEntry`): SDN.XML and CONSOLIDATED.XML as the Sanctions
 * List Service publishes them (default namespace
 * `https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML`; older files
 * `http://tempuri.org/sdnList.xsd`). Namespaces are ignored, so either (or a prefixed root) works.
 */

const LABEL = 'OFAC XML';
const ROOT = 'sdnList';

/** Every element that may repeat, so that one occurrence still parses as an array. */
const REPEATING = new Set([
  'sdnEntry',
  'program',
  'aka',
  'id',
  'address',
  'nationality',
  'citizenship',
  'dateOfBirthItem',
  'placeOfBirthItem',
]);


const TYPES: Record<string, PartyType> = {
  individual: 'individual',
  entity: 'entity',
  vessel: 'vessel',
  aircraft: 'aircraft',
};

const ALIAS_KINDS: Record<string, Alias['kind']> = { 'a.k.a.': 'aka', 'f.k.a.': 'fka', 'n.k.a.': 'nka' };

/** `read` is the document reader: parseDocument, unless a test or the bench compares another. */
export function parseOfacXml(xml: string, read: DocumentReader = parseDocument): ParsedList {
  const doc = read(xml, ROOT, LABEL, REPEATING);
  const root = node(doc[ROOT]) ?? {};
  const warnings: string[] = [];

  const info = node(root['publshInformation']);
  const publishedAt = usDate(str(info?.['Publish_Date']), warnings);
  const countText = str(info?.['Record_Count']);
  let declaredCount: number | undefined;
  if (countText !== undefined) {
    if (/^\d+$/.test(countText)) declaredCount = Number(countText);
    else warnings.push(`${LABEL}: Record_Count "${countText}" is not a number`);
  }

  const records: Designation[] = [];
  const seen = new Set<string>();
  const entries = list(root['sdnEntry']);
  entries.forEach((entry, index) => {
    const uid = str(entry['uid']);
    const where = uid ? `uid ${uid}` : `sdnEntry #${index + 1}`;
    if (!uid) {
      warnings.push(`${LABEL}: ${where} has no <uid>; skipped`);
      return;
    }
    if (seen.has(uid)) {
      warnings.push(`${LABEL}: duplicate uid ${uid}; kept the first`);
      return;
    }
    try {
      records.push(finalizeDesignation(toDraft(entry, uid)));
      seen.add(uid);
    } catch (err) {
      warnings.push(`${LABEL}: ${where} skipped: ${describe(err)}`);
    }
  });

  if (declaredCount !== undefined && declaredCount !== entries.length) {
    warnings.push(`${LABEL}: Record_Count says ${declaredCount} but the document holds ${entries.length} sdnEntry elements`);
  }

  const out: ParsedList = { source: 'ofac-sdn', format: 'ofac-xml', records, warnings };
  if (publishedAt) out.publishedAt = publishedAt;
  if (declaredCount !== undefined) out.declaredCount = declaredCount;
  return out;
}

function toDraft(e: XmlNode, uid: string): DesignationDraft {
  const sdnType = str(e['sdnType']);
  const type = sdnType ? TYPES[sdnType.toLowerCase()] : undefined;
  if (!type) throw new Error(`unknown sdnType "${sdnType ?? ''}"`);
  const name = personName(str(e['lastName']), str(e['firstName']));
  if (!name) throw new Error('no lastName/firstName');

  const aliases: Alias[] = [];
  for (const a of list(node(e['akaList'])?.['aka'])) {
    const aliasName = personName(str(a['lastName']), str(a['firstName']));
    if (!aliasName) continue;
    const alias: Alias = { name: aliasName, kind: ALIAS_KINDS[(str(a['type']) ?? '').toLowerCase()] ?? 'aka' };
    const category = str(a['category'])?.toLowerCase();
    if (category === 'strong' || category === 'weak') alias.quality = category;
    aliases.push(alias);
  }

  const addresses: Address[] = [];
  for (const a of list(node(e['addressList'])?.['address'])) {
    const country = str(a['country']);
    const parts = ['address1', 'address2', 'address3', 'city', 'stateOrProvince', 'postalCode', 'country']
      .map((k) => str(a[k]))
      .filter((s): s is string => s !== undefined);
    if (parts.length === 0) continue;
    const address: Address = { text: parts.join(', ') };
    if (country) address.country = country;
    addresses.push(address);
  }

  const identifiers: Identifier[] = [];
  for (const i of list(node(e['idList'])?.['id'])) {
    const value = str(i['idNumber']);
    if (!value) continue;
    // Keep every id, even those that are not identifiers ("Secondary sanctions risk:",
    // "Target Type", directive determinations…): classifyIdentifier makes them kind "other".
    const label = str(i['idType']) ?? 'ID';
    const notes = [
      str(i['issueDate']) && `issued ${str(i['issueDate'])}`,
      str(i['expirationDate']) && `expires ${str(i['expirationDate'])}`,
    ].filter(Boolean);
    identifiers.push(classifyIdentifier(label, value, str(i['idCountry']), notes.join('; ') || undefined));
  }

  const nationalities = [
    ...list(node(e['nationalityList'])?.['nationality']),
    ...list(node(e['citizenshipList'])?.['citizenship']),
  ]
    .map((n) => str(n['country']))
    .filter((s): s is string => s !== undefined);

  const draft: DesignationDraft = {
    source: 'ofac-sdn',
    sourceId: uid,
    name,
    type,
    programs: strs(node(e['programList'])?.['program']),
    aliases,
    dobs: list(node(e['dateOfBirthList'])?.['dateOfBirthItem'])
      .map((d) => str(d['dateOfBirth']))
      .filter((s): s is string => s !== undefined),
    placesOfBirth: list(node(e['placeOfBirthList'])?.['placeOfBirthItem'])
      .map((p) => str(p['placeOfBirth']))
      .filter((s): s is string => s !== undefined),
    nationalities,
    addresses,
    identifiers,
    url: ofacRecordUrl(uid),
  };
  const title = str(e['title']);
  if (title) draft.title = title;
  const remarks = str(e['remarks']);
  if (remarks) draft.remarks = remarks;

  const v = node(e['vesselInfo']);
  if (v) {
    const vessel: Vessel = {};
    const set = (key: keyof Vessel, value: string | undefined): void => {
      if (value) vessel[key] = value;
    };
    set('callSign', str(v['callSign']));
    set('vesselType', str(v['vesselType']));
    set('flag', str(v['vesselFlag']));
    set('owner', str(v['vesselOwner']));
    set('tonnage', str(v['tonnage']));
    set('grossRegisteredTonnage', str(v['grossRegisteredTonnage']));
    if (Object.keys(vessel).length > 0) draft.vessel = vessel;
  }
  return draft;
}

/** "KANG, Phyong Guk" when both parts exist (as sdn.csv writes it), else whichever exists. */
function personName(last: string | undefined, first: string | undefined): string | undefined {
  if (last && first) return `${last}, ${first}`;
  return last ?? first;
}

/** OFAC Publish_Date "MM/DD/YYYY" → "YYYY-MM-DD". */
function usDate(text: string | undefined, warnings: string[]): string | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (m) {
    const [, mm, dd, yyyy] = m as unknown as [string, string, string, string];
    const iso = `${yyyy}-${mm.padStart(2, '0')}-${dd.padStart(2, '0')}`;
    const date = new Date(`${iso}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso)) return iso;
  }
  warnings.push(`${LABEL}: Publish_Date "${text}" is not MM/DD/YYYY; publishedAt left unset`);
  return undefined;
}
