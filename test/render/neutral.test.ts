/**
 * The text and link rules every renderer shares (src/render/neutral.ts): what is dropped,
 * what is kept, and which links are accepted.
 */
import { describe, expect, it } from 'vitest';
import { cleanText, cutIndex, parseTime, safeUrl } from '../../src/render/neutral.js';
import { seededRandom } from '../helpers/random.js';

describe('cleanText', () => {
  it('drops C0 and C1 controls and DEL, keeping newlines', () => {
    expect(cleanText('a\u0000b\u0007c\u001bd\u007fe\u0085f\u009fg\nh')).toBe('abcdefg\nh');
  });

  it('turns CRLF and a bare CR into a newline, and a tab into a space', () => {
    expect(cleanText('one\r\ntwo\rthree\tfour')).toBe('one\ntwo\nthree four');
  });

  it('drops bidi embeddings, overrides and isolates, and the BOM', () => {
    expect(cleanText('\ufeffKIM\u202e gnoJ\u202c \u2066x\u2069 \u202ay\u202b')).toBe('KIM gnoJ x y');
  });

  it('replaces lone surrogates, and removing a control never joins two halves into a character', () => {
    expect(cleanText('a\ud800b\udc00c')).toBe('a\ufffdb\ufffdc');
    expect(cleanText('\ud83d\u0000\ude80')).toBe('\ufffd\ufffd');
    expect(cleanText('🚀')).toBe('🚀');
  });

  it('keeps what is text: emoji sequences, Korean, the joiners renderers add, right-to-left marks and runs of spaces', () => {
    const kept = '👩\u200d💻 김정은 a\u200bb c\u2060d \u200fعربي\u200e  two  spaces\n\nand a blank line';
    expect(cleanText(kept)).toBe(kept);
  });

  it('is idempotent and always returns well-formed text without controls', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 500; i++) {
      const s = String.fromCharCode(...Array.from({ length: 1 + Math.floor(random() * 40) }, () => Math.floor(random() * 0x10000)));
      const out = cleanText(s);
      expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/);
      expect(cleanText(out)).toBe(out);
    }
  });
});

describe('safeUrl', () => {
  it('accepts http and https URLs, normalised as a browser would open them', () => {
    expect(safeUrl('https://sanctionssearch.ofac.treas.gov/Details.aspx?id=27307', 2000)).toBe('https://sanctionssearch.ofac.treas.gov/Details.aspx?id=27307');
    expect(safeUrl('  HTTP://Example.COM  ', 2000)).toBe('http://example.com/');
    expect(safeUrl('https://x.example/a b"<c>', 2000)).toBe('https://x.example/a%20b%22%3Cc%3E');
    expect(safeUrl('https://김정은.example/', 2000)).toBe('https://xn--4k0b378bisa.example/');
  });

  it('rejects every other scheme, javascript: in any spelling first', () => {
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'mailto:someone@example.com',
      'ftp://example.com/x',
      'ws://example.com/',
      'slack://open',
    ])
      expect(safeUrl(url, 2000), url).toBeUndefined();
  });

  it('rejects relative and scheme-less links, "https:" without "//", and text that does not parse', () => {
    for (const url of ['//evil.example/x', '/path', 'example.com', 'https:example.com', 'https://', 'https://exa mple.com/', 'http://[::1', '', '   '])
      expect(safeUrl(url, 2000), url).toBeUndefined();
    expect(safeUrl(undefined, 2000)).toBeUndefined();
    expect(safeUrl(42 as unknown as string, 2000)).toBeUndefined();
  });

  it('rejects URLs with credentials, which read as another host', () => {
    expect(safeUrl('https://home.treasury.gov@evil.example/', 2000)).toBeUndefined();
    expect(safeUrl('https://user:pass@example.com/', 2000)).toBeUndefined();
    expect(safeUrl('https://example.com/@everyone', 2000)).toBe('https://example.com/@everyone'); // an @ in the path is no credential
  });

  it('rejects a URL longer than the limit once normalised', () => {
    const base = 'https://x.example/';
    expect(safeUrl(base + 'a'.repeat(2000 - base.length), 2000)).toHaveLength(2000);
    expect(safeUrl(base + 'a'.repeat(2001 - base.length), 2000)).toBeUndefined();
    // Percent-encoding lengthens it: the limit applies to what is sent.
    expect(safeUrl(base + '"'.repeat(700), 2000)).toBeUndefined();
  });
});

describe('parseTime', () => {
  it('parses ISO times and gives undefined for anything else', () => {
    expect(parseTime('2024-05-06T09:30:00Z')?.toISOString()).toBe('2024-05-06T09:30:00.000Z');
    expect(parseTime('not a date')).toBeUndefined();
    expect(parseTime('')).toBeUndefined();
    expect(parseTime(undefined)).toBeUndefined();
  });
});

describe('cutIndex', () => {
  it('never splits a surrogate pair', () => {
    const s = 'ab🚀c';
    expect(cutIndex(s, 2)).toBe(2);
    expect(cutIndex(s, 3)).toBe(2); // would keep only the rocket's first half
    expect(cutIndex(s, 4)).toBe(4);
    expect(cutIndex(s, 0)).toBe(0);
  });
});
