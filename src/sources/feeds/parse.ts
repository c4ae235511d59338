import Parser from 'rss-parser';
import { sha256 } from '../../core/snapshot.js';
import type { FeedKind } from './config.js';
import type { FeedItem } from './item.js';
import { extractPublications } from './html-page.js';
import { decodeBody, htmlToText, truncate } from './text.js';

export type DocumentFormat = 'rss' | 'atom' | 'rdf' | 'html';

export interface ParsedFeed {
  format: DocumentFormat;
  title?: string;
  items: FeedItem[];
}

/** The document is not a usable feed or page; the message says why, for `status`. */
export class FeedFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedFormatError';
  }
}

const PROLOG = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/;

type Sniffed = { kind: 'empty' } | { kind: 'html' } | { kind: 'feed'; format: DocumentFormat } | { kind: 'other'; root?: string };

/** What a document is, from its first element (errors come back as HTML with 200). */
function sniff(text: string): Sniffed {
  const head = text.slice(0, 8192).replace(/^\uFEFF/, '');
  if (head.replace(/\u001a/g, '').trim() === '') return { kind: 'empty' };
  const rest = head.replace(PROLOG, '');
  if (/^<!doctype\s+html/i.test(rest)) return { kind: 'html' };
  const afterDoctype = rest.replace(/^<!doctype[^>[]*(\[[\s\S]*?\])?\s*>/i, '').replace(PROLOG, '');
  const root = /^<([A-Za-z_][\w:.-]*)/.exec(afterDoctype)?.[1];
  if (!root) return /<html[\s>]|<body[\s>]/i.test(head) ? { kind: 'html' } : { kind: 'other' };
  const local = root.toLowerCase().replace(/^.*:/, '');
  if (local === 'html' || local === 'body' || local === 'head') return { kind: 'html' };
  if (local === 'rss') return { kind: 'feed', format: 'rss' };
  if (local === 'feed') return { kind: 'feed', format: 'atom' };
  if (local === 'rdf') return { kind: 'feed', format: 'rdf' };
  return { kind: 'other', root };
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const COMMON_HTML_ENTITIES: Record<string, string> = {
  nbsp: '#160',
  ndash: '#8211',
  mdash: '#8212',
  lsquo: '#8216',
  rsquo: '#8217',
  ldquo: '#8220',
  rdquo: '#8221',
  hellip: '#8230',
  copy: '#169',
  reg: '#174',
  trade: '#8482',
  bull: '#8226',
  middot: '#183',
  eacute: '#233',
};

/**
 * Make common sloppiness well-formed XML: HTML named entities (&nbsp;) that XML does not
 * declare, and bare ampersands. CDATA sections are left alone. Used only after a strict parse
 * failed.
 */
export function repairXml(xml: string): string {
  return xml
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(/&(#\d+;|#x[0-9a-fA-F]+;|([A-Za-z][A-Za-z0-9]*);)?/g, (whole, ref: string | undefined, name: string | undefined) => {
            if (!ref) return '&amp;';
            if (!name || XML_ENTITIES.has(name)) return whole;
            const numeric = COMMON_HTML_ENTITIES[name];
            return numeric ? `&${numeric};` : `&amp;${name};`;
          }),
    )
    .join('');
}

type RawItem = Parser.Item & Record<string, unknown>;

const str = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim() || undefined;
  if (v && typeof v === 'object' && typeof (v as { _?: unknown })._ === 'string') return (v as { _: string })._.trim() || undefined;
  return undefined;
};

function absolute(link: string | undefined, base: string): string | undefined {
  if (!link) return undefined;
  try {
    const url = new URL(link, base);
    return /^(https?|file):$/.test(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function isoDate(item: RawItem): string | undefined {
  for (const v of [item.isoDate, item.pubDate, (item as { date?: unknown }).date]) {
    const s = str(v);
    if (!s) continue;
    const ms = Date.parse(s);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  return undefined;
}

function toItem(raw: RawItem, format: DocumentFormat, base: string): FeedItem {
  const atom = format === 'atom';
  const title = htmlToText(str(raw.title));
  const summaryHtml = atom ? (str(raw.summary) ?? str(raw.content)) : (str(raw.content) ?? str(raw['content:encoded']) ?? str(raw.summary));
  const bodyHtml = atom ? str(raw.content) : str(raw['content:encoded']);
  const summaryText = htmlToText(summaryHtml);
  const bodyText = bodyHtml && bodyHtml !== summaryHtml ? htmlToText(bodyHtml) : '';
  const link = absolute(str(raw.link), base);
  const guid = str(raw.guid) ?? (atom ? str((raw as { id?: unknown }).id) : undefined) ?? str(raw['rdf:about']);
  const shownTitle = title || truncate(summaryText, 120) || link || '(untitled)';
  const id = guid ?? link ?? `title:${sha256(shownTitle).slice(0, 32)}`;
  const publishedAt = isoDate(raw);
  return { id, title: shownTitle, summaryText, bodyText, ...(link ? { link } : {}), ...(publishedAt ? { publishedAt } : {}) };
}

async function parseXmlFeed(text: string, format: DocumentFormat, url: string): Promise<ParsedFeed> {
  const parse = (xml: string) => new Parser({ defaultRSS: 2 }).parseString(xml);
  let output: Parser.Output<Record<string, unknown>>;
  try {
    output = await parse(text);
  } catch (first) {
    try {
      output = await parse(repairXml(text));
    } catch {
      throw new FeedFormatError(`the feed is not well-formed XML: ${String((first as Error).message).split('\n')[0]}`);
    }
  }
  const base = absolute(str(output.link), url) ?? url;
  const items = (output.items ?? []).map((raw) => toItem(raw as RawItem, format, base));
  const title = htmlToText(str(output.title)) || undefined;
  return { format, items, ...(title ? { title } : {}) };
}

/**
 * Parse a fetched document as the configured kind. Anything that is not what the kind
 * expects — an empty body, an HTML error page in place of a feed, malformed XML, a feed with
 * no items, a page with no publication links — is a FeedFormatError, never "zero new items".
 */
export async function parseFeedDocument(body: Buffer, kind: FeedKind, url: string): Promise<ParsedFeed> {
  const text = decodeBody(body);
  const what = sniff(text);
  if (what.kind === 'empty') throw new FeedFormatError('the document is empty');
  if (kind === 'html') {
    if (what.kind === 'feed') throw new FeedFormatError(`the page is an ${what.format.toUpperCase()} feed, not an HTML page: drop the |html flag`);
    if (what.kind !== 'html' && !/<a[\s>]/i.test(text)) throw new FeedFormatError('the document is not an HTML page');
    const items = extractPublications(text, url);
    if (items.length === 0) throw new FeedFormatError('no publication links found on the page (has its layout changed?)');
    return { format: 'html', items };
  }
  if (what.kind === 'html') throw new FeedFormatError('the server returned an HTML page (likely an error or block page) instead of the feed');
  if (what.kind === 'other')
    throw new FeedFormatError(what.root ? `the document is XML (<${what.root}>) but not an RSS or Atom feed` : 'the document is not an RSS or Atom feed');
  const parsed = await parseXmlFeed(text, what.format, url);
  if (parsed.items.length === 0) throw new FeedFormatError('the feed has no items');
  return parsed;
}
