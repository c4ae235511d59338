import type { DocumentState } from '../store/store.js';
import type { Fetched } from './source.js';
import { FetchError, fetchDocument, type FetchOptions } from './fetcher.js';

export interface DocumentSpec {
  url: string;
  /** An optional document may be missing (404 / no such file): that is logged, not fatal. */
  optional?: boolean;
}

export interface FetchedDocuments {
  /** True when every document is byte-identical to the last successful fetch. */
  unchanged: boolean;
  /** Bodies by URL (only when changed); optional documents that were missing are absent. */
  bodies: Map<string, Buffer>;
  states: DocumentState[];
  /** The server's Last-Modified of the first document (http(s) only; file:// has none): the list date when the format has none. */
  lastModified?: string;
  warnings: string[];
}

type Opts = Omit<FetchOptions, 'previous'>;

/**
 * Fetch the documents that make up one list (OFAC's sdn.csv has companions) so that an
 * unchanged list costs one conditional request per document and no parsing. When any
 * document changed, those answered 304 are fetched again in full: the parser needs all.
 */
export async function fetchDocuments(
  specs: readonly DocumentSpec[],
  previous: readonly DocumentState[],
  opts: Opts,
): Promise<FetchedDocuments> {
  const prevByUrl = new Map(previous.map((d) => [d.url, d]));
  const warnings: string[] = [];
  const results = await Promise.all(
    specs.map(async (spec) => {
      const prev = prevByUrl.get(spec.url);
      try {
        return await fetchDocument(spec.url, { ...opts, ...(prev ? { previous: prev } : {}) });
      } catch (e) {
        if (spec.optional && e instanceof FetchError && e.code === 'not-found') {
          warnings.push(`optional document ${spec.url} is missing; continuing without it`);
          return undefined;
        }
        throw e;
      }
    }),
  );
  const unchanged =
    previous.length > 0 &&
    results.every((r, i) => {
      const prev = prevByUrl.get(specs[i]!.url);
      if (r === undefined) return prev === undefined; // still missing
      return r.status === 'not-modified' || (prev?.hash !== undefined && prev.hash === r.state.hash);
    });
  const states: DocumentState[] = [];
  const bodies = new Map<string, Buffer>();
  let lastModified: string | undefined;
  for (const [i, r] of results.entries()) {
    if (r === undefined) continue;
    let full = r;
    if (r.status === 'not-modified' && !unchanged) {
      const spec = specs[i]!;
      full = await fetchDocument(spec.url, opts);
    }
    states.push(full.state);
    if (full.status === 'ok') {
      bodies.set(full.state.url, full.body);
      if (i === 0) lastModified = full.lastModified;
    } else if (i === 0) {
      lastModified = full.state.lastModified;
    }
  }
  return { unchanged, bodies, states, warnings, ...(lastModified ? { lastModified } : {}) };
}

/** The contract's fetch step for sources made of documents: their bodies by URL, or "unchanged". */
export async function fetchEdition(
  specs: readonly DocumentSpec[],
  validators: readonly DocumentState[],
  opts: Opts,
): Promise<Fetched<ReadonlyMap<string, Buffer>>> {
  const f = await fetchDocuments(specs, validators, opts);
  if (f.unchanged) return { unchanged: true, documents: f.states, warnings: f.warnings };
  return { unchanged: false, raw: f.bodies, documents: f.states, warnings: f.warnings, ...(f.lastModified ? { lastModified: f.lastModified } : {}) };
}

/** The body fetched for `url` (or the only one, after a redirect renamed it). */
export function requireDocument(bodies: ReadonlyMap<string, Buffer>, url: string): Buffer {
  const body = bodies.get(url) ?? [...bodies.values()][0];
  if (!body) throw new Error('the server sent no body');
  return body;
}
