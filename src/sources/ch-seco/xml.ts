import type { Address, Alias, Designation, DesignationDraft, Identifier, ParsedList, PartyType } from '../../core/designation.js';
import { finalizeDesignation } from '../../core/finalize.js';
import { isNorthKorea } from '../../core/relevance.js';
import { classifyIdentifier } from '../identifiers.js';
import { describe, list, node, str, streamDocument, strs, type XmlNode } from '../xml.js';
import { CH_SECO_PAGE } from './links.js';

/**
 * Swiss SECO consolidated sanctions list, the SESAM XML export (`<swiss-sanctions-list
 * date=… list-type=…>`). Element names follow the publisher's schema as read by open-source
 * parsers of the real file (OpenSanctions' ch_seco_sanctions crawler and others): no real
 * SECO file is available to this project, so the tests run on a document BUILT in that
 * structure (test/fixtures/built/ch_seco_xml/PROVENANCE.md).
 *
 * - `<sanctions-program>`: `<program-name lang=…>`, `<sanctions-set ssid=… lang=…>` (one per
 *   language, same ssid). A target names its set by `sanctions-set-id` (attribute in older
 *   files, child element in newer ones; both are read).
 * - `<target ssid=…>` (the publisher's key, our sourceId): `<modification modification-type=
 *   "listed|amended|de-listed" effective-date=… publication-date=…>`, `<foreign-identifier>`
 *   (the UN reference), and one of `<individual>`, `<entity>`, `<object object-type=…>` with
 *   `<identity main=…>` (names, `<day-month-year>`, `<nationality><country iso-code>`,
 *   `<address place-id>`, `<place-of-birth place-id>`, `<identification-document>`),
 *   `<justification>` and `<other-information>`.
 * - `<place ssid=…>` elements (location, area, country) are referenced by `place-id`.
 *
 * De-listed targets STAY in the file: a target whose latest modification is `de-listed` is
 * not a current designation and is left out, so that its de-listing is a removal.
 * Read by the checking reader (xml-reader.ts), which rejects a truncated file, target by target
 * (see parseChSecoXml): the real file is some 40 MB.
 */

const LABEL = 'SECO XML';
const ROOT = 'swiss-sanctions-list';

const REPEATING = new Set([
  'sanctions-program',
  'program-name',
  'program-key',
  'sanctions-set',
  'target',
  'modification',
  'identity',
  'name',
  'name-part',
  'spelling-variant',
  'day-month-year',
  'place-of-birth',
  'nationality',
  'identification-document',
  'address',
  'justification',
  'other-information',
  'relation',
  'generic-attribute',
  'place',
  'location-variant',
  'area-variant',
]);

const OBJECT_TYPES: Record<string, PartyType> = { vessel: 'vessel', aircraft: 'aircraft' };

const attr = (n: XmlNode, name: string): string | undefined => str(n[`@_${name}`]);

interface Place {
  location?: string;
  area?: string;
  country?: string;
}

const TARGETS = new Set(['target']);

/**
 * Two passes over the text, so that no pass holds the file as a tree: the first keeps the
 * programs and places (targets refer to places published after them) and lets targets go; the
 * second builds each target's record as it closes.
 */
