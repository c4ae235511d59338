import { stemmer } from 'stemmer';
import { tokenize } from './normalize.js';

// Words that carry no claim: function words, and the words every DPRK claim shares.
const STOP = new Set(
  (
    'a an the and or but if of to in on at by for with from as is are was were be been being it its this that these ' +
    'those has have had do does did not no yes than then so such can could will would shall should may might must ' +
    'about into over after before under again further there here what which who whom whose when where why how all ' +
    'any both each few more most other some only own same too very just also he she they them his her their we our ' +
    'you your i me my claim claims said says say report reports reported according group'
  ).split(' '),
);

// Words people add when they ask about a claim, not part of it ("is it true that…").
const QUESTION_WORDS = new Set('true false fact check checked verdict really actually whether heard tell'.split(' '));

/**
 * Spellings of one thing in DPRK claims, made one before tokenizing: "North Korea", "N. Korea",
 * "NK" and "DPRK" are the same country; "weapons of mass destruction" and "WMD" become one
 * acronym (plus its head noun), as do ICBM, SLBM and MSMT; "shut down", "switched off" and
 * "took offline" are one verb. Case matters where a lower-case word would be another word
 * ("IT workers" vs "it").
 */
const PHRASES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bdemocratic\s+people['’]?s\s+republic\s+of\s+korea\b/gi, ' dprk '],
  [/\bnorth[\s-]+korean?s?\b/gi, ' dprk '],
  [/\bn\.\s?korean?s?\b/gi, ' dprk '],
  [/\b(?:NK|D\.P\.R\.K\.?)(?![\w.])/g, ' dprk '],
  [/\bunited\s+nations\b/gi, ' UN '],
  [/\bU\.N\.(?!\w)/g, ' UN '],
  [/\bUNSC\b/gi, ' UN security council '],
  [/\binformation\s+technology\b/gi, ' infotech '],
  [/\b(?:IT|tech)(?=\s+(?:workers?|labou?rers?|personnel|staff|specialists?|professionals?|freelancers?|contractors?)\b)/gi, ' infotech '],
  [/\bIT\b/g, ' infotech '],
  // Long forms become the acronym plus its head noun, so that one acronym in a question
  // does not count as several shared words.
  [/\bweapons?\s+of\s+mass\s+destruction\b/gi, ' wmd weapon '],
  [/\bWMDs?\b/gi, ' wmd weapon '],
  [/\bintercontinental\s+ballistic\s+missiles?\b/gi, ' icbm missile '],
  [/\bICBMs?\b/gi, ' icbm missile '],
  [/\bsubmarine[\s-]+launched\s+ballistic\s+missiles?\b/gi, ' slbm missile '],
  [/\bSLBMs?\b/gi, ' slbm missile '],
  [/\bmultilateral\s+sanctions?\s+monitoring\s+team\b/gi, ' msmt '],
  [/\bcrypto\b/gi, ' cryptocurrency '],
  [/\b(?:shut(?:s|ting)?|switch(?:es|ed|ing)?|turn(?:s|ed|ing)?|cut(?:s|ting)?|took|take[sn]?)[\s-]+(?:down|off|offline)\b|\bshut-?downs?\b/gi, ' shutdown '],
];

/** Stems that mean the same in claims about DPRK activity. */
const SAME = new Map<string, string>([
  ['di', 'die'],
  ['dead', 'die'],
  ['death', 'die'],
  ['stole', 'steal'],
  ['stolen', 'steal'],
  ['theft', 'steal'],
  ['heist', 'steal'],
  ['hacker', 'hack'],
  ['cyber', 'hack'],
  ['cyberattack', 'hack'],
  ['cybercrim', 'hack'],
  ['labor', 'worker'],
  ['labour', 'worker'],
  ['break', 'violat'],
  ['broke', 'violat'],
  ['breach', 'violat'],
  ['financ', 'fund'],
  ['nuclear', 'wmd'],
  ['bankrol', 'fund'],
]);

/**
 * Words (after the steps above) that nearly every claim dprk-watch holds shares: they say
 * what the claims are about, not which claim. They count for little, and never as one of
 * the shared words a match needs.
 */
