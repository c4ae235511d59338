import type { Designation } from '../../core/designation.js';
import type { Mention } from '../../core/reports.js';
import { isLegalForm } from '../../search/normalize.js';

/**
 * Finds the DPRK-related designated parties a text names.
 *
 * Built once from the stored lists: every `dprk` record contributes its name and its aliases.
 * Names are normalized the same way as the text — lower case, diacritics dropped (Ch’ŏe →
 * choe), apostrophes dropped, possessive ’s dropped, every other non-letter a separator — and
 * stored as token sequences in a trie. Matching walks the text's tokens once (leftmost-longest,
 * non-overlapping), so a text costs O(tokens × longest name), whatever the number of names:
 * no regex per name.
 *
 * To keep false hits out, a name must have at least 2 tokens or be a single token of at least
 * 6 characters ("O", "Ri", "MPS" never match alone). Two stricter rules come from the real
 * lists: a vessel or aircraft needs at least 2 tokens (DPRK-related vessels are called
 * PATRIOT, SEVASTOPOL, BELLA…), and a weak alias — OFAC's own mark for an alias too broad to
 * screen on ('RED DOT', 'GROUP 77', 'KOMID') — needs at least 3 tokens or a single token of
 * at least 8 characters ('GUARDIANS OF PEACE', 'APPLEWORM'). Individuals written "SURNAME, Given"
 * also match in Western order ("Mavungal Hussain" for "HUSSAIN, Mavungal"), and entity names
 * ending in a legal form also match without it when at least 2 tokens remain ("Korea Mining
 * Development Trading" for "… TRADING CORPORATION").
 */

interface Party {
  source: string;
  sourceId: string;
  name: string;
  url: string;
}

interface Node {
  next: Map<string, Node>;
  /** Parties whose name (or alias) ends here. */
  parties?: number[];
}

const MIN_SINGLE_TOKEN_CHARS = 6;


/** Lower-case letter/digit tokens, as used for both names and texts. */
export function mentionTokens(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’‘`ʼʻ´]s(?![\p{L}\p{N}])/gu, '')
    .replace(/['’‘`ʼʻ´]/g, '');
  return folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

interface Rule {
  minTokens: number;
  /** Shortest single token accepted; Infinity: no single-token names. */
  minSingleChars: number;
}
const STANDARD: Rule = { minTokens: 2, minSingleChars: MIN_SINGLE_TOKEN_CHARS };
const CRAFT: Rule = { minTokens: 2, minSingleChars: Infinity };
const WEAK: Rule = { minTokens: 3, minSingleChars: 8 };

function longEnough(tokens: readonly string[], rule: Rule): boolean {
  return tokens.length >= rule.minTokens || (tokens.length === 1 && tokens[0]!.length >= rule.minSingleChars);
}

/** Token sequences a name may appear as in running text. */
function variants(name: string, individual: boolean, rule: Rule): string[][] {
  const out: string[][] = [];
  const tokens = mentionTokens(name);
  if (longEnough(tokens, rule)) out.push(tokens);
  const comma = name.indexOf(',');
  if (individual && comma > 0) {
    const western = [...mentionTokens(name.slice(comma + 1)), ...mentionTokens(name.slice(0, comma))];
    if (longEnough(western, rule)) out.push(western);
  }
  let end = tokens.length;
  while (end > 0 && isLegalForm(tokens[end - 1]!)) end--;
  if (end < tokens.length && end >= 2) out.push(tokens.slice(0, end));
  return out;
}

export class PartyMatcher {
  private readonly root: Node = { next: new Map() };
  private readonly parties: Party[] = [];
  /** Number of distinct token sequences indexed (for logs and tests). */
  readonly size: number;

  private constructor(designations: readonly Designation[]) {
    let size = 0;
    const seenParty = new Map<string, number>();
    for (const d of designations) {
      if (!d.dprk) continue;
      const key = `${d.source}\u0000${d.sourceId}`;
      let index = seenParty.get(key);
      if (index === undefined) {
        index = this.parties.length;
        this.parties.push({ source: d.source, sourceId: d.sourceId, name: d.name, url: d.url });
        seenParty.set(key, index);
      }
      const individual = d.type === 'individual';
      const base = d.type === 'vessel' || d.type === 'aircraft' ? CRAFT : STANDARD;
      const names: Array<[string, Rule]> = [[d.name, base], ...d.aliases.map((a): [string, Rule] => [a.name, a.quality === 'weak' ? WEAK : base])];
      for (const [name, rule] of names) {
        for (const seq of variants(name, individual, rule)) {
          if (this.insert(seq, index)) size++;
        }
      }
    }
    this.size = size;
  }

  /** Build the matcher from designations (non-DPRK records are ignored). */
  static build(designations: readonly Designation[]): PartyMatcher {
    return new PartyMatcher(designations);
  }

  private insert(seq: readonly string[], party: number): boolean {
    let node = this.root;
    for (const token of seq) {
      let child = node.next.get(token);
      if (!child) {
        child = { next: new Map() };
        node.next.set(token, child);
      }
      node = child;
    }
    const fresh = node.parties === undefined;
    node.parties ??= [];
    if (!node.parties.includes(party)) node.parties.push(party);
    return fresh;
  }

  /** Parties named in the text, in order of first mention, each once. */
  find(text: string): Mention[] {
    const tokens = mentionTokens(text);
    const found: number[] = [];
    const seen = new Set<number>();
    let i = 0;
    while (i < tokens.length) {
      let node: Node | undefined = this.root;
      let bestEnd = -1;
      let best: number[] | undefined;
      for (let j = i; j < tokens.length; j++) {
        node = node.next.get(tokens[j]!);
        if (!node) break;
        if (node.parties) {
          bestEnd = j;
          best = node.parties;
        }
      }
      if (best) {
        for (const p of best) {
          if (!seen.has(p)) {
            seen.add(p);
            found.push(p);
          }
        }
        i = bestEnd + 1;
      } else {
        i++;
      }
    }
    return found.map((p) => {
      const party = this.parties[p]!;
      return { source: party.source, sourceId: party.sourceId, name: party.name, url: party.url };
    });
  }
}
