import { distance } from 'fastest-levenshtein';
import type { Designation, Identifier, PartyType, SourceId } from '../core/designation.js';
import { linkParties } from '../core/parties.js';
import { extraIdentifierKeys, identifierKey, queryIdentifierKeys, SEARCHABLE_KINDS } from './identifiers.js';
import { isKoreanSyllable } from './korean.js';
import { readKoreanCyrillic } from './korean-cyrillic.js';
import { NameEntries, type NameEntry } from './name-entries.js';
import { type Forms, formsOf, nameParts, partsForms } from './name-forms.js';
import { isLegalForm, tokenize } from './normalize.js';
import { DeletionTable } from './deletion-table.js';
import { packStrings, unpackStrings } from './packed-strings.js';
import { Postings, type PostingsBuilder, type PostingsImage } from './postings.js';
import { RecordTable, type RecordTableImage } from './record-table.js';
import type { NameEntriesImage } from './name-entries.js';
import { hanPersonalName, hasCyrillic, hasHan, romanizeCyrillic, scriptKey } from './scripts.js';

export interface CrossReference {
  source: SourceId;
  sourceId: string;
  name: string;
  url: string;
  /** When that list designated the party, if it says. */
  listedOn?: string;
}

export interface LookupResult {
  source: SourceId;
  sourceId: string;
  name: string;
  type: PartyType;
  /** The name, alias or identifier text that matched, as published. */
  matchedOn: string;
  matchKind: 'name' | 'alias' | 'identifier';
  /** 0..1; 1 is an exact match of a name (after normalization) or of an identifier. */
  score: number;
  dprk: boolean;
  programs: string[];
  url: string;
  identifier?: { kind: Identifier['kind']; value: string; asset?: string };
  /** The same party on the other list(s). */
  crossReferences: CrossReference[];
  record: Designation;
}

/** A result as answers carry it (`entity --json`, `address --json`): everything but the full record. */
export function resultData(r: LookupResult): Omit<LookupResult, 'record'> {
  const { record: _record, ...rest } = r;
  return rest;
}

export interface LookupOptions {
  limit?: number;
  minScore?: number;
}

export interface Suggestion {
  name: string;
  source: SourceId;
  sourceId: string;
}

/** Below this a name match is not worth showing (tuned on the real query set in test/). */
export const DEFAULT_MIN_SCORE = 0.84;
const CANDIDATES = 250;
// A literal match beats a match that needed the Korean key (Pak ↔ Park) by this factor.
const KEY_MATCH_FACTOR = 0.96;
const WEAK_ALIAS_FACTOR = 0.97;

/** Whether b is a with exactly one pair of neighbouring letters swapped ("hea" / "hae"). */
function oneTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** Normalized edit similarity; a swap of two neighbouring letters, the commonest typo, costs one edit. */
const similarity = (a: string, b: string): number => {
  if (a === b) return 1;
  const max = Math.max(a.length, b.length);
  if (max === 0) return 0;
  let d = distance(a, b);
  if (d === 2 && oneTransposition(a, b)) d = 1;
  return 1 - d / max;
};

/**
 * Similarity of two strings, or 0 when their lengths alone show it cannot reach `floor`
 * (skips most edit-distance work on long names full of common words).
 */
function similarityAtLeast(a: string, b: string, floor: number): number {
  if (a === b) return 1;
  const max = Math.max(a.length, b.length);
  if (max === 0 || 1 - Math.abs(a.length - b.length) / max < floor) return 0;
  return similarity(a, b);
}

/**
 * Best similarity over every form of a query and a name (0 if none can reach `floor`).
 * Personal names are compared in written order only (and family-name-last): sorting their
 * tokens would let "Kwang Su" pass for "Su Kwang", a different given name.
 */