const TOPIC = new Set(['dprk', 'korea', 'korean', 'north', 'sanction', 'un', 'regim', 'pyongyang']);
const TOPIC_WEIGHT = 0.25;

const terms = (text: string): string[] => {
  let t = text;
  for (const [re, to] of PHRASES) t = t.replace(re, to);
  return tokenize(t)
    .filter((w) => !STOP.has(w) && !QUESTION_WORDS.has(w))
    .map((w) => (/^\d+$/.test(w) ? w : stemmer(w)))
    .map((w) => SAME.get(w) ?? w);
};

export interface ClaimMatch<T> {
  item: T;
  score: number;
  /** Content terms the query and the claim share (to explain the match). */
  shared: string[];
}

/** Default minimum score: tuned so paraphrases match and different claims on one topic do not. */
export const DEFAULT_CLAIM_MIN_SCORE = 0.3;

/**
 * Similarity search over claim texts: TF-IDF cosine over stemmed content words (with the
 * domain spellings above made one), with a rule that a match must share at least two
 * distinct content words other than the topic words — so that two different claims about
 * the same country never pass for one another, and a bare topic ("MSMT report on North
 * Korea") matches no claim.
 */
export class ClaimIndex<T> {
  private readonly docs: Array<{ item: T; weights: Map<string, number>; norm: number }> = [];
  private readonly idf = new Map<string, number>();

  constructor(items: readonly T[], text: (item: T) => string) {
    const tfs = items.map((item) => {
      const tf = new Map<string, number>();
      for (const t of terms(text(item))) tf.set(t, (tf.get(t) ?? 0) + 1);
      return { item, tf };
    });
    const df = new Map<string, number>();
    for (const { tf } of tfs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    for (const [t, n] of df) this.idf.set(t, Math.log(1 + (items.length + 1) / n));
    for (const { item, tf } of tfs) {
      const weights = this.weigh(tf);
      this.docs.push({ item, weights, norm: norm(weights) });
    }
  }

  private weigh(tf: Map<string, number>): Map<string, number> {
    const w = new Map<string, number>();
    // Unknown query words still count against the match (they carry the full weight of a rare word).
    const unseen = Math.log(1 + (this.docs.length + 2));
    for (const [t, n] of tf) w.set(t, (1 + Math.log(n)) * (this.idf.get(t) ?? unseen) * (TOPIC.has(t) ? TOPIC_WEIGHT : 1));
    return w;
  }

  /** Claims ranked by similarity, best first, above `minScore`. */
  search(query: string, opts: { limit?: number; minScore?: number } = {}): ClaimMatch<T>[] {
    const minScore = opts.minScore ?? DEFAULT_CLAIM_MIN_SCORE;
    const tf = new Map<string, number>();
    for (const t of terms(query)) tf.set(t, (tf.get(t) ?? 0) + 1);
    if (tf.size === 0) return [];
    const q = this.weigh(tf);
    const qn = norm(q);
    const out: ClaimMatch<T>[] = [];
    for (const d of this.docs) {
      let dot = 0;
      const shared: string[] = [];
      for (const [t, w] of q) {
        const dw = d.weights.get(t);
        if (dw !== undefined) {
          dot += w * dw;
          shared.push(t);
        }
      }
      const score = dot / (qn * d.norm || 1);
      // One shared word is a topic, not a claim; the words every DPRK claim shares do not count.
      const sharedContent = shared.filter((t) => !TOPIC.has(t)).length;
      const enough = sharedContent >= 2;
      if (score >= minScore && enough) out.push({ item: d.item, score: Math.round(score * 1000) / 1000, shared });
    }
    return out.sort((a, b) => b.score - a.score).slice(0, opts.limit ?? 5);
  }

  /** The single best claim, or undefined ("no fact-check found"). */
  best(query: string, minScore = DEFAULT_CLAIM_MIN_SCORE): ClaimMatch<T> | undefined {
    return this.search(query, { limit: 1, minScore })[0];
  }
}

function norm(w: Map<string, number>): number {
  let s = 0;
  for (const v of w.values()) s += v * v;
  return Math.sqrt(s);
}
