import iuliia from 'iuliia';
import { pinyin } from 'pinyin-pro';

/**
 * Names typed or published in other scripts. Cyrillic and Chinese characters are turned
 * into the Latin spellings sanctions lists use (kept libraries do the conversion: iuliia's
 * published schemas, pinyin-pro's dictionary); any non-Latin name also gets a script key,
 * so a query in the script a list publishes (EU nameAlias, UK non-Latin names, MOF's
 * Japanese names) meets it directly, with no conversion at all.
 */

const CYRILLIC = /[\u0400-\u04ff]/;
const CYRILLIC_WORD = /[\u0400-\u04ff]+/g;
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const KANA = /[\u3040-\u30ff\uff66-\uff9f]/;
const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
/** Letters of any script but Latin (and digits, which every script shares). */
const NON_LATIN_LETTER = /[^\p{Script=Latin}\P{L}]/u;

export const hasCyrillic = (text: string): boolean => CYRILLIC.test(text);
export const hasHan = (text: string): boolean => HAN.test(text);

/**
 * The romanizations of Russian names that lists publish: BGN/PCGN (OFAC, UK: Yevgeniy,
 * Yur'yevich), ICAO Doc 9303 as printed in passports (Evgenii, Iurevich) and Wikipedia's
 * (Yevgeny, Yuryevich). The first is the one names are indexed under.
 */
const CYRILLIC_SCHEMAS = [iuliia.BGN_PCGN, iuliia.ICAO_DOC_9303, iuliia.WIKIPEDIA];

/** Every listed romanization of the Cyrillic words in `text` (other text kept), BGN/PCGN first, without repeats. */
export function romanizeCyrillic(text: string): string[] {
  if (!CYRILLIC.test(text)) return [text];
  return [...new Set(CYRILLIC_SCHEMAS.map((schema) => romanizeCyrillicIn(text, schema)))];
}

/** The Cyrillic words of `text` in BGN/PCGN only: the spelling names are indexed under. */
export function romanizeCyrillicBgn(text: string): string {
  return CYRILLIC.test(text) ? romanizeCyrillicIn(text, iuliia.BGN_PCGN) : text;
}

function romanizeCyrillicIn(text: string, schema: (typeof CYRILLIC_SCHEMAS)[number]): string {
  // BGN/PCGN's ё is ë, which lists print as e (Семёнов → SEMENOV); iuliia leaves ё as it is.
  return text.replace(CYRILLIC_WORD, (word) => iuliia.translate(schema === iuliia.BGN_PCGN ? word.replace(/ё/g, 'е').replace(/Ё/g, 'Е') : word, schema));
}

/**
 * Chinese characters → toneless pinyin, one token per character ("马晓红" → "ma xiao hong");
 * a personal name's given-name syllables are joined again by the index's pair keys, as
 * lists write them ("MA, Xiaohong").
 */
export function romanizeHan(text: string): string {
  // Kanji among kana are Japanese, read otherwise than in pinyin: left to the script key.
  if (!HAN.test(text) || KANA.test(text)) return text;
  return text.replace(HAN_RUN, (run) => ` ${pinyin(run, { toneType: 'none', type: 'array', v: true }).join(' ')} `);
}

/**
 * Chinese personal-name order: surname (first character) then the given name written as one
 * word, the way OFAC and the UK write them ("马晓红" → "ma xiaohong"). Undefined unless the
 * text is a two- to four-character Han name.
 */
export function hanPersonalName(text: string): string | undefined {
  const t = text.replace(/\s+/g, '');
  if (!/^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,4}$/.test(t)) return undefined;
  const syllables = pinyin(t, { toneType: 'none', type: 'array', v: true, surname: 'head' });
  return `${syllables[0]} ${syllables.slice(1).join('')}`;
}

/**
 * The key of a name written in a non-Latin script: compatibility forms folded (full-width,
 * half-width kana), case folded, and everything that is not a letter or digit dropped
 * ("キム・ジョンウン" = "キムジョンウン"). Undefined for a name with no non-Latin letter.
 */
export function scriptKey(text: string): string | undefined {
  if (!NON_LATIN_LETTER.test(text)) return undefined;
  const key = text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{M}\p{N}]+/gu, '');
  return key === '' ? undefined : key;
}