function bestSimilarity(q: Forms[], n: Forms[], floor = 0, individual = false): number {
  let raw = 0;
  let key = 0;
  const keyFloor = floor / KEY_MATCH_FACTOR;
  for (const a of q)
    for (const b of n) {
      for (const x of a.rawCompact) for (const y of b.rawCompact) raw = Math.max(raw, similarityAtLeast(x, y, floor));
      if (!individual) raw = Math.max(raw, similarityAtLeast(a.rawSorted, b.rawSorted, floor));
      if (raw === 1) return 1;
      for (const x of a.keyCompact) for (const y of b.keyCompact) key = Math.max(key, similarityAtLeast(x, y, keyFloor));
      if (!individual) key = Math.max(key, similarityAtLeast(a.keySorted, b.keySorted, keyFloor));
    }
  return Math.max(raw, key * KEY_MATCH_FACTOR);
}

/**
 * Query tokens that are whole Korean syllables yet match no syllable of the name (joins
 * and splits allowed: "Jongun" = "Jong Un"). Each is a different syllable, not a typo:
 * "Kim Min-jun" is not "KIM, Man Chun" however close the letters are.
 */
function foreignSyllables(query: readonly string[], name: readonly string[]): number {
  const parts = new Set(name);
  for (let i = 0; i + 1 < name.length; i++) parts.add(name[i]! + name[i + 1]!);
  let foreign = 0;
  for (let i = 0; i < query.length; i++) {
    const q = query[i]!;
    if (parts.has(q)) continue;
    const pair = i + 1 < query.length ? q + query[i + 1]! : undefined;
    const prev = i > 0 ? query[i - 1]! + q : undefined;
    if ((pair && parts.has(pair)) || (prev && parts.has(prev))) continue;
    if (isKoreanSyllable(q)) foreign++;
  }
  return foreign;
}

const FOREIGN_SYLLABLE_FACTOR = 0.85;

/**
 * Query words of a personal name (four letters or more, not Korean syllables: those are
 * foreignSyllables' job) that are not even close to any word of the name: "Smirnov" typed
 * against "Sergei MIRONOV". The whole-name similarity can pass a different surname when the
 * given name is the same; a typo leaves the word close (similarity ≥ 0.75: one edit in four letters) to its original.
 */
function strangerWords(query: readonly string[], queryWords: readonly string[], name: readonly string[], nameWords: readonly string[]): number {
  const parts = [...name];
  for (let i = 0; i + 1 < name.length; i++) parts.push(name[i]! + name[i + 1]!);
  const close = (q: string, among: readonly string[]) => among.some((p) => similarityAtLeast(q, p, 0.75) >= 0.75);
  let strangers = 0;
  for (let i = 0; i < query.length; i++) {
    const q = query[i]!;
    if (q.length < 4 || isKoreanSyllable(q)) continue;
    // A typo keeps the word close, by its key or as written ("Andreev" / "ANDREYEV": the Korean
    // key reads "ee" as a vowel of its own); a word split or joined ("Jongun") must join exactly.
    if (close(q, parts) || (queryWords[i] !== undefined && close(queryWords[i]!, nameWords))) continue;
    const joined = [...(i + 1 < query.length ? [q + query[i + 1]!] : []), ...(i > 0 ? [query[i - 1]! + q] : [])];
    if (!joined.some((x) => parts.includes(x))) strangers++;
  }
  return strangers;
}
/** Score of a personal name typed without its middle name or patronymic. */
const MIDDLE_NAME_SCORE = 0.9;
/**
 * Score of an organisation's name typed with one word left out or added (see oneWordApart):
 * every other word is there exactly, which says more than a name with the identifying word one
 * letter off ("Pyongjin Management Company Limited" is PYONGJIN SHIP MANAGEMENT before YONGJIN
 * SHIP MANAGEMENT, 0.897 on edit similarity); 0.86 ranked them the other way.
 */
const WORD_GAP_SCORE = 0.92;

/**
 * The spellings a query is tried in: as typed, and for Cyrillic each romanization lists use
 * (BGN/PCGN, ICAO, Wikipedia); a Chinese personal name also as "surname givenname".
 */
function queryVariants(query: string): string[] {
  const out = new Set(hasCyrillic(query) ? romanizeCyrillic(query) : [query]);
  // A Korean name in Cyrillic (Ким Чен Ын) is read as Korean too: iuliia reads it as Russian.
  if (hasCyrillic(query)) for (const reading of readKoreanCyrillic(query)) out.add(reading);
  if (hasHan(query)) {
    const personal = hanPersonalName(query);
    if (personal !== undefined) out.add(personal);
  }
  return [...out];
}

