/**
 * The large lists are read from their bytes a piece at a time (readXmlChunks fed by
 * textChunks): never one string of the whole document. Proved here: wherever the pieces are
 * cut, the tree, the records and every error (its reason, line, column, and whether the
 * document looks truncated) are those of the whole text; and a record is handed over as soon
 * as the piece that closes it has arrived, before the rest of the document.
 */
import { describe, expect, it } from 'vitest';
import { parseChSecoXml } from '../../src/sources/ch-seco/xml.js';
import { parseEuFsfXml } from '../../src/sources/eu-fsf/xml.js';
import { parseUkXml } from '../../src/sources/uk-sanctions/xml.js';
import { readXml, readXmlChunks, XmlSyntaxError } from '../../src/sources/xml-reader.js';
import { streamDocument, textChunks } from '../../src/sources/xml.js';
import { fixtureBytes, fixtureText } from '../helpers/fixtures.js';
import { seededRandom } from '../helpers/random.js';

const UN = 'real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml';
const none = new Set<string>();

/** `text` cut at `cuts` (ascending offsets). */
const piecesAt = (text: string, cuts: readonly number[]): string[] => [0, ...cuts].map((from, i) => text.slice(from, cuts[i] ?? text.length));

/** `text` cut into pieces of random lengths up to `max` characters. */
function randomPieces(text: string, max: number, seed: number): string[] {
  const random = seededRandom(seed);
  const cuts: number[] = [];
  for (let at = 1 + Math.floor(random() * max); at < text.length; at += 1 + Math.floor(random() * max)) cuts.push(at);
  return piecesAt(text, cuts);
}

/** What reading gives: the tree, or the error's reason, place and truncation. */
function outcome(read: () => unknown): unknown {
  try {
    return { tree: read() };
  } catch (err) {
    if (!(err instanceof XmlSyntaxError)) throw err;
    return { error: err.message, line: err.line, column: err.column, offset: err.offset, truncated: err.truncated };
  }
}

describe('readXmlChunks gives what readXml gives on the joined text', () => {
  const small = [
    `\uFEFF<?xml version="1.0"?>\n<!-- a < b --><x:L xmlns:x="urn:x" x:a=" 1 &amp; 2 " b='&#x4E2D;'>\n  <A>  one &lt;two&gt;  </A>\n  <E/>\n  <C><![CDATA[a < b ]]> tail</C>\n  <?pi <x> ?><R>1</R><R>2</R>\n</x:L>\n`,
    '<L>\n  <A>x</A>\n  <B>y</C>\n</L>',
    '<L><A>x</A>',
    '<L/><M/>',
    '<L/>junk',
    '<L>A & B</L>',
    '<L a="1" a="2"/>',
    '<L a="<"/>',
    '<L>< A/></L>',
    '<L><!-- x </L>',
    '<L><![CDATA[ x </L>',
    '<!DOCTYPE L [<!ENTITY e "x">]><L>&e;</L>',
    '<?xml version="1.0"?>\n',
    '',
  ];
  it.each(small.map((xml, i) => ({ i, xml })))('document $i, cut at every pair of places', ({ xml }) => {
    const whole = outcome(() => readXml(xml, new Set(['R'])));
    for (let a = 0; a <= xml.length; a++)
      for (let b = a; b <= xml.length; b++) expect(outcome(() => readXmlChunks(piecesAt(xml, [a, b]), new Set(['R'])))).toStrictEqual(whole);
  });

  it('the real UN DPRK list, cut into pieces of random sizes (1 to 5,000 characters)', () => {
    const xml = fixtureText(UN);
    const whole = readXml(xml, new Set(['INDIVIDUAL', 'ENTITY']));
    for (const [max, seed] of [[7, 1], [300, 2], [5000, 3]] as const)
      expect(readXmlChunks(randomPieces(xml, max, seed), new Set(['INDIVIDUAL', 'ENTITY']))).toStrictEqual(whole);
  });

  it('every prefix of the real UN list: the same truncation error as the whole prefix, wherever the pieces are cut', () => {
    const xml = fixtureText(UN);
    const random = seededRandom(4);
    for (let i = 0; i < 60; i++) {
      const prefix = xml.slice(0, Math.floor(random() * xml.length));
      const whole = outcome(() => readXml(prefix, none));
      expect(whole).toHaveProperty('truncated', true);
      expect(outcome(() => readXmlChunks(randomPieces(prefix, 4000, i), none))).toStrictEqual(whole);
    }
  });

  it('a mismatched tag far into the document: the same line, column and "opened at" line', () => {
    const xml = fixtureText(UN).replace('</FIRST_NAME>', '</SECOND_NAME>');
    const whole = outcome(() => readXml(xml, none));
    expect(whole).toMatchObject({ error: expect.stringMatching(/^expected <\/FIRST_NAME> \(opened at line \d+\)/), truncated: false });
    expect(outcome(() => readXmlChunks(randomPieces(xml, 200, 5), none))).toStrictEqual(whole);
  });
});

