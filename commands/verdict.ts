import { z } from 'zod';
import { defineCommand } from '../src/commands/command.js';
import { RatingSchema, VerdictSchema, type Rating, type RatingEvent } from '../src/core/verdicts.js';
import { classifyRating } from '../src/factcheck/rating.js';
import { SEEDS_SOURCE_ID, UNNAMED_PUBLISHER } from '../src/factcheck/seeds.js';
import type { VerdictMatch, VerdictService } from '../src/factcheck/service.js';
import type { MergedVerdict } from '../src/factcheck/state.js';
import type { Card, Reply, Severity } from '../src/reply.js';

export const definition = {
  name: 'verdict',
  description: 'The latest fact-check verdict on a claim: the best-matching fact-checked claim, its rating history and sources.',
  options: [{ name: 'claim', type: 'string', description: 'The claim, in your own words', required: true, maxLength: 500 }],
  permission: 'everyone',
} as const;

export const ArgsSchema = z.object({
  claim: z.string().trim().min(3, 'type at least 3 characters').max(500, 'a claim is at most 500 characters'),
});
export type VerdictArgs = z.input<typeof ArgsSchema>;

export interface VerdictContext {
  verdicts: VerdictService;
}

/** One rating in a claim's history, oldest first; the last one is the current verdict. */
export const TimelineItemSchema = z.object({
  rating: z.string(),
  normalized: RatingSchema,
  reviewDate: z.string().nullable(),
  seenAt: z.string().nullable(),
  publisher: z.string(),
  url: z.string().nullable(),
  current: z.boolean(),
});

export const SourceRefSchema = z.object({
  kind: z.enum(['review', 'provenance', 'claim-appearance', 'evidence', 'seed-document', 'held-by']),
  label: z.string(),
  url: z.string().nullable(),
});

/**
 * The JSON shape of `dprk-watch verdict "<claim>" --json` (and Reply.data). `found: false`
 * with `match: null` is the "no fact-check found" answer.
 */
export const VerdictDataSchema = z.object({
  query: z.string(),
  found: z.boolean(),
  /** How many fact-checked claims were searched. */
  searched: z.number().int(),
  match: z
    .object({
      score: z.number(),
      sharedTerms: z.array(z.string()),
      matchedOn: z.enum(['claim', 'title', 'detail']),
      matchedText: z.string(),
      /** False when the published wording is not on dprk-watch's scale (normalized is then a placeholder). */
      ratingOnScale: z.boolean(),
      verdict: VerdictSchema,
      title: z.string().nullable(),
      timeline: z.array(TimelineItemSchema),
      sources: z.array(SourceRefSchema),
      alsoCheckedBy: z.array(
        z.object({ publisher: z.string(), rating: z.string(), normalized: RatingSchema, reviewDate: z.string().nullable(), url: z.string().nullable() }),
      ),
      note: z.string().nullable(),
      /** Other fact-checked claims that also match the question (not answers to it). */
      otherMatches: z.array(z.object({ claim: z.string(), score: z.number(), rating: z.string(), publisher: z.string(), url: z.string().nullable() })),
    })
    .nullable(),
});
export type VerdictData = z.infer<typeof VerdictDataSchema>;

const orNull = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

function timelineOf(m: VerdictMatch): z.infer<typeof TimelineItemSchema>[] {
  const v = m.verdict;
  const item = (e: RatingEvent, current: boolean) => ({
    rating: e.rating,
    normalized: e.normalized,
    reviewDate: orNull(e.reviewDate),
    seenAt: orNull(e.seenAt),
    publisher: e.publisher,
    url: orNull(e.url),
    current,
  });
  return [
    ...v.timeline.map((e) => item(e, false)),
    item({ rating: v.rating, normalized: v.normalized, seenAt: m.entry.ratingSeenAt, publisher: v.publisher, url: v.url, ...(v.reviewDate ? { reviewDate: v.reviewDate } : {}) }, true),
  ];
}