/**
 * "Vitaliy Andreyev" for "ANDREYEV, Vitaliy Sergeyevich": every typed word is a word of
 * the name and what is left out are middle names or patronymics — not Korean syllables,
 * since "Kim Jong" is half of many given names, not a short form of one.
 */
function omitsOnlyMiddleNames(query: readonly string[], name: readonly string[]): boolean {
  if (query.length < 2 || name.length <= query.length || name.length > query.length + 2) return false;
  const rest = [...name];
  for (const q of query) {
    const i = rest.indexOf(q);
    if (i < 0) return false;
    rest.splice(i, 1);
  }
  return rest.every((t) => t.length >= 4 && !isKoreanSyllable(t));
}

/** One-deletion variants of a token (SymSpell): typo-tolerant candidate lookup without a scan. */
function deletions(token: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < token.length; i++) out.push(token.slice(0, i) + token.slice(i + 1));
  return out;
}

/**
 * Everything an index is, as plain columns (typed arrays and packed strings) for
 * v8.serialize: a CLI process reads it back instead of building (index-cache.ts).
 * Bump INDEX_IMAGE_FORMAT when its shape or the meaning of a column changes.
 */
export const INDEX_IMAGE_FORMAT = 1;
export interface IndexImage {
  format: number;
  records: RecordTableImage;
  entries: NameEntriesImage;
  postings: PostingsImage;
  deletes: { packed: Float64Array; idScale: number };
  /** Identifier keys; per key, its (record, position in the record's identifiers) pairs. */
  identifiers: { keys: string; starts: Int32Array; records: Int32Array; positions: Int32Array };
  parties: { of: Int32Array; starts: Int32Array; items: Int32Array };
  scripts: { keys: string; starts: Int32Array; items: Int32Array };
}

/** A Map of number lists as packed keys and flat offsets (and back). */
function flatten(map: Map<string, number[]>): { keys: string; starts: Int32Array; items: Int32Array } {
  const starts = new Int32Array(map.size + 1);
  const items: number[] = [];
  let k = 0;
  for (const list of map.values()) {
    items.push(...list);
    starts[++k] = items.length;
  }
  return { keys: packStrings([...map.keys()]), starts, items: Int32Array.from(items) };
}

function unflatten(flat: { keys: string; starts: Int32Array; items: Int32Array }): Map<string, number[]> {
  const keys = unpackStrings(flat.keys, flat.starts.length - 1);
  return new Map(keys.map((key, k) => [key, Array.from(flat.items.subarray(flat.starts[k]!, flat.starts[k + 1]!))]));
}

const FUZZY_MIN_LENGTH = 4;
/** Records indexed between two pauses of buildInSlices (~10–20 ms of work). */
const SLICE_RECORDS = 500;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The search index over every designation of every list: names, aliases and identifiers.
 * Built once per list version (a few hundred ms for OFAC + UN) and queried in well under a
 * millisecond: candidates come from an inverted index of Korean-aware token keys (with
 * one-edit typo variants), then each candidate is scored on whole-name similarity.
 */
export class EntityIndex {
  /** The records while the index is being built; `records` once it is finished. */
  private adding: Designation[] = [];
  private records!: RecordTable;
  private entries = new NameEntries();
  private postingsBuilder?: PostingsBuilder = Postings.builder();
  private postings!: Postings;
  private deletes!: DeletionTable;
  /** Identifier key → (record, position of the identifier in the record's identifiers). */
  private identifiers = new Map<string, Array<{ record: number; position: number }>>();
  /** Records that are one party with records of other lists: each record's party (or −1), and each party's records. */
  private parties!: { of: Int32Array; starts: Int32Array; items: Int32Array };
  /** Names with non-Latin letters, by script key (scripts.ts). */
  private scripts = new Map<string, number[]>();
  /**
   * Entry numbers sorted by their name's tokens joined as written: made on the first prefix
   * suggestion (Discord autocomplete only), since sorting 60,000 names is a tenth of a build.
   */
  private prefixIndex?: { keys: string[]; entries: Int32Array };
  private byKey?: Map<string, number>;

