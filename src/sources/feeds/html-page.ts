import { parse, type HTMLElement } from 'node-html-parser';
import type { FeedItem } from './item.js';

/**
 * Publication links on an HTML page (a listing such as Treasury's press releases or the MSMT
 * site), found without site-specific selectors:
 *
 * 1. Page chrome is dropped: script/style, `nav`, `header`, `footer`, `aside`, elements with a
 *    navigation/banner/contentinfo/search role, and elements whose id or class names them as
 *    chrome (`header`, `footer`, `nav`, `menu`, `gnb`/`lnb`, `breadcrumb`… as a whole word of
 *    the name, e.g. `div#header`, `ul.f-menu`, `usa-nav__primary`).
 * 2. A link is a candidate when it stays on the page's site (www. ignored), is not the page
 *    itself or one of its pages/sorts (same path, or ?page=/?sort=…), and reads like a title:
 *    at least 3 words with letters and 15 characters, and not "Download…", "Read more"….
 *    A heading or bold element inside the link, when it reads like a title, is the title.
 * 3. Its "row" is the largest ancestor (up to 5 levels) that holds no other title-like link:
 *    the row gives the date — a `<time datetime>`, else the first date written in the row
 *    (2025-10-22, 2025.10.22, October 22, 2025, 22 October 2025) — and, when the row has at
 *    least 40 characters of other text, a summary.
 * 4. The same link found twice (a teaser and a listing row) is one item, the occurrence with a
 *    date and the longest title winning; items come in page order.
 */

const CHROME = [
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'nav',
  'header',
  'footer',
  'aside',
  '[role=navigation]',
  '[role=banner]',
  '[role=contentinfo]',
  '[role=search]',
];
const CHROME_NAME = /(^|[-_])(header|footer|nav|navbar|navigation|menu|gnb|lnb|snb|breadcrumbs?|skip|sitemap)(?=$|[-_])/i;
const NOT_A_TITLE = /^\s*(download|read more|read the|more|view|see (all|more)|learn more|pdf|next|previous|prev|back|skip to|click here|subscribe|share)\b/i;
const PAGING_PARAMS = /^(page|p|sort|order|orderby|lang|pageindex|pageno|start|offset)$/i;
const MAX_ROW_LEVELS = 5;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const DATE_PATTERNS: Array<[RegExp, (m: RegExpExecArray) => [number, number, number]]> = [
  [/\b((?:19|20)\d{2})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\b\.?/, (m) => [+m[1]!, +m[2]!, +m[3]!]],
  [new RegExp(`\\b${MONTH}\\.?\\s+(\\d{1,2}),?\\s+((?:19|20)\\d{2})\\b`, 'i'), (m) => [+m[3]!, monthOf(m[1]!), +m[2]!]],
  [new RegExp(`\\b(\\d{1,2})\\s+${MONTH}\\.?,?\\s+((?:19|20)\\d{2})\\b`, 'i'), (m) => [+m[3]!, monthOf(m[2]!), +m[1]!]],
];

function monthOf(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The first date written in a text: its ISO form (YYYY-MM-DD) and the matched words. */
export function findDate(text: string): { iso: string; matched: string } | undefined {
  let best: { iso: string; matched: string; at: number } | undefined;
  for (const [re, pick] of DATE_PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    const [y, mo, d] = pick(m);
    if (mo < 1 || mo > 12 || d < 1 || d > 31) continue;
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCMonth() !== mo - 1) continue;
    if (!best || m.index < best.at) best = { iso: `${y}-${pad(mo)}-${pad(d)}`, matched: m[0], at: m.index };
  }
  return best && { iso: best.iso, matched: best.matched };
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const words = (s: string) => s.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
const readsLikeTitle = (s: string) => words(s) >= 3 && s.length >= 15 && !NOT_A_TITLE.test(s);
const siteOf = (host: string) => host.toLowerCase().replace(/^www\./, '');

function titleOf(a: HTMLElement): string {
  for (const el of a.querySelectorAll('h1,h2,h3,h4,h5,h6,strong,b')) {
    const t = collapse(el.text);
    if (readsLikeTitle(t)) return t;
  }
  let text = collapse(a.text);
  const date = findDate(text);
  if (date) {
    const without = collapse(text.replace(date.matched, ' '));
    if (readsLikeTitle(without)) text = without;
  }
  return text;
}

function candidateUrl(href: string, page: URL): string | undefined {
  const raw = href.trim();
  if (!raw || raw.startsWith('#') || /^(javascript|mailto|tel|data):/i.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw, page);
  } catch {
    return undefined;
  }
  if (!/^(https?|file):$/.test(url.protocol)) return undefined;
  if (siteOf(url.host) !== siteOf(page.host)) return undefined;
  url.hash = '';
  const samePath = url.pathname.replace(/\/+$/, '') === page.pathname.replace(/\/+$/, '');
  if (samePath) return undefined;
  for (const key of url.searchParams.keys()) if (PAGING_PARAMS.test(key)) return undefined;
  return url.href;
}

