import type { Rating } from '../core/verdicts.js';

/**
 * Publishers rate claims in their own words ("Pants on Fire", "Four Pinocchios", "Missing
 * context", "Größtenteils falsch. Die meisten …"). dprk-watch keeps that wording as published
 * and maps it onto one scale so a change of verdict can be told from a change of phrasing.
 *
 * Choices that are judgement calls (documented so they can be argued with):
 * - "Misleading", "Exaggerated", "Out of context", "Cherry-picks", "Three Pinocchios" →
 *   mostly-false: the claim leaves a false impression though some of it is accurate.
 * - "Half true", "Partly true/false", "Mixture", "Missing context", "Two Pinocchios" → mixed.
 * - "Altered", "Fabricated", "Misattributed", "Miscaptioned", "Pants on Fire", "Four
 *   Pinocchios" → false.
 * - "Unproven", "Unsupported", "Unverified", "No evidence", "Insufficient evidence" → unproven.
 * - A wording dprk-watch does not know ("Satire", "Explainer", a sentence in another
 *   language) falls back to the numeric rating when there is one, else to `unproven` with
 *   basis "none", so callers can say the rating is not on the scale rather than pretend.
 */

export interface NumericRating {
  value: number | string;
  best?: number | string;
  worst?: number | string;
}

export interface RatingClass {
  normalized: Rating;
  /** text: the wording was recognized; numeric: from ratingValue on its scale; none: neither. */
  basis: 'text' | 'numeric' | 'none';
}

