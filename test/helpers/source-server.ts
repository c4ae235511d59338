import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { FetchError } from '../../src/sources/fetcher.js';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';

/** Content codings the fake publisher can apply, as a real server's compression module does. */
export type Coding = 'gzip' | 'deflate' | 'br';

const ENCODE: Record<Coding, (body: Buffer) => Buffer> = {
  gzip: (b) => gzipSync(b),
  deflate: (b) => deflateSync(b), // the zlib format, as RFC 9110 defines "deflate"
  br: (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }), // 11 takes seconds on 5 MB
};

/** How the fake publisher answers one path. */
export type Route =
  | {
      kind: 'document';
      body: Buffer | string;
      contentType?: string;
      lastModified?: string;
      etag?: boolean;
      /**
       * Opt-in compression: the first of these codings the request's Accept-Encoding lists is
       * applied, with an ETag of its own (`"…-gzip"`, as Apache's mod_deflate does) and Vary.
       */
      encodings?: readonly Coding[];
    }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'hang' }
  | { kind: 'chunked'; chunkSize: number; chunks: number }
  /** Exactly these bytes and headers (a pre-compressed bomb, a corrupt body, an unknown coding). */
  | { kind: 'raw'; body: Buffer; headers: OutgoingHttpHeaders }
  /** `chunk` over and over, as fast as the client reads, until it hangs up: a body with no end. */
  | { kind: 'endless'; chunk: Buffer; headers: OutgoingHttpHeaders };

/** The codings a request accepts (q=0 excluded), from its Accept-Encoding header. */
function accepted(req: IncomingMessage): Set<string> {
  const out = new Set<string>();
  for (const part of (req.headers['accept-encoding'] ?? '').split(',')) {
    const [name, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (name && !params.some((p) => /^q=0(\.0*)?$/.test(p))) out.add(name);
  }
  return out;
}

/**
 * An in-process HTTP server on 127.0.0.1 standing in for OFAC / the UN: serves documents
 * with ETag and Last-Modified (answering conditional requests with 304), or fails the way
 * real servers do. Counts requests per path so tests can prove a poll was cheap.
 */
export class SourceServer {
  private readonly routes = new Map<string, Route>();
  readonly hits = new Map<string, { total: number; notModified: number }>();
  /** The headers of the last request per path, to check what a client asked for. */
  readonly lastRequest = new Map<string, IncomingHttpHeaders>();
  /** Encoded bodies per route and coding, made once. */
  private readonly encoded = new WeakMap<Route, Map<Coding, Buffer>>();
  private server?: Server;
  private readonly hanging = new Set<ServerResponse>();

  set(path: string, route: Route): this {
    this.routes.set(path, route);
    return this;
  }

  url(path: string): string {
    const port = (this.server!.address() as AddressInfo).port;
    return `http://127.0.0.1:${port}${path}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const hit = this.hits.get(path) ?? { total: 0, notModified: 0 };
    hit.total++;
    this.hits.set(path, hit);
    this.lastRequest.set(path, req.headers);
    const route = this.routes.get(path);
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    switch (route.kind) {
      case 'status':
        res.writeHead(route.status, { 'content-type': 'text/plain' }).end(route.body ?? '');
        return;
      case 'hang':
        this.hanging.add(res);
        return;
      case 'chunked': {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(route.chunkSize, 'a');
        for (let i = 0; i < route.chunks; i++) res.write(chunk);
        res.end();
        return;
      }
      case 'raw':
        res.writeHead(200, route.headers).end(route.body);
        return;
      case 'endless': {
        res.writeHead(200, route.headers);
        const pump = (): void => {
          while (!res.destroyed && res.write(route.chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
        return;
      }
      case 'document': {
        const identity = Buffer.isBuffer(route.body) ? route.body : Buffer.from(route.body);
        const wants = accepted(req);
        const coding = route.encodings?.find((c) => wants.has(c));
        const body = coding ? this.encode(route, coding, identity) : identity;
        const etag = `"${createHash('sha1').update(identity).digest('hex')}${coding ? `-${coding}` : ''}"`;
        const headers: Record<string, string> = { 'content-type': route.contentType ?? 'application/octet-stream' };
        if (route.encodings) headers.vary = 'accept-encoding';
        if (coding) headers['content-encoding'] = coding;
        if (route.etag !== false) headers.etag = etag;
        if (route.lastModified) headers['last-modified'] = route.lastModified;
        const matches =
          (route.etag !== false && req.headers['if-none-match'] === etag) ||
          (route.etag === false && route.lastModified !== undefined && req.headers['if-modified-since'] === route.lastModified);
        if (matches) {
          hit.notModified++;
          res.writeHead(304, headers).end();
          return;
        }
        res.writeHead(200, { ...headers, 'content-length': String(body.length) }).end(body);
      }
    }
  }

  private encode(route: Route, coding: Coding, body: Buffer): Buffer {
    let byCoding = this.encoded.get(route);
    if (!byCoding) this.encoded.set(route, (byCoding = new Map()));
    let out = byCoding.get(coding);
    if (!out) byCoding.set(coding, (out = ENCODE[coding](body)));
    return out;
  }
}

/** The FetchError a fetch rejects with (fails the test if it resolves or rejects otherwise). */
export async function fetchFailure(p: Promise<unknown>): Promise<FetchError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FetchError);
  return e as FetchError;
}
