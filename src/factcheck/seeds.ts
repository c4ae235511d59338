import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { matchDprkTerms } from '../core/dprk-terms.js';
import { sha256 } from '../core/snapshot.js';
import { RatingSchema, VerdictSchema, type RatingEvent, type Verdict } from '../core/verdicts.js';
import type { Store } from '../store/store.js';
import { canonicalUrl, hashId } from './identity.js';
import { normalizeRating, ratingKey } from './rating.js';
import { ensureIndexed, readSourceState, stateVersion, writeSourceState, type SourceState, type StoredVerdict } from './state.js';
import { projectUrl } from '../paths.js';

/**
 * seeds/verdicts.json: the fact-checked claims of the bundled source documents
 * (../shared/seeds/*.txt), as structured records. Loaded into the verdict state on start so a
 * fresh install with no network can answer `verdict`. Notes are our own words; the claim and
 * the statement as checked are quoted, because they are what is being rated.
 */

export const SEEDS_SOURCE_ID = 'seeds';
export const SEEDS_FILE = projectUrl('seeds/verdicts.json');
/** The publisher shown when a seed document does not name one. */
export const UNNAMED_PUBLISHER = 'unnamed fact-check site';

/** A date, or a date and a time with or without a zone ("2026-01-13T08:49" = zone not stated). */
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/, 'must be YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][zone]');

export const SeedEventSchema = z
  .object({
    date: IsoDate,
    /** original-article: when the article the claim comes from was published (no rating). */
    kind: z.enum(['original-article', 'rating', 'update']),
    rating: z.string().min(1).optional(),
    normalized: RatingSchema.optional(),
  })
  .superRefine((e, ctx) => {
    if (e.kind !== 'original-article' && (!e.rating || !e.normalized))
      ctx.addIssue({ code: 'custom', message: `a ${e.kind} event needs rating and normalized` });
    if (e.rating && e.normalized && normalizeRating(e.rating) !== e.normalized)
      ctx.addIssue({ code: 'custom', message: `"${e.rating}" normalizes to ${normalizeRating(e.rating)}, not ${e.normalized}` });
  });

export const SeedVerdictSchema = z
  .object({
    /** Stable slug for people; the verdict id follows the identity rule (URL, else hash). */
    key: z.string().regex(/^[a-z0-9-]+$/),
    sourceDocument: z.string().regex(/^\d{3}_[0-9a-f]{16}\.txt$/),
    claim: z.string().min(10),
    /** The claim as the checker restated it for checking, when the document gives one. */
    checkedStatement: z.string().optional(),
    claimant: z.string().nullable(),
    claimDate: IsoDate.optional(),
    rating: z.string().min(1),
    normalized: RatingSchema,
    /** As given by the document; null when it names none. */
    publisher: z.string().nullable(),
    publisherSite: z.string().nullable(),
    category: z.string().optional(),
    reviewDate: IsoDate,
    /** The review's URL as the document gives it (null: it gives none). */
    sourceUrl: z.string().url().nullable(),
    /**
     * What the document does not say but was identified outside it (by matching its text to a
     * stored public copy of the page): kept apart from the fields above, and said so wherever shown.
     */
    identified: z
      .object({
        publisher: z.string().min(1),
        publisherSite: z.string().min(1),
        url: z.string().url(),
        /** The article the claim was drawn from (the timeline's "original article"). */
        originalArticleUrl: z.string().url().optional(),
        basis: z.literal('external'),
        method: z.string().min(10),
      })
      .optional(),
    timeline: z.array(SeedEventSchema).min(1),
    /** Sources the review relied on, as the document names them. */
    evidence: z.array(z.string().min(3)),
    /** Our own summary of the verdict (not the document's prose). */
    note: z.string().min(20).max(600),
  })
  .superRefine((s, ctx) => {
    if (normalizeRating(s.rating) !== s.normalized)
      ctx.addIssue({ code: 'custom', path: ['normalized'], message: `"${s.rating}" normalizes to ${normalizeRating(s.rating)}` });
    const rated = s.timeline.filter((e) => e.rating);
    const last = rated[rated.length - 1];
    if (!last || last.rating !== s.rating || last.date !== s.reviewDate)
      ctx.addIssue({ code: 'custom', path: ['timeline'], message: 'the last rated timeline event must be the current rating and review date' });
    const dates = s.timeline.map((e) => e.date);
    if (dates.some((d, i) => i > 0 && d < dates[i - 1]!))
      ctx.addIssue({ code: 'custom', path: ['timeline'], message: 'timeline must be oldest first' });
  });
export type SeedVerdict = z.infer<typeof SeedVerdictSchema>;

