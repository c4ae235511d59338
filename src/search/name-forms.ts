import { givenNameKey } from './given-names.js';
import { koreanKey } from './korean.js';
import { isLegalForm, tokenize } from './normalize.js';

/** A token's matching key: its given-name group (Yury → yuri), then the Korean key (Park → pak). */
export const tokenKey = (token: string): string => koreanKey(givenNameKey(token));

/** The comparable forms of one name (or of a query). */
export interface Forms {
  /** Tokens joined without spaces, in each plausible order (as written; OFAC "LAST, First" rotated). */
  rawCompact: string[];
  keyCompact: string[];
  /** Tokens sorted and joined by spaces: order-insensitive. */
  rawSorted: string;
  keySorted: string;
}

export function formsOf(tokens: readonly string[], rotateAt: number | undefined, keys: readonly string[] = tokens.map(tokenKey)): Forms {
  const rawCompact = [tokens.join('')];
  const keyCompact = [keys.join('')];
  if (rotateAt !== undefined && rotateAt > 0 && rotateAt < tokens.length) {
    rawCompact.push(tokens.slice(rotateAt).join('') + tokens.slice(0, rotateAt).join(''));
    keyCompact.push(keys.slice(rotateAt).join('') + keys.slice(0, rotateAt).join(''));
  }
  return {
    rawCompact,
    keyCompact,
    rawSorted: [...tokens].sort().join(' '),
    keySorted: [...keys].sort().join(' '),
  };
}

/** What a name's forms are made of: its tokens, and where each token list is rotated. */
export interface NameParts {
  tokens: string[];
  rotateAt: number | undefined;
  /** The tokens without legal-form words; the tokens themselves when every one is a legal form. */
  core: string[];
  /** Set when the core differs from the tokens: it is then compared as a form of its own. */
  coreRotate: number | undefined;
  hasCoreForm: boolean;
}

/**
 * A person's name is also tried family-name-last: OFAC writes "KIM, Jong Un" (the comma says
 * where), the UN "YUN HO-JIN" (family name first). Legal-form words ("Corp", "Co., Ltd",
 * "Group") are left out of the core.
 */
export function nameParts(text: string, individual = false): NameParts {
  const comma = text.indexOf(',');
  const tokens = tokenize(text);
  const beforeComma = comma > 0 ? tokenize(text.slice(0, comma)) : undefined;
  const rotateAt = beforeComma ? beforeComma.length : individual ? 1 : undefined;
  const core = tokens.filter((t) => !isLegalForm(t));
  const hasCoreForm = core.length > 0 && core.length < tokens.length;
  const coreRotate = !hasCoreForm ? undefined : beforeComma ? beforeComma.filter((t) => !isLegalForm(t)).length : rotateAt;
  return { tokens, rotateAt, core: core.length > 0 ? core : tokens, coreRotate, hasCoreForm };
}

/** Forms with and without legal-form words. */
export function partsForms(p: NameParts): Forms[] {
  const forms = [formsOf(p.tokens, p.rotateAt)];
  if (p.hasCoreForm) forms.push(formsOf(p.core, p.coreRotate));
  return forms;
}
