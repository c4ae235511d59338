import { romanize } from 'es-hangul';
import { romanizeCyrillicBgn, romanizeHan } from './scripts.js';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

const HANGUL = /[\uac00-\ud7a3]/;
const HANGUL_WORD = /[\uac00-\ud7a3]+/g;

/**
 * Hangul → Latin (Revised Romanization, via es-hangul), syllable by syllable so that
 * given names split like the lists write them: 김정은 → "gim jeong eun". The Korean key
 * (korean.ts) then makes RR and McCune–Reischauer spellings meet.
 */
export function romanizeHangul(text: string): string {
  if (!HANGUL.test(text)) return text;
  return text.replace(HANGUL_WORD, (word) => ` ${[...word].map((syllable) => romanize(syllable)).join(' ')} `);
}

/** Legal-form words that do not identify a company: "Corp", "Co., Ltd", "LLC"… */
const LEGAL_FORMS = new Set([
  'co',
  'company',
  'corp',
  'corporation',
  'inc',
  'incorporated',
  'ltd',
  'limited',
  'llc',
  'llp',
  'plc',
  'jsc',
  'ojsc',
  'pjsc',
  'cjsc',
  'ooo',
  'zao',
  'oao',
  'sa',
  'sarl',
  'srl',
  'gmbh',
  'ag',
  'bv',
  'nv',
  'pte',
  'pvt',
  'fze',
  'fzco',
  'fzc',
  'fzllc',
  'llc',
  'sdn',
  'bhd',
  'group',
  'the',
]);

export function isLegalForm(token: string): boolean {
  return LEGAL_FORMS.has(token);
}

/**
 * Lower-case ASCII tokens: diacritics and apostrophes dropped (Ch'oe, CH’OE and Ch’ŏe all
 * become "choe"), Hangul romanized (RR), Cyrillic romanized (BGN/PCGN: the lists' usual
 * system; queries also try the others, see entity-index.ts), Chinese characters as pinyin,
 * every other non-alphanumeric a separator.
 */
export function tokenize(text: string): string[] {
  // Printable ASCII needs none of the romanizations or the diacritic folding (most names).
  if (PRINTABLE_ASCII.test(text))
    return text
      .toLowerCase()
      .replace(/['`]/g, '')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()
      .split(' ')
      .filter(Boolean);
  return romanizeHan(romanizeCyrillicBgn(romanizeHangul(text)))
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’‘`ʼʻ´]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}
