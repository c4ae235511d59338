import type { Address, Designation, DesignationDraft, Identifier, ParsedList, Vessel } from '../../core/designation.js';
import { finalizeDesignation } from '../../core/finalize.js';
import { classifyIdentifier } from '../identifiers.js';
import { describe, list, node, str, streamDocument, strs, type XmlNode } from '../xml.js';
import { joinSorted, nameRole, pickNames, ukDate, ukDob, ukFullName, ukPartyType, UK_SANCTIONS_LIST_PAGE, type NameRole } from './common.js';

/**
 * FCDO UK Sanctions List XML (`https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml`):
 * root `<Designations>` with `<DateGenerated>` (dd/mm/yyyy) and one `<Designation>` per party,
 * keyed by `UniqueID` (DPR0018). Child order is not meaningful: later publications reorder
 * addresses, dates of birth, phone numbers… of unchanged records, so every list is sorted by
 * finalizeDesignation and joined texts (titles, positions, flags) are sorted here.
 */

const LABEL = 'UK Sanctions List XML';
const ROOT = 'Designations';

const REPEATING = new Set([
  'Designation',
  'Name',
  'NonLatinName',
  'Title',
  'Address',
  'Individual',
  'Entity',
  'Ship',
  'DOB',
  'Nationality',
  'Passport',
  'NationalIdentifier',
  'Position',
  'Gender',
  'Location',
  'PhoneNumber',
  'EmailAddress',
  'Website',
  'IMONumber',
  'CurrentOwnerOperator',
  'CurrentBelievedFlagOfShip',
  'PreviousFlag',
  'TypeOfShip',
  'TonnageOfShip',
  'LengthOfShip',
  'YearBuilt',
  'ParentCompany',
  'Subsidiary',
  'BusinessRegistrationNumber',
  'TypeOfEntity',
]);

/** Child elements of a wrapper (`<DOBs><DOB>…`), across every occurrence of the wrapper. */
const within = (n: XmlNode | undefined, wrapper: string, item: string): XmlNode[] =>
  list(n?.[wrapper]).flatMap((w) => list(w[item]));
const textsWithin = (n: XmlNode | undefined, wrapper: string, item: string): string[] =>
  list(n?.[wrapper]).flatMap((w) => strs(w[item]));

const DESIGNATIONS = new Set(['Designation']);

/**
 * Each Designation is read into its record as it closes (the full list is some 20 MB: it is
 * never a tree at once).
 */
export function parseUkXml(xml: string | Uint8Array): ParsedList {
  const records: Designation[] = [];
  const recordWarnings: string[] = [];
  const seen = new Set<string>();
  let index = 0;
  const doc = streamDocument(xml, ROOT, LABEL, REPEATING, DESIGNATIONS, (_name, value) => {
    const n = node(value);
    if (!n) return;
    index++;
    const sourceId = str(n['UniqueID']);
    if (!sourceId) {
      recordWarnings.push(`${LABEL}: Designation #${index} has no UniqueID; skipped`);
      return;
    }
    if (seen.has(sourceId)) {
      recordWarnings.push(`${LABEL}: duplicate UniqueID ${sourceId}; kept the first`);
      return;
    }
    try {
      records.push(finalizeDesignation(toDraft(n, sourceId, recordWarnings)));
      seen.add(sourceId);
    } catch (err) {
      recordWarnings.push(`${LABEL}: ${sourceId} skipped: ${describe(err)}`);
    }
  });
  const root = node(doc[ROOT]) ?? {};
  const warnings: string[] = [];

  let publishedAt: string | undefined;
  const generated = str(root['DateGenerated']);
  const day = ukDate(generated);
  if (day) publishedAt = `${day}T00:00:00.000Z`;
  else warnings.push(`${LABEL}: DateGenerated ${generated === undefined ? 'missing' : `"${generated}" is not a dd/mm/yyyy date`}; publishedAt left unset`);
  if (index === 0) warnings.push(`${LABEL}: no Designation records`);
  warnings.push(...recordWarnings);

  const out: ParsedList = { source: 'uk-sanctions', format: 'uk-xml', records, warnings };
  if (publishedAt) out.publishedAt = publishedAt;
  return out;
}

