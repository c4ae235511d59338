import { SOURCE_LABELS } from '../core/alerts.js';
import type { SourceId } from '../core/designation.js';
import { addressFormat } from '../search/address-format.js';
import { attributionData, type AttributionData, type AttributionIndex } from '../search/attributions.js';
import { DEFAULT_MIN_SCORE, type EntityIndex, type LookupResult } from '../search/entity-index.js';
import type { InputRow } from './input.js';

/** What the screener matches against: the lists' index and, apart, the wallet attributions. */
export interface ScreenEngine {
  index: EntityIndex;
  attributions: AttributionIndex;
  /** Names scoring below this are no match (identifier matches score 1). Default: the lookup's. */
  minScore?: number;
}

export interface ScreenMatch {
  name: string;
  source: SourceId;
  sourceId: string;
  score: number;
  matchedOn: string;
  matchKind: LookupResult['matchKind'];
  dprk: boolean;
  programs: string[];
  url: string;
}

/** One screened input row: always one per row read, matched or not. */
export interface ScreenRow {
  line: number;
  input: string;
  /** How the value was read: a wallet address (exact identifier match only), a name (fuzzy), or nothing. */
  kind: 'address' | 'name' | 'empty';
  /** The best sanctions-list match, or null. */
  match: ScreenMatch | null;
  /** Every list that carries the match (its own and the same party's other listings). */
  lists: string[];
  /** Law-enforcement attributions of an address: never a sanctions match. */
  attributions: AttributionData[];
  /** A list match or an attribution. */
  hit: boolean;
}

const EVM = /^0x[0-9a-f]{40}$/i;

/** A value that looks like a wallet address is screened as one: exactly, never fuzzily as a name. */
export function isAddress(value: string): boolean {
  return EVM.test(value) || addressFormat(value) !== undefined;
}

/** Screen one value. Pure and synchronous: the HTTP API and the CLI call the same function. */
export function screenValue(engine: ScreenEngine, value: string, line = 0): ScreenRow {
  const input = value.trim();
  if (input === '') return { line, input, kind: 'empty', match: null, lists: [], attributions: [], hit: false };
  const kind = isAddress(input) ? 'address' : 'name';
  const best =
    kind === 'address'
      ? engine.index.lookup(input, { limit: 5 }).find((r) => r.matchKind === 'identifier' && r.identifier?.kind === 'crypto')
      : engine.index.lookup(input, { limit: 1, minScore: engine.minScore ?? DEFAULT_MIN_SCORE })[0];
  const attributions = kind === 'address' ? engine.attributions.forAddress(input).map(attributionData) : [];
  const lists = best ? [...new Set([best.source, ...best.crossReferences.map((x) => x.source)])].map((s) => SOURCE_LABELS[s]) : [];
  return {
    line,
    input,
    kind,
    match: best
      ? {
          name: best.name,
          source: best.source,
          sourceId: best.sourceId,
          score: best.score,
          matchedOn: best.matchedOn,
          matchKind: best.matchKind,
          dprk: best.dprk,
          programs: best.programs,
          url: best.url,
        }
      : null,
    lists,
    attributions,
    hit: best !== undefined || attributions.length > 0,
  };
}

/** Screen a stream of rows, one result per row, in order; constant memory (nothing is kept). */
export async function* screenRows(engine: ScreenEngine, rows: AsyncIterable<InputRow>): AsyncGenerator<ScreenRow> {
  for await (const row of rows) yield screenValue(engine, row.value, row.line);
}
