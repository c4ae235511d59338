import type { Alias, PartyType } from '../../core/designation.js';

/**
 * What the two UK publications (the FCDO UK Sanctions List XML and the older OFSI ConList
 * .xlsx) share: dd/mm/yyyy dates, Name1–Name6 names, name types, party types, the list page.
 */

/** The UK Sanctions List has no page per record; every record links to the list's page. */
export const UK_SANCTIONS_LIST_PAGE = 'https://www.gov.uk/government/publications/the-uk-sanctions-list';

/** `26/03/2026` → `2026-03-26`; undefined when it is not a whole dd/mm/yyyy date. */
export function ukDate(s: string | undefined): string | undefined {
  const m = s === undefined ? null : /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s.trim());
  if (!m) return undefined;
  return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
}

/** A date of birth: `23/12/1963` → `1963-12-23`, `dd/mm/1963` → `1963`, `dd/05/1963` and `05/1963` → `1963-05`; `1963` and other text as published. */
export function ukDob(s: string): string {
  const t = s.trim();
  const my = /^(\d{1,2})\/(\d{4})$/.exec(t); // the ConList's mm/yyyy
  if (my) return `${my[2]}-${my[1]!.padStart(2, '0')}`;
  const m = /^(\d{1,2}|dd)\/(\d{1,2}|mm)\/(\d{4})$/i.exec(t);
  if (!m) return t;
  const [, d, mo, y] = m as unknown as [string, string, string, string];
  if (/^\d+$/.test(mo) && /^\d+$/.test(d)) return `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  if (/^\d+$/.test(mo)) return `${y}-${mo.padStart(2, '0')}`;
  return y;
}

/** Name1…Name5 are given/other names, Name6 the family name (or an entity's or ship's whole name). */
export function ukFullName(parts: Array<string | undefined>): string | undefined {
  const given = parts.slice(0, 5).filter((p): p is string => Boolean(p && p.trim()));
  const family = parts[5]?.trim();
  const name = [...given, ...(family ? [family] : [])].join(' ').replace(/\s+/g, ' ').trim();
  return name === '' ? undefined : name;
}

export type NameRole = 'primary' | Pick<Alias, 'kind' | 'quality'>;

/** NameType ("Primary name", "Primary Name Variation", "Alias": its casing varies) and alias strength. */
export function nameRole(nameType: string | undefined, strength: string | undefined): NameRole {
  const t = (nameType ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  if (t === 'primary name') return 'primary';
  // The ConList's Alias Type: "AKA" or "FKA" (formerly known as).
  if (t === 'fka') return { kind: 'fka' };
  const s = (strength ?? '').trim().toLowerCase();
  if (s.startsWith('good')) return { kind: 'aka', quality: 'strong' };
  if (s.startsWith('low')) return { kind: 'aka', quality: 'weak' };
  return { kind: 'aka' };
}

/** IndividualEntityShip / Group Type → party type. */
export function ukPartyType(s: string | undefined): PartyType | undefined {
  switch ((s ?? '').trim().toLowerCase()) {
    case 'individual':
      return 'individual';
    case 'entity':
      return 'entity';
    case 'ship':
      return 'vessel';
    default:
      return undefined;
  }
}

/**
 * The primary name and the aliases of one record, whatever order the names were published in:
 * of several primary names the first in sort order is the name and the others are aliases.
 */
export function pickNames(names: Array<{ name: string; role: NameRole }>): { name?: string; aliases: Alias[] } {
  const primaries = [...new Set(names.filter((n) => n.role === 'primary').map((n) => n.name))].sort();
  const name = primaries[0];
  const aliases: Alias[] = [];
  for (const n of names) {
    if (n.name === name) continue;
    aliases.push(n.role === 'primary' ? { name: n.name, kind: 'aka' } : { name: n.name, ...n.role });
  }
  if (name === undefined) {
    // No primary name: the first alias in sort order stands in.
    const first = aliases.map((a) => a.name).sort()[0];
    return first === undefined ? { aliases } : { name: first, aliases: aliases.filter((a) => a.name !== first) };
  }
  return { name, aliases };
}

/** Sorted, de-duplicated, joined: positions and titles are published in any order. */
export function joinSorted(items: Array<string | undefined>, sep = '; '): string | undefined {
  const xs = [...new Set(items.map((s) => s?.replace(/\s+/g, ' ').trim()).filter((s): s is string => Boolean(s)))].sort();
  return xs.length === 0 ? undefined : xs.join(sep);
}
