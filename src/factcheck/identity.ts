import { sha256 } from '../core/snapshot.js';
import { tokenize } from '../search/normalize.js';

/**
 * Claim identity.
 *
 * A verdict is identified by its review URL when there is one: that URL is the publisher's
 * permanent address for the review, and publishers update a rating in place (PolitiFact,
 * AFP and others add an "Update:" note to the same article). The claim text is a worse key:
 * publishers edit `claimReviewed` (trimmed quotes, fixed typos), Google re-extracts it, and
 * every edit would look like a new claim and lose the rating history.
 *
 * Without a URL (the bundled seeds; a ClaimReview with no url on a page we could not
 * address), the id is a hash of publisher + normalized claim text — the only stable thing
 * left. Normalization (case, punctuation, accents, spacing) keeps cosmetic differences from
 * splitting a claim.
 *
 * One URL can carry several claims: round-up articles (the real Google sample of 2021-10-30
 * has two PolitiFact claims under one URL) and pages with several ClaimReviews. When a URL
 * carries more than one claim, each gets `<url>#claim-<hash of its normalized text>`, except
 * the claim already stored under the bare URL, which keeps it (and its history).
 */

/** Tracking parameters that do not change which page a URL names. */
const TRACKING = /^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|cmpid|ocid)$/i;

/** The review URL in one spelling: scheme and host lower-case, no fragment, no tracking params. */
export function canonicalUrl(url: string | undefined): string | undefined {
  const raw = url?.trim();
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'file:') return undefined;
    u.hash = '';
    for (const k of [...u.searchParams.keys()]) if (TRACKING.test(k)) u.searchParams.delete(k);
    return u.toString();
  } catch {
    return undefined;
  }
}

/** Claim text reduced to its words (what "the same claim text" means here). */
export function normalizeClaim(text: string): string {
  const t = tokenize(text).join(' ');
  // Text in a script tokenize does not keep (Greek, Cyrillic…): fold it instead of losing it.
  return t || text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export const shortHash = (s: string): string => sha256(s).slice(0, 16);

export function hashId(publisher: string, claim: string): string {
  return `claim:${shortHash(`${normalizeClaim(publisher)}|${normalizeClaim(claim)}`)}`;
}

export function claimFragmentId(url: string, claim: string): string {
  return `${url}#claim-${shortHash(normalizeClaim(claim)).slice(0, 12)}`;
}

/** Share of distinct words two claim texts have in common (Jaccard). */
export function claimOverlap(a: string, b: string): number {
  const x = new Set(tokenize(a));
  const y = new Set(tokenize(b));
  if (x.size === 0 && y.size === 0) return normalizeClaim(a) === normalizeClaim(b) ? 1 : 0;
  let shared = 0;
  for (const t of x) if (y.has(t)) shared++;
  return shared / (x.size + y.size - shared);
}

/** Below this overlap, one URL's stored claim and a new one are different claims, not an edit. */
export const EDIT_OVERLAP = 0.5;

export interface IdentityInput {
  url?: string;
  publisher: string;
  claim: string;
}

/** What is already stored, by id: its claim text and review URL. */
export type KnownClaims = ReadonlyMap<string, { claim: string; url: string }>;

/**
 * Ids for one batch of reviews (one poll of one source), following the rule above. `known`
 * holds what is stored (every source), so a claim keeps its id across polls and sources.
 */
export function assignIds(batch: readonly IdentityInput[], known: KnownClaims): string[] {
  const byUrl = new Map<string, Set<string>>();
  for (const r of batch) {
    const url = canonicalUrl(r.url);
    if (!url) continue;
    const claims = byUrl.get(url) ?? new Set<string>();
    claims.add(normalizeClaim(r.claim));
    byUrl.set(url, claims);
  }
  return batch.map((r) => {
    const url = canonicalUrl(r.url);
    if (!url) return hashId(r.publisher, r.claim);
    const key = normalizeClaim(r.claim);
    const atUrl = known.get(url);
    const shared = (byUrl.get(url)?.size ?? 1) > 1;
    if (!shared) {
      // One claim at this URL in this batch: the bare URL, unless a different claim (not an
      // edit of this one) is already stored under it.
      if (!atUrl || normalizeClaim(atUrl.claim) === key || claimOverlap(atUrl.claim, r.claim) >= EDIT_OVERLAP) return url;
      return claimFragmentId(url, r.claim);
    }
    // Several claims share the URL: the one stored under the bare URL keeps it.
    if (atUrl && normalizeClaim(atUrl.claim) === key) return url;
    return claimFragmentId(url, r.claim);
  });
}