describe('a record is handed over as soon as the piece that closes it has arrived', () => {
  it('the first INDIVIDUAL of the real UN list is visited while most of the document is still to come', () => {
    const pieces = randomPieces(fixtureText(UN), 2000, 6);
    let pulled = 0;
    const arriving = (function* () {
      for (const piece of pieces) {
        pulled++;
        yield piece;
      }
    })();
    const pulledAtVisit: number[] = [];
    const doc = readXmlChunks(arriving, new Set(['INDIVIDUAL']), new Set(['INDIVIDUALS']), () => pulledAtVisit.push(pulled));
    expect(doc).toHaveProperty('CONSOLIDATED_LIST');
    expect(pulledAtVisit).toHaveLength(1); // <INDIVIDUALS> is the root's child that is streamed
    expect(pulledAtVisit[0]).toBeLessThan(pieces.length);
  });

  it('each Swiss target is visited before the pieces after it are read', () => {
    const xml = fixtureText('built/ch_seco_xml/seco_dprk_built.xml');
    const pieces = randomPieces(xml, 3000, 7);
    let read = 0;
    const arriving = (function* () {
      for (const piece of pieces) {
        read += piece.length;
        yield piece;
      }
    })();
    const readAtVisit: number[] = [];
    readXmlChunks(arriving, new Set(['target']), new Set(['target']), () => readAtVisit.push(read));
    const ends = [...xml.matchAll(/<\/target>/g)].map((m) => m.index + m[0].length);
    expect(readAtVisit).toHaveLength(ends.length);
    expect(ends.length).toBeGreaterThan(4);
    readAtVisit.forEach((upTo, i) => {
      // Read far enough to have the target's end and the next "<" (that its end tag is whole),
      // and no further than the piece that brought that "<".
      const next = xml.indexOf('<', ends[i]!);
      expect(upTo).toBeGreaterThan(next);
      expect(upTo).toBeLessThanOrEqual(next + 3000);
    });
  });
});

describe('from the fetched bytes (textChunks)', () => {
  it('decodes like Buffer#toString, also where a piece ends inside a multi-byte character or a malformed sequence', () => {
    const bytes = Buffer.from('\uFEFF<L>Pak Jong-chŏn 박정천 — Пак 🇰🇵 \u00e9</L>', 'utf8');
    const broken = Buffer.concat([bytes.subarray(0, 20), Buffer.from([0xe2, 0x28]), bytes.subarray(20)]); // a malformed sequence
    for (const b of [bytes, broken])
      for (const size of [1, 2, 3, 5, 64]) expect([...textChunks(b, size)].join('')).toBe(b.toString('utf8'));
  });

  const LISTS = [
    { list: 'eu-fsf', fixture: 'real/eu_fsf_xml/eu_fsf_20220318_gfid137925_first1044records.xml.gz', parse: parseEuFsfXml },
    { list: 'uk-sanctions', fixture: 'real/uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz', parse: parseUkXml },
    { list: 'ch-seco', fixture: 'built/ch_seco_xml/seco_dprk_built.xml', parse: parseChSecoXml },
  ];
  it.each(LISTS)('$list: the bytes give exactly the records and warnings the text gives', ({ fixture, parse }) => {
    const bytes = fixtureBytes(fixture);
    const fromBytes = parse(bytes);
    expect(fromBytes.records.length).toBeGreaterThan(4);
    expect(fromBytes).toStrictEqual(parse(bytes.toString('utf8')));
  });

  it('a truncated or malformed file gives the same error from its bytes as from its text', () => {
    const xml = fixtureText(UN);
    const REPEATING = new Set(['INDIVIDUAL']);
    const error = (read: () => unknown) => {
      try {
        read();
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    const half = xml.slice(0, xml.length >> 1);
    for (const doc of [half, `${half}\n  \n`, xml.replace('</FIRST_NAME>', '</SECOND_NAME>'), '   \n', '<html><body>x</body></html>']) {
      const fromText = error(() => streamDocument(doc, 'CONSOLIDATED_LIST', 'UN XML', REPEATING));
      expect(error(() => streamDocument(Buffer.from(doc), 'CONSOLIDATED_LIST', 'UN XML', REPEATING))).toBe(fromText);
    }
  });
});
