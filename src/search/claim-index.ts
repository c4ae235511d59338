import { stemmer } from 'stemmer';
import { tokenize } from './normalize.js';

// Words that carry no claim: function words, and the words every DPRK claim shares.
const STOP = new Set(
  (
    'a an the and or but if of to in on at by for with from as is are was were be been being it its this that these ' +
    'those has have had do does did not no yes than then so such can could will would shall should may might must ' +
    'about into over after before under again further there here what which who whom whose when where why how all ' +
    'any both each few more most other some only own same too very just also he she they them his her their we our ' +
    'you your i me my claim claims said says say report reports reported according'
  ).split(' '),
);

const terms = (text: string): string[] =>
  tokenize(text)
    .filter((t) => !STOP.has(t))
    .map((t) => (/^\d+$/.test(t) ? t : stemmer(t)));

export interface ClaimMatch<T> {
  item: T;
  score: number;
  /** Content terms the query and the claim share (to explain the match). */
  shared: string[];
}

/** Default minimum score: tuned so paraphrases match and different claims on one topic do not. */
export const DEFAULT_CLAIM_MIN_SCORE = 0.3;

/**
 * Similarity search over claim texts: TF-IDF cosine over stemmed content words, with a
 * rule that a match must share enough distinct content words — so that two different
 * claims about the same country never pass for one another.
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
    for (const [t, n] of tf) w.set(t, (1 + Math.log(n)) * (this.idf.get(t) ?? unseen));
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
      // One shared word is a topic, not a claim (unless the query is that short).
      const enough = shared.length >= Math.min(2, tf.size);
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
