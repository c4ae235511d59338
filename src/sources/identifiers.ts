import type { Identifier } from '../core/designation.js';

type Kind = Identifier['kind'];

// Ordered: the first pattern that matches a published label decides the kind.
const LABEL_KINDS: ReadonlyArray<[RegExp, Kind]> = [
  [/^digital currency address\b/i, 'crypto'],
  [/passport|passeport|pasaporte/i, 'passport'], // UN lists repeat labels in French and Spanish
  [/swift|\bbic\b/i, 'swift-bic'],
  [/website/i, 'website'],
  [/e-?mail/i, 'email'],
  [/phone|fax/i, 'phone'],
  [/tax id|\btin\b|\binn\b|\bvat\b/i, 'tax-id'],
  [/national id|identification (no|number)|\bid no\b|cedula|c[ée]dula|\bnit\b|\bcurp\b|personal id|citizen.*card|\bssn\b/i, 'national-id'],
  [/registration|registered|company number|uscc|legal entity number|\blei\b|business number|commercial registry/i, 'registration'],
];

/**
 * Classify an identifier by the label the publisher gave it (OFAC idType, the words
 * before the number in sdn.csv remarks, UN TYPE_OF_DOCUMENT) and normalize its value.
 */
export function classifyIdentifier(label: string, rawValue: string, country?: string, note?: string): Identifier {
  const cleanLabel = label.replace(/[:\s-]+$/, '').trim();
  let kind: Kind = 'other';
  // IMO numbers hide under several labels ("Vessel Registration Identification IMO 9114555",
  // "Identification Number IMO 5342883"); the value says it, other registrations are not IMO.
  if (/^imo\s*\d{7}$/i.test(rawValue.trim()) || /\bimo\b/i.test(cleanLabel)) kind = 'imo';
  else if (/vessel registration identification/i.test(cleanLabel)) kind = 'registration';
  else {
    // Index loop: for…of with [re, k] destructuring allocates iterators per identifier until JIT-compiled.
    for (let i = 0; i < LABEL_KINDS.length; i++) {
      const entry = LABEL_KINDS[i]!;
      if (entry[0].test(cleanLabel)) {
        kind = entry[1];
        break;
      }
    }
  }
  let value = rawValue.trim();
  const id: Identifier = { kind, label: cleanLabel, value };
  if (kind === 'crypto') {
    const asset = /^digital currency address\s*-\s*(\S+)/i.exec(cleanLabel)?.[1];
    if (asset) id.asset = asset.toUpperCase();
  }
  if (kind === 'imo') {
    value = value.replace(/^imo\s*/i, '');
    id.value = value;
  }
  if (country) id.country = country.trim();
  if (note) id.note = note.trim();
  return id;
}
