import { parse } from 'node-html-parser';

/** Elements whose content is never text a reader sees. */
const DROP = ['script', 'style', 'noscript', 'template', 'svg', 'iframe'];

const TAG = /<\/?[a-z][a-z0-9-]*(\s[^<>]*)?\/?>|<!--[\s\S]*?-->/i;
const ENTITY = /&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;

function htmlPassToText(html: string): string {
  const root = parse(html, { blockTextElements: { pre: true }, comment: false });
  for (const tag of DROP) for (const el of root.querySelectorAll(tag)) el.remove();
  return root.structuredText;
}

/**
 * Plain text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed.
 * Feeds sometimes escape their HTML twice (`&amp;lt;p&amp;gt;`); what still looks like markup
 * or entities after one pass gets a second, so no markup reaches a chat message.
 */
export function htmlToText(html: string | undefined): string {
  if (!html) return '';
  let text = html;
  for (let pass = 0; pass < 3; pass++) {
    if (pass > 0 && !TAG.test(text) && !ENTITY.test(text)) break;
    text = htmlPassToText(text);
  }
  return text.replace(/\s+/g, ' ').trim();
}

/** Cut plain text to at most `max` characters, at a word boundary, marking the cut with "…". */
export function truncate(text: string, max = 500): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/**
 * Decode a fetched document to text: a BOM wins, else the XML declaration's encoding (or the
 * HTML meta charset), else UTF-8. Unknown labels fall back to UTF-8.
 */
export function decodeBody(body: Buffer): string {
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return body.subarray(3).toString('utf8');
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return new TextDecoder('utf-16le').decode(body.subarray(2));
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return new TextDecoder('utf-16be').decode(body.subarray(2));
  const head = body.subarray(0, 1024).toString('latin1');
  const label =
    /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ?? /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
  if (label && !/^utf-?8$/i.test(label)) {
    try {
      return new TextDecoder(label).decode(body);
    } catch {
      // unknown label: fall through to UTF-8
    }
  }
  return body.toString('utf8');
}
