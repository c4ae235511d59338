import { distance } from 'fastest-levenshtein';
import type { Designation, Identifier, PartyType, SourceId } from '../core/designation.js';
import { extraIdentifierKeys, identifierKey, queryIdentifierKeys, SEARCHABLE_KINDS } from './identifiers.js';
import { koreanKey } from './korean.js';
import { isLegalForm, tokenize } from './normalize.js';

export interface CrossReference {
  source: SourceId;
  sourceId: string;
  name: string;
  url: string;
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

/** The comparable forms of one name (or of a query). */
interface Forms {
  /** Tokens joined without spaces, in each plausible order (as written; OFAC "LAST, First" rotated). */
  rawCompact: string[];
  keyCompact: string[];
  /** Tokens sorted and joined by spaces: order-insensitive. */
  rawSorted: string;
  keySorted: string;
}

interface NameEntry {
  record: number;
  text: string;
  kind: 'name' | 'alias';
  weak: boolean;
  forms: Forms[];
  /** Compact key, as written, for prefix suggestions. */
  prefixKey: string;
}

function formsOf(tokens: string[], rotateAt: number | undefined): Forms {
  const keys = tokens.map(koreanKey);
  const orders: number[][] = [tokens.map((_, i) => i)];
  if (rotateAt !== undefined && rotateAt > 0 && rotateAt < tokens.length)
    orders.push([...orders[0]!.slice(rotateAt), ...orders[0]!.slice(0, rotateAt)]);
  return {
    rawCompact: orders.map((o) => o.map((i) => tokens[i]).join('')),
    keyCompact: orders.map((o) => o.map((i) => keys[i]).join('')),
    rawSorted: [...tokens].sort().join(' '),
    keySorted: [...keys].sort().join(' '),
  };
}

/** Forms with and without legal-form words ("Corp", "Co., Ltd", "Group"). */
function nameForms(text: string): { forms: Forms[]; tokens: string[]; core: string[] } {
  const comma = text.indexOf(',');
  const tokens = tokenize(text);
  const rotateAt = comma > 0 ? tokenize(text.slice(0, comma)).length : undefined;
  const core = tokens.filter((t) => !isLegalForm(t));
  const forms = [formsOf(tokens, rotateAt)];
  if (core.length > 0 && core.length < tokens.length) {
    const coreRotate = comma > 0 ? tokenize(text.slice(0, comma)).filter((t) => !isLegalForm(t)).length : undefined;
    forms.push(formsOf(core, coreRotate));
  }
  return { forms, tokens, core: core.length > 0 ? core : tokens };
}

const similarity = (a: string, b: string): number => {
  if (a === b) return 1;
  const max = Math.max(a.length, b.length);
  return max === 0 ? 0 : 1 - distance(a, b) / max;
};

function bestSimilarity(q: Forms[], n: Forms[]): number {
  let raw = 0;
  let key = 0;
  for (const a of q)
    for (const b of n) {
      for (const x of a.rawCompact) for (const y of b.rawCompact) raw = Math.max(raw, similarity(x, y));
      raw = Math.max(raw, similarity(a.rawSorted, b.rawSorted));
      if (raw === 1) return 1;
      for (const x of a.keyCompact) for (const y of b.keyCompact) key = Math.max(key, similarity(x, y));
      key = Math.max(key, similarity(a.keySorted, b.keySorted));
    }
  return Math.max(raw, key * KEY_MATCH_FACTOR);
}

/** One-deletion variants of a token (SymSpell): typo-tolerant candidate lookup without a scan. */
function deletions(token: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < token.length; i++) out.push(token.slice(0, i) + token.slice(i + 1));
  return out;
}

const FUZZY_MIN_LENGTH = 4;
const YEAR = /\b(1[89]\d\d|20\d\d)\b/g;

/**
 * The search index over every designation of every list: names, aliases and identifiers.
 * Built once per list version (a few hundred ms for OFAC + UN) and queried in well under a
 * millisecond: candidates come from an inverted index of Korean-aware token keys (with
 * one-edit typo variants), then each candidate is scored on whole-name similarity.
 */
export class EntityIndex {
  private readonly records: Designation[] = [];
  private readonly entries: NameEntry[] = [];
  private readonly postings = new Map<string, number[]>();
  private readonly deletes = new Map<string, string[]>();
  private readonly idf = new Map<string, number>();
  private readonly identifiers = new Map<string, Array<{ record: number; id: Identifier }>>();
  private readonly crossRefs = new Map<number, number[]>();
  private prefixes: Array<[string, number]> = [];