/** Lower-case, accents dropped, punctuation → spaces (keeps letters of every script). */
export function foldRating(text: string): string {
  return text
    .replace(/ß/g, 'ss')
    .replace(/ı/g, 'i')
    .replace(/[łŁ]/g, 'l')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’'`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const TRUE_WORDS = 'true|correct|accurate|right';
const FALSE_WORDS = 'false|incorrect|inaccurate|wrong|untrue';
const MOSTLY = 'mostly|largely|mainly|predominantly|generally|substantially';
const PARTLY = 'partly|partially|part|half|somewhat';

/**
 * A rule over folded text. Word edges are written as "not next to a letter or digit" so that
 * they hold for every script (JavaScript's \b only knows ASCII words).
 */
const rule = (pattern: string, rating: Rating): readonly [RegExp, Rating] => [
  new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern})(?![\\p{L}\\p{N}])`, 'u'),
  rating,
];

/** Ordered: the first rule that matches wins, so specific phrases come before single words. */
const RULES: ReadonlyArray<readonly [RegExp, Rating]> = [
  // The Washington Post's Pinocchio scale.
  rule('geppetto(?: checkmark)?', 'true'),
  rule('(?:bottomless|four|4) pinocchios?', 'false'),
  rule('(?:three|3) pinocchios?', 'mostly-false'),
  rule('(?:two|2) pinocchios?', 'mixed'),
  rule('(?:one|1) pinocchios?', 'mostly-true'),
  rule('pants on fire', 'false'),
  // Negated and qualified forms before the single words they contain.
  rule(`not (?:${MOSTLY}) (?:${TRUE_WORDS})`, 'mostly-false'),
  rule('not (?:true|correct|accurate|real|genuine)', 'false'),
  rule('not (?:proven|verified|supported|substantiated)', 'unproven'),
  rule(`(?:${MOSTLY}) (?:${TRUE_WORDS})`, 'mostly-true'),
  rule(`(?:${MOSTLY}) (?:${FALSE_WORDS})`, 'mostly-false'),
  rule(`(?:${PARTLY}) (?:${TRUE_WORDS}|${FALSE_WORDS})`, 'mixed'),
  rule(`(?:${TRUE_WORDS}) but`, 'mostly-true'),
  rule('mixture|mixed|half and half', 'mixed'),
  rule('(?:missing|lacks|lacking|needs|without|more) context', 'mixed'),
  rule(
    'false|fake|incorrect|inaccurate|wrong|untrue|hoax|fabricated|fabrication|altered|manipulated|doctored|debunked|scam|misattributed|miscaptioned|pseudoscience',
    'false',
  ),
  rule('misleading|misleads|mislead|distorts?|distorted|spins?|cherry ?picks?|cherry ?picked', 'mostly-false'),
  rule('exaggerat\\p{L}*|overstat\\p{L}*|out of context|decontextuali[sz]ed', 'mostly-false'),
  rule(
    'unproven|unsupported|unverified|unverifiable|unsubstantiated|undetermined|inconclusive|no evidence|insufficient evidence|not enough evidence|lack of evidence|cannot be verified|can t be verified|research in progress|baseless',
    'unproven',
  ),
  rule('true|correct|accurate|verified|confirmed|correct attribution|legit|legitimate', 'true'),
  // A few of the other languages Google Fact Check Tools returns (es, pt, it, fr, de, tr, hr, el, pl).
  rule(
    '(?:grosstenteils|uberwiegend|en gran parte|mayormente|majoritariamente|en grande partie|in gran parte) (?:falsch|falso|falsa|faux|fausse)',
    'mostly-false',
  ),
  rule(
    '(?:grosstenteils|uberwiegend|en gran parte|mayormente|majoritariamente|en grande partie|in gran parte) (?:richtig|wahr|verdadero|verdadera|verdadeiro|verdadeira|vrai|vero)',
    'mostly-true',
  ),
  rule('(?:teilweise|parcialmente|partiellement|parzialmente|kismen|djelomicno) \\p{L}+', 'mixed'),
  rule('enganoso|enganosa|trompeur|trompeuse|irrefuhrend|fuorviante|yaniltici|zavaravajuc\\p{L}*|παραπλανητικ\\p{L}*', 'mostly-false'),
  rule('sin evidencia|sem evidencias|sans preuve|keine belege|kanitlanmadi', 'unproven'),
  rule('falso|falsa|faux|fausse|falsch|yanlis|sahte|netocn\\p{L}*|lazn\\p{L}*|ψευδ\\p{L}*|λαθος|falsz\\p{L}*|nepravd\\p{L}*', 'false'),
  rule('verdadero|verdadera|verdadeiro|verdadeira|vero|vrai|wahr|richtig|dogru|tocno|istinit\\p{L}*|αληθ\\p{L}*', 'true'),
];

function byText(folded: string): Rating | undefined {
  for (const [re, rating] of RULES) if (re.test(folded)) return rating;
  return undefined;
}

const num = (v: number | string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(String(v).trim().replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
};

/**
 * schema.org Rating: bestRating defaults to 5 and worstRating to 1. The position of the value
 * on that scale, cut into five equal bands, gives the normalized rating.
 */
function byNumber(n: NumericRating): Rating | undefined {
  const value = num(n.value);
  const best = num(n.best) ?? 5;
  const worst = num(n.worst) ?? 1;
  if (value === undefined || best === worst) return undefined;
  const share = (value - worst) / (best - worst);
  if (share < 0 || share > 1) return undefined;
  if (share >= 0.875) return 'true';
  if (share >= 0.625) return 'mostly-true';
  if (share >= 0.375) return 'mixed';
  if (share >= 0.125) return 'mostly-false';
  return 'false';
}

/** Map a published rating onto the scale, saying how (see the module comment for the choices). */
export function classifyRating(text: string | undefined, numeric?: NumericRating): RatingClass {
  const folded = foldRating(text ?? '');
  if (folded) {
    // The verdict usually leads ("Größtenteils falsch. Die meisten …"): read the first
    // sentence before the whole text, so the explanation cannot override it.
    const lead = foldRating((text ?? '').split(/[.;:!?(—–]|\s-\s/)[0] ?? '');
    const rating = (lead && byText(lead)) || byText(folded);
    if (rating) return { normalized: rating, basis: 'text' };
  }
  const fromNumber = numeric ? byNumber(numeric) : undefined;
  if (fromNumber) return { normalized: fromNumber, basis: 'numeric' };
  return { normalized: 'unproven', basis: 'none' };
}

/** The normalized rating of a published wording, with the numeric rating as a fallback. */
export function normalizeRating(text: string | undefined, numeric?: NumericRating): Rating {
  return classifyRating(text, numeric).normalized;
}

/**
 * What must differ for a rating to count as changed: the publisher's leading verdict phrase
 * (a numeric-only rating's text carries its value). Edits to a long explanation after the
 * verdict ("False. The photo …") or to capitalization are not changes — and neither is a
 * change in how dprk-watch normalizes a wording (an upgrade must not re-alert every claim).
 */
export function ratingKey(rating: string): string {
  return foldRating(rating.split(/[.;:!?(—–]|\s-\s/)[0] ?? rating) || foldRating(rating);
}