function sourcesOf(e: MergedVerdict): z.infer<typeof SourceRefSchema>[] {
  const out: z.infer<typeof SourceRefSchema>[] = [];
  if (e.verdict.url) out.push({ kind: 'review', label: `${e.verdict.publisher} review`, url: e.verdict.url });
  if (e.provenance) out.push({ kind: 'provenance', label: e.provenance, url: null });
  if (e.seedDocument)
    out.push({ kind: 'seed-document', label: `bundled source document ${e.seedDocument}${e.verdict.url ? '' : ' (it gives no URL)'}`, url: null });
  for (const x of e.evidence ?? []) out.push({ kind: 'evidence', label: x, url: null });
  for (const a of e.appearances ?? []) out.push({ kind: 'claim-appearance', label: 'where the claim appeared', url: a });
  for (const h of e.heldBy) out.push({ kind: 'held-by', label: h === SEEDS_SOURCE_ID ? 'dprk-watch seeds' : h, url: null });
  return out;
}

/** Reply.data for a question: the match, or `found: false`. */
export function verdictData(query: string, searched: number, m: VerdictMatch | undefined): VerdictData {
  if (!m) return { query, found: false, searched, match: null };
  const v = m.verdict;
  return {
    query,
    found: true,
    searched,
    match: {
      score: m.score,
      sharedTerms: m.shared,
      matchedOn: m.matchedOn,
      matchedText: m.matchedText,
      ratingOnScale: classifyRating(v.rating).basis !== 'none' || v.normalized !== 'unproven',
      verdict: v,
      title: orNull(m.entry.title),
      timeline: timelineOf(m),
      sources: sourcesOf(m.entry),
      alsoCheckedBy: m.alsoCheckedBy.map((o) => ({
        publisher: o.verdict.publisher,
        rating: o.verdict.rating,
        normalized: o.verdict.normalized,
        reviewDate: orNull(o.verdict.reviewDate),
        url: orNull(o.verdict.url),
      })),
      note: orNull(m.entry.note),
      otherMatches: m.others.map((o) => ({
        claim: o.entry.verdict.claim,
        score: o.score,
        rating: o.entry.verdict.rating,
        publisher: o.entry.verdict.publisher,
        url: orNull(o.entry.verdict.url),
      })),
    },
  };
}

const day = (s: string | null | undefined) => (s ? s.slice(0, 10) : 'undated');
/** A timeline entry's date, saying which it is: the publisher's review date, or when dprk-watch first saw the rating. */
const when = (t: { reviewDate: string | null; seenAt: string | null }) =>
  t.reviewDate ? `reviewed ${day(t.reviewDate)}` : t.seenAt ? `seen ${day(t.seenAt)}` : 'undated';

function describe(d: NonNullable<VerdictData['match']>): string {
  const v = d.verdict;
  const scale = d.ratingOnScale ? v.normalized : 'not on dprk-watch’s scale';
  const publisher = v.publisher === UNNAMED_PUBLISHER ? `${v.publisher} (the source document names none)` : v.publisher;
  const lines = [
    `Closest fact-checked claim: “${v.claim}”`,
    `   matched on the ${d.matchedOn === 'claim' ? 'claim' : d.matchedOn === 'title' ? 'review headline' : 'statement as checked'} · similarity ${d.score.toFixed(2)} · shared words: ${d.sharedTerms.join(', ')}`,
  ];
  if (d.matchedOn !== 'claim') lines.push(`   ${d.matchedOn === 'title' ? 'headline' : 'statement as checked'}: “${d.matchedText}”`);
  lines.push(`Latest verdict: ${v.rating} (${scale}) — ${publisher}, ${v.reviewDate ? `reviewed ${day(v.reviewDate)}` : 'review date not published'}`);
  if (v.claimant) lines.push(`   claimant: ${v.claimant}${v.claimDate ? ` (claim dated ${day(v.claimDate)})` : ''}`);
  else if (v.claimDate) lines.push(`   claim dated ${day(v.claimDate)}`);
  lines.push(
    d.timeline.length > 1
      ? `Timeline (oldest first): ${d.timeline.map((t) => `${t.rating} (${when(t)})`).join(' → ')}`
      : `Timeline: one rating so far (${d.timeline[0]!.rating}, ${when(d.timeline[0]!)})`,
  );
  for (const o of d.alsoCheckedBy) lines.push(`Also checked by ${o.publisher}: ${o.rating} (${o.normalized}) ${o.url ?? ''}`.trimEnd());
  if (d.otherMatches.length) {
    lines.push('Other fact-checked claims with similar words (different claims, check which one you mean):');
    for (const o of d.otherMatches) lines.push(`   - “${o.claim}” — ${o.rating} (${o.publisher}, similarity ${o.score.toFixed(2)})`);
  }
  if (d.note) lines.push(`Note (dprk-watch’s summary): ${d.note}`);
  const refs = d.sources.filter((s) => s.kind !== 'held-by');
  if (refs.length) {
    lines.push('Sources:');
    for (const s of refs) lines.push(`   - ${s.label}${s.url ? `: ${s.url}` : ''}`);
  }
  return lines.join('\n');
}