  static build(records: Iterable<Designation>): EntityIndex {
    const index = new EntityIndex();
    for (const _ of index.buildSteps(records));
    return index;
  }

  /**
   * The same index, built in slices with `pause()` awaited between them (by default one turn
   * of the event loop), so a process that answers while a new list version is being indexed
   * keeps answering: at seven-list scale a slice of records takes ~10–20 ms; the finishing
   * steps (the deletion table, the links between lists) are one slice each, up to ~250 ms.
   */
  static async buildInSlices(records: Iterable<Designation>, pause: () => Promise<void> = nextTurn): Promise<EntityIndex> {
    const index = new EntityIndex();
    for (const _ of index.buildSteps(records)) await pause();
    return index;
  }

  /** The build, yielding between slices. */
  private *buildSteps(records: Iterable<Designation>): Generator<void> {
    let n = 0;
    for (const r of records) {
      this.add(r);
      if (++n % SLICE_RECORDS === 0) yield;
    }
    yield* this.finish();
  }

  get size(): number {
    return this.records.size;
  }

  /** Every record indexed (for aggregates such as the web page's designations per month). */
  get all(): readonly Designation[] {
    return this.records.all();
  }

  /** The index as columns, for index-cache.ts to persist. */
  toImage(): IndexImage {
    const steps = this.imageSteps();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /** The same, made in slices with a yield between them, so a process that answers keeps answering while it persists. */
  *imageSteps(): Generator<void, IndexImage> {
    const records = yield* this.records.imageSteps();
    const entries = this.entries.toImage();
    yield;
    const identifierKeys = [...this.identifiers.keys()];
    const pairs = [...this.identifiers.values()];
    const starts = new Int32Array(pairs.length + 1);
    pairs.forEach((list, k) => (starts[k + 1] = starts[k]! + list.length));
    return {
      format: INDEX_IMAGE_FORMAT,
      records,
      entries,
      postings: this.postings.toImage(),
      deletes: this.deletes.toImage(),
      identifiers: {
        keys: packStrings(identifierKeys),
        starts,
        records: Int32Array.from(pairs.flat(), (p) => p.record),
        positions: Int32Array.from(pairs.flat(), (p) => p.position),
      },
      parties: this.parties,
      scripts: flatten(this.scripts),
    };
  }

  /** The index an image holds; throws when it is not a whole image of this format. */
  static fromImage(image: IndexImage, readRecordBytes?: (start: number, length: number) => Buffer): EntityIndex {
    if (image?.format !== INDEX_IMAGE_FORMAT) throw new Error(`index image of format ${String(image?.format)}, not ${INDEX_IMAGE_FORMAT}`);
    const index = new EntityIndex();
    index.adding = [];
    index.postingsBuilder = undefined;
    index.records = RecordTable.fromImage(image.records, readRecordBytes);
    index.entries = NameEntries.fromImage(image.entries);
    index.postings = Postings.fromImage(image.postings);
    index.deletes = DeletionTable.fromImage(index.postings.allKeys, image.deletes);
    const { keys, starts, records, positions } = image.identifiers;
    index.identifiers = new Map(
      unpackStrings(keys, starts.length - 1).map((key, k) => {
        const list: Array<{ record: number; position: number }> = [];
        for (let i = starts[k]!; i < starts[k + 1]!; i++) list.push({ record: records[i]!, position: positions[i]! });
        return [key, list];
      }),
    );
    index.parties = image.parties;
    if (index.parties.of.length !== index.records.size) throw new Error('index image: parties do not match the records');
    index.scripts = unflatten(image.scripts);
    index.scratchArrays = { best: new Float64Array(index.entries.size), score: new Float64Array(index.entries.size) };
    return index;
  }

  private add(record: Designation): void {
    const ri = this.adding.push(record) - 1;
    const names: Array<{ text: string; kind: 'name' | 'alias'; weak: boolean }> = [
      { text: record.name, kind: 'name', weak: false },
      ...record.aliases.map((a) => ({ text: a.name, kind: 'alias' as const, weak: a.quality === 'weak' })),
    ];
    // "FOREIGN TRADE BANK (FTB)": the bracketed acronym is how people refer to it, and the
    // name without it is how the other list writes it.
    for (const n of [...names]) {
      if (!n.text.includes('(')) continue;
      const m = /\s*\(([A-Z][A-Z0-9&.-]{1,9})\)/.exec(n.text);
      if (!m) continue;
      names.push({ text: m[1]!, kind: 'alias', weak: n.weak });
      names.push({ text: n.text.replace(m[0], ' ').trim(), kind: n.kind === 'name' ? 'alias' : n.kind, weak: n.weak });
    }
    // "Jin Tiesan (金铁三)": the UN writes the original script in brackets; each half is a name.
    for (const n of [...names]) {
      // (The test first: the pattern backtracks over every name otherwise.)
      if (!/[)）]\s*$/.test(n.text)) continue;
      const m = /^(.*\p{Script=Latin}.*?)\s*[(（]([^()（）]+)[)）]\s*$/u.exec(n.text);
      if (!m || scriptKey(m[2]!) === undefined || /\p{Script=Latin}/u.test(m[2]!)) continue;
      n.text = m[1]!.trim();
      names.push({ text: m[2]!.trim(), kind: 'alias', weak: n.weak });
    }
    for (const n of names) {
      const parts = nameParts(n.text, record.type === 'individual');
      const { tokens, core } = parts;
      const script = scriptKey(n.text);
      if (tokens.length === 0 && script === undefined) continue;
      const ei = this.entries.add({ record: ri, text: n.text, kind: n.kind, weak: n.weak }, parts);
      // A name published in another script (キム・ジョンウン, Топливо-бункерная компания) is
      // found as written, whatever its romanization would give.
      if (script !== undefined) {
        let list = this.scripts.get(script);
        if (!list) this.scripts.set(script, (list = []));
        list.push(ei);
      }
      if (tokens.length === 0) continue;
      const coreKeys = core.map((t) => this.entries.key(t));
      const keys = new Set(coreKeys);
      // Adjacent pairs joined, so "Jongun" finds "Jong Un" (and the reverse, see lookup).
      for (let i = 0; i + 1 < core.length; i++) keys.add(coreKeys[i]! + coreKeys[i + 1]!);
      for (const k of keys) this.postingsBuilder!.add(k, ei);
    }
    record.identifiers.forEach((id, position) => {
      if (!SEARCHABLE_KINDS.has(id.kind)) return;
      const key = identifierKey(id.kind, id.value);
      for (const k of [key, ...extraIdentifierKeys(id.kind, key)]) {
        let list = this.identifiers.get(k);
        if (!list) this.identifiers.set(k, (list = []));
        list.push({ record: ri, position });
      }
    });
  }

