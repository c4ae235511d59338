/**
 * A single-pass XML reader for the list documents (UN consolidated list, OFAC XML): it
 * checks that the document is well-formed and builds the element tree in one go, with
 * indexOf and slices rather than a character loop, so that even its first call (a freshly
 * started bot) is cheap. It replaces fast-xml-parser's XMLValidator + XMLParser, which had
 * to be used together (the parser alone accepts truncated XML) and took four to six times as
 * long (npm run bench prints both).
 *
 * Checked: tags nest and match, every element is closed, one root element, no text outside
 * it, names and attributes are well-formed (no duplicates), references are the five XML
 * entities or character references, comments / CDATA / PIs are terminated. Not supported:
 * a DOCTYPE with an internal subset (it could declare entities), rejected with a reason.
 *
 * Tree shape (the one fast-xml-parser gave with the options dprk-watch used): an element
 * with neither attributes nor child elements is its trimmed text ("" when empty); others
 * are objects with attributes as `@_name`, child elements by name and any non-blank text as
 * `#text`. Namespace prefixes are dropped and xmlns attributes left out. A child whose name
 * is in `repeating` is always an array; other names become an array when they repeat.
 */
export type XmlNode = Record<string, unknown>;

/** Not well-formed: `offset` is where reading stopped; `truncated` when the text ended inside something. */
export class XmlSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(
    readonly reason: string,
    xml: string,
    readonly offset: number,
    readonly truncated = false,
  ) {
    const { line, column } = position(xml, offset);
    super(`${reason} (line ${line}, column ${column})`);
    this.line = line;
    this.column = column;
  }
}

function position(xml: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let nl = xml.indexOf('\n'); nl !== -1 && nl < offset; nl = xml.indexOf('\n', nl + 1)) {
    line++;
    start = nl + 1;
  }
  return { line, column: offset - start + 1 };
}

/** An element being read. Frames are reused by depth: 40,000 elements, a dozen frames. */
interface Open {
  qname: string;
  name: string;
  node: XmlNode | undefined;
  text: string;
  at: number;
}

const SLASH = 47;
const BANG = 33;
const QUESTION = 63;

