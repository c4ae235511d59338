/**
 * Korean names as Russian writes them — Ким Чен Ын, Чхве Рён Хэ, Ким Ё Чжон — read back into
 * the McCune–Reischauer-like Latin the lists use (Kim Jong Un, Choe Ryong Hae, Kim Yo Jong),
 * which the Korean key (korean.ts) then matches. Russian media and registers write North
 * Korean names in the Kontsevich system or in the older spellings it replaced (Чен for 정
 * where Kontsevich has Чон); a general Cyrillic romanization (iuliia) reads them as Russian
 * ("Kim Chen Yn") and finds nothing. No kept library reads Cyrillic Korean back (those that
 * exist, such as hangeul.js, only write Hangul into Cyrillic), so the table is here.
 *
 * Only a query whose every word is one or two Korean syllables as Cyrillic writes them is
 * read this way: Russian names (Сергей, Миронов, Петров) fail that shape and are left to
 * iuliia alone.
 */

// Syllable-initial consonants, longest first. ㅈ/ㅊ both come out as "ch" and ㄱ/ㅋ as "k":
// the Korean key merges MR's aspirated and plain spellings anyway.
const INITIALS: ReadonlyArray<[string, string]> = [
  ['чхв', 'chw'],
  ['чх', 'ch'],
  ['чж', 'j'],
  ['дж', 'j'],
  ['чч', 'jj'],
  ['кх', 'kh'],
  ['тх', 'th'],
  ['пх', 'ph'],
  ['кк', 'kk'],
  ['тт', 'tt'],
  ['пп', 'pp'],
  ['сс', 'ss'],
  ['ч', 'ch'],
  ['к', 'k'],
  ['г', 'g'],
  ['т', 't'],
  ['д', 'd'],
  ['п', 'p'],
  ['б', 'b'],
  ['с', 's'],
  ['ш', 's'],
  ['х', 'h'],
  ['м', 'm'],
  ['н', 'n'],
  ['р', 'r'],
  ['л', 'r'],
  ['в', 'w'],
];

// Vowels and the readings each can stand for. "е" after a consonant is ㅓ in the older
// spellings (Чен 정, Сен 성) and ㅔ/ㅖ in Kontsevich; at the start of a word it is 여/예.
const VOWELS: ReadonlyArray<[string, readonly string[]]> = [
  ['ый', ['ui']],
  // w-diphthongs after a consonant (Гвон 권, Хва 화, Хве 회/외): в is part of the vowel.
  ['вэ', ['wae']],
  ['ва', ['wa']],
  ['во', ['wo']],
  ['ве', ['we', 'oe']],
  ['ви', ['wi']],
  ['ё', ['yo']],
  ['я', ['ya']],
  ['ю', ['yu']],
  ['ы', ['u']],
  ['э', ['ae']],
  ['о', ['o']],
  ['у', ['u']],
  ['а', ['a']],
  ['и', ['i']],
  ['е', ['o', 'e']],
];

// Syllable-final consonants. Kontsevich writes ㅇ (ng) as н, so a final н is either.
const FINALS: ReadonlyArray<[string, readonly string[]]> = [
  ['нъ', ['ng']],
  ['нг', ['ng']],
  ['ль', ['l']],
  ['н', ['ng', 'n']],
  ['к', ['k']],
  ['т', ['t']],
  ['м', ['m']],
  ['п', ['p']],
  ['р', ['l']],
];

/** Readings of one syllable starting at `at`: [end, latin alternatives]; none if no syllable starts there. */
function syllablesAt(word: string, at: number): Array<[number, string[]]> {
  const out: Array<[number, string[]]> = [];
  const initials = INITIALS.filter(([c]) => word.startsWith(c, at));
  for (const [c, latin] of [...initials, ['', ''] as [string, string]]) {
    const v = at + c.length;
    for (const [vowel, readings] of VOWELS) {
      if (!word.startsWith(vowel, v)) continue;
      // A word-initial е is 여/예 (Ен, Енсу): read with its y.
      const vowelReadings = vowel === 'е' && v === 0 ? ['yo', 'ye'] : readings;
      const f = v + vowel.length;
      const heads = vowelReadings.map((r) => latin + r);
      out.push([f, heads]);
      for (const [final, finals] of FINALS)
        if (word.startsWith(final, f)) out.push([f + final.length, heads.flatMap((h) => finals.map((x) => h + x))]);
    }
  }
  return out;
}

/** A word read as one or two syllables; undefined when it has no such reading. */
function readWord(word: string): string[] | undefined {
  const out = new Set<string>();
  for (const [end, first] of syllablesAt(word, 0)) {
    if (end === word.length) first.forEach((x) => out.add(x));
    else
      for (const [end2, second] of syllablesAt(word, end))
        if (end2 === word.length) for (const a of first) for (const b of second) out.add(a + b);
  }
  return out.size > 0 ? [...out] : undefined;
}

/** At most this many readings of a query: each is looked up like a typed query. */
const MAX_READINGS = 8;

/**
 * The Latin readings of a Korean name written in Cyrillic, likeliest first ("Ким Чен Ын" →
 * "kim chong ung", "kim chong un", …), or [] when some word of it is not Korean syllables.
 */
export function readKoreanCyrillic(query: string): string[] {
  const words = query.toLowerCase().split(/[\s\-‐–—.,']+/).filter(Boolean);
  if (words.length === 0 || words.length > 4) return [];
  let readings: string[] = [''];
  for (const w of words) {
    if (!/^[\u0400-\u04ff]+$/.test(w)) return [];
    const options = readWord(w);
    if (!options) return [];
    readings = readings.flatMap((r) => options.map((o) => (r === '' ? o : `${r} ${o}`))).slice(0, MAX_READINGS * 4);
  }
  return readings.slice(0, MAX_READINGS);
}
