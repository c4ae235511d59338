import { z } from 'zod';
import { sha256 } from '../core/snapshot.js';
import { RatingEventSchema, VerdictSchema, type RatingEvent, type Verdict } from '../core/verdicts.js';
import { MAPS } from '../store/layout.js';
import type { Store } from '../store/store.js';
import { normalizeClaim } from './identity.js';

/**
 * Verdict state in the store. Each source keeps its own view, under
 * `verdicts:source:<source id>` (factcheck:google, factcheck:page:<url>, seeds), so:
 * - each source is diffed against what *it* said last time: a source that lags (Google's
 *   index behind the publisher's page) cannot make a rating flip back and forth;
 * - the seeds are one more source, and the merged view prefers a newer polled rating, so
 *   seeds never overwrite one.
 * The `verdicts:index` map lists the sources with their state versions: one read tells the
 * VerdictService whether anything changed.
 *
 * A source's state only grows: a claim that drops out of a search result is still a
 * fact-checked claim (search results shift all the time), so nothing is removed.
 */

export const StoredVerdictSchema = z.object({
  verdict: VerdictSchema,
  /** When dprk-watch first saw the current rating (becomes the RatingEvent's seenAt later). */
  ratingSeenAt: z.string(),
  /** Headline of the review, when known. */
  title: z.string().optional(),
  /** More words of the claim (the seeds' statement as checked), for search. */
  detail: z.string().optional(),
  /** Where the claim itself was seen (ClaimReview appearance). */
  appearances: z.array(z.string()).optional(),
  /** What the review relied on (the seeds name their evidence). */
  evidence: z.array(z.string()).optional(),
  /** For seeds: a short summary of the verdict in dprk-watch's words. */
  note: z.string().optional(),
  /** Where fields not found in the source came from (seeds: identified outside the document). */
  provenance: z.string().optional(),
  /** For seeds: the source document the record was built from. */
  seedDocument: z.string().optional(),
});
export type StoredVerdict = z.infer<typeof StoredVerdictSchema>;

export const SourceStateSchema = z.object({
  source: z.string(),
  version: z.string(),
  updatedAt: z.string(),
  /** For the seeds: hash of the seeds file that was loaded. */
  seedsVersion: z.string().optional(),
  entries: z.array(StoredVerdictSchema),
});
export type SourceState = z.infer<typeof SourceStateSchema>;

export const VerdictIndexSchema = z.object({ sources: z.record(z.string(), z.string()) });
export type VerdictIndex = z.infer<typeof VerdictIndexSchema>;

export const stateKey = (source: string): string => `verdicts:source:${source}`;

/** A source holding more claims than this drops those whose rating it saw longest ago. */
export const MAX_ENTRIES_PER_SOURCE = 20_000;

export function stateVersion(entries: readonly StoredVerdict[]): string {
  const sorted = [...entries].sort((a, b) => (a.verdict.id < b.verdict.id ? -1 : a.verdict.id > b.verdict.id ? 1 : 0));
  return sha256(JSON.stringify(sorted)).slice(0, 24);
}

export function readSourceState(store: Store, source: string): Promise<SourceState | undefined> {
  return store.getValue(stateKey(source), SourceStateSchema);
}

/** The index: one member per fact-check source in a shared map, so two sources polled at once by different processes never drop each other's entry. */
export async function readIndex(store: Store): Promise<VerdictIndex> {
  return { sources: Object.fromEntries(await store.map(MAPS.verdictIndex).entries()) };
}

/** Save a source's state, then record its version in the index. */
export async function writeSourceState(store: Store, state: SourceState): Promise<void> {
  await store.setValue(stateKey(state.source), state);
  await ensureIndexed(store, state);
}

/** Make sure the index names a source's current state (called after every successful poll). */
export async function ensureIndexed(store: Store, state: SourceState): Promise<void> {
  const index = store.map(MAPS.verdictIndex);
  if ((await index.get(state.source)) !== state.version) await index.set(state.source, state.version);
}

export async function readAllStates(store: Store, index?: VerdictIndex): Promise<SourceState[]> {
  const idx = index ?? (await readIndex(store));
  const states = await Promise.all(Object.keys(idx.sources).sort().map((s) => readSourceState(store, s)));
  return states.filter((s): s is SourceState => s !== undefined);
}

