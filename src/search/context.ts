import type { Alert } from '../core/alerts.js';
import type { Designation } from '../core/designation.js';
import type { Verdict } from '../core/verdicts.js';
import { seedParties } from '../seeds/load.js';
import { tokenize } from './normalize.js';

/** What else dprk-watch knows about a designated party, for the entity card. */
export interface PartyContext {
  /** The action that announced it (bundled seeds), e.g. a Treasury press release. */
  announcements: Array<{ agency: string; date: string; action: string; url?: string }>;
  /** Report alerts that named it (press releases, advisories). */
  reports: Array<{ title: string; date?: string; url: string }>;
  /** Fact-checked claims that name it. */
  verdicts: Array<{ claim: string; rating: string; url: string }>;
}

const phrase = (s: string) => ` ${tokenize(s).join(' ')} `;

/** The party's names worth looking for in free text (short aliases like "RGB" would match anything). */
function namesOf(r: Designation): string[] {
  return [r.name, ...r.aliases.filter((a) => a.quality !== 'weak').map((a) => a.name)]
    .map(phrase)
    .filter((p) => p.trim().length >= 6);
}

export function partyContext(r: Designation, recentAlerts: readonly Alert[], verdicts: readonly Verdict[]): PartyContext {
  const announcements = seedParties()
    .filter((p) => p.record.sourceId === r.sourceId && r.source === 'seeds')
    .map((p) => ({
      agency: p.announcement.agency,
      date: p.announcement.date,
      action: p.announcement.action,
      ...(p.announcement.pressRelease ? { url: p.announcement.pressRelease.url } : {}),
    }));
  const reports = recentAlerts
    .flatMap((a) => (a.kind === 'report.published' ? [a.report] : []))
    .filter((rep) => rep.entities.some((e) => e.source === r.source && e.sourceId === r.sourceId))
    .slice(0, 5)
    .map((rep) => ({ title: rep.title, url: rep.link, ...(rep.publishedAt ? { date: rep.publishedAt } : {}) }));
  const names = namesOf(r);
  const related = names.length === 0 ? [] : verdicts.filter((v) => names.some((n) => phrase(v.claim).includes(n)));
  return {
    announcements,
    reports,
    verdicts: related.slice(0, 5).map((v) => ({ claim: v.claim, rating: v.rating, url: v.url })),
  };
}
