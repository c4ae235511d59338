/**
 * A single-pass XML reader for the list documents (UN consolidated list, OFAC XML): it
 * checks that the document is well-formed and builds the element tree in one go, with
 * indexOf and slices rather than a character loop, so that even its first call (a freshly
 * started bot) is cheap. It replaces fast-xml-parser's XMLValidator + XMLParser, which had
 * to be used together (the parser alone accepts truncated XML) and took four to six times as
 * long (npm run bench prints both). It reads a whole text or one arriving in pieces
 * (readXmlChunks), with the same result either way.
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
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly offset: number,
    readonly truncated = false,
  ) {
    super(`${reason} (line ${line}, column ${column})`);
  }
}

/** An element being read. Frames are reused by depth: 40,000 elements, a dozen frames. */
interface Open {
  qname: string;
  name: string;
  node: XmlNode | undefined;
  text: string;
  /** Where its tag starts in the current window; `line` is 0 until the window moves on. */
  at: number;
  line: number;
  column: number;
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

/**
 * A value the tree keeps, copied out of the text it was read from. V8 makes a slice of 13 or
 * more characters a view that keeps the whole text alive: a record holding one name would keep
 * a 40 MB document (80 MB as UTF-16) in memory for as long as the record lives. Slicing a
 * character off a joined string makes V8 flatten the join into a new string, so the value is a
 * view on its own copy; shorter slices are copies already.
 */
const detach = (s: string): string => (s.length < 13 ? s : (' ' + s).slice(1));

/** `obj[key] = value`, also for an element named __proto__ (an own property, never the prototype). */
function put(obj: XmlNode, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Thrown inside a window that ends in the middle of something: read it again with the next chunk. */
const MORE = Symbol('more text needed');

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
  return readXmlChunks(xml, repeating, streamed, visit);
}

/**
 * readXml over a document that arrives as pieces of text (a body decoded as it streams in):
 * the same tree, the same checks and the same errors (line and column in the whole document)
 * as readXml of the pieces joined, without the joined text ever existing. Each piece is read
 * up to its last "<"; the rest waits for the next piece, so a record is visited as soon as a
 * piece has brought the "<" after its end tag. (A string is read as one whole text.)
 */
export function readXmlChunks(chunks: Iterable<string> | string, repeating: ReadonlySet<string>, streamed?: ReadonlySet<string>, visit?: RecordVisitor): XmlNode {
  const doc: XmlNode = {};
  const frames: Open[] = [];
  let depth = 0;
  let top: Open | undefined; // frames[depth - 1]
  let rootDone = false;
  let started = false; // past a leading byte order mark
  // The window being read: what was left of the previous one, then the new piece.
  let xml = '';
  let final = false;
  // Where the window starts in the whole document: characters, lines, and columns on its first line.
  let charBase = 0;
  let lineBase = 1;
  let columnBase = 0;
  // The next '&' at or after the last text read: found once, not searched for by every text.
  let amp = -1;

  /** Line and column (1-based, in the whole document) of `offset` in the window. */
  const position = (offset: number): { line: number; column: number } => {
    let line = lineBase;
    let start = -1;
    for (let nl = xml.indexOf('\n'); nl !== -1 && nl < offset; nl = xml.indexOf('\n', nl + 1)) {
      line++;
      start = nl;
    }
    return { line, column: start === -1 ? columnBase + offset + 1 : offset - start };
  };
  const fail = (reason: string, offset: number, truncated = false): never => {
    const { line, column } = position(offset);
    throw new XmlSyntaxError(reason, line, column, charBase + offset, truncated);
  };
  const where = (frame: Open): { line: number; column: number } => (frame.line !== 0 ? frame : position(frame.at));

  /** Index just past `terminator` from `from`; in the last window, a truncation error naming what was left open. */
  const skipPast = (from: number, terminator: string, what: string, at: number): number => {
    const end = xml.indexOf(terminator, from);
    if (end !== -1) return end + terminator.length;
    if (!final) throw MORE;
    return fail(`${what} is not closed`, at, true);
  };

  /** `xml.slice(from, to)` with its references decoded; throws at an unknown or malformed one. */
  const text = (from: number, to: number): string => {
    if (amp < from) amp = xml.indexOf('&', from) >>> 0; // -1 (none left) becomes 2^32 - 1
    if (amp >= to) return xml.slice(from, to);
    let out = '';
    let done = from;
    while (amp < to) {
      REFERENCE.lastIndex = amp;
      const m = REFERENCE.exec(xml);
      if (!m || REFERENCE.lastIndex > to) fail('"&" that starts no known entity or character reference', amp);
      let decoded = m![1] !== undefined ? ENTITIES[m![1]] : undefined;
      if (decoded === undefined) {
        const code = m![2] !== undefined ? Number(m![2]) : parseInt(m![3]!, 16);
        if (!isXmlChar(code)) fail(`character reference ${m![0]} names no XML character`, amp);
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
    const trimmed = content === '' ? '' : detach(content.trim());
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

  /**
   * Read the window from `pos`. Before the last window, reading stops at its last "<" (what
   * follows may be cut) or inside anything the window does not finish; returns where it stopped.
   */
  const read = (pos: number): number => {
    const limit = final ? xml.length : xml.lastIndexOf('<');
    for (;;) {
      const lt = xml.indexOf('<', pos);
      if (!final && (lt === -1 || pos > limit)) return pos; // text that may go on in the next piece
      const end = lt === -1 ? xml.length : lt;
      if (end > pos) {
        // Blank text (indentation) is skipped without being sliced: values are trimmed anyway.
        SPACES.lastIndex = pos;
        SPACES.test(xml);
        if (SPACES.lastIndex < end) {
          if (top === undefined) fail(`text ${rootDone ? 'after' : 'before'} the root element`, pos);
          const piece = text(pos, end);
          top!.text = top!.text === '' ? piece : top!.text + piece;
        }
      }
      if (lt === -1) return xml.length;
      if (!final && lt === limit) return lt;
      try {
        pos = markup(lt);
      } catch (err) {
        if (err === MORE) return lt;
        throw err;
      }
    }
  };

  /** Read the tag, comment, CDATA section or processing instruction at `lt`; returns where it ends. */
  const markup = (lt: number): number => {
    const c = xml.charCodeAt(lt + 1);

    if (c === SLASH) {
      if (top === undefined) fail('a closing tag with no open element', lt);
      const open = top!;
      const after = lt + 2 + open.qname.length;
      CLOSE_END.lastIndex = after;
      if (!xml.startsWith(open.qname, lt + 2) || !CLOSE_END.test(xml)) {
        const gt = xml.indexOf('>', lt);
        if (gt === -1 && !final) throw MORE;
        if (gt === -1) {
          const { line, column } = where(open);
          throw new XmlSyntaxError(`<${open.qname}> is not closed`, line, column, charBase + open.at, true);
        }
        const found = xml.slice(lt, gt + 1);
        fail(`expected </${open.qname}> (opened at line ${where(open).line}), found ${found}`, lt);
      }
      depth--;
      top = depth === 0 ? undefined : frames[depth - 1];
      attach(open.name, open.node, open.text);
      return CLOSE_END.lastIndex;
    }

    if (c === BANG) {
      if (xml.startsWith('<!--', lt)) return skipPast(lt + 4, '-->', 'a comment', lt);
      if (xml.startsWith('<![CDATA[', lt)) {
        if (top === undefined) fail('CDATA outside the root element', lt);
        const pos = skipPast(lt + 9, ']]>', 'a CDATA section', lt);
        top!.text += xml.slice(lt + 9, pos - 3);
        return pos;
      }
      if (xml.startsWith('<!DOCTYPE', lt) && top === undefined && !rootDone) {
        const gt = skipPast(lt, '>', 'the DOCTYPE', lt);
        const bracket = xml.indexOf('[', lt);
        if (bracket !== -1 && bracket < gt) fail('a DOCTYPE with an internal subset is not supported', lt);
        return gt;
      }
      if (['<!--', '<![CDATA[', '<!DOCTYPE'].some((start) => start.startsWith(xml.slice(lt)))) {
        if (!final) throw MORE;
        fail('the document ends inside a tag', lt, true);
      }
      return fail(`unexpected "${xml.slice(lt, lt + 9)}"`, lt);
    }

    if (c === QUESTION) return skipPast(lt + 2, '?>', 'a processing instruction', lt);

    // An element. Most tags are a bare name: take it from the slice up to '>' and test it.
    if (top === undefined && rootDone) fail('a second root element', lt);
    const gt = xml.indexOf('>', lt);
    if (gt === -1) {
      if (!final) throw MORE;
      fail('the document ends inside a tag', lt, true);
    }
    let selfClosing = xml.charCodeAt(gt - 1) === SLASH;
    let qname = xml.slice(lt + 1, selfClosing ? gt - 1 : gt);
    let node: XmlNode | undefined;
    let pos: number;
    if (PLAIN_TAG.test(qname)) {
      pos = gt + 1;
    } else {
      TAG_NAME.lastIndex = lt + 1;
      const m = TAG_NAME.exec(xml);
      if (!m) fail(`"<" that starts no tag`, lt);
      qname = m![0];
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
        if (Object.hasOwn(node, key)) fail(`attribute ${attr} repeated`, p);
        const quoted = a[2] ?? a[3]!;
        const start = p - quoted.length - 1;
        node[key] = detach(text(start, start + quoted.length));
      }
      TAG_END.lastIndex = p;
      const close = TAG_END.exec(xml);
      if (!close) {
        const truncated = xml.indexOf('>', p) === -1;
        if (truncated && !final) throw MORE;
        fail(truncated ? 'the document ends inside a tag' : `malformed tag <${qname}>`, p, truncated);
      }
      selfClosing = close![1] === '/';
      pos = TAG_END.lastIndex;
    }
    if (selfClosing) {
      attach(localName(qname), node, '');
      return pos;
    }
    top = frames[depth];
    if (top === undefined) frames[depth] = top = { qname, name: localName(qname), node, text: '', at: lt, line: 0, column: 0 };
    else {
      top.qname = qname;
      top.name = localName(qname);
      top.node = node;
      top.text = '';
      top.at = lt;
      top.line = 0;
    }
    depth++;
    return pos;
  };

  /** Read a window; before the last one, keep what it did not finish for the next. */
  const window = (piece: string, last: boolean): void => {
    // Joined, not added: `+` makes a rope that each later indexOf / charCodeAt must look through (a third slower).
    xml = xml === '' ? piece : [xml, piece].join('');
    final = last;
    amp = -1;
    let pos = 0;
    if (!started) {
      if (xml === '' && !final) return;
      started = true;
      if (xml.charCodeAt(0) === 0xfeff) pos = 1;
    }
    const stop = read(pos);
    if (final) return;
    // The window moves on to `stop`: open elements keep their line, and the next window its place.
    for (let i = 0; i < depth; i++) {
      const frame = frames[i]!;
      if (frame.line === 0) Object.assign(frame, position(frame.at));
      frame.at -= stop;
    }
    const at = position(stop);
    lineBase = at.line;
    columnBase = at.column - 1;
    charBase += stop;
    xml = xml.slice(stop);
  };

  // A whole text is read as its own last window; pieces each as they come, then what is left.
  if (typeof chunks === 'string') window(chunks, true);
  else {
    for (const chunk of chunks) window(chunk, false);
    window('', true);
  }

  if (top !== undefined) {
    const more = depth > 1 ? ` (and ${depth - 1} enclosing element${depth > 2 ? 's' : ''})` : '';
    fail(`<${top.qname}> is not closed${more}`, xml.length, true);
  }
  if (!rootDone) fail('no root element', xml.length, true);
  return doc;
}