export function parseChSecoXml(xml: string | Uint8Array): ParsedList {
  const root = node(streamDocument(xml, ROOT, LABEL, REPEATING, TARGETS, () => {})[ROOT]) ?? {};
  const warnings: string[] = [];

  let publishedAt: string | undefined;
  const date = attr(root, 'date');
  if (date === undefined) warnings.push(`${LABEL}: no date attribute on <${ROOT}>`);
  else if (!/^\d{4}-\d{2}-\d{2}/.test(date) || Number.isNaN(Date.parse(date)))
    warnings.push(`${LABEL}: date "${date}" is not a date; publishedAt left unset`);
  else publishedAt = new Date(Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date)).toISOString();

  // Each sanctions set (the ssid a target refers to) belongs to one program: its English name.
  const programs = new Map<string, string>();
  for (const p of list(root['sanctions-program'])) {
    const name = inLanguage(asArray(p['program-name']), 'en') ?? inLanguage(asArray(p['program-key']), 'en');
    for (const set of asArray(p['sanctions-set'])) {
      const ssid = typeof set === 'object' && set !== null ? attr(set as XmlNode, 'ssid') : undefined;
      if (ssid && name) programs.set(ssid, name);
    }
  }

  const places = new Map<string, Place>();
  for (const p of list(root['place'])) {
    const ssid = attr(p, 'ssid');
    if (!ssid) continue;
    const place: Place = {};
    const location = str(p['location']);
    const area = str(p['area']);
    const country = countryName(p['country']);
    if (location) place.location = location;
    if (area) place.area = area;
    if (country) place.country = country;
    places.set(ssid, place);
  }

  const records: Designation[] = [];
  const seen = new Set<string>();
  let index = 0;
  streamDocument(xml, ROOT, LABEL, REPEATING, TARGETS, (_name, value) => {
    const t = node(value);
    if (!t) return;
    index++;
    const sourceId = attr(t, 'ssid');
    if (!sourceId) {
      warnings.push(`${LABEL}: target #${index} has no ssid; skipped`);
      return;
    }
    if (seen.has(sourceId)) {
      warnings.push(`${LABEL}: target ssid ${sourceId} appears twice; the later one skipped`);
      return;
    }
    seen.add(sourceId);
    if (isDelisted(t)) return;
    try {
      records.push(finalizeDesignation(toDraft(t, sourceId, programs, places, warnings)));
    } catch (err) {
      warnings.push(`${LABEL}: target ${sourceId} skipped: ${describe(err)}`);
    }
  });
  if (index === 0) warnings.push(`${LABEL}: no target records`);

  const out: ParsedList = { source: 'ch-seco', format: 'ch-seco-xml', records, warnings };
  if (publishedAt) out.publishedAt = publishedAt;
  return out;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** Text of the element in `lang` ("eng"/"en"…), else of the first one. */
function inLanguage(items: unknown[] | undefined, lang: string): string | undefined {
  const all = asArray(items);
  const of = (x: unknown): string | undefined => (typeof x === 'object' && x !== null ? attr(x as XmlNode, 'lang') : undefined);
  const match = all.find((x) => of(x)?.toLowerCase().startsWith(lang) && str(x) !== undefined);
  return str(match) ?? all.map(str).find((s) => s !== undefined);
}

/**
 * The country as published (`<country iso-code="KP">North Korea</country>`): its text, else its
 * code. North Korea is always written so that the relevance rule recognizes it, whatever
 * wording the publisher uses next to the code KP.
 */
function countryName(v: unknown): string | undefined {
  const c = node(v);
  const text = str(v);
  const iso = c ? attr(c, 'iso-code') : undefined;
  if (iso?.toUpperCase() === 'KP' && !isNorthKorea(text)) return text ? `${text} (North Korea)` : 'North Korea';
  return text ?? iso;
}

/** The modification that is in force now: the latest by effective date, then publication date, then file order. */
function isDelisted(t: XmlNode): boolean {
  const mods = list(t['modification']);
  if (mods.length === 0) return false;
  const key = (m: XmlNode): string => `${attr(m, 'effective-date') ?? ''}|${attr(m, 'publication-date') ?? ''}`;
  let latest = mods[0]!;
  for (const m of mods) if (key(m) >= key(latest)) latest = m;
  return attr(latest, 'modification-type') === 'de-listed';
}

