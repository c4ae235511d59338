import { readFile, stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress, createGunzip, createInflate, gunzipSync } from 'node:zlib';
import { sha256 } from '../core/snapshot.js';
import type { DocumentState } from '../store/store.js';

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
  /** Validators from the last successful fetch of this URL, for a conditional GET. */
  previous?: DocumentState;
  /**
   * Told the bytes received so far as a body arrives (`total`: its Content-Length, if sent) and
   * once more with `done` when it is all in: a terminal shows the EU's and SECO's long downloads.
   */
  onProgress?: (url: string, received: number, total: number | undefined, done: boolean) => void;
}

export type FetchResult =
  | { status: 'not-modified'; state: DocumentState }
  | { status: 'ok'; state: DocumentState; body: Buffer; lastModified?: string; contentType?: string };

export type FetchErrorCode = 'timeout' | 'http' | 'not-found' | 'too-large' | 'network' | 'unsupported' | 'corrupt';

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

const decodedTooLarge = (url: string, max: number, codings: readonly string[]) =>
  new FetchError(`${url} decodes (${codings.join(', ')}) to more than the ${max}-byte cap (FETCH_MAX_BYTES); decoding stopped there`, 'too-large', url);

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * GET `url` with node:http(s), following up to MAX_REDIRECTS redirects; resolves with the
 * final response, its body unread. Not fetch(): its web-stream plumbing cost most of an
 * unchanged poll's CPU (about 20 ms for the 5.6 MB sdn.csv, against a few ms this way).
 */
function get(url: URL, headers: Record<string, string>, signal: AbortSignal, redirectsLeft = MAX_REDIRECTS): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { headers, signal }, (res) => {
      const location = res.headers.location;
      if (!REDIRECTS.has(res.statusCode ?? 0) || !location) return resolve(res);
      res.resume(); // a redirect's own body is not wanted
      if (redirectsLeft === 0) return reject(new Error(`more than ${MAX_REDIRECTS} redirects`));
      const next = URL.canParse(location, url.href) ? new URL(location, url) : undefined;
      if (!next || (next.protocol !== 'http:' && next.protocol !== 'https:'))
        return reject(new Error(`redirected to an unusable location: ${location.slice(0, 200)}`));
      resolve(get(next, headers, signal, redirectsLeft - 1));
    });
    req.on('error', reject);
    req.end();
  });
}

type Progress = FetchOptions['onProgress'];

/** Read an uncompressed response body, aborting as soon as it passes the size cap. */
async function readCapped(res: IncomingMessage, url: string, maxBytes: number, progress: Progress, total: number | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    progress?.(url, size, total, false);
    if (size > maxBytes) {
      res.destroy();
      throw tooLarge(url, maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Codings asked for in Accept-Encoding: SDN.XML is tens of megabytes, a few once compressed.
 * "deflate" is the zlib format (RFC 9110); a server sending raw deflate gets a 'corrupt' error.
 */
const ACCEPT_ENCODING = 'gzip, deflate, br';
const DECODERS: Readonly<Record<string, () => Transform>> = {
  gzip: () => createGunzip(),
  'x-gzip': () => createGunzip(),
  deflate: () => createInflate(),
  br: () => createBrotliDecompress(),
};

/** The codings of a Content-Encoding header in the order they were applied, `identity` left out. */
function codingsOf(res: IncomingMessage, url: string): string[] {
  const value = res.headers['content-encoding'] ?? '';
  const codings = value
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  const unknown = codings.find((c) => DECODERS[c] === undefined);
  if (unknown !== undefined) {
    throw new FetchError(`${url} was sent with Content-Encoding '${value}', which cannot be decoded (asked for: ${ACCEPT_ENCODING})`, 'unsupported', url);
  }
  return codings;
}

/**
 * Read a response body, decoded by its Content-Encoding (stacked codings are undone last
 * first). FETCH_MAX_BYTES caps both the bytes received (so Content-Length, the encoded size,
 * is checked up front) and the decoded body, which is counted as it streams out of the
 * decoder: a compression bomb is stopped one chunk past the cap, not inflated first.
 */
async function readBody(res: IncomingMessage, url: string, maxBytes: number, progress?: Progress): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  const total = Number.isFinite(declared) ? declared : undefined;
  let codings: string[];
  try {
    if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(url, maxBytes);
    codings = codingsOf(res, url);
  } catch (err) {
    res.destroy();
    throw err;
  }
  if (codings.length === 0) {
    const body = await readCapped(res, url, maxBytes, progress, total);
    progress?.(url, body.length, total, true);
    return body;
  }

  const decoders = codings.toReversed().map((c) => (DECODERS[c] as () => Transform)());
  let received = 0;
  let size = 0;
  const chunks: Buffer[] = [];
  const wire = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.byteLength;
      progress?.(url, received, total, false);
      if (received > maxBytes) done(tooLarge(url, maxBytes));
      else done(null, chunk);
    },
  });
  const collect = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.byteLength;
      if (size > maxBytes) return done(decodedTooLarge(url, maxBytes, codings));
      chunks.push(chunk);
      done();
    },
  });
  // The stage that failed first: pipeline then destroys the others with the same error, so
  // only this tells a body that does not decode from a dropped connection or the cap.
  const stages = [res, wire, ...decoders, collect];
  let failed: unknown;
  for (const stage of stages) stage.on('error', () => void (failed ??= stage));
  try {
    await pipeline(stages);
  } catch (err) {
    if (!decoders.includes(failed as Transform)) throw err;
    if (received === 0) return Buffer.alloc(0); // nothing sent: an empty body, not a corrupt one
    const coding = codings.join(', ');
    throw new FetchError(`${url} sent a corrupt ${coding} body (${(err as Error).message}); nothing of it was used`, 'corrupt', url);
  }
  progress?.(url, received, total, true);
  return Buffer.concat(chunks, size);
}

