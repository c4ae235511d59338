import { romanize } from 'es-hangul';
import { KOREAN_SYLLABLE_KEYS } from './korean-syllable-keys.js';

/**
 * A matching key for romanized Korean that makes McCune–Reischauer (the DPRK's and the
 * lists' usual system), Revised Romanization and common personal spellings meet:
 * Ri/Rhee/Lee/Yi, Pak/Park, Choe/Choi, Jon/Jeon/Chon, O/Oh, Kim/Gim, Jong/Jeong/Chong,
 * Phyong/Pyeong/Pyong, ŏ/eo, ŭ/eu. It is applied to every token on both sides of a
 * comparison, so it only ever merges spellings; scores still prefer the literal match.
 */

// Whole-token spellings of common surnames (and syllables) that sound rules can't merge.
const SURNAMES: Record<string, string> = {};
const SURNAME_GROUPS: string[][] = [
  ['ri', 'rhee', 'lee', 'yi', 'li', 'rhie', 'rhi', 'yee', 'i', 'rie', 'lie'],
  ['pak', 'park', 'bak', 'bahk', 'pahk'],
  ['choe', 'choi', 'chwe', 'choy', 'choie'],
  ['o', 'oh'],
  ['kim', 'gim', 'ghim'],
  ['jong', 'jeong', 'chong', 'cheong', 'jung', 'chung'],
  ['ro', 'roh', 'no', 'noh'],
  ['ryu', 'yu', 'yoo', 'ryoo', 'rew', 'you'],
  ['im', 'lim', 'rim', 'yim'],
  ['yun', 'yoon'],
  ['sin', 'shin'],
  ['so', 'seo', 'suh', 'sur'],
  ['ko', 'go', 'koh'],
  ['ku', 'gu', 'koo', 'goo'],
  ['han', 'hahn'],
  ['hyon', 'hyun', 'hyeon'],
  ['jon', 'jeon', 'chon', 'jun', 'chun'],
  ['yang', 'ryang'],
  ['ryom', 'yeom', 'yom'],
  ['song', 'seong', 'sung'],
  ['chae', 'chai'],
];
for (const group of SURNAME_GROUPS) for (const spelling of group) SURNAMES[spelling] ??= group[0]!;

// Sound rules, in order: vowels first (eo→o, eu→u…), then consonants MR writes aspirated
// or voiceless where RR writes voiced (ch/k/t/p ↔ j/g/d/b), and l/r.
const RULES: ReadonlyArray<[RegExp, string]> = [
  [/eo/g, 'o'],
  [/eu/g, 'u'],
  [/oi/g, 'oe'],
  [/wo/g, 'o'],
  [/ee/g, 'i'],
  [/oo/g, 'u'],
  [/tch/g, 'j'],
  [/ch/g, 'j'],
  [/sh/g, 's'],
  [/ph/g, 'b'],
  [/th/g, 'd'],
  [/kh/g, 'g'],
  [/rh/g, 'r'],
  [/k/g, 'g'],
  [/t/g, 'd'],
  [/p/g, 'b'],
  [/l/g, 'r'],
];

const cache = new Map<string, string>();

/** The Korean-aware key of one lower-case ASCII token. */
export function koreanKey(token: string): string {
  const hit = cache.get(token);
  if (hit !== undefined) return hit;
  let key = SURNAMES[token] ?? token;
  if (!/^\d+$/.test(key)) for (const [re, to] of RULES) key = key.replace(re, to);
  if (cache.size < 200_000) cache.set(token, key);
  return key;
}

let syllables: Set<string> | undefined;

/**
 * Whether a token is (the key of) one Korean syllable: every Hangul syllable romanized by
 * es-hangul, then keyed. "min" and "yong" are syllables; "jomg" and "hea" are not, so in a
 * Korean name an unmatched "min" means a different person while "jomg" is a typo.
 */
export function isKoreanSyllable(token: string): boolean {
  syllables ??= new Set(KOREAN_SYLLABLE_KEYS.split(' '));
  return syllables.has(koreanKey(token));
}

/** The keys of every Hangul syllable as es-hangul romanizes them, sorted (what korean-syllable-keys.ts holds, precomputed). */
export function koreanSyllableKeys(): string[] {
  const keys = new Set<string>();
  for (let c = 0xac00; c <= 0xd7a3; c++) keys.add(koreanKey(romanize(String.fromCharCode(c))));
  return [...keys].sort();
}
