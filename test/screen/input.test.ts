import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readScreenInput, ScreenInputError, type InputRow } from '../../src/screen/input.js';
import { parseUnXml } from '../../src/sources/un/xml.js';
import { fixtureText } from '../helpers/fixtures.js';

/** Feed bytes in pieces of `size` bytes, so multi-byte characters straddle chunk boundaries. */
const chunked = (bytes: Buffer, size: number) => Readable.from((function* () {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
})());

async function rows(bytes: Buffer, size = 1 << 16, column?: string): Promise<InputRow[]> {
  const out: InputRow[] = [];
  for await (const r of readScreenInput(chunked(bytes, size), column ? { column } : {})) out.push(r);
  return out;
}

async function error(bytes: Buffer, size = 1 << 16): Promise<ScreenInputError> {
  try {
    await rows(bytes, size);
  } catch (e) {
    if (e instanceof ScreenInputError) return e;
    throw e;
  }
  throw new Error('no error');
}

// Real names with non-ASCII letters, from the UN list's original-script names (Korean, Cyrillic…).
const un = parseUnXml(fixtureText('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml')).records;
const scripts = un.flatMap((r) => r.aliases.map((a) => a.name)).filter((n) => /[^\x00-\x7f]/.test(n)).slice(0, 40);

describe('readScreenInput', () => {
  it('keeps every character whole however the bytes are chunked (one byte at a time included)', async () => {
    expect(scripts.length).toBeGreaterThan(5);
    const text = `\ufeffname\r\n${scripts.map((s) => `"${s.replace(/"/g, '""')}"`).join('\r\n')}\r\n`;
    for (const size of [1, 2, 3, 7, 1 << 16]) {
      const got = await rows(Buffer.from(text, 'utf8'), size, 'name');
      expect(got.map((r) => r.value)).toEqual(scripts.map((s) => s.trim()));
      expect(got.map((r) => r.line)).toEqual(scripts.map((_, i) => i + 2));
    }
  });

  it('gives the line of an invalid byte even when it arrives in a later chunk', async () => {
    const good = Buffer.from(`name\n${scripts.slice(0, 10).join('\n')}\n`, 'utf8');
    const bytes = Buffer.concat([good, Buffer.from([0x4b, 0x69, 0x6d, 0xc3, 0x28, 0x0a])]);
    for (const size of [1, 5, 1 << 16]) expect((await error(bytes, size)).line).toBe(12);
    // A file that ends inside a character.
    const cut = Buffer.from(`name\n${scripts.find((n) => /[^\x00-\x7f]$/.test(n))}`, 'utf8');
    const e = await error(cut.subarray(0, cut.length - 1), 3);
    expect(e.message).toMatch(/line 2: invalid UTF-8 \(the input ends inside a character\)/);
  });

  it('tells UTF-16 and UTF-32 by their byte-order marks, and a NUL byte', async () => {
    expect((await error(Buffer.from('\ufeffname\nx\n', 'utf16le'))).message).toMatch(/^line 1: the input is UTF-16/);
    expect((await error(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('name', 'latin1')]))).message).toMatch(/UTF-16/);
    expect((await error(Buffer.from([0xff, 0xfe, 0, 0, 0x6e, 0, 0, 0]))).message).toMatch(/UTF-32/);
    expect((await error(Buffer.from('name\nab\0c\n'))).message).toMatch(/^line 2: a NUL byte/);
  });

  it('a tiny file and an empty one', async () => {
    expect(await rows(Buffer.from('ab'))).toEqual([{ line: 1, value: 'ab' }]);
    expect(await rows(Buffer.alloc(0))).toEqual([]);
  });
});