  private *finish(): Generator<void> {
    this.records = RecordTable.of(this.adding);
    this.entries.finish();
    this.scratchArrays = { best: new Float64Array(this.entries.size), score: new Float64Array(this.entries.size) };
    this.postings = this.postingsBuilder!.finish(this.entries.size);
    this.postingsBuilder = undefined;
    yield;
    this.deletes = DeletionTable.build(this.postings.allKeys, FUZZY_MIN_LENGTH);
    yield;
    this.linkCrossReferences();
    this.adding = [];
  }

  private prefixes(): { keys: string[]; entries: Int32Array } {
    if (!this.prefixIndex) {
      const prefixes: Array<[string, number]> = [];
      for (let ei = 0; ei < this.entries.size; ei++) {
        const key = this.entries.compact(ei);
        if (key !== '') prefixes.push([key, ei]);
      }
      prefixes.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this.prefixIndex = { keys: prefixes.map(([key]) => key), entries: Int32Array.from(prefixes, ([, ei]) => ei) };
    }
    return this.prefixIndex;
  }

  /**
   * The same party on other lists (src/core/parties.ts says when two records are one party).
   * Kept per party, not per record: a record's list of the others was quadratic in the party's
   * size, seconds of the build at seven-list scale where a name recurs hundreds of times.
   */
  private linkCrossReferences(): void {
    const of = new Int32Array(this.adding.length).fill(-1);
    const starts = [0];
    const items: number[] = [];
    for (const party of linkParties(this.adding)) {
      if (party.length < 2) continue;
      for (const a of party) of[a] = starts.length - 1;
      items.push(...party);
      starts.push(items.length);
    }
    this.parties = { of, starts: Int32Array.from(starts), items: Int32Array.from(items) };
  }