/** A verdict as the merged view holds it: the freshest rating, all earlier ones, and where it is held. */
export interface MergedVerdict extends StoredVerdict {
  /** Source ids that hold this claim. */
  heldBy: string[];
}

const time = (s: string | undefined): number => {
  if (!s) return Number.NaN;
  const t = Date.parse(s);
  return Number.isNaN(t) ? Number.NaN : t;
};

/**
 * When the current rating was given: the review date, else (polled sources) when it was
 * first seen. Seeds without a review date are older than anything polled.
 */
function effectiveTime(e: StoredVerdict): number {
  const reviewed = time(e.verdict.reviewDate);
  if (!Number.isNaN(reviewed)) return reviewed;
  if (e.verdict.origin === 'seed') return Number.NEGATIVE_INFINITY;
  const seen = time(e.ratingSeenAt);
  return Number.isNaN(seen) ? Number.NEGATIVE_INFINITY : seen;
}

const ORIGIN_RANK: Record<Verdict['origin'], number> = { 'claimreview-page': 2, 'google-factcheck': 1, seed: 0 };

/** Newest rating first; on a tie the publisher's own page, then Google, then the seeds. */
function fresher(a: StoredVerdict, b: StoredVerdict): number {
  const d = effectiveTime(b) - effectiveTime(a);
  if (d !== 0 && !Number.isNaN(d)) return d;
  return ORIGIN_RANK[b.verdict.origin] - ORIGIN_RANK[a.verdict.origin];
}

const eventKey = (e: Pick<RatingEvent, 'rating' | 'reviewDate'>) => `${e.rating.trim().toLowerCase()}|${e.reviewDate?.slice(0, 10) ?? ''}`;

export function currentEvent(e: StoredVerdict): RatingEvent {
  const v = e.verdict;
  return RatingEventSchema.parse({
    rating: v.rating,
    normalized: v.normalized,
    seenAt: e.ratingSeenAt,
    publisher: v.publisher,
    url: v.url,
    ...(v.reviewDate ? { reviewDate: v.reviewDate } : {}),
  });
}

/** One claim per id across every source: the freshest rating leads, the others join its timeline. */
export function mergeStates(states: readonly SourceState[]): MergedVerdict[] {
  const byId = new Map<string, Array<{ entry: StoredVerdict; source: string }>>();
  for (const s of states)
    for (const entry of s.entries) {
      const list = byId.get(entry.verdict.id) ?? [];
      list.push({ entry, source: s.source });
      byId.set(entry.verdict.id, list);
    }
  const out: MergedVerdict[] = [];
  for (const list of byId.values()) {
    const sorted = [...list].sort((a, b) => fresher(a.entry, b.entry));
    const lead = sorted[0]!.entry;
    const heldBy = [...new Set(sorted.map((x) => x.source))];
    if (sorted.length === 1) {
      out.push({ ...lead, heldBy });
      continue;
    }
    const current = eventKey(currentEvent(lead));
    const events = new Map<string, RatingEvent>();
    for (const { entry } of sorted) {
      for (const ev of entry.verdict.timeline) if (eventKey(ev) !== current && !events.has(eventKey(ev))) events.set(eventKey(ev), ev);
      const ev = currentEvent(entry);
      if (eventKey(ev) !== current && !events.has(eventKey(ev))) events.set(eventKey(ev), ev);
    }
    const timeline = [...events.values()].sort((a, b) => (a.reviewDate ?? a.seenAt).localeCompare(b.reviewDate ?? b.seenAt));
    const extra = (k: 'appearances' | 'evidence') => [...new Set(sorted.flatMap((x) => x.entry[k] ?? []))];
    const appearances = extra('appearances');
    const evidence = extra('evidence');
    out.push({
      ...lead,
      verdict: { ...lead.verdict, timeline },
      heldBy,
      ...(appearances.length ? { appearances } : {}),
      ...(evidence.length ? { evidence } : {}),
      ...(lead.title ? {} : sorted.find((x) => x.entry.title) ? { title: sorted.find((x) => x.entry.title)!.entry.title } : {}),
    });
  }
  return out.sort((a, b) => (a.verdict.id < b.verdict.id ? -1 : 1));
}

/** Claims that are the same text checked by another publisher (for "also checked by"). */
export function sameClaim(a: Verdict, b: Verdict): boolean {
  return a.id !== b.id && normalizeClaim(a.claim) === normalizeClaim(b.claim);
}
