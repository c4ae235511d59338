import type { Verdict } from '../core/verdicts.js';
import { ClaimIndex } from '../search/claim-index.js';
import type { Store } from '../store/store.js';
import { loadSeedVerdicts } from './seeds.js';
import { mergeStates, readAllStates, readIndex, sameClaim, type MergedVerdict } from './state.js';

/**
 * Minimum similarity for an answer. Stricter than ClaimIndex's default: a wrong verdict is
 * worse than none. Tuned on the seeds and the real Google samples with paraphrases and
 * near-miss questions (test/factcheck/verdict-command.test.ts): paraphrases score ≥ 0.38,
 * different claims on the same topic ≤ 0.32.
 */
export const VERDICT_MIN_SCORE = 0.35;

/** Which text of a verdict matched: the claim, the review's headline, or the statement as checked. */
export type MatchedField = 'claim' | 'title' | 'detail';

export interface VerdictMatch {
  entry: MergedVerdict;
  verdict: Verdict;
  score: number;
  /** Content words (stemmed) the question and the matched text share. */
  shared: string[];
  matchedOn: MatchedField;
  matchedText: string;
  /** Other publishers' verdicts on the same claim text. */
  alsoCheckedBy: MergedVerdict[];
  /** Other claims that also pass the threshold, best first (at most 3). */
  others: Array<{ entry: MergedVerdict; score: number }>;
}

interface Doc {
  entry: MergedVerdict;
  field: MatchedField;
  text: string;
}

interface Snapshot {
  key: string;
  entries: MergedVerdict[];
  index: ClaimIndex<Doc>;
}

/**
 * Every stored verdict (all sources merged) and claim search over them. The ClaimIndex is
 * rebuilt only when a source's verdict state changed (one store read tells: the versions in
 * `verdicts:index`). Search is "best or none": a question that no stored claim matches well
 * enough gets nothing, never the nearest unrelated claim.
 */
export class VerdictService {
  private snapshot?: Snapshot;
  private loading?: Promise<Snapshot>;
  /** How many times the index was built (observability, and tests prove reuse with it). */
  builds = 0;

  private seeded?: Promise<unknown>;

  /**
   * `loadSeeds`: load the bundled seed verdicts (idempotently) before the first answer, so a
   * fresh install answers from them with no other wiring. `seedsFile` overrides the file.
   */
  constructor(
    private readonly store: Store,
    private readonly opts: { minScore?: number; loadSeeds?: boolean; seedsFile?: URL | string } = {},
  ) {}

  private async current(): Promise<Snapshot> {
    if (this.opts.loadSeeds) {
      this.seeded ??= loadSeedVerdicts(this.store, this.opts.seedsFile ? { file: this.opts.seedsFile } : {}).catch((e: unknown) => {
        this.seeded = undefined; // try again next time (a store that was briefly down)
        throw e;
      });
      await this.seeded;
    }
    const idx = await readIndex(this.store);
    const key = JSON.stringify(Object.entries(idx.sources).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (this.snapshot?.key === key) return this.snapshot;
    if (this.loading) {
      const s = await this.loading;
      if (s.key === key) return s;
    }
    this.loading = (async () => {
      const entries = mergeStates(await readAllStates(this.store, idx));
      const docs: Doc[] = [];
      for (const entry of entries) {
        docs.push({ entry, field: 'claim', text: entry.verdict.claim });
        if (entry.title) docs.push({ entry, field: 'title', text: entry.title });
        if (entry.detail) docs.push({ entry, field: 'detail', text: entry.detail });
      }
      this.builds++;
      const snap = { key, entries, index: new ClaimIndex(docs, (d) => d.text) };
      this.snapshot = snap;
      return snap;
    })().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Every fact-checked claim, with its latest verdict and earlier ratings. */
  async all(): Promise<Verdict[]> {
    return (await this.current()).entries.map((e) => e.verdict);
  }

  /** The same, with what dprk-watch keeps beside each verdict (title, evidence, sources). */
  async entries(): Promise<MergedVerdict[]> {
    return (await this.current()).entries;
  }

  /** The claim that best matches the question, or undefined: "no fact-check found". */
  async find(claimQuery: string): Promise<VerdictMatch | undefined> {
    const snap = await this.current();
    const hits = snap.index.search(claimQuery, { limit: 20, minScore: this.opts.minScore ?? VERDICT_MIN_SCORE });
    const best = hits[0];
    if (!best) return undefined;
    const { entry, field, text } = best.item;
    const others: VerdictMatch['others'] = [];
    for (const h of hits) {
      const id = h.item.entry.verdict.id;
      if (id === entry.verdict.id || others.some((o) => o.entry.verdict.id === id) || sameClaim(h.item.entry.verdict, entry.verdict)) continue;
      if (others.length < 3) others.push({ entry: h.item.entry, score: h.score });
    }
    return {
      entry,
      verdict: entry.verdict,
      score: best.score,
      shared: best.shared,
      matchedOn: field,
      matchedText: text,
      alsoCheckedBy: snap.entries.filter((e) => sameClaim(e.verdict, entry.verdict)),
      others,
    };
  }
}