  /** The records of other lists that are the same party as record `ri`, in the party's order. */
  private crossReferencesOf(ri: number): number[] {
    const p = this.parties.of[ri]!;
    if (p < 0) return [];
    const source = this.records.at(ri).source;
    const out: number[] = [];
    for (let i = this.parties.starts[p]!; i < this.parties.starts[p + 1]!; i++) {
      const b = this.parties.items[i]!;
      if (this.records.at(b).source !== source) out.push(b);
    }
    return out;
  }

  private candidates(queryTokens: string[]): number[] {
    const core = queryTokens.filter((t) => !isLegalForm(t));
    const tokens = core.length > 0 ? core : queryTokens;
    const keys = tokens.map((t) => this.entries.key(t));
    // Per query key, the vocabulary keys that stand for it and their weight: an entry is
    // credited once per query key, with its best variant, so a name holding many near
    // variants of one word ("bzhou", "czhou" for "zhou") does not outweigh a name that
    // holds every word of the query.
    const groups: Array<Map<number, number>> = [];
    const group = (k: string): Map<number, number> => {
      const weighted = new Map<number, number>();
      const consider = (id: number | undefined, weight: number) => {
        if (id !== undefined) weighted.set(id, Math.max(weighted.get(id) ?? 0, weight));
      };
      consider(this.postings.id(k), 1);
      if (k.length >= FUZZY_MIN_LENGTH) {
        // SymSpell: vocabulary keys one deletion away, one insertion away, or one substitution away.
        for (const v of this.deletes.keysDeletingTo(k)) consider(v, 0.7);
        for (const d of deletions(k)) {
          consider(this.postings.id(d), 0.7);
          for (const v of this.deletes.keysDeletingTo(d)) consider(v, 0.7);
        }
      }
      return weighted;
    };
    for (const k of new Set(keys)) groups.push(group(k));
    // Joined neighbours ("jong un" → "jongun") and a split of a joined query token is covered
    // by the pair keys the index holds for names. Pairs are typo-tolerant too: a misspelt rare
    // word ("Namchonggang Trading") then still lifts its name well above names that share
    // only the common word, which the cutoff below leaves out.
    for (let i = 0; i + 1 < keys.length; i++) {
      const pair = group(keys[i]! + keys[i + 1]!);
      if (pair.size > 0) groups.push(pair);
    }
    // Scores in two arrays over all entries, reset after use (a common word's postings run to
    // thousands of entries: Maps of that size were most of a slow query's time). Entries are
    // listed in the order they were first scored, which breaks ties as before.
    const { best, score } = this.scratch();
    const scored: number[] = [];
    let top = 0;
    for (const weighted of groups) {
      const touched: number[] = [];
      for (const [key, weight] of weighted) {
        const w = weight * this.postings.idf(key);
        for (const e of this.postings.entries(key))
          if (w > best[e]!) {
            if (best[e] === 0) touched.push(e);
            best[e] = w;
          }
      }
      for (const e of touched) {
        if (score[e] === 0) scored.push(e);
        score[e]! += best[e]!;
        best[e] = 0;
        if (score[e]! > top) top = score[e]!;
      }
    }
    // Names that share only the query's commonest words cannot be the answer.
    const cutoff = top * 0.4;
    const ranked = scored.filter((e) => score[e]! >= cutoff).sort((a, b) => score[b]! - score[a]!);
    for (const e of scored) score[e] = 0;
    return ranked.slice(0, CANDIDATES);
  }

