import { describe, expect, it } from 'vitest';
import { readXml, XmlSyntaxError } from '../../src/sources/xml-reader.js';
import { parseDocument } from '../../src/sources/xml.js';
import { fixtureText } from '../helpers/fixtures.js';

const DPRK_ONLY = fixtureText('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml');
const none = new Set<string>();

/** The XmlSyntaxError `readXml` throws for `xml` (fails the test if it returns). */
function syntaxError(xml: string): XmlSyntaxError {
  try {
    readXml(xml, none);
  } catch (err) {
    expect(err).toBeInstanceOf(XmlSyntaxError);
    return err as XmlSyntaxError;
  }
  throw new Error(`accepted: ${JSON.stringify(xml.slice(0, 80))}`);
}

describe('readXml tree', () => {
  it('gives leaf text trimmed, empty elements as "", attributes as @_, and drops prefixes and xmlns', () => {
    const xml = `\uFEFF<?xml version="1.0"?>\n<!-- list --><x:L xmlns:x="urn:x" xmlns="urn:d" x:a=" 1 " b='2'>\n  <A>  one  </A>\n  <E/>\n  <F></F>\n  <x:P q="r">t</x:P>\n</x:L>\n`;
    expect(readXml(xml, none)).toEqual({ L: { '@_a': ' 1 ', '@_b': '2', A: 'one', E: '', F: '', P: { '@_q': 'r', '#text': 't' } } });
  });

  it('makes `repeating` names arrays even when single, and other names arrays when they repeat', () => {
    const xml = '<L><R>1</R><D>a</D><D>b</D><D>c</D><N><R/></N></L>';
    expect(readXml(xml, new Set(['R']))).toEqual({ L: { R: ['1'], D: ['a', 'b', 'c'], N: { R: [''] } } });
  });

  it('decodes the XML entities and character references, keeps CDATA as is, skips comments and PIs', () => {
    const xml = '<L><T>A &amp; B &lt;C&gt; &quot;&apos; &#233;&#x4E2D;</T><C><![CDATA[a &amp; <b>]]> tail</C><P><?pi x?>p<!-- c --></P></L>';
    expect(readXml(xml, none)).toEqual({ L: { T: `A & B <C> "' é中`, C: 'a &amp; <b> tail', P: 'p' } });
  });

  it('keeps an element named __proto__ as data, never as the prototype', () => {
    const tree = readXml('<L><__proto__>x</__proto__><constructor>y</constructor></L>', none);
    const root = tree['L'] as Record<string, unknown>;
    expect(Object.getPrototypeOf(root)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(root, '__proto__')?.value).toBe('x');
    expect(root['constructor']).toBe('y');
  });
});

describe('readXml rejects documents that are not well-formed', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a mismatched closing tag', '<L><A>x</B></L>', /expected <\/A> \(opened at line 1\), found <\/B>/],
    ['a closing tag with nothing open', '<L/></L>', /closing tag with no open element/],
    ['an unclosed element', '<L><A>x</A>', /<L> is not closed/],
    ['a second root', '<L/><M/>', /second root/],
    ['text after the root', '<L/>junk', /text after the root/],
    ['text before the root', 'junk<L/>', /text before the root/],
    ['a bare ampersand', '<L>A & B</L>', /"&" that starts no known entity/],
    ['an HTML entity (no DTD declares it)', '<L>A&nbsp;B</L>', /"&" that starts no known entity/],
    ['a reference to no XML character', '<L>&#0;</L>', /names no XML character/],
    ['a surrogate character reference', '<L>&#xD800;</L>', /names no XML character/],
    ['"<" in an attribute value', '<L a="<"/>', /malformed tag <L>/],
    ['an unquoted attribute', '<L a=1/>', /malformed tag <L>/],
    ['a repeated attribute', '<L a="1" a="2"/>', /attribute a repeated/],
    ['a tag that is not a name', '<L>< A/></L>', /"<" that starts no tag/],
    ['an unclosed comment', '<L><!-- x </L>', /a comment is not closed/],
    ['an unclosed CDATA section', '<L><![CDATA[ x </L>', /a CDATA section is not closed/],
    ['a DOCTYPE with an internal subset', '<!DOCTYPE L [<!ENTITY e "x">]><L>&e;</L>', /internal subset is not supported/],
    ['a DOCTYPE inside the root', '<L><!DOCTYPE L></L>', /unexpected "<!DOCTYPE/],
    ['no element at all', '<?xml version="1.0"?>\n', /no root element/],
    ['an HTML page (void <br>)', '<!DOCTYPE html><html><body><br></body></html>', /expected <\/br>.*found <\/body>/],
  ];
  for (const [name, xml, reason] of cases) {
    it(name, () => expect(syntaxError(xml).message).toMatch(reason));
  }

  it('says where: line and column of the problem', () => {
    const err = syntaxError('<L>\n  <A>x</A>\n  <B>y</C>\n</L>');
    expect([err.line, err.column]).toEqual([3, 7]);
    expect(err.message).toMatch(/found <\/C> \(line 3, column 7\)$/);
  });

  it('rejects every prefix of a real list as truncated, wherever the download stopped', () => {
    const rootEnd = DPRK_ONLY.lastIndexOf('</CONSOLIDATED_LIST>');
    // Cuts at 250 evenly spread offsets, and just before and after every '<' and '>' of the last records.
    const cuts = new Set<number>();
    for (let i = 0; i < 250; i++) cuts.add(Math.floor((rootEnd * i) / 250));
    for (let i = rootEnd - 2000; i < rootEnd + '</CONSOLIDATED_LIST'.length; i++) {
      if (DPRK_ONLY[i] === '<' || DPRK_ONLY[i] === '>') [i, i + 1].forEach((c) => cuts.add(c));
    }
    for (const cut of cuts) {
      const err = syntaxError(DPRK_ONLY.slice(0, cut));
      if (!err.truncated) throw new Error(`cut at ${cut} not reported as truncated: ${err.message}`);
    }
    expect(readXml(DPRK_ONLY, none)).toHaveProperty('CONSOLIDATED_LIST'); // the whole file is fine
  });
});

describe('parseDocument errors', () => {
  const REPEATING = new Set(['INDIVIDUAL']);

  it('names the label, the position and a likely truncation', () => {
    const cut = DPRK_ONLY.slice(0, DPRK_ONLY.indexOf('</INDIVIDUALS>'));
    expect(() => parseDocument(cut, 'CONSOLIDATED_LIST', 'UN XML', REPEATING)).toThrow(
      /^UN XML: document is not well-formed XML \(line \d+, column \d+\): <INDIVIDUALS> is not closed \(and 1 enclosing element\) — the document looks truncated$/,
    );
  });

  it('does not call a complete but malformed document truncated', () => {
    const broken = DPRK_ONLY.replace('</FIRST_NAME>', '</SECOND_NAME>');
    const err = (() => {
      try {
        parseDocument(broken, 'CONSOLIDATED_LIST', 'UN XML', REPEATING);
      } catch (e) {
        return e as Error;
      }
      throw new Error('accepted');
    })();
    expect(err.message).toMatch(/^UN XML: document is not well-formed XML \(line 7, column \d+\): expected <\/FIRST_NAME>/);
    expect(err.message).not.toMatch(/truncated/);
  });

  it('rejects a well-formed document with another root before reading it', () => {
    expect(() => parseDocument('<feed><entry/></feed>', 'CONSOLIDATED_LIST', 'UN XML', REPEATING)).toThrow(
      /UN XML: expected root element <CONSOLIDATED_LIST>, found <feed>/,
    );
  });
});
