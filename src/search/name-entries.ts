import { isLegalForm } from './normalize.js';
import { type Forms, formsOf, type NameParts, tokenKey } from './name-forms.js';
import { type PackedColumn, PackedStrings, packColumn, packStrings, unpackStrings } from './packed-strings.js';

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

/** NameEntries as a persisted index holds them (index-image.ts). */
export interface NameEntriesImage {
  records: Int32Array;
  texts: PackedColumn;
  flags: Uint8Array;
  tokens: string;
  keys: string;
  legal: Uint8Array;
  tokenStarts: Int32Array;
  tokenList: Int32Array;
  formStarts: Int32Array;
  formStrings: PackedColumn;
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
  private records: number[] | Int32Array = [];
  /** Arrays while building; packed, each string made when read, in an index read back from an image. */
  private texts: string[] | PackedStrings = [];
  private flags: number[] | Uint8Array = [];
  private tokenIds = new Map<string, number>();
  private tokens: string[] = [];
  private keys: string[] = [];
  private legal: boolean[] | Uint8Array = [];
  private tokenStarts: number[] | Int32Array = [0];
  private tokenList: number[] | Int32Array = [];
  private formStarts: number[] | Int32Array = [0];
  private formStrings: string[] | PackedStrings = [];

  toImage(): NameEntriesImage {
    return {
      records: Int32Array.from(this.records),
      texts: this.texts instanceof PackedStrings ? this.texts.column : packColumn(this.texts),
      flags: Uint8Array.from(this.flags),
      tokens: packStrings(this.tokens),
      keys: packStrings(this.keys),
      legal: Uint8Array.from(this.legal as ArrayLike<number | boolean>, (x) => (x ? 1 : 0)),
      tokenStarts: Int32Array.from(this.tokenStarts),
      tokenList: Int32Array.from(this.tokenList),
      formStarts: Int32Array.from(this.formStarts),
      formStrings: this.formStrings instanceof PackedStrings ? this.formStrings.column : packColumn(this.formStrings),
    };
  }

  /** The finished entries an image holds; throws when its columns do not fit together. */
  static fromImage(image: NameEntriesImage): NameEntries {
    const e = new NameEntries();
    const size = image.records.length;
    e.records = image.records;
    e.texts = new PackedStrings(image.texts);
    e.flags = image.flags;
    e.legal = image.legal;
    e.tokens = unpackStrings(image.tokens, image.legal.length);
    e.keys = unpackStrings(image.keys, image.legal.length);
    e.tokenIds = new Map(e.tokens.map((t, i) => [t, i]));
    e.tokenStarts = image.tokenStarts;
    e.tokenList = image.tokenList;
    e.formStarts = image.formStarts;
    e.formStrings = new PackedStrings(image.formStrings);
    if (e.texts.length !== size || image.formStarts[size] !== e.formStrings.length || image.flags.length !== size || image.tokenStarts.length !== size + 1 || image.formStarts.length !== size + 1) throw new Error('name entries: columns of different lengths');
    return e;
  }

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
    (this.texts as string[]).push(entry.text);
    (this.flags as number[]).push((entry.kind === 'alias' ? ALIAS : 0) | (entry.weak ? WEAK : 0) | (shape << 2));
    return (this.records as number[]).push(entry.record) - 1;
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
    return { record: this.records[ei]!, text: this.texts instanceof PackedStrings ? this.texts.at(ei) : this.texts[ei]!, kind: f & ALIAS ? 'alias' : 'name', weak: (f & WEAK) !== 0 };
  }

  /** The name's tokens joined as written (prefix suggestions). */
  compact(ei: number): string {
    return this.formString(this.formStarts[ei]!);
  }

  forms(ei: number): EntryForms {
    const shape = this.flags[ei]! >> 2;
    let at = this.formStarts[ei]!;
    const read = (rotated: boolean): Forms => {
      const n = rotated ? 2 : 1;
      const s = (i: number) => this.formString(i);
      const form = {
        rawCompact: n === 1 ? [s(at)] : [s(at), s(at + 1)],
        keyCompact: n === 1 ? [s(at + 1)] : [s(at + 2), s(at + 3)],
        rawSorted: s(at + 2 * n),
        keySorted: s(at + 2 * n + 1),
      };
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
    const s = this.formStrings as string[];
    s.push(...f.rawCompact);
    f.keyCompact.forEach((k, i) => s.push(k === f.rawCompact[i] ? f.rawCompact[i]! : k));
    s.push(f.rawSorted, f.keySorted === f.rawSorted ? f.rawSorted : f.keySorted);
    return f.rawCompact.length > 1;
  }

  private formString(i: number): string {
    return this.formStrings instanceof PackedStrings ? this.formStrings.at(i) : this.formStrings[i]!;
  }

  private tokenId(token: string): number {
    let id = this.tokenIds.get(token);
    if (id === undefined) {
      id = this.tokens.push(token) - 1;
      this.tokenIds.set(token, id);
      this.keys.push(tokenKey(token));
      (this.legal as boolean[]).push(isLegalForm(token));
    }
    return id;
  }
}
