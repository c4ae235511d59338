import { parse } from 'node-html-parser';
import type { NumericRating } from '../../factcheck/rating.js';
import type { ParsedReview } from '../../factcheck/review.js';

/**
 * schema.org ClaimReview (https://schema.org/ClaimReview) in a page's JSON-LD, in the shapes
 * publishers use: a single object, an array of objects, an `@graph` (WordPress/Yoast) whose
 * nodes refer to each other by `@id`, several ClaimReviews on one page, and ClaimReviews
 * nested in an article (`review`, `mainEntity`, `hasPart`). Read per review:
 *   claimReviewed                       → the claim
 *   itemReviewed (Claim).author         → claimant;  .datePublished → claim date
 *   itemReviewed.appearance / firstAppearance → where the claim was seen
 *   reviewRating.alternateName (else name)    → rating as published
 *   reviewRating.ratingValue / bestRating / worstRating → numeric fallback
 *   author (else publisher)             → publisher;  url (else the page) → review URL
 *   dateModified (else datePublished)   → review date
 */

export interface PageReviews {
  reviews: ParsedReview[];
  warnings: string[];
  /** JSON-LD blocks on the page, and how many could not be read. */
  blocks: number;
  broken: number;
}

type Json = unknown;
type Node = Record<string, Json>;

const isNode = (v: Json): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: Json): Json[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

function typesOf(n: Node): string[] {
  return asArray(n['@type'])
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.replace(/^(?:https?:\/\/schema\.org\/|schema:)/, ''));
}

const text = (v: Json): string | undefined => {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return text(v[0]);
  if (isNode(v) && '@value' in v) return text(v['@value']);
  return undefined;
};

/** Remove the wrappers CMSs put around JSON-LD (HTML comments, CDATA). */
function unwrap(raw: string): string {
  return raw
    .trim()
    .replace(/^<!--/, '')
    .replace(/-->$/, '')
    .replace(/^\s*(?:\/\/\s*)?<!\[CDATA\[/, '')
    .replace(/(?:\/\/\s*)?\]\]>\s*$/, '')
    .trim();
}

function parseBlock(raw: string): Json {
  const body = unwrap(raw);
  try {
    return JSON.parse(body);
  } catch (first) {
    // Raw line breaks and tabs inside strings are the most common real-world breakage.
    try {
      return JSON.parse(body.replace(/[\u0000-\u001f]+/g, ' '));
    } catch {
      throw first;
    }
  }
}

/** Every object in the JSON-LD, depth first, each once. */
function walk(value: Json, visit: (n: Node) => void, seen = new Set<Node>()): void {
  for (const v of asArray(value)) {
    if (Array.isArray(v)) {
      walk(v, visit, seen);
      continue;
    }
    if (!isNode(v) || seen.has(v)) continue;
    seen.add(v);
    visit(v);
    for (const [k, child] of Object.entries(v)) if (k !== '@context') walk(child, visit, seen);
  }
}

const hostOf = (url: string | undefined): string | undefined => {
  try {
    return url ? new URL(url).hostname.replace(/^www\./, '') : undefined;
  } catch {
    return undefined;
  }
};