function toDraft(t: XmlNode, sourceId: string, programs: Map<string, string>, places: Map<string, Place>, warnings: string[]): DesignationDraft {
  let type: PartyType;
  let body: XmlNode | undefined;
  if ((body = node(t['individual']))) type = 'individual';
  else if ((body = node(t['entity']))) type = 'entity';
  else if ((body = node(t['object']))) {
    const objectType = attr(body, 'object-type') ?? '';
    const mapped = OBJECT_TYPES[objectType];
    if (!mapped) warnings.push(`${LABEL}: target ${sourceId} is an object of type "${objectType}"; read as an entity`);
    type = mapped ?? 'entity';
  } else throw new Error('none of <individual>, <entity>, <object>');

  const identities = list(body['identity']);
  const main = identities.find((i) => attr(i, 'main') === 'true') ?? identities[0];
  if (!main) throw new Error('no <identity>');

  // The record's name: the main identity's primary name (its first, in `ssid` order if several).
  const names: Array<{ identity: XmlNode; n: XmlNode; whole: string[] }> = [];
  for (const identity of identities)
    for (const n of list(identity['name'])) {
      const whole = wholeNames(n);
      if (whole.length > 0) names.push({ identity, n, whole });
    }
  const ssidOf = (x: XmlNode): number => {
    const v = Number(attr(x, 'ssid'));
    return Number.isFinite(v) ? v : Number.MAX_SAFE_INTEGER;
  };
  const candidates = names.filter((x) => x.identity === main && attr(x.n, 'name-type') === 'primary-name');
  const pool = candidates.length > 0 ? candidates : names.filter((x) => x.identity === main);
  const primary = (pool.length > 0 ? pool : names).reduce<(typeof names)[number] | undefined>(
    (best, x) => (!best || ssidOf(x.n) < ssidOf(best.n) || (ssidOf(x.n) === ssidOf(best.n) && x.whole[0]! < best.whole[0]!) ? x : best),
    undefined,
  );
  if (!primary) throw new Error('no name with a value');
  const name = primary.whole[0]!;

  const aliases: Alias[] = [];
  for (const x of names) {
    const nameType = attr(x.n, 'name-type');
    const kind: Alias['kind'] = nameType === 'formerly-known-as' ? 'fka' : 'aka';
    const quality = attr(x.n, 'quality') === 'low' ? 'weak' : 'strong';
    for (const w of x.whole) if (w !== name) aliases.push({ name: w, kind, quality });
  }

  const dobs: string[] = [];
  const placesOfBirth: string[] = [];
  const nationalities: string[] = [];
  const addresses: Address[] = [];
  const identifiers: Identifier[] = [];
  for (const identity of identities) {
    for (const d of list(identity['day-month-year'])) {
      const dob = dayMonthYear(d);
      if (dob) dobs.push(dob);
    }
    for (const p of list(identity['place-of-birth'])) {
      const place = places.get(attr(p, 'place-id') ?? '');
      const text = joinParts([place?.location, place?.area, place?.country]);
      if (text) placesOfBirth.push(text);
    }
    for (const n of list(identity['nationality'])) {
      const c = countryName(n['country']);
      if (c) nationalities.push(c);
    }
    for (const a of list(identity['address'])) {
      const place = places.get(attr(a, 'place-id') ?? '');
      const poBox = str(a['p-o-box']);
      const text = withNote(
        joinParts([str(a['c-o']) && `c/o ${str(a['c-o'])}`, str(a['address-details']), poBox && `P.O. Box ${poBox}`, str(a['zip-code']), place?.location, place?.area, place?.country]),
        str(a['remark']),
      );
      if (text) addresses.push(place?.country ? { text, country: place.country } : { text });
    }
    for (const d of list(identity['identification-document'])) {
      const id = document(d, places);
      if (id) identifiers.push(id);
    }
  }

  const remarks: string[] = [...strs(body['justification'])];
  for (const info of strs(body['other-information'])) {
    const imo = /^IMO(?:\s+number)?\s*[:.]?\s*(\d{7})\b/i.exec(info);
    if (imo) identifiers.push(classifyIdentifier('IMO', imo[1]!));
    else remarks.push(info);
  }

  const setId = attr(t, 'sanctions-set-id') ?? str(t['sanctions-set-id']);
  const program = setId ? programs.get(setId) : undefined;
  if (setId && !program) warnings.push(`${LABEL}: target ${sourceId} names sanctions set ${setId}, which no sanctions-program declares`);

  const draft: DesignationDraft = {
    source: 'ch-seco',
    sourceId,
    name,
    type,
    programs: program ? [program] : [],
    aliases,
    dobs,
    placesOfBirth,
    nationalities,
    addresses,
    identifiers,
    url: CH_SECO_PAGE,
  };
  const foreign = str(t['foreign-identifier']);
  if (foreign) draft.unReference = foreign;
  if (remarks.length > 0) draft.remarks = [...new Set(remarks)].join('\n');
  const listed = list(t['modification'])
    .filter((m) => attr(m, 'modification-type') === 'listed')
    .map((m) => /^\d{4}-\d{2}-\d{2}/.exec(attr(m, 'effective-date') ?? attr(m, 'publication-date') ?? '')?.[0])
    .filter((d): d is string => d !== undefined)
    .sort()[0];
  if (listed) draft.listedOn = listed;
  return draft;
}

