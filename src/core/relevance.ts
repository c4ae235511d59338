import type { DesignationDraft } from './designation.js';
import { matchDprkTerms } from './dprk-terms.js';

/**
 * Program tags that exist only for North Korea (OFAC programs; the UN list type is "DPRK" too; EU programme "PRK"; DFAT Committees).
 * A program named after North Korea (the Swiss ordinance "… Democratic People's Republic of Korea (North Korea)") counts too.
 */
export const DPRK_PROGRAMS = new Set([
  'DPRK', 'DPRK2', 'DPRK3', 'DPRK4', 'DPRK-NKSPEA',
  // EU programme.
  'PRK',
  // Australia DFAT Committees.
  '1718 (DPRK)', 'Autonomous (DPRK)',
]);

// Every way the lists spell the country: OFAC "Korea, North", UN "Democratic People's Republic of Korea",
// EU "KOREA, DEMOCRATIC PEOPLE'S REPUBLIC OF".
const NORTH_KOREA =
  /\b(korea,\s*north|north\s+korea|democratic\s+people['’]?s\s+republic\s+of\s+korea|korea,\s*democratic\s+people['’]?s\s+republic|d\.?p\.?r\.?k\.?)\b/i;
const NKSR = /north korea sanctions regulations/i;

export function isNorthKorea(text: string | undefined): boolean {
  return text !== undefined && NORTH_KOREA.test(text);
}

/**
 * Why a record concerns North Korea (empty when it does not). Reasons are short and
 * stable so that they can be shown to users and asserted in tests.
 */
export function dprkReasons(d: DesignationDraft): string[] {
  const reasons: string[] = [];
  // A loop rather than filter(): no array per record for the ~13,000 that have no DPRK program.
  let programs: string[] | undefined;
  for (let i = 0; i < d.programs.length; i++) if (DPRK_PROGRAMS.has(d.programs[i]!)) (programs ??= []).push(d.programs[i]!);
  if (programs) reasons.push(`program ${programs.join(', ')}`);
  // Lists that name the regime in words (UK: "Democratic People's Republic of Korea"; the Swiss North Korea ordinance).
  else if (d.programs.some(isNorthKorea)) reasons.push('DPRK sanctions regime');
  if (d.nationalities.some(isNorthKorea)) reasons.push('North Korean nationality');
  if (d.addresses.some((a) => isNorthKorea(a.country) || isNorthKorea(a.text))) reasons.push('address in North Korea');
  if (isNorthKorea(d.vessel?.flag)) reasons.push('North Korean flag');
  if (d.identifiers.some((i) => isNorthKorea(i.country))) reasons.push('document issued by North Korea');
  if ((d.remarks !== undefined && NKSR.test(d.remarks)) || d.identifiers.some((i) => NKSR.test(i.value)))
    reasons.push('remarks cite the North Korea Sanctions Regulations');
  // Seed records restate an announced action; the announcement says whether it concerns the DPRK.
  if (d.source === 'seeds' && d.remarks !== undefined && matchDprkTerms(d.remarks).length > 0)
    reasons.push('announced as a North Korea-related action');
  return reasons;
}
