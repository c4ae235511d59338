import { SOURCE_LABELS, summarizeChanges, type Alert, type DesignationAlert } from './alerts.js';

/** The local calendar date and HH:MM of an instant in a time zone. */
export function localClock(at: Date, timezone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** "2026-12-01 08:00 Asia/Seoul": an instant as a reader in that zone sees it. */
export function localTime(iso: string, timezone: string): string {
  const { date, time } = localClock(new Date(iso), timezone);
  return `${date} ${time} ${timezone}`;
}

export type DigestSection = 'designations' | 'reports' | 'verdicts' | 'source-health';

export interface DigestLine {
  kind: Alert['kind'];
  /** What happened, in a few words, with the party's, report's or claim's name. */
  text: string;
  url: string;
}

export interface DigestGroup {
  section: DigestSection;
  /** "OFAC SDN · DPRK3", "Reports · U.S. Treasury", "Fact-checks", "Source health". */
  title: string;
  lines: DigestLine[];
}

export interface DigestCounts {
  designations: { added: number; amended: number; removed: number };
  reports: number;
  verdicts: number;
  health: number;
}

/** One daily digest for one destination: everything queued for it since the last one. */
export interface Digest {
  /** Stable per destination and local date: delivery records and Discord nonces are keyed by it. */
  id: string;
  /** The local date it is for, and the zone that date is in. */
  date: string;
  timezone: string;
  /** When the window started (the previous digest, or the subscription) and when it was compiled. */
  since?: string;
  until: string;
  counts: DigestCounts;
  total: number;
  groups: DigestGroup[];
}

const SECTION_ORDER: readonly DigestSection[] = ['designations', 'reports', 'verdicts', 'source-health'];
const DESIGNATION_ORDER: Record<DesignationAlert['kind'], number> = { 'designation.added': 0, 'designation.amended': 1, 'designation.removed': 2 };
const MAX_CHANGE_SUMMARY = 160;

function sectionOf(a: Alert): DigestSection {
  if (a.kind.startsWith('designation.')) return 'designations';
  if (a.kind === 'report.published') return 'reports';
  if (a.kind.startsWith('verdict.')) return 'verdicts';
  return 'source-health';
}

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

function line(a: Alert): DigestLine {
  switch (a.kind) {
    case 'designation.added':
    case 'designation.removed':
      return { kind: a.kind, text: `${a.kind === 'designation.added' ? 'added' : 'removed'} ${a.name} (${a.type})`, url: a.url };
    case 'designation.amended':
      return { kind: a.kind, text: `amended ${a.name}${a.changes?.length ? `: ${clip(summarizeChanges(a.changes), MAX_CHANGE_SUMMARY)}` : ''}`, url: a.url };
    case 'report.published':
      return { kind: a.kind, text: a.report.title, url: a.report.link };
    case 'verdict.published':
    case 'verdict.changed': {
      const v = a.verdict;
      const rating = a.previous ? `${a.previous.rating} → ${v.rating}` : v.rating;
      return { kind: a.kind, text: `${rating}: “${clip(v.claim, 200)}” (${v.publisher})`, url: v.url };
    }
    case 'source.degraded':
    case 'source.recovered':
      return { kind: a.kind, text: `${a.kind === 'source.degraded' ? 'failing' : 'working again'}: ${a.sourceLabel}${a.reason ? ` — ${clip(a.reason, 200)}` : ''}`, url: a.url };
    case 'watch.matched':
      // Watch alerts go to their own channel at once, never into digests (see subscriptions/model.ts).
      return { kind: a.kind, text: a.summary, url: a.url };
  }
}

function groupTitle(a: Alert): string {
  if ('record' in a) return `${SOURCE_LABELS[a.source]} · ${a.programs.length > 0 ? a.programs.join(', ') : 'no program'}`;
  if (a.kind === 'report.published') return `Reports · ${a.sourceLabel}`;
  if (a.kind.startsWith('verdict.')) return 'Fact-checks';
  return 'Source health';
}

/**
 * The day's alerts as one digest: counted by kind and grouped — designations by list and
 * program (added, then amended, then removed), reports by publisher, fact-checks, source
 * health — each line naming its party, report or claim with its link. Pure: the same alerts
 * give the same digest.
 */
export function buildDigest(input: { id: string; date: string; timezone: string; since?: string; until: string; alerts: readonly Alert[] }): Digest {
  const counts: DigestCounts = { designations: { added: 0, amended: 0, removed: 0 }, reports: 0, verdicts: 0, health: 0 };
  const groups = new Map<string, DigestGroup & { order: number[] }>();
  for (const a of input.alerts) {
    const section = sectionOf(a);
    if (a.kind === 'designation.added') counts.designations.added++;
    else if (a.kind === 'designation.amended') counts.designations.amended++;
    else if (a.kind === 'designation.removed') counts.designations.removed++;
    else if (section === 'reports') counts.reports++;
    else if (section === 'verdicts') counts.verdicts++;
    else counts.health++;
    const title = groupTitle(a);
    const key = `${section}|${title}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { section, title, lines: [], order: [] }));
    g.lines.push(line(a));
    g.order.push('record' in a ? DESIGNATION_ORDER[a.kind] : 0);
  }
  const sorted = [...groups.values()]
    .sort((x, y) => SECTION_ORDER.indexOf(x.section) - SECTION_ORDER.indexOf(y.section) || x.title.localeCompare(y.title))
    .map(({ section, title, lines, order }) => ({
      section,
      title,
      // Stable: within one kind, lines keep the order the alerts were raised in.
      lines: lines.map((l, i) => ({ l, o: order[i]!, i })).sort((a, b) => a.o - b.o || a.i - b.i).map((x) => x.l),
    }));
  return {
    id: input.id,
    date: input.date,
    timezone: input.timezone,
    ...(input.since ? { since: input.since } : {}),
    until: input.until,
    counts,
    total: input.alerts.length,
    groups: sorted,
  };
}

/** "3 designations (2 added, 1 amended), 1 report, no fact-checks, 1 source-health alert". */
export function describeCounts(c: DigestCounts): string {
  const d = c.designations;
  const designations = d.added + d.amended + d.removed;
  const parts = [
    ['added', d.added],
    ['amended', d.amended],
    ['removed', d.removed],
  ]
    .filter(([, n]) => (n as number) > 0)
    .map(([w, n]) => `${n} ${w}`);
  const plural = (n: number, one: string, many: string) => (n === 0 ? `no ${many}` : `${n} ${n === 1 ? one : many}`);
  return [
    `${plural(designations, 'designation', 'designations')}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`,
    plural(c.reports, 'report', 'reports'),
    plural(c.verdicts, 'fact-check', 'fact-checks'),
    plural(c.health, 'source-health alert', 'source-health alerts'),
  ].join(', ');
}