/** Read ClaimReviews out of an HTML page (or a bare JSON-LD document). */
export function extractClaimReviews(html: string, pageUrl: string): PageReviews {
  const warnings: string[] = [];
  const trimmed = html.trimStart();
  let rawBlocks: string[];
  let pageTitle: string | undefined;
  let pageLang: string | undefined;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    rawBlocks = [html];
  } else {
    const root = parse(html, { blockTextElements: { script: true, style: true, noscript: true, pre: true } });
    rawBlocks = root
      .querySelectorAll('script')
      .filter((s) => /ld\+json/i.test(s.getAttribute('type') ?? ''))
      .map((s) => s.rawText);
    pageTitle =
      root.querySelector('meta[property="og:title"]')?.getAttribute('content')?.trim() || root.querySelector('title')?.text.trim() || undefined;
    pageLang = root.querySelector('html')?.getAttribute('lang')?.trim() || undefined;
  }

  const docs: Json[] = [];
  let broken = 0;
  rawBlocks.forEach((raw, i) => {
    try {
      docs.push(parseBlock(raw));
    } catch (e) {
      broken++;
      warnings.push(`JSON-LD block ${i + 1} of ${rawBlocks.length} is not valid JSON: ${(e as Error).message}`);
    }
  });

  // Nodes by @id, so references ({"@id": "…#organization"}) resolve to the full node.
  const byId = new Map<string, Node>();
  const claimReviews: Node[] = [];
  for (const doc of docs)
    walk(doc, (n) => {
      const id = typeof n['@id'] === 'string' ? n['@id'] : undefined;
      if (id && Object.keys(n).some((k) => k !== '@id') && !byId.has(id)) byId.set(id, n);
      if (typesOf(n).includes('ClaimReview')) claimReviews.push(n);
    });
  const resolve = (v: Json): Json => {
    if (isNode(v) && typeof v['@id'] === 'string' && Object.keys(v).length === 1) return byId.get(v['@id']) ?? v;
    return v;
  };
  const nodes = (v: Json): Node[] => asArray(v).map(resolve).filter(isNode);
  const nameOf = (v: Json): string | undefined => {
    const names = asArray(v)
      .map(resolve)
      .map((x) => (isNode(x) ? text(x.name) ?? text(x.alternateName) : text(x)))
      .filter((x): x is string => !!x);
    return names.length ? [...new Set(names)].join(', ') : undefined;
  };
  const urlsOf = (v: Json): string[] =>
    asArray(v)
      .map(resolve)
      .map((x) => (isNode(x) ? text(x.url) ?? text(x['@id']) : text(x)))
      .filter((x): x is string => !!x && /^https?:\/\//.test(x));

  const reviews: ParsedReview[] = [];
  // A review nested in another may be reached twice (once from @graph, once by reference).
  const unique = [...new Set(claimReviews)];
  unique.forEach((cr, i) => {
    const where = `ClaimReview ${i + 1} of ${unique.length}`;
    const claim = text(cr.claimReviewed);
    if (!claim) {
      warnings.push(`${where} has no claimReviewed; skipped`);
      return;
    }
    const rating = nodes(cr.reviewRating)[0];
    const ratingText = rating ? text(rating.alternateName) ?? text(rating.name) : undefined;
    const value = rating ? text(rating.ratingValue) : undefined;
    const numeric: NumericRating | undefined =
      value !== undefined
        ? {
            value,
            ...(text(rating?.bestRating) !== undefined ? { best: text(rating?.bestRating)! } : {}),
            ...(text(rating?.worstRating) !== undefined ? { worst: text(rating?.worstRating)! } : {}),
          }
        : undefined;
    if (!ratingText && !numeric) {
      warnings.push(`${where} ("${claim.slice(0, 60)}") has no reviewRating; skipped`);
      return;
    }
    const item = nodes(cr.itemReviewed)[0];
    const authorNode = nodes(cr.author)[0] ?? nodes(cr.publisher)[0];
    const publisher = nameOf(cr.author) ?? nameOf(cr.publisher) ?? hostOf(pageUrl) ?? 'unknown publisher';
    const publisherSite = hostOf(authorNode ? text(authorNode.url) : undefined) ?? hostOf(pageUrl);
    const url = text(cr.url) && /^https?:\/\//.test(text(cr.url)!) ? text(cr.url)! : pageUrl;
    const appearances = item ? [...new Set([...urlsOf(item.firstAppearance), ...urlsOf(item.appearance)])] : [];
    const claimant = item ? nameOf(item.author) : undefined;
    const claimDate = item ? text(item.datePublished) : undefined;
    const reviewDate = text(cr.dateModified) ?? text(cr.datePublished);
    const title = text(cr.headline) ?? text(cr.name) ?? pageTitle;
    const lang = nodes(cr.inLanguage)[0];
    const language = (lang ? text(lang.alternateName) ?? text(lang.name) : text(cr.inLanguage)) ?? pageLang;
    reviews.push({
      claim,
      rating: ratingText ?? `${value} (scale ${numeric?.worst ?? 1}–${numeric?.best ?? 5})`,
      publisher,
      url,
      origin: 'claimreview-page',
      ...(numeric ? { numeric } : {}),
      ...(claimant ? { claimant } : {}),
      ...(claimDate ? { claimDate } : {}),
      ...(publisherSite ? { publisherSite } : {}),
      ...(reviewDate ? { reviewDate } : {}),
      ...(title ? { title } : {}),
      ...(language ? { language } : {}),
      ...(appearances.length ? { appearances } : {}),
    });
  });
  return { reviews, warnings, blocks: rawBlocks.length, broken };
}
