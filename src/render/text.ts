import { SOURCE_LABELS, sourceLabel, type Alert, type DesignationAlert, type SourceHealthAlert } from '../core/alerts.js';
import { describeMember } from '../core/diff.js';
import type { ReportAlert } from '../core/reports.js';
import type { VerdictAlert } from '../core/verdicts.js';
import type { WatchAlert } from '../core/watch.js';
import { changeLines } from './changes.js';
import { describeListDate } from './list-date.js';
import { cleanText } from './neutral.js';

/** Kind at a glance: the same marks head the chat renderings. */
export const KIND_MARK: Record<Alert['kind'], string> = {
  'designation.added': '🔴 ADDED',
  'designation.removed': '🟢 REMOVED',
  'designation.amended': '🟠 AMENDED',
  'report.published': '📰 REPORT',
  'verdict.published': '🔎 FACT-CHECK',
  'verdict.changed': '🔁 VERDICT CHANGED',
  'source.degraded': '⚠️ SOURCE DEGRADED',
  'source.recovered': '✅ SOURCE RECOVERED',
  'watch.matched': '👁️ WATCHLIST MATCH',
};

const MAX_ITEMS = 8;

function listLine(label: string, items: readonly string[]): string | undefined {
  if (items.length === 0) return undefined;
  const shown = items.slice(0, MAX_ITEMS).join('; ');
  const more = items.length > MAX_ITEMS ? ` (+${items.length - MAX_ITEMS} more)` : '';
  return `   ${label}: ${shown}${more}`;
}

function designationLines(alert: DesignationAlert): (string | undefined)[] {
  const r = alert.record;
  const lines: (string | undefined)[] = [
    `${KIND_MARK[alert.kind]} · ${SOURCE_LABELS[alert.source]} · ${alert.name} (${alert.type}${alert.programs.length ? `; ${alert.programs.join(', ')}` : ''})`,
    alert.dprk ? `   DPRK-related: ${r.dprkReasons.join('; ') || 'was DPRK-related before this change'}` : '   Not DPRK-related',
  ];
  if (alert.kind === 'designation.amended' && alert.changes) {
    for (const l of changeLines(alert.changes)) lines.push(`   ${l}`);
  } else {
    lines.push(listLine('Aliases', r.aliases.map((a) => describeMember('aliases', a))));
    lines.push(listLine('Identifiers', r.identifiers.filter((i) => i.kind !== 'other').map((i) => describeMember('identifiers', i))));
    lines.push(listLine('DOB', r.dobs));
    lines.push(listLine('Nationality', r.nationalities));
  }
  lines.push(`   ${describeListDate(alert.listDate, alert.listDateBasis)} · ${alert.url} · ${SOURCE_LABELS[alert.source]} id ${alert.sourceId} · alert ${alert.id}`);
  return lines;
}

function reportLines(alert: ReportAlert): (string | undefined)[] {
  const r = alert.report;
  return [
    `${KIND_MARK[alert.kind]} · ${alert.sourceLabel} · ${r.title}`,
    r.summary ? `   ${r.summary}` : undefined,
    listLine('Matched', r.matchedTerms),
    listLine('Designated parties named', r.entities.map((e) => `${e.name} (${e.url})`)),
    `   ${r.publishedAt ? `published ${r.publishedAt.slice(0, 10)} · ` : ''}${r.link} · alert ${alert.id}`,
  ];
}

function verdictLines(alert: VerdictAlert): (string | undefined)[] {
  const v = alert.verdict;
  const change = alert.previous ? `${alert.previous.rating} → ${v.rating}` : v.rating;
  return [
    `${KIND_MARK[alert.kind]} · ${v.publisher} · “${v.claim}”`,
    `   Rating: ${change} (${v.normalized})${v.claimant ? ` · claimant: ${v.claimant}` : ''}`,
    listLine('Earlier ratings', v.timeline.map((t) => `${t.rating}${t.reviewDate ? ` (reviewed ${t.reviewDate.slice(0, 10)})` : ''}`)),
    `   ${v.reviewDate ? `reviewed ${v.reviewDate.slice(0, 10)} · ` : ''}${v.url} · alert ${alert.id}`,
  ];
}

function healthLines(alert: SourceHealthAlert): (string | undefined)[] {
  return [
    `${KIND_MARK[alert.kind]} · ${alert.sourceLabel}`,
    `   ${alert.summary}`,
    alert.reason ? `   reason: ${alert.reason}` : undefined,
    `   ${alert.since ? `${alert.kind === 'source.degraded' ? 'failing' : 'had been failing'} since ${alert.since} · ` : ''}${alert.url} · alert ${alert.id}`,
  ];
}

function watchLines(alert: WatchAlert): (string | undefined)[] {
  const m = alert.match;
  const where = m.type === 'attribution' ? `${alert.sourceLabel} attribution ${m.sourceId}` : `${alert.sourceLabel} id ${m.sourceId}`;
  return [
    `${KIND_MARK[alert.kind]} · ${alert.watch.kind} “${alert.watch.input}” → ${m.name}`,
    `   ${alert.summary}`,
    m.type === 'designation' ? `   matched on ${m.matchedOn} (${m.matchKind}) · score ${m.score.toFixed(2)}${m.programs.length ? ` · ${m.programs.join(', ')}` : ''}` : `   ${m.description ?? ''} · not a sanctions designation`,
    listLine('Listed by', m.lists),
    `   ${m.url} · ${where} · alert ${alert.id}`,
  ];
}

/**
 * A plain-text alert for terminals and notification fallbacks, cleaned like every rendering:
 * source text must not reach a terminal with escape sequences or bidi overrides in it.
 */
export function renderAlertText(alert: Alert): string {
  let lines: (string | undefined)[];
  switch (alert.kind) {
    case 'designation.added':
    case 'designation.removed':
    case 'designation.amended':
      lines = designationLines(alert);
      break;
    case 'report.published':
      lines = reportLines(alert);
      break;
    case 'verdict.published':
    case 'verdict.changed':
      lines = verdictLines(alert);
      break;
    case 'source.degraded':
    case 'source.recovered':
      lines = healthLines(alert);
      break;
    case 'watch.matched':
      lines = watchLines(alert);
      break;
  }
  return cleanText(lines.filter((l): l is string => l !== undefined).join('\n') || `${sourceLabel(alert)}: ${alert.summary}`);
}