  static build(records: Iterable<Designation>): EntityIndex {
    const index = new EntityIndex();
    for (const r of records) index.add(r);
    index.finish();
    return index;
  }

  get size(): number {
    return this.records.length;
  }

  private add(record: Designation): void {
    const ri = this.records.push(record) - 1;
    const names: Array<{ text: string; kind: 'name' | 'alias'; weak: boolean }> = [
      { text: record.name, kind: 'name', weak: false },
      ...record.aliases.map((a) => ({ text: a.name, kind: 'alias' as const, weak: a.quality === 'weak' })),
    ];
    for (const n of names) {
      const { forms, tokens, core } = nameForms(n.text);
      if (tokens.length === 0) continue;
      const ei = this.entries.push({ record: ri, text: n.text, kind: n.kind, weak: n.weak, forms, prefixKey: forms[0]!.rawCompact[0]! }) - 1;
      const keys = new Set(core.map(koreanKey));
      // Adjacent pairs joined, so "Jongun" finds "Jong Un" (and the reverse, see lookup).
      for (let i = 0; i + 1 < core.length; i++) keys.add(koreanKey(core[i]!) + koreanKey(core[i + 1]!));
      for (const k of keys) {
        let list = this.postings.get(k);
        if (!list) this.postings.set(k, (list = []));
        list.push(ei);
      }
    }
    for (const id of record.identifiers) {
      if (!SEARCHABLE_KINDS.has(id.kind)) continue;
      const key = identifierKey(id.kind, id.value);
      for (const k of [key, ...extraIdentifierKeys(id.kind, key)]) {
        let list = this.identifiers.get(k);
        if (!list) this.identifiers.set(k, (list = []));
        list.push({ record: ri, id });
      }
    }
  }

