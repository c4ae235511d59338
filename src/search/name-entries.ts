import { isLegalForm } from './normalize.js';
import { type Forms, formsOf, type NameParts, tokenKey } from './name-forms.js';

/** One name or alias of a record, as matching reads it. */
export interface NameEntry {
  record: number;
  text: string;
  kind: 'name' | 'alias';
  weak: boolean;
}

/** What matching compares a name on, made when the name is a candidate (see NameEntries). */
export interface EntryForms {
  forms: Forms[];
  /** Korean keys of the name's core tokens (for syllable alignment of personal names). */
  keys: string[];
  /** The core tokens as written: a Russian surname's key can stray from its spelling (Andreev → andriv). */
  words: string[];
}

const ALIAS = 1;
const WEAK = 2;

/**
 * Every indexed name, stored as columns: record, text, flags and the name's tokens as ids into
 * one vocabulary of distinct tokens (each token's key computed once). A name's comparable forms
 * are made from those when it is a candidate of a query, not kept for all of them: one object
 * with a dozen small arrays and strings per name cost ~60 MB at seven-list scale (61,662 names).
 */
export class NameEntries {
  private readonly records: number[] = [];
  private readonly texts: string[] = [];
  private readonly flags: number[] = [];
  private readonly rotations: number[] = [];
  private readonly tokenIds = new Map<string, number>();
  private readonly tokens: string[] = [];
  private readonly keys: string[] = [];
  private readonly legal: boolean[] = [];
  private starts: number[] | Int32Array = [0];
  private tokenList: number[] | Int32Array = [];

  get size(): number {
    return this.records.length;
  }

  /** Adds a name; returns its entry number. */
  add(entry: NameEntry, parts: NameParts): number {
    const list = this.tokenList as number[];
    for (const t of parts.tokens) list.push(this.tokenId(t));
    (this.starts as number[]).push(list.length);
    // rotateAt and coreRotate: formsOf treats 0 as "no rotation", as it does undefined.
    this.rotations.push(parts.rotateAt ?? 0, parts.coreRotate ?? 0);
    this.texts.push(entry.text);
    this.flags.push((entry.kind === 'alias' ? ALIAS : 0) | (entry.weak ? WEAK : 0));
    return this.records.push(entry.record) - 1;
  }

  /** Frees build-time slack: token lists become typed arrays. */
  finish(): void {
    this.starts = Int32Array.from(this.starts);
    this.tokenList = Int32Array.from(this.tokenList);
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

  record(ei: number): number {
    return this.records[ei]!;
  }

  /** The name's tokens joined as written (prefix suggestions). */
  compact(ei: number): string {
    return this.tokensOf(ei).join('');
  }

  forms(ei: number): EntryForms {
    const tokens: string[] = [];
    const keys: string[] = [];
    const core: string[] = [];
    const coreKeys: string[] = [];
    for (let i = this.starts[ei]!; i < this.starts[ei + 1]!; i++) {
      const id = this.tokenList[i]!;
      tokens.push(this.tokens[id]!);
      keys.push(this.keys[id]!);
      if (!this.legal[id]) {
        core.push(this.tokens[id]!);
        coreKeys.push(this.keys[id]!);
      }
    }
    // As partsForms makes them from a name's text (name-forms.ts).
    const forms = [formsOf(tokens, this.rotations[2 * ei], keys)];
    if (core.length > 0 && core.length < tokens.length) forms.push(formsOf(core, this.rotations[2 * ei + 1], coreKeys));
    return core.length === 0 ? { forms, keys, words: tokens } : { forms, keys: coreKeys, words: core };
  }

  private tokensOf(ei: number): string[] {
    const out: string[] = [];
    for (let i = this.starts[ei]!; i < this.starts[ei + 1]!; i++) out.push(this.tokens[this.tokenList[i]!]!);
    return out;
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