  /** Made when the index is finished, so that its size counts in the index's heap. */
  private scratchArrays?: { best: Float64Array; score: Float64Array };

  private scratch(): { best: Float64Array; score: Float64Array } {
    return this.scratchArrays!;
  }

  private result(ri: number, base: Omit<LookupResult, 'source' | 'sourceId' | 'name' | 'type' | 'dprk' | 'programs' | 'url' | 'crossReferences' | 'record'>): LookupResult {
    const r = this.records.at(ri);
    return {
      source: r.source,
      sourceId: r.sourceId,
      name: r.name,
      type: r.type,
      dprk: r.dprk,
      programs: r.programs,
      url: r.url,
      ...base,
      crossReferences: this.crossReferencesOf(ri).map((x) => {
        const o = this.records.at(x);
        return { source: o.source, sourceId: o.sourceId, name: o.name, url: o.url, ...(o.listedOn ? { listedOn: o.listedOn } : {}) };
      }),
      record: r,
    };
  }

  /** One record by its list and the publisher's key (`GET /v1/entities/{source}/{id}`), as a result matched on its own name. */
  find(source: SourceId, sourceId: string): LookupResult | undefined {
    this.byKey ??= new Map(this.records.all().map((r, i) => [`${r.source}\u0000${r.sourceId}`, i]));
    const ri = this.byKey.get(`${source}\u0000${sourceId}`);
    return ri === undefined ? undefined : this.result(ri, { matchedOn: this.records.at(ri).name, matchKind: 'name', score: 1 });
  }

  /** Name and alias matches of one spelling of the query, kept in `best` when they beat what is there. */
  private matchNames(query: string, minScore: number, best: Map<number, LookupResult>): void {
    const tokens = tokenize(query);
    if (tokens.length > 0) {
      const comma = query.indexOf(',');
      const forms = partsForms(nameParts(query, true));
      // "Last, First" queries are also tried as typed without the comma's rotation.
      if (comma > 0) forms.push(formsOf(tokens, undefined));
      // One short word ("Kim") can equal a token of many names but identifies none of them,
      // unless it is the whole name ("RGB", "FTB").
      const short = tokens.length === 1 && tokens[0]!.length <= 3;
      const queryWords = tokens.filter((t) => !isLegalForm(t));
      const queryKeys = queryWords.map((t) => this.entries.key(t));
      for (const ei of this.candidates(tokens)) {
        const e = this.entries.get(ei);
        const { forms: nameForms, keys, words } = this.entries.forms(ei);
        const individual = this.records.individual(e.record);
        let score = bestSimilarity(forms, nameForms, minScore, individual);
        if (short && score < 1) score = Math.min(score, 0.6);
        if (individual && score < MIDDLE_NAME_SCORE && omitsOnlyMiddleNames(queryKeys, keys)) score = MIDDLE_NAME_SCORE;
        if (!individual && score < WORD_GAP_SCORE && this.oneWordApart(queryKeys, keys)) score = WORD_GAP_SCORE;
        if (score > 0 && individual)
          score *= FOREIGN_SYLLABLE_FACTOR ** (foreignSyllables(queryKeys, keys) + strangerWords(queryKeys, queryWords, keys, words));
        if (e.weak) score *= WEAK_ALIAS_FACTOR;
        if (score < minScore) continue;
        const prev = best.get(e.record);
        if (prev && prev.score >= score) continue;
        best.set(e.record, this.result(e.record, { matchedOn: e.text, matchKind: e.kind, score: round(score) }));
      }
    }
  }

