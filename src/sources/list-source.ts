import type { ListId, ParsedList } from '../core/designation.js';
import type { SnapshotEntry } from '../core/snapshot.js';
import type { DocumentSpec } from './documents.js';

/** A document was fetched but is not an acceptable list; the message says why. */
export class SourceError extends Error {
  override name = 'SourceError';
}

/** One sanctions list: which documents make it up, and how to parse them. */
export interface ListSource {
  id: ListId;
  url: string;
  /**
   * When this copy of the list was fetched from the publisher, if known from elsewhere: the
   * archive's fetch time of a replayed copy (the demo). Used as the list date only when the
   * list carries no date of its own and no server sent a Last-Modified.
   */
  fetchedAt?: string;
  documents(): DocumentSpec[];
  /**
   * Parse fetched bodies (keyed by URL). Throws when they are not a sound list. `prior`, the
   * stored snapshot's entries, lets a parser take over records whose published rows did not change.
   */
  parse(bodies: ReadonlyMap<string, Buffer>, prior?: ReadonlyMap<string, SnapshotEntry>): ParsedList;
}

export function requireBody(bodies: ReadonlyMap<string, Buffer>, url: string): Buffer {
  const body = bodies.get(url);
  if (!body) throw new SourceError(`${url} was not fetched`);
  return body;
}
