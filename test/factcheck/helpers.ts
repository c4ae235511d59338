import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { VerdictAlert } from '../../src/core/verdicts.js';
import { pollSource, type PollDeps, type PollResult } from '../../src/pipeline/poll.js';
import { claimReviewPageSource, factCheckSources, googleFactCheckSource } from '../../src/sources/factcheck/source.js';
import type { Source } from '../../src/sources/source.js';
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

export function deps(store: Store, now?: string, log = recordingLog()): PollDeps & { log: ReturnType<typeof recordingLog> } {
  return {
    store,
    log,
    scope: 'dprk',
    maxRemovalShare: 0.05,
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

/** One fact-check source's poll, as these tests read it: the outcome with its figures, and the alerts. */
export interface FactCheckReport {
  source: string;
  label: string;
  url: string;
  result: { outcome: PollResult['outcome']; reason?: string } & Record<string, unknown>;
  alerts: VerdictAlert[];
}

async function report(source: Source, d: PollDeps): Promise<FactCheckReport> {
  const r = await pollSource(source, d);
  return {
    source: source.id,
    label: source.label,
    url: source.url,
    result: { outcome: r.outcome, ...(r.reason !== undefined ? { reason: r.reason } : {}), ...r.counts },
    alerts: r.alerts as VerdictAlert[],
  };
}

type Settings = Parameters<typeof factCheckSources>[0];

export const pollGoogleFactCheck = (config: Settings, d: PollDeps): Promise<FactCheckReport> => report(googleFactCheckSource(config), d);
export const pollClaimReviewPage = (url: string, d: PollDeps): Promise<FactCheckReport> => report(claimReviewPageSource(url), d);

/** Every fact-check source once, one after another (they share the verdict index). */
export async function pollFactChecks(config: Settings, d: PollDeps): Promise<{ sources: FactCheckReport[]; alerts: VerdictAlert[] }> {
  const sources: FactCheckReport[] = [];
  for (const source of factCheckSources(config)) sources.push(await report(source, d));
  return { sources, alerts: sources.flatMap((s) => s.alerts) };
}
