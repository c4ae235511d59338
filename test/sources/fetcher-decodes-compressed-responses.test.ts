import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/core/snapshot.js';
import { fetchDocument, type FetchResult } from '../../src/sources/fetcher.js';
import { fixtureBytes } from '../helpers/fixtures.js';
import { type Coding, fetchFailure, SourceServer } from '../helpers/source-server.js';

const opts = { timeoutMs: 10_000, maxBytes: 64 * 1024 * 1024, userAgent: 'dprk-watch-test' };
const server = new SourceServer();
/** The full UN consolidated list as published (about 2 MB of XML). */
const UN = fixtureBytes('real/un_consolidated_xml/consolidated_2026-02-27.xml.gz');
/** The real sdn.csv of 2023-12-01 (5.6 MB). */
const SDN = fixtureBytes('real/ofac_sdn_csv/sdn_2023-12-01.csv.gz');

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.stop());

const failure = fetchFailure;

const bodyOf = (r: FetchResult): Buffer => {
  if (r.status !== 'ok') throw new Error(`expected a body, got ${r.status}`);
  return r.body;
};

describe('fetchDocument asks for compressed responses and decodes them', () => {
  it('sends Accept-Encoding: gzip, deflate, br', async () => {
    server.set('/ask', { kind: 'document', body: 'x' });
    await fetchDocument(server.url('/ask'), opts);
    expect(server.lastRequest.get('/ask')?.['accept-encoding']).toBe('gzip, deflate, br');
  });

  const codings: Coding[] = ['gzip', 'deflate', 'br'];
  for (const [name, doc] of [
    ['UN consolidated XML', UN],
    ['sdn.csv 2023-12-01', SDN],
  ] as const) {
    it(`${name}: every coding decodes to the identity bytes and the identity hash`, async () => {
      server.set('/plain', { kind: 'document', body: doc });
      const plain = await fetchDocument(server.url('/plain'), opts);
      expect(bodyOf(plain).equals(doc)).toBe(true);
      expect(plain.state.hash).toBe(sha256(doc));
      for (const coding of codings) {
        const path = `/${coding}`;
        server.set(path, { kind: 'document', body: doc, encodings: [coding] });
        const r = await fetchDocument(server.url(path), opts);
        expect(r.state.etag, coding).toMatch(new RegExp(`-${coding}"$`)); // the encoded variant was served
        expect(bodyOf(r).equals(doc), coding).toBe(true);
        expect(r.state.hash, coding).toBe(plain.state.hash);
      }
    });
  }

  it('undoes stacked codings last first, and takes identity, x-gzip and upper case', async () => {
    const doc = UN.subarray(0, 100_000);
    const cases: Array<[string, Buffer]> = [
      ['gzip, br', brotliCompressSync(gzipSync(doc))],
      ['br,gzip', gzipSync(brotliCompressSync(doc))],
      ['identity', doc],
      ['identity, gzip', gzipSync(doc)],
      ['x-gzip', gzipSync(doc)],
      ['GZIP', gzipSync(doc)],
    ];
    for (const [encoding, body] of cases) {
      server.set('/stacked', { kind: 'raw', body, headers: { 'content-encoding': encoding } });
      expect(bodyOf(await fetchDocument(server.url('/stacked'), opts)).equals(doc), encoding).toBe(true);
    }
  });

  it('keeps conditional GET: a compressed document answered 304 by ETag, or by Last-Modified', async () => {
    server.set('/etag.xml', { kind: 'document', body: UN, encodings: ['br', 'gzip'] });
    const first = await fetchDocument(server.url('/etag.xml'), opts);
    expect(first.state.etag).toMatch(/-br"$/);
    const second = await fetchDocument(server.url('/etag.xml'), { ...opts, previous: first.state });
    expect(second.status).toBe('not-modified');
    expect(server.hits.get('/etag.xml')).toEqual({ total: 2, notModified: 1 });

    const lastModified = 'Fri, 27 Feb 2026 10:00:00 GMT';
    server.set('/lm.xml', { kind: 'document', body: UN, encodings: ['gzip'], etag: false, lastModified });
    const a = await fetchDocument(server.url('/lm.xml'), opts);
    expect(a.state.lastModified).toBe(lastModified);
    expect((await fetchDocument(server.url('/lm.xml'), { ...opts, previous: a.state })).status).toBe('not-modified');
  });

  it('reads an empty body sent with Content-Encoding as empty, not corrupt', async () => {
    server.set('/empty', { kind: 'raw', body: Buffer.alloc(0), headers: { 'content-encoding': 'gzip' } });
    expect(bodyOf(await fetchDocument(server.url('/empty'), opts))).toHaveLength(0);
  });
});

describe('the size cap applies to the decoded body, and to the bytes received', () => {
  const cap = { ...opts, maxBytes: 512 * 1024 };

  it('refuses a 1 KB gzip that inflates to 1 MB (a compression bomb) as too-large', async () => {
    const bomb = gzipSync(Buffer.alloc(1024 * 1024));
    expect(bomb.length).toBeLessThan(1100);
    server.set('/bomb', { kind: 'raw', body: bomb, headers: { 'content-encoding': 'gzip' } });
    const e = await failure(fetchDocument(server.url('/bomb'), cap));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/decodes \(gzip\) to more than the 524288-byte cap \(FETCH_MAX_BYTES\)/);
  });

  it('stops a gzip stream that never ends as soon as the decoded size passes the cap', async () => {
    // Concatenated gzip members, each 1 MB of zeros in about 1 KB, sent until the client hangs
    // up: only a cap counted while decoding can end this fetch.
    server.set('/endless', { kind: 'endless', chunk: gzipSync(Buffer.alloc(1024 * 1024)), headers: { 'content-encoding': 'gzip' } });
    const e = await failure(fetchDocument(server.url('/endless'), cap));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/decodes \(gzip\) to more than/);
  });

  it('refuses an endless stream of empty gzip members by the bytes received', async () => {
    const emptyMembers = Buffer.concat(Array.from({ length: 500 }, () => gzipSync(Buffer.alloc(0)))); // 20 bytes each
    server.set('/empty-members', { kind: 'endless', chunk: emptyMembers, headers: { 'content-encoding': 'gzip' } });
    const e = await failure(fetchDocument(server.url('/empty-members'), cap));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/is larger than the 524288-byte cap/);
  });

  it('refuses a compressed body whose Content-Length (the encoded size) is over the cap before reading it', async () => {
    server.set('/big.gz', { kind: 'document', body: UN, encodings: ['gzip'] });
    const e = await failure(fetchDocument(server.url('/big.gz'), { ...opts, maxBytes: 100_000 }));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/is larger than the 100000-byte cap/);
  });

  it('takes a compressed body whose decoded size is exactly the cap', async () => {
    const doc = UN.subarray(0, 300_000);
    server.set('/exact', { kind: 'document', body: doc, encodings: ['gzip'] });
    expect(bodyOf(await fetchDocument(server.url('/exact'), { ...opts, maxBytes: doc.length })).equals(doc)).toBe(true);
    const e = await failure(fetchDocument(server.url('/exact'), { ...opts, maxBytes: doc.length - 1 }));
    expect(e.code).toBe('too-large');
  });
});

