import { z } from 'zod';
import { cronField as cron } from '../../config-fields.js';

/** Google Fact Check Tools `claims:search` endpoint. */
export const GOOGLE_FACTCHECK_DEFAULT_URL = 'https://factchecktools.googleapis.com/v1alpha1/claims:search';


const csv = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

const httpUrl = /^https?:\/\/\S+$/;
const pageUrl = /^(https?|file):\/\/\S+$/;

/** Fact-check settings (.env.example documents each). */
export const FactCheckConfigShape = {
  /** Google Fact Check Tools API key. Unset: the Google source is skipped (status says so). */
  GOOGLE_FACTCHECK_API_KEY: z.string().trim().min(1).optional(),
  /**
   * The `claims:search` endpoint, or a base URL to which `/v1alpha1/claims:search` is
   * appended (tests point it at a loopback fake).
   */
  GOOGLE_FACTCHECK_URL: z
    .string()
    .trim()
    .refine((u) => httpUrl.test(u), 'must be an http:// or https:// URL')
    .default(GOOGLE_FACTCHECK_DEFAULT_URL),
  /** Queries sent to claims:search, comma-separated. */
  FACTCHECK_QUERIES: z
    .string()
    .default('North Korea,DPRK,Lazarus Group,Kim Jong Un')
    .transform(csv)
    .pipe(z.array(z.string().max(200)).min(1, 'must name at least one query')),
  /** How many result pages (nextPageToken) to follow per query. */
  FACTCHECK_MAX_PAGES: z.coerce.number().int().min(1).max(50).default(5),
  /** Fact-check article URLs whose pages carry schema.org ClaimReview JSON-LD, comma-separated. */
  FACTCHECK_PAGES: z
    .string()
    .default('')
    .transform(csv)
    .pipe(z.array(z.string().refine((u) => pageUrl.test(u), 'each page must be an http://, https:// or file:// URL'))),
  FACTCHECK_CRON: cron.default('0 */6 * * *'),
  /** BCP-47 language code sent as languageCode ("en", "en-US"); unset = every language. */
  FACTCHECK_LANGUAGE: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP-47 language code such as en or en-US')
    .optional(),
} as const;

export const FactCheckConfigSchema = z.object(FactCheckConfigShape);
export type FactCheckConfig = z.infer<typeof FactCheckConfigSchema>;

/** The full claims:search URL from GOOGLE_FACTCHECK_URL (an endpoint, or a base to extend). */
export function googleEndpoint(configured: string): string {
  const u = configured.replace(/\/+$/, '');
  return /claims:search$/.test(u) ? u : `${u}/v1alpha1/claims:search`;
}
