import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A parsed element: child names to values (fast-xml-parser's object form). */
export type XmlNode = Record<string, unknown>;

/**
 * Check that `xml` is a well-formed document whose root element is `root` (namespace
 * ignored) and parse it. Throws an Error saying what is wrong otherwise.
 */
export function parseDocument(xml: string, root: string, label: string, repeating: ReadonlySet<string>): XmlNode {
  if (typeof xml !== 'string' || xml.trim() === '') throw new Error(`${label}: document is empty`);
  const found = firstElementName(xml);
  if (found === undefined) {
    throw new Error(`${label}: not an XML document (starts with ${JSON.stringify(xml.trimStart().slice(0, 60))})`);
  }
  const local = found.includes(':') ? found.slice(found.indexOf(':') + 1) : found;
  if (local !== root) {
    const hint = /^html$/i.test(local) ? ' — an HTML page, not the list (error page or login/redirect?)' : '';
    throw new Error(`${label}: expected root element <${root}>, found <${found}>${hint}`);
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    const truncated = !xml.trimEnd().endsWith('>') || /^Invalid '\[|^Unclosed tag/.test(msg);
    throw new Error(
      `${label}: document is not well-formed XML (line ${line}, column ${col}): ${msg}` +
        (truncated ? ' — the document looks truncated' : ''),
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false, // ids such as 0x…, "KPe.041 " and leading zeros stay strings
    parseAttributeValue: false,
    // Decode numeric character references (&#233;) too; only named XML entities are decoded otherwise.
    htmlEntities: true,
    jPath: false,
    isArray: (name, _path, _isLeaf, isAttribute) => !isAttribute && repeating.has(name),
  });
  const doc: unknown = parser.parse(xml);
  if (!doc || typeof doc !== 'object' || !(root in doc)) {
    throw new Error(`${label}: no <${root}> element after parsing`);
  }
  return doc as XmlNode;
}

/** Name of the first element, skipping BOM, XML declaration, PIs, comments and DOCTYPE. */
export function firstElementName(xml: string): string | undefined {
  const m =
    /^\uFEFF?\s*(?:(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>)\s*)*<([A-Za-z_][\w.:-]*)/i.exec(
      xml.slice(0, 64 * 1024),
    );
  return m?.[1];
}

/** Trimmed text of an element (or of the first/joined values if it repeats); undefined if empty. */
export function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? undefined : t;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    const parts = v.map(str).filter((s): s is string => s !== undefined);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  if (typeof v === 'object') return str((v as XmlNode)['#text']);
  return undefined;
}

/** Texts of a (possibly repeating) element. */
export function strs(v: unknown): string[] {
  const items = Array.isArray(v) ? v : [v];
  return items.map(str).filter((s): s is string => s !== undefined);
}

/** Child elements that have content (empty elements parse as "" and are dropped). */
export function list(v: unknown): XmlNode[] {
  const items = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return items.filter((x): x is XmlNode => x !== null && typeof x === 'object' && !Array.isArray(x));
}

export function node(v: unknown): XmlNode | undefined {
  return list(v)[0];
}

/** Short message for a skipped record (zod errors become "path: message; …"). */
export function describe(err: unknown): string {
  if (err && typeof err === 'object' && 'issues' in err && Array.isArray(err.issues)) {
    return err.issues
      .map((i: { path?: unknown[]; message?: string }) => `${(i.path ?? []).join('.') || '(record)'}: ${i.message ?? ''}`)
      .join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}
