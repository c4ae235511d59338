import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FactCheckDeps } from '../../src/factcheck/poll.js';
import type { Store } from '../../src/store/store.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { recordingLog } from '../helpers/pipeline.js';

export const GOOGLE_PATH = '/v1alpha1/claims:search';
export const REAL_GOOGLE_1014 = 'real/factcheck/google_factcheck_claims_search_commit-2021-10-14.json';
export const REAL_GOOGLE_1030 = 'real/factcheck/google_factcheck_claims_search_commit-2021-10-30.json';

export const fixture = (relative: string): string => readFileSync(path.join(FIXTURES, relative), 'utf8');

/** A copy of a JSON fixture with nextPageToken removed (the last page of a result). */
export function lastPage(relative: string): string {
  const json = JSON.parse(fixture(relative)) as Record<string, unknown>;
  delete json.nextPageToken;
  return JSON.stringify(json);
}

export interface SeenRequest {
  path: string;
  params: Record<string, string>;
}

export type Answer = { status?: number; body: string; contentType?: string };

/**
 * A loopback stand-in for Google's `claims:search`: answers by a function of the query
 * parameters and records every request (path + parameters), so tests can check what the
 * client sent: query, key, pageToken, languageCode.
 */
export class GoogleFake {
  readonly requests: SeenRequest[] = [];
  private server?: Server;

  constructor(public answer: (params: Record<string, string>) => Answer) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const params = Object.fromEntries(u.searchParams.entries());
      this.requests.push({ path: u.pathname, params });
      if (u.pathname !== GOOGLE_PATH) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":404}}');
        return;
      }
      const a = this.answer(params);
      res.writeHead(a.status ?? 200, { 'content-type': a.contentType ?? 'application/json; charset=UTF-8' }).end(a.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** The base URL (GOOGLE_FACTCHECK_URL); the client appends /v1alpha1/claims:search. */
  get base(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

export function deps(store: Store, now?: string, log = recordingLog()): FactCheckDeps & { log: ReturnType<typeof recordingLog> } {
  return {
    store,
    log,
    fetch: { timeoutMs: 2000, maxBytes: 4 * 1024 * 1024, userAgent: 'dprk-watch-test' },
    ...(now ? { now: () => new Date(now) } : {}),
  };
}

export const KEY = 'test-key-AIzaFAKE123';

export function googleConfig(base: string, over: Partial<Record<string, unknown>> = {}) {
  return {
    GOOGLE_FACTCHECK_API_KEY: KEY as string | undefined,
    GOOGLE_FACTCHECK_URL: base,
    FACTCHECK_QUERIES: ['North Korea'],
    FACTCHECK_PAGES: [] as string[],
    FACTCHECK_MAX_PAGES: 5,
    FACTCHECK_LANGUAGE: undefined as string | undefined,
    ...over,
  };
}
