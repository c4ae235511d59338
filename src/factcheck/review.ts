import type { Verdict } from '../core/verdicts.js';
import type { NumericRating } from './rating.js';

/**
 * One review of one claim, as a source gives it, before it gets an id and a history. Both
 * sources (Google's API and ClaimReview markup) and the seeds produce these.
 */
export interface ParsedReview {
  claim: string;
  claimant?: string;
  claimDate?: string;
  /** The rating as published (textualRating / reviewRating.alternateName / name). */
  rating: string;
  numeric?: NumericRating;
  publisher: string;
  publisherSite?: string;
  reviewDate?: string;
  /** The review's URL (may be absent: then the id is a hash of publisher + claim). */
  url?: string;
  /** Headline of the review article, when known (Google `title`, JSON-LD `headline`/`name`). */
  title?: string;
  language?: string;
  /** Where the claim was seen (itemReviewed.appearance / firstAppearance). */
  appearances?: string[];
  origin: Verdict['origin'];
}
