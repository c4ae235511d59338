// Fact-check verdicts (issue #4): Google Fact Check Tools, ClaimReview pages, bundled seeds.
//
// .env.example lines for the lead to add:
//
//   # --- Fact-check verdicts -------------------------------------------------------------
//   # Google Fact Check Tools API key. Unset: the Google source is skipped (status says why).
//   GOOGLE_FACTCHECK_API_KEY=
//   # claims:search endpoint (or a base URL; /v1alpha1/claims:search is appended).
//   GOOGLE_FACTCHECK_URL=https://factchecktools.googleapis.com/v1alpha1/claims:search
//   # Queries sent to claims:search (comma-separated), and result pages followed per query.
//   FACTCHECK_QUERIES=North Korea,DPRK,Lazarus Group,Kim Jong Un
//   FACTCHECK_MAX_PAGES=5
//   # Fact-check article URLs carrying schema.org ClaimReview JSON-LD (comma-separated).
//   FACTCHECK_PAGES=
//   # When to poll them (cron), and the languageCode sent to Google (unset: all languages).
//   FACTCHECK_CRON=0 */6 * * *
//   FACTCHECK_LANGUAGE=
export { FactCheckConfigSchema, FactCheckConfigShape, googleEndpoint, type FactCheckConfig } from './config.js';
export { classifyRating, normalizeRating, type RatingClass } from './rating.js';
export {
  factCheckSources,
  GOOGLE_SOURCE_ID,
  pageSourceId,
  pollClaimReviewPage,
  pollFactChecks,
  pollGoogleFactCheck,
  type FactCheckDeps,
  type FactCheckOutcome,
  type FactCheckPollReport,
  type FactCheckSourceReport,
} from './poll.js';
export { factCheckJobs, type FactCheckJobDeps } from './jobs.js';
export { loadSeedVerdicts, SEEDS_SOURCE_ID } from './seeds.js';
export { VERDICT_MIN_SCORE, VerdictService, type VerdictMatch } from './service.js';