function rowDate(row: HTMLElement, rowText: string): { iso: string; matched: string } | undefined {
  for (const time of row.querySelectorAll('time')) {
    const attr = time.getAttribute('datetime');
    if (attr) {
      const ms = Date.parse(attr.trim());
      if (!Number.isNaN(ms)) return { iso: new Date(ms).toISOString(), matched: collapse(time.text) };
    }
    const found = findDate(collapse(time.text));
    if (found) return { iso: found.iso, matched: collapse(time.text) };
  }
  return findDate(rowText);
}

interface Occurrence {
  url: string;
  anchor: HTMLElement;
  title: string;
  order: number;
}

/** Publication items (title, link, date when shown) on an HTML page. */
export function extractPublications(html: string, pageUrl: string): FeedItem[] {
  const page = new URL(pageUrl);
  const root = parse(html, { blockTextElements: { pre: true }, comment: false });
  for (const selector of CHROME) for (const el of root.querySelectorAll(selector)) el.remove();
  for (const el of root.querySelectorAll('[id],[class]')) {
    if (/^(html|body|main)$/i.test(el.tagName) || el.querySelector('main')) continue;
    const names = [el.getAttribute('id') ?? '', ...(el.getAttribute('class') ?? '').split(/\s+/)];
    if (names.some((n) => n && CHROME_NAME.test(n))) el.remove();
  }

  const occurrences: Occurrence[] = [];
  // Distinct title-like links (candidates or not: an off-site story is another row too) under
  // each element, to find each candidate's row.
  const linksUnder = new Map<HTMLElement, Set<string>>();
  for (const anchor of root.querySelectorAll('a[href]')) {
    const href = (anchor.getAttribute('href') ?? '').trim();
    const title = titleOf(anchor);
    if (!href || !readsLikeTitle(title)) continue;
    const url = candidateUrl(href, page);
    if (url) occurrences.push({ url, anchor, title, order: occurrences.length });
    const key = url ?? href;
    for (let el: HTMLElement | null = anchor; el && el !== root; el = el.parentNode) {
      let set = linksUnder.get(el);
      if (!set) linksUnder.set(el, (set = new Set()));
      set.add(key);
    }
  }

  const best = new Map<string, { item: FeedItem; order: number; dated: boolean }>();
  for (const o of occurrences) {
    let row = o.anchor;
    for (let level = 0; level < MAX_ROW_LEVELS; level++) {
      const parent = row.parentNode;
      if (!parent || parent === root || (linksUnder.get(parent)?.size ?? 0) > 1) break;
      row = parent;
    }
    const rowText = collapse(row.structuredText);
    const date = rowDate(row, rowText);
    let rest = rowText.replace(o.title, ' ');
    if (date?.matched) rest = rest.replace(date.matched, ' ');
    rest = collapse(rest);
    const item: FeedItem = {
      id: o.url,
      title: o.title,
      link: o.url,
      summaryText: rest.length >= 40 ? rest : '',
      bodyText: '',
      ...(date ? { publishedAt: date.iso } : {}),
    };
    const prior = best.get(o.url);
    const better =
      !prior || (!!date && !prior.dated) || (!!date === prior.dated && o.title.length > prior.item.title.length);
    if (better) best.set(o.url, { item, order: prior?.order ?? o.order, dated: !!date });
  }
  return [...best.values()].sort((a, b) => a.order - b.order).map((b) => b.item);
}