const SEVERITY: Record<Rating, Severity> = {
  false: 'high',
  'mostly-false': 'high',
  mixed: 'medium',
  unproven: 'info',
  'mostly-true': 'ok',
  true: 'ok',
};

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The answer as a neutral card (Discord embed, Slack blocks). */
export function verdictCard(d: NonNullable<VerdictData['match']>): Card {
  const v = d.verdict;
  const field = (name: string, value: string | undefined, inline = false) => (value ? [{ name, value, inline }] : []);
  return {
    title: `🔎 ${clip(v.claim, 240)}`,
    ...(v.url ? { url: v.url } : {}),
    severity: SEVERITY[v.normalized],
    description: `Latest verdict: ${v.rating} (${d.ratingOnScale ? v.normalized : 'not on dprk-watch’s scale'})`,
    fields: [
      ...field('Publisher', v.publisher, true),
      ...field('Reviewed', v.reviewDate ? day(v.reviewDate) : 'date not published', true),
      ...field('Claimant', v.claimant, true),
      ...field('Timeline', d.timeline.map((t) => `${t.current ? '→ ' : ''}${t.rating} (${when(t)})`).join('\n')),
      ...field('Also checked by', d.alsoCheckedBy.map((o) => `${o.publisher}: ${o.rating}${o.url ? ` — ${o.url}` : ''}`).join('\n') || undefined),
      ...field(
        'Sources',
        d.sources
          .filter((x) => x.kind !== 'held-by')
          .map((x) => `${x.label}${x.url ? `: ${x.url}` : ''}`)
          .join('\n') || undefined,
      ),
      ...field('Other claims with similar words', d.otherMatches.map((o) => `“${clip(o.claim, 150)}” — ${o.rating}`).join('\n') || undefined),
    ],
    footer: `Matched on the ${d.matchedOn === 'claim' ? 'claim' : d.matchedOn === 'title' ? 'review headline' : 'statement as checked'} · similarity ${d.score.toFixed(2)}`,
  };
}

/** `/dprk verdict <claim>` over any VerdictService (arguments are validated here too). */
export async function verdictReply(ctx: VerdictContext, args: VerdictArgs): Promise<Reply> {
  const parsed = ArgsSchema.safeParse(args);
  if (!parsed.success)
    return { text: `Cannot look that up: ${parsed.error.issues.map((i) => i.message).join('; ')}.`, data: { error: parsed.error.issues }, ephemeral: true };
  const { claim } = parsed.data;
  const all = await ctx.verdicts.entries();
  if (all.length === 0)
    return {
      text: 'No fact-checks are stored yet, so there is nothing to answer from. Seeds load at start; Google Fact Check Tools needs GOOGLE_FACTCHECK_API_KEY.',
      data: verdictData(claim, 0, undefined),
      ephemeral: true,
    };
  const match = await ctx.verdicts.find(claim);
  const data = verdictData(claim, all.length, match);
  if (!data.match)
    return {
      text: `No fact-check found for “${claim}”. None of the ${all.length} fact-checked claims dprk-watch holds is close enough to answer it; a claim nobody has checked is not the same as a false one.`,
      data,
    };
  return { text: describe(data.match), data, cards: [verdictCard(data.match)] };
}

export default defineCommand({
  definition,
  ArgsSchema,
  handler: (ctx, args) => verdictReply({ verdicts: ctx.services.verdicts }, args),
});
