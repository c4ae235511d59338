import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { sha256 } from '../core/snapshot.js';
import type { DocumentState } from '../store/store.js';

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
  /** Validators from the last successful fetch of this URL, for a conditional GET. */
  previous?: DocumentState;
}

export type FetchResult =
  | { status: 'not-modified'; state: DocumentState }
  | { status: 'ok'; state: DocumentState; body: Buffer; lastModified?: string; contentType?: string };

export type FetchErrorCode = 'timeout' | 'http' | 'not-found' | 'too-large' | 'network' | 'unsupported';

/** A fetch that failed; `code` lets callers tell a missing optional file from an outage. */
export class FetchError extends Error {
  constructor(
    message: string,
    readonly code: FetchErrorCode,
    readonly url: string,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

const tooLarge = (url: string, max: number) =>
  new FetchError(`${url} is larger than the ${max}-byte cap (FETCH_MAX_BYTES)`, 'too-large', url);

/** Read a response body, aborting as soon as it passes the size cap. */
async function readCapped(res: Response, url: string, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge(url, maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (!res.body) return Buffer.alloc(0);
  for await (const chunk of res.body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(url, maxBytes);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, size);
}

async function fetchHttp(url: string, o: FetchOptions): Promise<FetchResult> {
  const headers: Record<string, string> = { 'user-agent': o.userAgent, accept: '*/*' };
  if (o.previous?.url === url) {
    if (o.previous.etag) headers['if-none-match'] = o.previous.etag;
    if (o.previous.lastModified) headers['if-modified-since'] = o.previous.lastModified;
  }
  let res: Response;
  let body: Buffer;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(o.timeoutMs), redirect: 'follow' });
    if (res.status === 304 && o.previous) return { status: 'not-modified', state: o.previous };
    if (res.status === 404 || res.status === 410) {
      await res.body?.cancel();
      throw new FetchError(`${url} answered ${res.status} (not found)`, 'not-found', url);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new FetchError(`${url} answered HTTP ${res.status} ${res.statusText}`.trim(), 'http', url);
    }
    body = await readCapped(res, url, o.maxBytes);
  } catch (err) {
    if (err instanceof FetchError) throw err;
    const e = err as Error;
    if (e.name === 'TimeoutError' || e.name === 'AbortError')
      throw new FetchError(`${url} did not answer within ${o.timeoutMs} ms (FETCH_TIMEOUT_MS)`, 'timeout', url);
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new FetchError(`${url} could not be reached: ${cause?.code ?? cause?.message ?? e.message}`, 'network', url);
  }
  const etag = res.headers.get('etag') ?? undefined;
  const lastModified = res.headers.get('last-modified') ?? undefined;
  const contentType = res.headers.get('content-type') ?? undefined;
  return {
    status: 'ok',
    body,
    state: { url, etag, lastModified, hash: sha256(body) },
    ...(lastModified ? { lastModified } : {}),
    ...(contentType ? { contentType } : {}),
  };
}

/** file:// for lists mirrored on disk; `.gz` files are decompressed (mirrors often keep them so). */
async function fetchFile(url: string, o: FetchOptions): Promise<FetchResult> {
  const file = fileURLToPath(url);
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new FetchError(`${file} does not exist`, 'not-found', url);
  }
  if (info.size > o.maxBytes) throw tooLarge(url, o.maxBytes);
  const lastModified = info.mtime.toUTCString();
  let body = await readFile(file);
  if (file.endsWith('.gz')) {
    try {
      body = gunzipSync(body, { maxOutputLength: o.maxBytes });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(url, o.maxBytes);
      throw new FetchError(`${file} is not valid gzip: ${(e as Error).message}`, 'http', url);
    }
  }
  return { status: 'ok', body, state: { url, lastModified, hash: sha256(body) }, lastModified };
}

/** Fetch one document over http(s) or from file://, with timeout, size cap and conditional GET. */
export function fetchDocument(url: string, o: FetchOptions): Promise<FetchResult> {
  if (url.startsWith('http://') || url.startsWith('https://')) return fetchHttp(url, o);
  if (url.startsWith('file://')) return fetchFile(url, o);
  return Promise.reject(new FetchError(`${url}: only http(s):// and file:// URLs are supported`, 'unsupported', url));
}
