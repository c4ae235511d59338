import { IDENTIFIER_KINDS, type Identifier } from '../core/designation.js';

/** Identifier kinds worth searching (kind "other" holds statements, not numbers). */
export const SEARCHABLE_KINDS: ReadonlySet<Identifier['kind']> = new Set(IDENTIFIER_KINDS.filter((k) => k !== 'other'));

const EVM = /^0x[0-9a-f]{40}$/i;
const BECH32 = /^(bc|tb|ltc|bnb)1[02-9ac-hj-np-z]{6,}$/i;

/**
 * The canonical search key of an identifier value: what two spellings of the same
 * identifier share. EVM addresses and bech32 are case-insensitive (EIP-55 mixed case is only
 * a checksum); base58 addresses (BTC legacy, TRON, XMR) are case-sensitive and kept as is.
 */
export function identifierKey(kind: Identifier['kind'], value: string): string {
  const v = value.trim();
  switch (kind) {
    case 'crypto':
      return EVM.test(v) || BECH32.test(v) ? v.toLowerCase() : v;
    case 'website':
      return websiteKey(v);
    case 'email':
      return v.toLowerCase();
    case 'imo':
      return v.replace(/\D/g, '');
    case 'phone':
      return v.replace(/\D/g, '');
    default:
      return v.toUpperCase().replace(/[\s\-./]/g, '');
  }
}

function websiteKey(v: string): string {
  return v
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/+$/, '');
}

/**
 * Every key a free-text query could be an identifier under: one per normalization rule.
 * A lookup tries them all against the identifier map; only exact key equality counts.
 */
export function queryIdentifierKeys(query: string): string[] {
  const q = query.trim();
  if (q === '' || /\s{2,}/.test(q) || q.split(/\s+/).length > 3) return [];
  const keys = new Set<string>([q, q.toLowerCase(), q.toUpperCase().replace(/[\s\-./]/g, ''), websiteKey(q)]);
  const digits = q.replace(/\D/g, '');
  if (digits.length >= 7 && /^(imo[\s:.#-]*)?[\d\s+()-]+$/i.test(q)) keys.add(digits);
  // A head-office BIC typed in full (FTBDKPPYXXX) is the 8-character code.
  const bic = q.toUpperCase();
  if (/^[A-Z]{6}[A-Z0-9]{2}XXX$/.test(bic)) keys.add(bic.slice(0, 8));
  return [...keys].filter(Boolean);
}

/** SWIFT/BIC: an 8-character code also finds its 11-character head-office form (…XXX). */
export function extraIdentifierKeys(kind: Identifier['kind'], key: string): string[] {
  if (kind === 'swift-bic' && key.length === 11 && key.endsWith('XXX')) return [key.slice(0, 8)];
  return [];
}
