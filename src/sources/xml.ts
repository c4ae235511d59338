import { StringDecoder } from 'node:string_decoder';
import { readXml, readXmlChunks, XmlSyntaxError, type RecordVisitor, type XmlNode } from './xml-reader.js';

export type { XmlNode };

/** Reads a list document into a tree: `parseDocument`, or another reader of the same contract (tests, bench). */
export type DocumentReader = (xml: string, root: string, label: string, repeating: ReadonlySet<string>) => XmlNode;

/**
 * Check that `xml` is a well-formed document whose root element is `root` (namespace
 * ignored) and read it (xml-reader.ts). Throws an Error saying what is wrong otherwise.
 */
export const parseDocument: DocumentReader = (xml, root, label, repeating) => streamDocument(xml, root, label, repeating);

/**
 * parseDocument, with the root's children named in `streamed` handed to `visit` as each one
 * closes instead of kept in the tree (see RecordVisitor): for the lists published as one
 * large file. Given the fetched bytes, it decodes and reads them a piece at a time (see
 * textChunks): a 40 MB file is then never one 40–80 MB string beside its bytes.
 */
export function streamDocument(
  xml: string | Uint8Array,
  root: string,
  label: string,
  repeating: ReadonlySet<string>,
  streamed?: ReadonlySet<string>,
  visit?: RecordVisitor,
): XmlNode {
  const bytes = typeof xml === 'string' ? undefined : xml;
  const head = bytes ? headText(bytes) : (xml as string);
  checkRoot(head, root, label);
  let doc: XmlNode;
  try {
    doc = bytes ? readXmlChunks(textChunks(bytes), repeating, streamed, visit) : readXml(xml as string, repeating, streamed, visit);
  } catch (err) {
    if (!(err instanceof XmlSyntaxError)) throw err;
    const ending = bytes ? tailText(bytes) : (xml as string).trimEnd();
    throw notWellFormed(label, err.line, err.column, err.reason, err.truncated || !ending.endsWith('>'));
  }
  if (!(root in doc)) throw new Error(`${label}: no <${root}> element after parsing`);
  return doc;
}

/** Bytes read into text per piece: a quarter of a megabyte of text (half as UTF-16) at a time. */
const CHUNK_BYTES = 256 * 1024;

/**
 * UTF-8 bytes as pieces of text, decoded as Buffer#toString would decode them whole (a byte
 * order mark kept, a malformed sequence replaced by U+FFFD; a character split between two
 * pieces is decoded once both are in: StringDecoder keeps its bytes for the next piece).
 */
export function* textChunks(bytes: Uint8Array, chunkBytes = CHUNK_BYTES): Generator<string> {
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at < buffer.length; at += chunkBytes) yield decoder.write(buffer.subarray(at, at + chunkBytes));
  const rest = decoder.end();
  if (rest !== '') yield rest;
}

/** Enough of the text to find the root element (see firstElementName), or all of it if it is blank that far. */
function headText(bytes: Uint8Array): string {
  const head = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(0, 64 * 1024));
  return head.trim() === '' && bytes.length > 64 * 1024 ? new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) : head;
}

/** The end of the text, trailing white space removed (whether the document ends with '>'). */
function tailText(bytes: Uint8Array): string {
  for (let size = 256; ; size *= 4) {
    const tail = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(Math.max(0, bytes.length - size))).trimEnd();
    if (tail !== '' || size >= bytes.length) return tail;
  }
}

/** Throws unless `xml` is non-empty, looks like XML and its first element is `root` (any prefix). */
export function checkRoot(xml: string, root: string, label: string): void {
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
}

export function notWellFormed(label: string, line: number, column: number, reason: string, truncated: boolean): Error {
  return new Error(
    `${label}: document is not well-formed XML (line ${line}, column ${column}): ${reason}` +
      (truncated ? ' — the document looks truncated' : ''),
  );
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