  /**
   * "Korea Mining Development Corporation" for "KOREA MINING DEVELOPMENT TRADING CORPORATION":
   * an organisation's name with one word left out or one word added, when at least two words
   * are shared and the word that differs is no rarer on the lists than the rarest shared one.
   * So the word that identifies the organisation must be there: "Korea Development Bank"
   * (a South Korean bank) does not meet "Korea United Development Bank", since "united" is
   * rarer on the lists than "korea", "development" and "bank".
   */
  private oneWordApart(query: readonly string[], name: readonly string[]): boolean {
    const q = new Set(query);
    const n = new Set(name);
    const missing = [...n].filter((k) => !q.has(k));
    const extra = [...q].filter((k) => !n.has(k));
    if (missing.length + extra.length !== 1) return false;
    const shared = [...q].filter((k) => n.has(k));
    if (shared.length < 2) return false;
    const idf = (k: string) => {
      const id = this.postings.id(k);
      return id === undefined ? undefined : this.postings.idf(id);
    };
    const gap = idf((missing[0] ?? extra[0])!);
    if (gap === undefined) return false;
    return gap <= Math.max(...shared.map((k) => idf(k) ?? 0));
  }

  /** Best matches for a name, alias or identifier, best first; [] when nothing is close enough. */
  lookup(query: string, opts: LookupOptions = {}): LookupResult[] {
    const limit = opts.limit ?? 10;
    const minScore = opts.minScore ?? DEFAULT_MIN_SCORE;
    const best = new Map<number, LookupResult>();

    for (const key of queryIdentifierKeys(query))
      for (const { record, position } of this.identifiers.get(key) ?? []) {
        if (best.has(record)) continue;
        const id = this.records.at(record).identifiers[position]!;
        best.set(
            record,
            this.result(record, {
              matchedOn: `${id.label} ${id.value}`,
              matchKind: 'identifier',
              score: 1,
              identifier: { kind: id.kind, value: id.value, ...(id.asset ? { asset: id.asset } : {}) },
            }),
          );
      }

    const script = scriptKey(query);
    if (script !== undefined)
      for (const ei of this.scripts.get(script) ?? []) {
        const e = this.entries.get(ei);
        const score = e.weak ? WEAK_ALIAS_FACTOR : 1;
        const prev = best.get(e.record);
        if (!prev || prev.score < score) best.set(e.record, this.result(e.record, { matchedOn: e.text, matchKind: e.kind, score }));
      }

    for (const text of queryVariants(query)) this.matchNames(text, minScore, best);

    const ranked = [...best.values()].sort(
      (a, b) => b.score - a.score || Number(b.dprk) - Number(a.dprk) || (a.matchKind === 'name' ? -1 : 1),
    );
    // The same party on two lists is one answer with a cross-reference, not two hits.
    const shown = new Set<string>();
    const out: LookupResult[] = [];
    for (const r of ranked) {
      const id = `${r.source}:${r.sourceId}`;
      if (shown.has(id)) continue;
      shown.add(id);
      for (const x of r.crossReferences) shown.add(`${x.source}:${x.sourceId}`);
      out.push(r);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Names starting with what was typed (for Discord autocomplete: at most 25). */
  suggest(prefix: string, limit = 25): Suggestion[] {
    const p = tokenize(prefix).join('');
    if (p === '') return [];
    const max = Math.min(limit, 25);
    const { keys: prefixKeys, entries: prefixEntries } = this.prefixes();
    let lo = 0;
    let hi = prefixKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (prefixKeys[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    const seen = new Set<number>();
    const matches: Array<NameEntry & { prefixKey: string }> = [];
    for (let i = lo; i < prefixKeys.length && prefixKeys[i]!.startsWith(p) && matches.length < 500; i++) {
      const e = this.entries.get(prefixEntries[i]!);
      if (!seen.has(e.record)) {
        seen.add(e.record);
        matches.push({ ...e, prefixKey: prefixKeys[i]! });
      }
    }
    // DPRK-related and primary names first; then shortest (closest to what was typed).
    matches.sort(
      (a, b) =>
        Number(this.records.dprk(b.record)) - Number(this.records.dprk(a.record)) ||
        (a.kind === b.kind ? 0 : a.kind === 'name' ? -1 : 1) ||
        a.prefixKey.length - b.prefixKey.length,
    );
    return matches.slice(0, max).map((e) => {
      const r = this.records.at(e.record);
      return { name: e.kind === 'name' ? r.name : `${e.text} (${r.name})`, source: r.source, sourceId: r.sourceId };
    });
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
