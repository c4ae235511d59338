import { z } from 'zod';
import { fetchDocument, type FetchOptions } from '../fetcher.js';
import { googleEndpoint } from './config.js';
import type { ParsedReview } from '../../factcheck/review.js';

/**
 * Google Fact Check Tools `claims:search` (v1alpha1). Reference:
 * https://developers.google.com/fact-check/tools/api/reference/rest/v1alpha1/claims/search
 * Query parameters used: query, languageCode, pageSize, pageToken, key. The response is
 * `{ claims?: Claim[], nextPageToken?: string }` (an empty result is `{}`); a Claim has text,
 * claimant, claimDate and claimReview[] (publisher {name, site}, url, title, reviewDate,
 * textualRating, languageCode). Any of those may be missing — the real samples in
 * test/fixtures/real/factcheck have reviews without reviewDate and without title.
 */

const str = z.string().optional().catch(undefined);

const ReviewSchema = z.object({
  publisher: z.object({ name: str, site: str }).partial().optional().catch(undefined),
  url: str,
  title: str,
  reviewDate: str,
  textualRating: str,
  languageCode: str,
});

const ClaimSchema = z.object({
  text: str,
  claimant: str,
  claimDate: str,
  claimReview: z.array(z.unknown()).optional().catch(undefined),
});

export const ClaimsSearchResponseSchema = z.object({
  claims: z.array(z.unknown()).optional(),
  nextPageToken: z.string().optional(),
});

export interface SearchPage {
  reviews: ParsedReview[];
  nextPageToken?: string;
  warnings: string[];
}

const hostOf = (url: string | undefined): string | undefined => {
  try {
    return url ? new URL(url).hostname.replace(/^www\./, '') : undefined;
  } catch {
    return undefined;
  }
};

/** One claims:search response → reviews (one per claim × claimReview). Throws when it is not one. */
export function parseClaimsSearch(body: string): SearchPage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error(`claims:search answered something that is not JSON (${JSON.stringify(body.slice(0, 60))}…)`);
  }
  const parsed = ClaimsSearchResponseSchema.safeParse(json);
  if (!parsed.success) throw new Error(`claims:search answered JSON of an unexpected shape: ${parsed.error.issues[0]?.message}`);
  const warnings: string[] = [];
  const reviews: ParsedReview[] = [];
  for (const [i, raw] of (parsed.data.claims ?? []).entries()) {
    const claim = ClaimSchema.safeParse(raw);
    const text = claim.success ? claim.data.text?.trim() : undefined;
    if (!claim.success || !text) {
      warnings.push(`claims[${i}] has no claim text; skipped`);
      continue;
    }
    for (const [j, rawReview] of (claim.data.claimReview ?? []).entries()) {
      const r = ReviewSchema.safeParse(rawReview);
      const rating = r.success ? r.data.textualRating?.trim() : undefined;
      if (!r.success || !rating) {
        warnings.push(`claims[${i}].claimReview[${j}] has no textualRating; skipped`);
        continue;
      }
      const review = r.data;
      const publisher = review.publisher?.name?.trim() || review.publisher?.site?.trim() || hostOf(review.url) || 'unknown publisher';
      reviews.push({
        claim: text,
        rating,
        publisher,
        origin: 'google-factcheck',
        ...(claim.data.claimant?.trim() ? { claimant: claim.data.claimant.trim() } : {}),
        ...(claim.data.claimDate ? { claimDate: claim.data.claimDate } : {}),
        ...(review.publisher?.site ? { publisherSite: review.publisher.site } : {}),
        ...(review.reviewDate ? { reviewDate: review.reviewDate } : {}),
        ...(review.url ? { url: review.url } : {}),
        ...(review.title?.trim() ? { title: review.title.trim() } : {}),
        ...(review.languageCode ? { language: review.languageCode } : {}),
      });
    }
  }
  return { reviews, warnings, ...(parsed.data.nextPageToken ? { nextPageToken: parsed.data.nextPageToken } : {}) };
}

export interface GoogleSearchOptions {
  endpoint: string;
  apiKey: string;
  queries: readonly string[];
  maxPages: number;
  language?: string;
  fetch: Omit<FetchOptions, 'previous'>;
}

/** Keep the API key out of anything that is logged or stored. */
export function redactKey(text: string, key: string): string {
  if (!key) return text;
  return text
    .split(key)
    .join('[redacted]')
    .split(encodeURIComponent(key))
    .join('[redacted]');
}

export function searchUrl(endpoint: string, p: { query: string; key: string; language?: string; pageToken?: string }): string {
  const u = new URL(googleEndpoint(endpoint));
  u.searchParams.set('query', p.query);
  if (p.language) u.searchParams.set('languageCode', p.language);
  if (p.pageToken) u.searchParams.set('pageToken', p.pageToken);
  u.searchParams.set('key', p.key);
  return u.toString();
}

export interface GoogleResult {
  reviews: ParsedReview[];
  warnings: string[];
  requests: number;
}

/**
 * Run every configured query, following nextPageToken up to `maxPages` pages each. Any
 * failed request fails the whole search (the caller keeps the previous state): a partial
 * result would look like claims that vanished. Errors never carry the key.
 */
export async function searchGoogle(o: GoogleSearchOptions): Promise<GoogleResult> {
  const reviews: ParsedReview[] = [];
  const warnings: string[] = [];
  let requests = 0;
  for (const query of o.queries) {
    let pageToken: string | undefined;
    const seenTokens = new Set<string>();
    for (let page = 1; ; page++) {
      const url = searchUrl(o.endpoint, { query, key: o.apiKey, ...(o.language ? { language: o.language } : {}), ...(pageToken ? { pageToken } : {}) });
      let parsed: SearchPage;
      try {
        requests++;
        const res = await fetchDocument(url, o.fetch);
        if (res.status !== 'ok') throw new Error('answered 304 to an unconditional request');
        parsed = parseClaimsSearch(res.body.toString('utf8'));
      } catch (e) {
        throw new Error(redactKey(`query "${query}" page ${page}: ${(e as Error).message}`, o.apiKey));
      }
      reviews.push(...parsed.reviews);
      warnings.push(...parsed.warnings.map((w) => `query "${query}" page ${page}: ${w}`));
      const next = parsed.nextPageToken;
      if (!next) break;
      if (seenTokens.has(next)) {
        warnings.push(`query "${query}": nextPageToken ${next} repeated; stopped`);
        break;
      }
      if (page >= o.maxPages) {
        warnings.push(`query "${query}": stopped after ${o.maxPages} page(s) (FACTCHECK_MAX_PAGES); more results exist`);
        break;
      }
      seenTokens.add(next);
      pageToken = next;
    }
  }
  return { reviews, warnings, requests };
}