  private finish(): void {
    const n = this.entries.length;
    for (const [key, list] of this.postings) {
      this.idf.set(key, Math.log(1 + n / list.length));
      if (key.length >= FUZZY_MIN_LENGTH)
        for (const d of deletions(key)) {
          let keys = this.deletes.get(d);
          if (!keys) this.deletes.set(d, (keys = []));
          keys.push(key);
        }
    }
    this.prefixes = this.entries.map((e, i) => [e.prefixKey, i] as [string, number]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.linkCrossReferences();
  }

  /**
   * The same party on OFAC and the UN: same type family, a name or alias equal after
   * normalization (order-insensitive), and for individuals no contradicting birth years.
   */
  private linkCrossReferences(): void {
    const bySortedKey = new Map<string, number[]>();
    for (const e of this.entries)
      for (const f of e.forms) {
        const list = bySortedKey.get(f.keySorted) ?? [];
        if (!list.includes(e.record)) list.push(e.record);
        bySortedKey.set(f.keySorted, list);
      }
    const family = (t: PartyType) => (t === 'individual' ? 'individual' : 'organisation');
    const years = (r: Designation) => new Set(r.dobs.flatMap((d) => d.match(YEAR) ?? []));
    for (const list of bySortedKey.values()) {
      if (list.length < 2) continue;
      for (const a of list)
        for (const b of list) {
          const ra = this.records[a]!;
          const rb = this.records[b]!;
          if (a === b || ra.source === rb.source || family(ra.type) !== family(rb.type)) continue;
          if (ra.type === 'individual') {
            const ya = years(ra);
            const yb = years(rb);
            if (ya.size > 0 && yb.size > 0 && ![...ya].some((y) => yb.has(y))) continue;
          }
          const refs = this.crossRefs.get(a) ?? [];
          if (!refs.includes(b)) refs.push(b);
          this.crossRefs.set(a, refs);
        }
    }
  }

  private candidates(queryTokens: string[]): number[] {
    const core = queryTokens.filter((t) => !isLegalForm(t));
    const tokens = core.length > 0 ? core : queryTokens;
    const keys = tokens.map(koreanKey);
    const weighted = new Map<string, number>();
    const consider = (key: string, weight: number) => {
      if (this.postings.has(key)) weighted.set(key, Math.max(weighted.get(key) ?? 0, weight));
    };
    for (const k of keys) {
      consider(k, 1);
      if (k.length < FUZZY_MIN_LENGTH) continue;
      // SymSpell: vocabulary keys one deletion away, one insertion away, or one substitution away.
      for (const v of this.deletes.get(k) ?? []) consider(v, 0.7);
      for (const d of deletions(k)) {
        consider(d, 0.7);
        for (const v of this.deletes.get(d) ?? []) consider(v, 0.7);
      }
    }
    // Joined neighbours ("jong un" → "jongun") and a split of a joined query token is covered
    // by the pair keys the index holds for names.
    for (let i = 0; i + 1 < keys.length; i++) consider(keys[i]! + keys[i + 1]!, 1);
    const score = new Map<number, number>();
    for (const [key, weight] of weighted) {
      const w = weight * (this.idf.get(key) ?? 0);
      for (const e of this.postings.get(key)!) score.set(e, (score.get(e) ?? 0) + w);
    }
    return [...score.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, CANDIDATES)
      .map(([e]) => e);
  }

  private result(ri: number, base: Omit<LookupResult, 'source' | 'sourceId' | 'name' | 'type' | 'dprk' | 'programs' | 'url' | 'crossReferences' | 'record'>): LookupResult {
    const r = this.records[ri]!;
    return {
      source: r.source,
      sourceId: r.sourceId,
      name: r.name,
      type: r.type,
      dprk: r.dprk,
      programs: r.programs,
      url: r.url,
      ...base,
      crossReferences: (this.crossRefs.get(ri) ?? []).map((x) => {
        const o = this.records[x]!;
        return { source: o.source, sourceId: o.sourceId, name: o.name, url: o.url };
      }),
      record: r,
    };
  }

  /** Best matches for a name, alias or identifier, best first; [] when nothing is close enough. */
  lookup(query: string, opts: LookupOptions = {}): LookupResult[] {
    const limit = opts.limit ?? 10;
    const minScore = opts.minScore ?? DEFAULT_MIN_SCORE;
    const best = new Map<number, LookupResult>();

    for (const key of queryIdentifierKeys(query))
      for (const { record, id } of this.identifiers.get(key) ?? [])
        if (!best.has(record))
          best.set(
            record,
            this.result(record, {
              matchedOn: `${id.label} ${id.value}`,
              matchKind: 'identifier',
              score: 1,
              identifier: { kind: id.kind, value: id.value, ...(id.asset ? { asset: id.asset } : {}) },
            }),
          );

    const tokens = tokenize(query);
    if (tokens.length > 0) {
      const comma = query.indexOf(',');
      const { forms } = nameForms(query);
      // "Last, First" queries are also tried as typed without the comma's rotation.
      if (comma > 0) forms.push(formsOf(tokens, undefined));
      // One short word ("Kim") can equal a token of many names but identifies none of them.
      const cap = tokens.length === 1 && tokens[0]!.length <= 3 ? 0.6 : 1;
      for (const ei of this.candidates(tokens)) {
        const e = this.entries[ei]!;
        let score = Math.min(cap, bestSimilarity(forms, e.forms));
        if (e.weak) score *= WEAK_ALIAS_FACTOR;
        if (score < minScore) continue;
        const prev = best.get(e.record);
        if (prev && prev.score >= score) continue;
        best.set(e.record, this.result(e.record, { matchedOn: e.text, matchKind: e.kind, score: round(score) }));
      }
    }

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
    let lo = 0;
    let hi = this.prefixes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.prefixes[mid]![0] < p) lo = mid + 1;
      else hi = mid;
    }
    const seen = new Set<number>();
    const matches: NameEntry[] = [];
    for (let i = lo; i < this.prefixes.length && this.prefixes[i]![0].startsWith(p) && matches.length < 500; i++) {
      const e = this.entries[this.prefixes[i]![1]]!;
      if (!seen.has(e.record)) {
        seen.add(e.record);
        matches.push(e);
      }
    }
    // DPRK-related and primary names first; then shortest (closest to what was typed).
    matches.sort(
      (a, b) =>
        Number(this.records[b.record]!.dprk) - Number(this.records[a.record]!.dprk) ||
        (a.kind === b.kind ? 0 : a.kind === 'name' ? -1 : 1) ||
        a.prefixKey.length - b.prefixKey.length,
    );
    return matches.slice(0, max).map((e) => {
      const r = this.records[e.record]!;
      return { name: e.kind === 'name' ? r.name : `${e.text} (${r.name})`, source: r.source, sourceId: r.sourceId };
    });
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
