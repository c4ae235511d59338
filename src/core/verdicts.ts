import { z } from 'zod';
import { AlertEnvelopeSchema } from './alert-envelope.js';

/** The normalized rating scale every publisher's wording is mapped onto. */
export const RATINGS = ['true', 'mostly-true', 'mixed', 'mostly-false', 'false', 'unproven'] as const;
export const RatingSchema = z.enum(RATINGS);
export type Rating = z.infer<typeof RatingSchema>;

export const RatingEventSchema = z.object({
  /** The rating as published ("Pants on Fire", "Misleading", "Largely accurate"…). */
  rating: z.string(),
  normalized: RatingSchema,
  reviewDate: z.string().optional(),
  /** When dprk-watch first saw this rating. */
  seenAt: z.string(),
  publisher: z.string(),
  url: z.string(),
});
export type RatingEvent = z.infer<typeof RatingEventSchema>;

/** A fact-checked claim with its latest verdict and every earlier rating of it. */
export const VerdictSchema = z.object({
  /** Stable id: the review URL when there is one, else a hash of publisher + claim text. */
  id: z.string().min(1),
  claim: z.string().min(1),
  claimant: z.string().optional(),
  claimDate: z.string().optional(),
  rating: z.string(),
  normalized: RatingSchema,
  publisher: z.string(),
  publisherSite: z.string().optional(),
  reviewDate: z.string().optional(),
  url: z.string(),
  language: z.string().optional(),
  /** Where dprk-watch got it: google-factcheck, claimreview-page, or seed. */
  origin: z.enum(['google-factcheck', 'claimreview-page', 'seed']),
  dprk: z.boolean(),
  /** Earlier ratings, oldest first (the current one is not repeated here). */
  timeline: z.array(RatingEventSchema),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export const VerdictAlertSchema = AlertEnvelopeSchema.extend({
  kind: z.enum(['verdict.published', 'verdict.changed']),
  verdict: VerdictSchema,
  /** For verdict.changed: the rating before the change. */
  previous: z.object({ rating: z.string(), normalized: RatingSchema }).optional(),
});
export type VerdictAlert = z.infer<typeof VerdictAlertSchema>;
