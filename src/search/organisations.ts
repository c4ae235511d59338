import { distance } from 'fastest-levenshtein';
import type { Organisation } from '../seeds/schema.js';
import { tokenize } from './normalize.js';

const compact = (s: string) => tokenize(s).join('');

/**
 * Organisations and groups the bundled documents describe (MSMT, Lazarus Group, OFAC…),
 * matched by name or alias. They are context, not designations: a lookup shows them apart
 * from sanctioned parties so "not on the lists" and "known to dprk-watch" never blur.
 */
export function findOrganisations(query: string, organisations: readonly Organisation[]): Organisation[] {
  const q = compact(query);
  if (q.length < 3) return [];
  return organisations.filter((o) =>
    [o.name, ...o.aliases].some((n) => {
      const c = compact(n);
      if (c === q) return true;
      // Whole-name typos only on names long enough for one edit to be a typo.
      return c.length >= 8 && 1 - distance(c, q) / Math.max(c.length, q.length) >= 0.88;
    }),
  );
}
