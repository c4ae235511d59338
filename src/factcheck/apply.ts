import { matchDprkTerms } from '../core/dprk-terms.js';
import { sha256 } from '../core/snapshot.js';
import { VerdictSchema, type Verdict, type VerdictAlert } from '../core/verdicts.js';
import { assignIds, canonicalUrl, type KnownClaims } from './identity.js';
import { classifyRating, ratingKey } from './rating.js';
import type { ParsedReview } from './review.js';
import { currentEvent, MAX_ENTRIES_PER_SOURCE, stateVersion, type SourceState, type StoredVerdict } from './state.js';

export interface ApplyContext {
  source: string;
  sourceLabel: string;
  now: string;
  /** Claims other sources hold (merged view), by id: they are not "newly reviewed". */
  elsewhere: ReadonlyMap<string, StoredVerdict>;
}

export interface ApplyResult {
  next: SourceState;
  /** Alerts to record (before `next` is saved). */
  alerts: VerdictAlert[];
  baseline: boolean;
  added: number;
  changed: number;
  updated: number;
}

/** DPRK relevance of a claim: the shared DPRK terms in the claim, its claimant, or the review's title. */
export function dprkTerms(r: Pick<ParsedReview, 'claim' | 'claimant' | 'title'>): string[] {
  return matchDprkTerms([r.claim, r.claimant ?? '', r.title ?? ''].join('\n'));
}

const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Alert ids are hashes of what happened, never of when it was seen: re-running a poll (after a
 * crash, on another instance, or a second source reporting the same change) yields the same
 * id, and the store records it once.
 */
export function publishedAlertId(verdictId: string): string {
  return sha256(['verdict.published', verdictId].join('|')).slice(0, 24);
}

export function changedAlertId(verdictId: string, before: Verdict, after: Verdict): string {
  return sha256(
    [
      'verdict.changed',
      verdictId,
      ratingKey(before.rating),
      before.reviewDate ?? '',
      ratingKey(after.rating),
      after.reviewDate ?? '',
    ].join('|'),
  ).slice(0, 24);
}

function toVerdict(r: ParsedReview, id: string, dprk: boolean, timeline: Verdict['timeline']): Verdict {
  const { normalized } = classifyRating(r.rating, r.numeric);
  return VerdictSchema.parse({
    id,
    claim: r.claim,
    rating: r.rating,
    normalized,
    publisher: r.publisher,
    url: canonicalUrl(r.url) ?? r.url ?? '',
    origin: r.origin,
    dprk,
    timeline,
    ...(r.claimant ? { claimant: r.claimant } : {}),
    ...(r.claimDate ? { claimDate: r.claimDate } : {}),
    ...(r.publisherSite ? { publisherSite: r.publisherSite } : {}),
    ...(r.reviewDate ? { reviewDate: r.reviewDate } : {}),
    ...(r.language ? { language: r.language } : {}),
  });
}

function stored(v: Verdict, ratingSeenAt: string, r: ParsedReview): StoredVerdict {
  return {
    verdict: v,
    ratingSeenAt,
    ...(r.title ? { title: r.title } : {}),
    ...(r.appearances?.length ? { appearances: r.appearances } : {}),
  };
}

/**
 * Fold one batch of reviews from one source into that source's state. Pure: the caller
 * records the alerts, then saves `next`.
 * - first batch of a source (no state): baseline — stored, no alerts;
 * - a claim this source has not seen, that no other source holds, and that is DPRK-related
 *   → `verdict.published`;
 * - a rating that differs from what this source said before (normalized rating or leading
 *   verdict phrase) → the old rating joins the timeline, and `verdict.changed` when the
 *   claim is DPRK-related;
 * - anything else updates the stored record silently (new title, review date, claim wording).
 */
export function applyReviews(prev: SourceState | undefined, reviews: readonly ParsedReview[], ctx: ApplyContext): ApplyResult {
  const baseline = prev === undefined;
  const entries = new Map<string, StoredVerdict>((prev?.entries ?? []).map((e) => [e.verdict.id, e]));
  const known = new Map<string, { claim: string; url: string }>();
  for (const [id, e] of ctx.elsewhere) known.set(id, { claim: e.verdict.claim, url: e.verdict.url });
  for (const [id, e] of entries) known.set(id, { claim: e.verdict.claim, url: e.verdict.url });
  const ids = assignIds(reviews, known as KnownClaims);

  const alerts: VerdictAlert[] = [];
  const batch = new Set<string>();
  let added = 0;
  let changed = 0;
  let updated = 0;
  reviews.forEach((r, i) => {
    const id = ids[i]!;
    // The same review under several queries or pages: the first one counts.
    if (batch.has(id)) return;
    batch.add(id);
    const dprk = dprkTerms(r).length > 0;
    const old = entries.get(id);
    if (!old) {
      const v = toVerdict(r, id, dprk, []);
      entries.set(id, stored(v, ctx.now, r));
      added++;
      if (!baseline && dprk && !ctx.elsewhere.has(id))
        alerts.push({
          id: publishedAlertId(id),
          kind: 'verdict.published',
          source: ctx.source,
          sourceLabel: ctx.sourceLabel,
          dprk: true,
          detectedAt: ctx.now,
          url: v.url,
          summary: `${v.publisher} rated “${clip(v.claim)}”: ${v.rating}`,
          verdict: v,
        });
      return;
    }
    const before = old.verdict;
    const probe = toVerdict(r, id, dprk, before.timeline);
    const same = ratingKey(before.rating) === ratingKey(probe.rating);
    if (same) {
      // Keep the wording as first recorded (a re-cased wording is not news); refresh the rest,
      // the normalized rating included (it follows the current rules, silently).
      const next: StoredVerdict = {
        ...stored({ ...probe, rating: before.rating }, old.ratingSeenAt, r),
        ...(old.title && !r.title ? { title: old.title } : {}),
        ...(old.appearances && !r.appearances?.length ? { appearances: old.appearances } : {}),
      };
      if (JSON.stringify(next) !== JSON.stringify(old)) {
        entries.set(id, next);
        updated++;
      }
      return;
    }
    const v: Verdict = { ...probe, timeline: [...before.timeline, currentEvent(old)] };
    entries.set(id, { ...stored(v, ctx.now, r), ...(old.title && !r.title ? { title: old.title } : {}) });
    changed++;
    if (!baseline && (dprk || before.dprk))
      alerts.push({
        id: changedAlertId(id, before, v),
        kind: 'verdict.changed',
        source: ctx.source,
        sourceLabel: ctx.sourceLabel,
        dprk: true,
        detectedAt: ctx.now,
        url: v.url,
        summary: `${v.publisher} changed its rating of “${clip(v.claim)}”: ${before.rating} → ${v.rating}`,
        verdict: { ...v, dprk: dprk || before.dprk },
        previous: { rating: before.rating, normalized: before.normalized },
      });
  });

  let list = [...entries.values()];
  if (list.length > MAX_ENTRIES_PER_SOURCE)
    list = list.sort((a, b) => b.ratingSeenAt.localeCompare(a.ratingSeenAt)).slice(0, MAX_ENTRIES_PER_SOURCE);
  const version = stateVersion(list);
  const next: SourceState =
    prev && prev.version === version
      ? prev
      : { source: ctx.source, version, updatedAt: ctx.now, entries: list, ...(prev?.seedsVersion ? { seedsVersion: prev.seedsVersion } : {}) };
  return { next, alerts, baseline, added, changed, updated };
}
