import type { Alert, AlertScope } from '../core/alerts.js';
import type { Log } from '../log.js';
import type { DocumentState, SourceStatus, Store } from '../store/store.js';
import type { FetchOptions } from './fetcher.js';

/**
 * The contract every source implements — a sanctions list, a report feed, a fact-check source.
 * `pollSource` (src/pipeline/poll.ts) runs any of them the same way: fetch (conditional GET),
 * parse + normalize, compare with the stored state, guard, record alerts, store the new state,
 * write the status. A source says only what is its own; it never writes its status.
 */
export interface Source<State = unknown, Raw = unknown, Edition = unknown, A extends Alert = Alert> {
  /** Stable id: status key, lock name, alert `source` (`ofac-sdn`, `feed:cisa`, `factcheck:google`). */
  readonly id: string;
  /** Human name for status, health alerts and logs. */
  readonly label: string;
  /** Where it is fetched from, as shown to people (no secrets). */
  readonly url: string;
  /** When the scheduler polls it. */
  readonly cron: string;
  /** Set when this source is not polled as configured (an API key is missing): recorded, not a failure. */
  readonly off?: { reason: string; format: string };
  /**
   * A poll holds a whole published list in memory (body, text, records): such polls take turns
   * within a process (see App), so that seven lists polled at once never sit in memory together.
   */
  readonly wholeList?: boolean;

  /** The stored state of earlier polls; undefined before the first successful one. */
  load(ctx: PollContext): Promise<State | undefined>;
  /** Whether the stored validators (ETag, Last-Modified, hash) may answer "unchanged" for this state. */
  trustsValidators(previous: SourceStatus, state: State | undefined): boolean;
  /** Fetch the source's documents (conditional GET with `validators`), or call its API. */
  fetch(ctx: PollContext, validators: readonly DocumentState[]): Promise<Fetched<Raw>>;
  /** Parse and normalize what was fetched; throws (with the reason) when it is not a sound edition. */
  parse(fetched: FetchedEdition<Raw>, state: State | undefined, ctx: PollContext): Promise<Edition> | Edition;
  /** Compare the edition with the stored state: the alerts it raises, the state to keep, the guard's verdict. */
  compare(state: State | undefined, edition: Edition, ctx: PollContext): Promise<Comparison<State, A>> | Comparison<State, A>;
  /** Store the new state (after the alerts are recorded). `changed`: it differs from the stored one. */
  save(ctx: PollContext, next: State, changed: boolean): Promise<void>;
  /** Keep derived data current when the publisher sent nothing new (optional). */
  unchanged?(ctx: PollContext, state: State | undefined): Promise<void>;
}

/** What a poll lends a source: where state lives, how to fetch, the alerting rules, the time. */
export interface PollContext {
  store: Store;
  log: Log;
  fetch: Omit<FetchOptions, 'previous'>;
  scope: AlertScope;
  maxRemovalShare: number;
  /** This poll's time (ISO 8601): the detection time of every alert it raises. */
  now: string;
}

/** The publisher's answer: nothing new (every validator held), or a new edition to parse. */
export type Fetched<Raw> = { unchanged: true; documents: DocumentState[]; warnings: string[] } | FetchedEdition<Raw>;

export interface FetchedEdition<Raw> {
  unchanged: false;
  raw: Raw;
  /** Validators to keep for the next conditional GET. */
  documents: DocumentState[];
  warnings: string[];
  /** The server's Last-Modified of the main document (a list's date when it carries none). */
  lastModified?: string;
}

/** What a source concludes from one edition. */
export interface Comparison<State, A extends Alert = Alert> {
  /** baseline: first poll (or a re-baseline), alerts nothing; changed: a new edition; unchanged: nothing new. */
  outcome: 'baseline' | 'changed' | 'unchanged';
  /** The alerts to record (ids are deterministic: a re-run records none twice). */
  alerts: A[];
  /** The state to store; absent: keep the stored one. */
  next?: State;
  /** Whether the stored state changes (the status's lastChangeAt moves). */
  changed: boolean;
  /** Why this edition must not replace the stored one: the poll degrades and keeps everything. */
  suspicious?: string;
  /** Status fields this edition sets: counts, format, list date. */
  status: Pick<SourceStatus, 'recordCount' | 'format'> & Partial<Pick<SourceStatus, 'dprkCount' | 'snapshotVersion' | 'listDate' | 'listDateBasis'>>;
  /** Parse warnings kept in the status. */
  warnings: string[];
  /** What the poll says once the alerts are recorded (`recorded`: the new ones only). */
  report(recorded: readonly A[]): PollReportLine;
}

export interface PollReportLine {
  /** The log line, and its level (default info). */
  log: string;
  level?: 'info' | 'debug';
  fields?: Record<string, unknown>;
  /** One line for people (`poll`, status). */
  summary: string;
  /** Figures of this poll for callers (`{ changes: 3 }`, `{ verdicts: 2, dprk: 1 }`). */
  counts?: Record<string, number>;
}

/** A document was fetched but is not an acceptable edition; the message says why. */
export class SourceError extends Error {
  override name = 'SourceError';
}