const NAME = '[A-Za-z_\\u00C0-\\uFFFF][\\w.\\u00B7\\u00C0-\\uFFFF-]*';
/** A tag that is just a name (`<NAME>` / `<NAME/>`), the common case, tested on the slice. */
const PLAIN_TAG = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;
const TAG_NAME = new RegExp(`${NAME}(?::${NAME})?`, 'y');
const ATTRIBUTE = new RegExp(`\\s+(${NAME}(?::${NAME})?)\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'y');
const TAG_END = /\s*(\/?)>/y;
const CLOSE_END = /\s*>/y;
const SPACES = /[ \t\r\n]*/y; // XML white space
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9A-Fa-f]+));/y;
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const isXmlChar = (code: number): boolean =>
  code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) && code !== 0xfffe && code !== 0xffff);

const localName = (qname: string): string => {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
};

/** `obj[key] = value`, also for an element named __proto__ (an own property, never the prototype). */
function put(obj: XmlNode, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Index just past `terminator` from `from`, or a truncation error naming what was left open. */
function skipPast(xml: string, from: number, terminator: string, what: string, at: number): number {
  const end = xml.indexOf(terminator, from);
  if (end === -1) throw new XmlSyntaxError(`${what} is not closed`, xml, at, true);
  return end + terminator.length;
}

/**
 * Children of the root element handed over one at a time instead of kept in the tree: a
 * 40 MB list is then never a tree at once (records are built, and the element let go, as it
 * closes). The document is still checked whole.
 */
export type RecordVisitor = (name: string, value: unknown) => void;

/**
 * Read `xml` into a tree (see the module comment); throws XmlSyntaxError if it is not
 * well-formed. Children of the root named in `streamed` go to `visit` and not into the tree.
 */
export function readXml(xml: string, repeating: ReadonlySet<string>, streamed?: ReadonlySet<string>, visit?: RecordVisitor): XmlNode {
  const doc: XmlNode = {};
  const frames: Open[] = [];
  let depth = 0;
  let top: Open | undefined; // frames[depth - 1]
  let rootDone = false;
  let pos = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  // The next '&' at or after the last text read: found once, not searched for by every text.
  let amp = -1;

  /** `xml.slice(from, to)` with its references decoded; throws at an unknown or malformed one. */
  const text = (from: number, to: number): string => {
    if (amp < from) amp = xml.indexOf('&', from) >>> 0; // -1 (none left) becomes 2^32 - 1
    if (amp >= to) return xml.slice(from, to);
    let out = '';
    let done = from;
    while (amp < to) {
      REFERENCE.lastIndex = amp;
      const m = REFERENCE.exec(xml);
      if (!m || REFERENCE.lastIndex > to) throw new XmlSyntaxError('"&" that starts no known entity or character reference', xml, amp);
      let decoded = m[1] !== undefined ? ENTITIES[m[1]] : undefined;
      if (decoded === undefined) {
        const code = m[2] !== undefined ? Number(m[2]) : parseInt(m[3]!, 16);
        if (!isXmlChar(code)) throw new XmlSyntaxError(`character reference ${m[0]} names no XML character`, xml, amp);
        decoded = String.fromCodePoint(code);
      }
      out += xml.slice(done, amp) + decoded;
      done = REFERENCE.lastIndex;
      amp = xml.indexOf('&', done) >>> 0;
    }
    return out + xml.slice(done, to);
  };

  /** Attach an element just closed (or self-closed) to its parent, `top`. */
  const attach = (name: string, node: XmlNode | undefined, content: string): void => {
    const trimmed = content === '' ? '' : content.trim();
    let value: unknown = trimmed;
    if (node !== undefined) {
      if (trimmed !== '') node['#text'] = trimmed;
      value = node;
    }
    if (depth === 1 && visit && streamed?.has(name)) return visit(name, value);
    const parent = top === undefined ? doc : (top.node ??= {});
    let prior = parent[name];
    // Own values are strings, arrays and plain objects; anything else is inherited (constructor, __proto__…).
    if (prior !== undefined && typeof prior !== 'string' && !Array.isArray(prior) && !Object.hasOwn(parent, name)) prior = undefined;
    if (prior === undefined) put(parent, name, repeating.has(name) ? [value] : value);
    else if (Array.isArray(prior)) prior.push(value);
    else put(parent, name, [prior, value]);
    if (top === undefined) rootDone = true;
  };

  for (;;) {
    const lt = xml.indexOf('<', pos);
    const end = lt === -1 ? xml.length : lt;
    if (end > pos) {
      // Blank text (indentation) is skipped without being sliced: values are trimmed anyway.
      SPACES.lastIndex = pos;
      SPACES.test(xml);
      if (SPACES.lastIndex < end) {
        if (top === undefined) throw new XmlSyntaxError(`text ${rootDone ? 'after' : 'before'} the root element`, xml, pos);
        const piece = text(pos, end);
        top.text = top.text === '' ? piece : top.text + piece;
      }
    }
    if (lt === -1) break;
    const c = xml.charCodeAt(lt + 1);

    if (c === SLASH) {
      if (top === undefined) throw new XmlSyntaxError('a closing tag with no open element', xml, lt);
      const after = lt + 2 + top.qname.length;
      CLOSE_END.lastIndex = after;
      if (!xml.startsWith(top.qname, lt + 2) || !CLOSE_END.test(xml)) {
        const gt = xml.indexOf('>', lt);
        if (gt === -1) throw new XmlSyntaxError(`<${top.qname}> is not closed`, xml, top.at, true);
        const found = xml.slice(lt, gt + 1);
        throw new XmlSyntaxError(`expected </${top.qname}> (opened at line ${position(xml, top.at).line}), found ${found}`, xml, lt);
      }
      pos = CLOSE_END.lastIndex;
      const closed = top;
      depth--;
      top = depth === 0 ? undefined : frames[depth - 1];
      attach(closed.name, closed.node, closed.text);
      continue;
    }

    if (c === BANG) {
      if (xml.startsWith('<!--', lt)) pos = skipPast(xml, lt + 4, '-->', 'a comment', lt);
      else if (xml.startsWith('<![CDATA[', lt)) {
        if (top === undefined) throw new XmlSyntaxError('CDATA outside the root element', xml, lt);
        pos = skipPast(xml, lt + 9, ']]>', 'a CDATA section', lt);
        top.text += xml.slice(lt + 9, pos - 3);
      } else if (xml.startsWith('<!DOCTYPE', lt) && top === undefined && !rootDone) {
        const gt = skipPast(xml, lt, '>', 'the DOCTYPE', lt);
        const bracket = xml.indexOf('[', lt);
        if (bracket !== -1 && bracket < gt) throw new XmlSyntaxError('a DOCTYPE with an internal subset is not supported', xml, lt);
        pos = gt;
      } else if (['<!--', '<![CDATA[', '<!DOCTYPE'].some((start) => start.startsWith(xml.slice(lt)))) {
        throw new XmlSyntaxError('the document ends inside a tag', xml, lt, true);
      } else throw new XmlSyntaxError(`unexpected "${xml.slice(lt, lt + 9)}"`, xml, lt);
      continue;
    }

    if (c === QUESTION) {
      pos = skipPast(xml, lt + 2, '?>', 'a processing instruction', lt);
      continue;
    }

    // An element. Most tags are a bare name: take it from the slice up to '>' and test it.
    if (top === undefined && rootDone) throw new XmlSyntaxError('a second root element', xml, lt);
    const gt = xml.indexOf('>', lt);
    if (gt === -1) throw new XmlSyntaxError('the document ends inside a tag', xml, lt, true);
    let selfClosing = xml.charCodeAt(gt - 1) === SLASH;
    let qname = xml.slice(lt + 1, selfClosing ? gt - 1 : gt);
    let node: XmlNode | undefined;
    if (PLAIN_TAG.test(qname)) {
      pos = gt + 1;
    } else {
      TAG_NAME.lastIndex = lt + 1;
      const m = TAG_NAME.exec(xml);
      if (!m) throw new XmlSyntaxError(`"<" that starts no tag`, xml, lt);
      qname = m[0];
      let p = TAG_NAME.lastIndex;
      for (;;) {
        ATTRIBUTE.lastIndex = p;
        const a = ATTRIBUTE.exec(xml);
        if (!a) break;
        p = ATTRIBUTE.lastIndex;
        const attr = a[1]!;
        if (attr === 'xmlns' || attr.startsWith('xmlns:')) continue;
        const key = `@_${localName(attr)}`;
        node ??= {};
        if (Object.hasOwn(node, key)) throw new XmlSyntaxError(`attribute ${attr} repeated`, xml, p);
        const quoted = a[2] ?? a[3]!;
        const start = p - quoted.length - 1;
        node[key] = text(start, start + quoted.length);
      }
      TAG_END.lastIndex = p;
      const close = TAG_END.exec(xml);
      if (!close) {
        const truncated = xml.indexOf('>', p) === -1;
        throw new XmlSyntaxError(truncated ? 'the document ends inside a tag' : `malformed tag <${qname}>`, xml, p, truncated);
      }
      selfClosing = close[1] === '/';
      pos = TAG_END.lastIndex;
    }
    if (selfClosing) {
      attach(localName(qname), node, '');
      continue;
    }
    top = frames[depth];
    if (top === undefined) frames[depth] = top = { qname, name: localName(qname), node, text: '', at: lt };
    else {
      top.qname = qname;
      top.name = localName(qname);
      top.node = node;
      top.text = '';
      top.at = lt;
    }
    depth++;
  }

  if (top !== undefined) {
    const more = depth > 1 ? ` (and ${depth - 1} enclosing element${depth > 2 ? 's' : ''})` : '';
    throw new XmlSyntaxError(`<${top.qname}> is not closed${more}`, xml, xml.length, true);
  }
  if (!rootDone) throw new XmlSyntaxError('no root element', xml, xml.length, true);
  return doc;
}