describe('a body that does not decode is a clear error', () => {
  const cases: Array<[string, Buffer, string, RegExp]> = [
    ['bytes that are not gzip', Buffer.from('<html>Service Unavailable</html>'), 'gzip', /sent a corrupt gzip body \(incorrect header check\)/],
    ['a gzip download cut in the middle', gzipSync(UN).subarray(0, 50_000), 'gzip', /sent a corrupt gzip body \(unexpected end of file\)/],
    ['bytes that are not brotli', Buffer.from('this is plain text, not brotli at all'), 'br', /sent a corrupt br body/],
    ['raw deflate where zlib deflate is due', deflateRawSync(UN.subarray(0, 10_000)), 'deflate', /sent a corrupt deflate body/],
    ['a gzip body with garbage after it', Buffer.concat([gzipSync('abc'), Buffer.from('garbage!')]), 'gzip', /corrupt gzip body/],
  ];
  for (const [name, body, coding, message] of cases) {
    it(`${name} → 'corrupt'`, async () => {
      server.set('/corrupt', { kind: 'raw', body, headers: { 'content-encoding': coding } });
      const e = await failure(fetchDocument(server.url('/corrupt'), opts));
      expect(e.code).toBe('corrupt');
      expect(e.message).toMatch(message);
    });
  }

  it("a coding it did not ask for → 'unsupported', naming it", async () => {
    server.set('/zstd', { kind: 'raw', body: Buffer.from('(zstd frame)'), headers: { 'content-encoding': 'zstd' } });
    const e = await failure(fetchDocument(server.url('/zstd'), opts));
    expect(e.code).toBe('unsupported');
    expect(e.message).toMatch(/Content-Encoding 'zstd', which cannot be decoded \(asked for: gzip, deflate, br\)/);
    // The connection is usable afterwards: the next fetch from the same server works.
    server.set('/after', { kind: 'document', body: 'ok', encodings: ['gzip'] });
    expect(bodyOf(await fetchDocument(server.url('/after'), opts)).toString()).toBe('ok');
  });

  it("a download that stalls is a timeout and one that is cut off a network error, not 'corrupt'", async () => {
    const half = gzipSync(UN).subarray(0, 40_000);
    const stalls = createServer((req, res) => {
      res.writeHead(200, req.url === '/plain-stall' ? {} : { 'content-encoding': 'gzip' });
      res.write(half);
      if (req.url === '/cut') setImmediate(() => res.socket?.destroy());
    });
    await new Promise<void>((r) => stalls.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(stalls.address() as AddressInfo).port}`;
    try {
      const stalled = await failure(fetchDocument(`${base}/stall`, { ...opts, timeoutMs: 500 }));
      expect(stalled.code).toBe('timeout');
      expect(stalled.message).toMatch(/did not answer within 500 ms/);
      expect((await failure(fetchDocument(`${base}/plain-stall`, { ...opts, timeoutMs: 500 }))).code).toBe('timeout');
      const cut = await failure(fetchDocument(`${base}/cut`, opts));
      expect(cut.code).toBe('network');
    } finally {
      stalls.closeAllConnections();
      await new Promise((r) => stalls.close(r));
    }
  });
});