/**
 * The whole names a `<name>` stands for: its `<name-part>` values in `order` (titles left
 * out), then one name per language/script of its spelling variants (all scripts kept).
 */
function wholeNames(n: XmlNode): string[] {
  const parts = list(n['name-part'])
    .map((p, i) => ({ p, order: Number(attr(p, 'order') ?? i + 1), type: attr(p, 'name-part-type') ?? '' }))
    .filter((x) => x.type !== 'title')
    .sort((a, b) => a.order - b.order);
  const base = parts.map((x) => str(x.p['value']));
  const out: string[] = [];
  const first = joinParts(base, ' ');
  if (first) out.push(first);
  // One name per language/script of the variants: each variant replaces its part in the base name.
  const variants = new Map<string, Array<string | undefined>>();
  parts.forEach((x, i) => {
    asArray(x.p['spelling-variant']).forEach((v, j) => {
      const text = str(v);
      if (!text) return;
      const o = typeof v === 'object' && v !== null ? (v as XmlNode) : undefined;
      const key = o && (attr(o, 'lang') || attr(o, 'script')) ? `${attr(o, 'lang') ?? ''}|${attr(o, 'script') ?? ''}` : `#${i}.${j}`;
      const row = variants.get(key) ?? [...base];
      row[i] = text;
      variants.set(key, row);
    });
  });
  for (const row of variants.values()) {
    const whole = joinParts(row, ' ');
    if (whole) out.push(whole);
  }
  return [...new Set(out)];
}

/** "1964-07-17", "1964-07", "1964", "circa 1964" when the date's quality is approximate. */
function dayMonthYear(d: XmlNode): string | undefined {
  const year = attr(d, 'year');
  const month = attr(d, 'month');
  const day = attr(d, 'day');
  let value: string | undefined;
  if (year && month && day) value = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  else if (year && month) value = `${year}-${month.padStart(2, '0')}`;
  else if (year) value = year;
  if (value && /approx|circa/i.test(attr(d, 'quality') ?? '')) value = `circa ${value}`;
  return value;
}

const DOCUMENT_KINDS: Record<string, Identifier['kind']> = {
  passport: 'passport',
  'diplomatic-passport': 'passport',
  'id-card': 'national-id',
};

function document(d: XmlNode, places: Map<string, Place>): Identifier | undefined {
  const value = str(d['number']);
  if (!value) return undefined;
  const type = attr(d, 'document-type') ?? 'document';
  const label = type.charAt(0).toUpperCase() + type.slice(1).replace(/-/g, ' ');
  const issuer = countryName(d['issuer']);
  const placeOfIssue = places.get(attr(node(d['place-of-issue']) ?? {}, 'place-id') ?? '');
  const notes = [
    str(d['date-of-issue']) && `issued ${str(d['date-of-issue'])}`,
    placeOfIssue && joinParts([placeOfIssue.location, placeOfIssue.area, placeOfIssue.country]) && `issued in ${joinParts([placeOfIssue.location, placeOfIssue.area, placeOfIssue.country])}`,
    str(d['expiry-date']) && `expires ${str(d['expiry-date'])}`,
    str(d['remark']),
  ].filter((s): s is string => Boolean(s));
  const id = classifyIdentifier(label, value, issuer ?? placeOfIssue?.country, notes.join('; ') || undefined);
  const kind = DOCUMENT_KINDS[type];
  return kind ? { ...id, kind } : id;
}

function joinParts(parts: Array<string | undefined | false>, sep = ', '): string | undefined {
  const s = parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(sep);
  return s === '' ? undefined : s;
}

function withNote(text: string | undefined, note: string | undefined): string | undefined {
  if (text && note) return `${text} (${note})`;
  return text ?? note;
}
