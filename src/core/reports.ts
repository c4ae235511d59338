import { z } from 'zod';
import { AlertEnvelopeSchema } from './alert-envelope.js';

/** A designated party a report mentions, linked to its record. */
export const MentionSchema = z.object({
  source: z.string(),
  sourceId: z.string(),
  name: z.string(),
  url: z.string(),
});
export type Mention = z.infer<typeof MentionSchema>;

/** One DPRK-relevant item from a press-release or advisory feed. */
export const ReportSchema = z.object({
  /** guid, else link, else a hash of the title: stable when a feed rewrites dates or reorders. */
  id: z.string().min(1),
  /** Feed id from REPORT_FEEDS, e.g. "treasury". */
  feed: z.string().min(1),
  feedTitle: z.string(),
  title: z.string().min(1),
  link: z.string().url(),
  publishedAt: z.string().optional(),
  /** Plain text, HTML stripped, at most ~500 characters. */
  summary: z.string(),
  /** The DPRK terms that made the item relevant ("North Korea", "Lazarus", "IT workers"…). */
  matchedTerms: z.array(z.string()),
  /** Designated parties named in the item. */
  entities: z.array(MentionSchema),
});
export type Report = z.infer<typeof ReportSchema>;

export const ReportAlertSchema = AlertEnvelopeSchema.extend({
  kind: z.literal('report.published'),
  dprk: z.literal(true),
  report: ReportSchema,
});
export type ReportAlert = z.infer<typeof ReportAlertSchema>;
