import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDocument } from '../../src/sources/fetcher.js';
import { fetchFailure, SourceServer } from '../helpers/source-server.js';

const opts = { timeoutMs: 2000, maxBytes: 1024 * 1024, userAgent: 'dprk-watch-test' };
const server = new SourceServer();

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.stop());

const failure = fetchFailure;

describe('fetchDocument over HTTP', () => {
  it('sends the stored ETag and gets a cheap 304 when the document has not changed', async () => {
    server.set('/list.xml', { kind: 'document', body: '<sdnList/>', lastModified: 'Fri, 01 Dec 2023 01:00:00 GMT' });
    const first = await fetchDocument(server.url('/list.xml'), opts);
    expect(first.status).toBe('ok');
    expect(first.state.etag).toMatch(/^"/);
    expect(first.state.hash).toHaveLength(64);
    const second = await fetchDocument(server.url('/list.xml'), { ...opts, previous: first.state });
    expect(second.status).toBe('not-modified');
    expect(server.hits.get('/list.xml')).toEqual({ total: 2, notModified: 1 });
  });

  it('falls back to If-Modified-Since when the server sends no ETag', async () => {
    server.set('/nolabel.csv', { kind: 'document', body: '1,"X"', etag: false, lastModified: 'Thu, 30 Nov 2023 18:00:00 GMT' });
    const first = await fetchDocument(server.url('/nolabel.csv'), opts);
    const second = await fetchDocument(server.url('/nolabel.csv'), { ...opts, previous: first.state });
    expect(second.status).toBe('not-modified');
  });

  it('reports a timeout when the server never answers', async () => {
    server.set('/hang', { kind: 'hang' });
    const e = await failure(fetchDocument(server.url('/hang'), { ...opts, timeoutMs: 300 }));
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/did not answer within 300 ms/);
  });

  it('reports an HTTP 500 with its status', async () => {
    server.set('/broken', { kind: 'status', status: 500, body: 'oops' });
    const e = await failure(fetchDocument(server.url('/broken'), opts));
    expect(e.code).toBe('http');
    expect(e.message).toMatch(/HTTP 500/);
  });

  it('tells a missing document (404) apart from an outage', async () => {
    const e = await failure(fetchDocument(server.url('/nowhere.csv'), opts));
    expect(e.code).toBe('not-found');
  });

  it('refuses a body over the size cap, declared or streamed without a length', async () => {
    server.set('/big', { kind: 'document', body: Buffer.alloc(4096, 'x') });
    expect((await failure(fetchDocument(server.url('/big'), { ...opts, maxBytes: 1024 }))).code).toBe('too-large');
    server.set('/stream', { kind: 'chunked', chunkSize: 1024, chunks: 64 });
    expect((await failure(fetchDocument(server.url('/stream'), { ...opts, maxBytes: 10_000 }))).code).toBe('too-large');
  });

  it('reports a connection refused as a network error', async () => {
    const e = await failure(fetchDocument('http://127.0.0.1:1/x', opts));
    expect(e.code).toBe('network');
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('follows redirects (a mirror that moved) and gives up after five', async () => {
    const hops = createServer((req, res) => {
      const n = Number(req.url!.slice(1));
      if (n === 0) return void res.writeHead(200, { etag: '"v1"' }).end('<sdnList/>');
      res.writeHead(n % 2 ? 301 : 307, { location: `/${n - 1}` }).end('moved');
    });
    await new Promise<void>((r) => hops.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(hops.address() as AddressInfo).port}`;
    try {
      const ok = await fetchDocument(`${base}/5`, opts);
      expect(ok.status).toBe('ok');
      expect(ok.status === 'ok' && ok.body.toString()).toBe('<sdnList/>');
      expect(ok.state.etag).toBe('"v1"');
      const e = await failure(fetchDocument(`${base}/6`, opts));
      expect(e.code).toBe('network');
      expect(e.message).toMatch(/more than 5 redirects/);
    } finally {
      hops.closeAllConnections();
      await new Promise((r) => hops.close(r));
    }
  });
});

describe('fetchDocument from file://', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dprk-fetch-'));

  it('reads a mirrored file and decompresses .gz', async () => {
    writeFileSync(path.join(dir, 'sdn.csv.gz'), gzipSync('36,"AEROCARIBBEAN AIRLINES"'));
    const r = await fetchDocument(pathToFileURL(path.join(dir, 'sdn.csv.gz')).href, opts);
    expect(r.status === 'ok' && r.body.toString()).toBe('36,"AEROCARIBBEAN AIRLINES"');
    // The file's mtime is when this machine wrote it, not a date the publisher gave.
    expect(r.status === 'ok' && r.lastModified).toBeUndefined();
    expect(r.state.lastModified).toBeUndefined();
  });

  it('applies the size cap to the decompressed size', async () => {
    writeFileSync(path.join(dir, 'bomb.gz'), gzipSync(Buffer.alloc(5 * 1024 * 1024)));
    const e = await failure(fetchDocument(pathToFileURL(path.join(dir, 'bomb.gz')).href, opts));
    expect(e.code).toBe('too-large');
  });

  it('reports a .gz mirror that is not gzip as corrupt, naming the file', async () => {
    writeFileSync(path.join(dir, 'plain.csv.gz'), '36,"AEROCARIBBEAN AIRLINES"');
    const e = await failure(fetchDocument(pathToFileURL(path.join(dir, 'plain.csv.gz')).href, opts));
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/plain\.csv\.gz is not valid gzip/);
  });

  it('reports a missing file as not found and other schemes as unsupported', async () => {
    expect((await failure(fetchDocument(pathToFileURL(path.join(dir, 'none.csv')).href, opts))).code).toBe('not-found');
    expect((await failure(fetchDocument('ftp://example.org/sdn.csv', opts))).code).toBe('unsupported');
  });
});