const header = (res: IncomingMessage, name: string): string | undefined => {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

async function fetchHttp(url: string, o: FetchOptions): Promise<FetchResult> {
  const headers: Record<string, string> = { 'user-agent': o.userAgent, accept: '*/*', 'accept-encoding': ACCEPT_ENCODING };
  if (o.previous?.url === url) {
    if (o.previous.etag) headers['if-none-match'] = o.previous.etag;
    if (o.previous.lastModified) headers['if-modified-since'] = o.previous.lastModified;
  }
  let res: IncomingMessage;
  let body: Buffer;
  const deadline = AbortSignal.timeout(o.timeoutMs);
  try {
    res = await get(new URL(url), headers, deadline);
    const status = res.statusCode ?? 0;
    if (status === 304 && o.previous) {
      res.resume();
      return { status: 'not-modified', state: o.previous };
    }
    if (status === 404 || status === 410) {
      res.resume();
      throw new FetchError(`${url} answered ${status} (not found)`, 'not-found', url);
    }
    if (status < 200 || status > 299) {
      res.resume();
      throw new FetchError(`${url} answered HTTP ${status} ${res.statusMessage ?? ''}`.trim(), 'http', url);
    }
    body = await readBody(res, url, o.maxBytes, o.onProgress);
  } catch (err) {
    if (err instanceof FetchError) throw err;
    const e = err as Error & { code?: string; cause?: { code?: string; message?: string } };
    // A body that stalls is cut by the deadline with a plain ECONNRESET: the signal tells.
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || deadline.aborted)
      throw new FetchError(`${url} did not answer within ${o.timeoutMs} ms (FETCH_TIMEOUT_MS)`, 'timeout', url);
    throw new FetchError(`${url} could not be reached: ${e.code ?? e.cause?.code ?? e.message}`, 'network', url);
  }
  const etag = header(res, 'etag');
  const lastModified = header(res, 'last-modified');
  const contentType = header(res, 'content-type');
  return {
    status: 'ok',
    body,
    state: { url, etag, lastModified, hash: sha256(body) },
    ...(lastModified ? { lastModified } : {}),
    ...(contentType ? { contentType } : {}),
  };
}

/**
 * file:// for lists mirrored on disk; `.gz` files are decompressed (mirrors often keep them so).
 * No Last-Modified: a file's mtime is when this machine wrote it, not when the publisher did.
 */
async function fetchFile(url: string, o: FetchOptions): Promise<FetchResult> {
  const file = fileURLToPath(url);
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new FetchError(`${file} does not exist`, 'not-found', url);
  }
  if (info.size > o.maxBytes) throw tooLarge(url, o.maxBytes);
  let body = await readFile(file);
  if (file.endsWith('.gz')) {
    try {
      body = gunzipSync(body, { maxOutputLength: o.maxBytes });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(url, o.maxBytes);
      throw new FetchError(`${file} is not valid gzip: ${(e as Error).message}`, 'corrupt', url);
    }
  }
  return { status: 'ok', body, state: { url, hash: sha256(body) } };
}

/** Fetch one document over http(s) or from file://, with timeout, size cap and conditional GET. */
export function fetchDocument(url: string, o: FetchOptions): Promise<FetchResult> {
  if (url.startsWith('http://') || url.startsWith('https://')) return fetchHttp(url, o);
  if (url.startsWith('file://')) return fetchFile(url, o);
  return Promise.reject(new FetchError(`${url}: only http(s):// and file:// URLs are supported`, 'unsupported', url));
}
