import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake publisher answers one path. */
export type Route =
  | { kind: 'document'; body: Buffer | string; contentType?: string; lastModified?: string; etag?: boolean }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'hang' }
  | { kind: 'chunked'; chunkSize: number; chunks: number };

/**
 * An in-process HTTP server on 127.0.0.1 standing in for OFAC / the UN: serves documents
 * with ETag and Last-Modified (answering conditional requests with 304), or fails the way
 * real servers do. Counts requests per path so tests can prove a poll was cheap.
 */
export class SourceServer {
  private readonly routes = new Map<string, Route>();
  readonly hits = new Map<string, { total: number; notModified: number }>();
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
      case 'document': {
        const body = Buffer.isBuffer(route.body) ? route.body : Buffer.from(route.body);
        const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
        const headers: Record<string, string> = { 'content-type': route.contentType ?? 'application/octet-stream' };
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
}