function toDraft(n: XmlNode, sourceId: string, warnings: string[]): DesignationDraft {
  const type = ukPartyType(str(n['IndividualEntityShip']));
  if (!type) throw new Error(`IndividualEntityShip "${str(n['IndividualEntityShip']) ?? ''}" is not Individual, Entity or Ship`);

  const names: Array<{ name: string; role: NameRole }> = [];
  for (const nm of within(n, 'Names', 'Name')) {
    const name = ukFullName(['Name1', 'Name2', 'Name3', 'Name4', 'Name5', 'Name6'].map((k) => str(nm[k])));
    if (name) names.push({ name, role: nameRole(str(nm['NameType']), str(nm['AliasStrength'])) });
  }
  for (const nl of within(n, 'NonLatinNames', 'NonLatinName')) {
    const name = str(nl['NameNonLatinScript']);
    if (name) names.push({ name, role: { kind: 'aka' } });
  }
  const { name, aliases } = pickNames(names);
  if (!name) throw new Error('no Names/Name');

  const individual = node(node(n['IndividualDetails'])?.['Individual']);
  const entity = node(node(n['EntityDetails'])?.['Entity']);
  const ship = node(node(n['ShipDetails'])?.['Ship']);

  const addresses: Address[] = [];
  for (const a of within(n, 'Addresses', 'Address')) {
    const country = str(a['AddressCountry']);
    const parts = ['AddressLine1', 'AddressLine2', 'AddressLine3', 'AddressLine4', 'AddressLine5', 'AddressLine6', 'AddressPostalCode']
      .map((k) => str(a[k]))
      .filter((s): s is string => s !== undefined);
    const text = [...parts, ...(country ? [country] : [])].join(', ');
    if (!text) continue;
    addresses.push(country ? { text, country } : { text });
  }

  const identifiers: Identifier[] = [];
  for (const p of within(individual, 'PassportDetails', 'Passport')) {
    const value = str(p['PassportNumber']);
    if (value) identifiers.push(classifyIdentifier('Passport', value, undefined, str(p['PassportAdditionalInformation'])));
  }
  for (const p of within(individual, 'NationalIdentifierDetails', 'NationalIdentifier')) {
    const value = str(p['NationalIdentifierNumber']);
    if (value)
      identifiers.push(classifyIdentifier('National Identification Number', value, undefined, str(p['NationalIdentifierAdditionalInformation'])));
  }
  for (const v of textsWithin(entity, 'BusinessRegistrationNumbers', 'BusinessRegistrationNumber'))
    identifiers.push(classifyIdentifier('Business Registration Number', v));
  for (const v of textsWithin(n, 'PhoneNumbers', 'PhoneNumber')) identifiers.push(classifyIdentifier('Phone', v));
  for (const v of textsWithin(n, 'EmailAddresses', 'EmailAddress')) identifiers.push(classifyIdentifier('Email', v));
  for (const v of textsWithin(n, 'Websites', 'Website')) identifiers.push(classifyIdentifier('Website', v));
  for (const v of textsWithin(ship, 'IMONumbers', 'IMONumber')) identifiers.push(classifyIdentifier('IMO', v));

  const placesOfBirth: string[] = [];
  for (const l of within(individual, 'BirthDetails', 'Location')) {
    const pob = [str(l['TownOfBirth']), str(l['CountryOfBirth'])].filter((s): s is string => s !== undefined).join(', ');
    if (pob) placesOfBirth.push(pob);
  }

  const draft: DesignationDraft = {
    source: 'uk-sanctions',
    sourceId,
    name,
    type,
    programs: strs(n['RegimeName']),
    aliases,
    dobs: textsWithin(individual, 'DOBs', 'DOB').map(ukDob),
    placesOfBirth,
    nationalities: textsWithin(individual, 'Nationalities', 'Nationality'),
    addresses,
    identifiers,
    url: UK_SANCTIONS_LIST_PAGE,
  };

  const title = joinSorted([...textsWithin(n, 'Titles', 'Title'), ...textsWithin(individual, 'Positions', 'Position')]);
  if (title) draft.title = title;

  if (ship) {
    const vessel: Vessel = {};
    const flag = joinSorted(textsWithin(ship, 'CurrentBelievedFlagOfShips', 'CurrentBelievedFlagOfShip'));
    const vesselType = joinSorted(textsWithin(ship, 'TypeOfShipDetails', 'TypeOfShip'));
    const tonnage = joinSorted(textsWithin(ship, 'TonnageOfShipDetails', 'TonnageOfShip'));
    const owner = joinSorted(textsWithin(ship, 'CurrentOwnerOperators', 'CurrentOwnerOperator'));
    if (flag) vessel.flag = flag;
    if (vesselType) vessel.vesselType = vesselType;
    if (tonnage) vessel.tonnage = tonnage;
    if (owner) vessel.owner = owner;
    draft.vessel = vessel;
  }

  const remarks = [
    str(n['OtherInformation']),
    ...(str(n['UKStatementofReasons']) ? [`(UK Statement of Reasons):${str(n['UKStatementofReasons'])}`] : []),
    ...(ship ? [joinSorted(textsWithin(ship, 'PreviousFlags', 'PreviousFlag'), ', ')].map((f) => f && `(Previous flags):${f}`) : []),
    ...(entity ? [joinSorted(textsWithin(entity, 'ParentCompanies', 'ParentCompany'))].map((p) => p && `(Parent companies):${p}`) : []),
    ...(entity ? [joinSorted(textsWithin(entity, 'Subsidiaries', 'Subsidiary'))].map((p) => p && `(Subsidiaries):${p}`) : []),
  ]
    .filter((s): s is string => Boolean(s))
    .join(' ');
  if (remarks) draft.remarks = remarks;

  const designated = str(n['DateDesignated']);
  if (designated) {
    const iso = ukDate(designated);
    if (iso) draft.listedOn = iso;
    else warnings.push(`${LABEL}: ${sourceId} DateDesignated "${designated}" is not a date; ignored`);
  }
  const unRef = str(n['UNReferenceNumber']);
  if (unRef) draft.unReference = unRef;
  return draft;
}