export const SeedFileSchema = z.object({
  version: z.literal(1),
  description: z.string(),
  /** Every source document, including those with no fact-checked claim (and why). */
  documents: z.array(
    z.object({
      file: z.string().regex(/^\d{3}_[0-9a-f]{16}\.txt$/),
      kind: z.string(),
      factChecks: z.number().int().min(0),
      note: z.string(),
    }),
  ),
  verdicts: z.array(SeedVerdictSchema),
});
export type SeedFile = z.infer<typeof SeedFileSchema>;

/** The verdict a seed record stands for (id: its URL when the document gives one, else hash(publisher + claim)). */
export function seedToStored(s: SeedVerdict, loadedAt: string): StoredVerdict {
  const publisher = s.publisher ?? s.identified?.publisher ?? UNNAMED_PUBLISHER;
  const url = canonicalUrl(s.sourceUrl ?? s.identified?.url);
  const site = s.publisherSite ?? s.identified?.publisherSite;
  const external = [
    !s.publisher && s.identified ? 'publisher' : undefined,
    !s.sourceUrl && s.identified ? 'review URL' : undefined,
  ].filter(Boolean);
  const id = url ?? hashId(publisher, s.claim);
  const rated = s.timeline.filter((e) => e.rating && e.normalized);
  const earlier: RatingEvent[] = rated.slice(0, -1).map((e) => ({
    rating: e.rating!,
    normalized: e.normalized!,
    reviewDate: e.date,
    seenAt: e.date,
    publisher,
    url: url ?? '',
  }));
  const original = s.timeline.find((e) => e.kind === 'original-article');
  const claimDate = s.claimDate ?? original?.date;
  const verdict: Verdict = VerdictSchema.parse({
    id,
    claim: s.claim,
    rating: s.rating,
    normalized: s.normalized,
    publisher,
    url: url ?? '',
    origin: 'seed',
    dprk: matchDprkTerms(`${s.claim}\n${s.checkedStatement ?? ''}`).length > 0,
    timeline: earlier,
    reviewDate: s.reviewDate,
    language: 'en',
    ...(s.claimant ? { claimant: s.claimant } : {}),
    ...(claimDate ? { claimDate } : {}),
    ...(site ? { publisherSite: site } : {}),
  });
  return {
    verdict,
    ratingSeenAt: loadedAt,
    seedDocument: s.sourceDocument,
    evidence: s.evidence,
    note: s.note,
    ...(s.checkedStatement ? { detail: s.checkedStatement } : {}),
    ...(s.identified?.originalArticleUrl ? { appearances: [s.identified.originalArticleUrl] } : {}),
    ...(external.length && s.identified
      ? { provenance: `${external.join(' and ')} identified from a public copy of the page (not in the bundled document)` }
      : {}),
  };
}

export async function readSeedFile(file: URL | string = SEEDS_FILE): Promise<{ seeds: SeedFile; version: string }> {
  const text = await readFile(file, 'utf8');
  const parsed = SeedFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(`seeds file is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { seeds: parsed.data, version: sha256(text).slice(0, 16) };
}

/**
 * Load the seed verdicts into the verdict state. Idempotent: the same seeds file is written
 * once (its hash is kept); a newer seeds file replaces the seeds' own records, keeping when
 * each rating was first seen. Seeds are their own source, so they never overwrite a polled
 * rating: the merged view prefers the newer rating and a polled one on a tie.
 */
export async function loadSeedVerdicts(
  store: Store,
  opts: { file?: URL | string; now?: () => Date } = {},
): Promise<{ loaded: number; written: boolean }> {
  const { seeds, version } = await readSeedFile(opts.file);
  const prev = await readSourceState(store, SEEDS_SOURCE_ID);
  if (prev?.seedsVersion === version) {
    await ensureIndexed(store, prev);
    return { loaded: prev.entries.length, written: false };
  }
  const now = (opts.now ?? (() => new Date()))().toISOString();
  const before = new Map((prev?.entries ?? []).map((e) => [e.verdict.id, e]));
  const entries = seeds.verdicts.map((s) => {
    const e = seedToStored(s, now);
    const old = before.get(e.verdict.id);
    const sameRating = old && ratingKey(old.verdict.rating) === ratingKey(e.verdict.rating);
    return sameRating ? { ...e, ratingSeenAt: old.ratingSeenAt } : e;
  });
  const state: SourceState = { source: SEEDS_SOURCE_ID, version: stateVersion(entries), updatedAt: now, seedsVersion: version, entries };
  await writeSourceState(store, state);
  return { loaded: entries.length, written: true };
}
