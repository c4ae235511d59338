import { isLegalForm } from './normalize.js';
import { type Forms, formsOf, type NameParts, tokenKey } from './name-forms.js';

/** One name or alias of a record, as matching reads it. */
export interface NameEntry {
  record: number;
  text: string;
  kind: 'name' | 'alias';
  weak: boolean;
}

/** What matching compares a name on. */
export interface EntryForms {
  forms: Forms[];
  /** Korean keys of the name's core tokens (for syllable alignment of personal names). */
  keys: string[];
  /** The core tokens as written: a Russian surname's key can stray from its spelling (Andreev → andriv). */
  words: string[];
}

const ALIAS = 1;
const WEAK = 2;
// Shape of an entry's forms: whether its first form has a rotated order, whether it has a
// second (core) form, and whether that one has a rotated order.
const ROTATED = 1;
const CORE_FORM = 2;
const CORE_ROTATED = 4;

/**
 * Every indexed name, stored as columns instead of one object per name (an object with a
 * dozen small arrays per name cost ~60 MB at seven-list scale, 61,662 names): record, text,
 * flags, the name's tokens as ids into one vocabulary of distinct tokens (each token's key
 * computed once), and the strings of its forms in one flat array — a key form equal to the
 * form as written is the same string, not a copy. Making forms per query instead doubled the
 * time of the slowest queries.
 */
export class NameEntries {
  private readonly records: number[] = [];
  private readonly texts: string[] = [];
  private readonly flags: number[] = [];
  private readonly tokenIds = new Map<string, number>();
  private readonly tokens: string[] = [];
  private readonly keys: string[] = [];
  private readonly legal: boolean[] = [];
  private tokenStarts: number[] | Int32Array = [0];
  private tokenList: number[] | Int32Array = [];
  private formStarts: number[] | Int32Array = [0];
  private readonly formStrings: string[] = [];

  get size(): number {
    return this.records.length;
  }

  /** Adds a name; returns its entry number. */
  add(entry: NameEntry, parts: NameParts): number {
    const list = this.tokenList as number[];
    for (const t of parts.tokens) list.push(this.tokenId(t));
    (this.tokenStarts as number[]).push(list.length);
    let shape = this.pushForm(formsOf(parts.tokens, parts.rotateAt, parts.tokens.map((t) => this.key(t)))) ? ROTATED : 0;
    if (parts.hasCoreForm) shape |= CORE_FORM | (this.pushForm(formsOf(parts.core, parts.coreRotate, parts.core.map((t) => this.key(t)))) ? CORE_ROTATED : 0);
    (this.formStarts as number[]).push(this.formStrings.length);
    this.texts.push(entry.text);
    this.flags.push((entry.kind === 'alias' ? ALIAS : 0) | (entry.weak ? WEAK : 0) | (shape << 2));
    return this.records.push(entry.record) - 1;
  }

  /** Frees build-time slack: offsets and token lists become typed arrays. */
  finish(): void {
    this.tokenStarts = Int32Array.from(this.tokenStarts);
    this.tokenList = Int32Array.from(this.tokenList);
    this.formStarts = Int32Array.from(this.formStarts);
  }

  /** The key of a token (given-name group, then Korean key): computed once per distinct token of the names. */
  key(token: string): string {
    const id = this.tokenIds.get(token);
    return id === undefined ? tokenKey(token) : this.keys[id]!;
  }

  get(ei: number): NameEntry {
    const f = this.flags[ei]!;
    return { record: this.records[ei]!, text: this.texts[ei]!, kind: f & ALIAS ? 'alias' : 'name', weak: (f & WEAK) !== 0 };
  }

  /** The name's tokens joined as written (prefix suggestions). */
  compact(ei: number): string {
    return this.formStrings[this.formStarts[ei]!]!;
  }

  forms(ei: number): EntryForms {
    const shape = this.flags[ei]! >> 2;
    let at = this.formStarts[ei]!;
    const read = (rotated: boolean): Forms => {
      const n = rotated ? 2 : 1;
      const s = this.formStrings;
      const form = { rawCompact: s.slice(at, at + n), keyCompact: s.slice(at + n, at + 2 * n), rawSorted: s[at + 2 * n]!, keySorted: s[at + 2 * n + 1]! };
      at += 2 * n + 2;
      return form;
    };
    const forms = [read((shape & ROTATED) !== 0)];
    if (shape & CORE_FORM) forms.push(read((shape & CORE_ROTATED) !== 0));
    const keys: string[] = [];
    const words: string[] = [];
    const end = this.tokenStarts[ei + 1]!;
    for (let i = this.tokenStarts[ei]!; i < end; i++) {
      const id = this.tokenList[i]!;
      if (this.legal[id]) continue;
      words.push(this.tokens[id]!);
      keys.push(this.keys[id]!);
    }
    // A name of legal-form words only ("The Company") is its own core.
    if (words.length === 0)
      for (let i = this.tokenStarts[ei]!; i < end; i++) {
        words.push(this.tokens[this.tokenList[i]!]!);
        keys.push(this.keys[this.tokenList[i]!]!);
      }
    return { forms, keys, words };
  }

  /** Appends a form's strings; whether it has a rotated order. */
  private pushForm(f: Forms): boolean {
    const s = this.formStrings;
    s.push(...f.rawCompact);
    f.keyCompact.forEach((k, i) => s.push(k === f.rawCompact[i] ? f.rawCompact[i]! : k));
    s.push(f.rawSorted, f.keySorted === f.rawSorted ? f.rawSorted : f.keySorted);
    return f.rawCompact.length > 1;
  }

  private tokenId(token: string): number {
    let id = this.tokenIds.get(token);
    if (id === undefined) {
      id = this.tokens.push(token) - 1;
      this.tokenIds.set(token, id);
      this.keys.push(tokenKey(token));
      this.legal.push(isLegalForm(token));
    }
    return id;
  }
}
