import { SOURCE_LABELS, sourceLabel, type Alert } from '../core/alerts.js';
import type { Designation } from '../core/designation.js';
import { describeMember } from '../core/diff.js';
import type { Card, Severity } from '../reply.js';
import { changeLines } from './changes.js';
import { describeListDate } from './list-date.js';
import { KIND_MARK } from './text.js';

/** How urgent each kind of alert is (colours and emoji follow it). */
export const ALERT_SEVERITY: Record<Alert['kind'], Severity> = {
  'designation.added': 'critical',
  'designation.amended': 'high',
  'designation.removed': 'ok',
  'report.published': 'medium',
  'verdict.published': 'info',
  'verdict.changed': 'high',
  'source.degraded': 'high',
  'source.recovered': 'ok',
  'watch.matched': 'critical',
};

const MAX_LIST = 15;

function joinList(items: readonly string[]): string | undefined {
  if (items.length === 0) return undefined;
  const shown = items.slice(0, MAX_LIST).join('\n');
  return items.length > MAX_LIST ? `${shown}\n… and ${items.length - MAX_LIST} more` : shown;
}

function field(name: string, value: string | undefined, inline = false): Card['fields'] {
  return value ? [{ name, value, inline }] : [];
}

/** The fields that describe a designated party (shared by alerts and the entity card). */
export function designationFields(r: Designation): Card['fields'] {
  const wallets = r.identifiers.filter((i) => i.kind === 'crypto').map((i) => `${i.asset ?? 'crypto'} ${i.value}`);
  const ids = r.identifiers.filter((i) => i.kind !== 'crypto' && i.kind !== 'other').map((i) => describeMember('identifiers', i));
  return [
    ...field('List', `${SOURCE_LABELS[r.source]} · ${r.sourceId}`, true),
    ...field('Type', r.type, true),
    ...field('Programs', r.programs.join(', ') || undefined, true),
    ...field('DPRK-related', r.dprk ? r.dprkReasons.join('; ') : 'no', false),
    ...field('Aliases', joinList(r.aliases.map((a) => describeMember('aliases', a)))),
    ...field('Wallets', joinList(wallets)),
    ...field('Identifiers', joinList(ids)),
    ...field('Born', joinList(r.dobs), true),
    ...field('Nationality', joinList(r.nationalities), true),
    ...field('Addresses', joinList(r.addresses.map((a) => a.text))),
  ];
}

/** A neutral rich card for an alert; chat renderers turn it into embeds or blocks. */
export function alertCard(alert: Alert): Card {
  const base = { severity: ALERT_SEVERITY[alert.kind], url: alert.url, timestamp: alert.detectedAt };
  switch (alert.kind) {
    case 'designation.added':
    case 'designation.removed':
    case 'designation.amended': {
      const changes = alert.kind === 'designation.amended' && alert.changes ? changeLines(alert.changes) : [];
      return {
        ...base,
        title: `${KIND_MARK[alert.kind]} · ${alert.name}`,
        description: alert.summary,
        fields: [...field('Changes', joinList(changes)), ...designationFields(alert.record)],
        footer: `${SOURCE_LABELS[alert.source]} · ${describeListDate(alert.listDate, alert.listDateBasis)} · alert ${alert.id}`,
      };
    }
    case 'report.published': {
      const r = alert.report;
      return {
        ...base,
        title: `${KIND_MARK[alert.kind]} · ${r.title}`,
        description: r.summary,
        fields: [
          ...field('Matched', r.matchedTerms.join(', ') || undefined),
          ...field('Designated parties named', joinList(r.entities.map((e) => `${e.name} — ${e.url}`))),
        ],
        footer: `${alert.sourceLabel}${r.publishedAt ? ` · published ${r.publishedAt.slice(0, 10)}` : ''}`,
      };
    }
    case 'verdict.published':
    case 'verdict.changed': {
      const v = alert.verdict;
      return {
        ...base,
        title: `${KIND_MARK[alert.kind]} · ${v.rating}`,
        description: `“${v.claim}”`,
        fields: [
          ...field('Rating', alert.previous ? `${alert.previous.rating} → ${v.rating} (${v.normalized})` : `${v.rating} (${v.normalized})`, true),
          ...field('Publisher', v.publisher, true),
          ...field('Claimant', v.claimant, true),
          ...field('Earlier ratings', joinList(v.timeline.map((t) => `${t.rating}${t.reviewDate ? ` (reviewed ${t.reviewDate.slice(0, 10)})` : ''}`))),
        ],
        footer: `${alert.sourceLabel}${v.reviewDate ? ` · reviewed ${v.reviewDate.slice(0, 10)}` : ''}`,
      };
    }
    case 'source.degraded':
    case 'source.recovered':
      return {
        ...base,
        title: `${KIND_MARK[alert.kind]} · ${alert.sourceLabel}`,
        description: alert.summary,
        fields: [
          ...field('Reason', alert.reason),
          ...field(alert.kind === 'source.degraded' ? 'Failing since' : 'Had been failing since', alert.since, true),
        ],
        footer: sourceLabel(alert),
      };
    case 'watch.matched': {
      const m = alert.match;
      const attribution = m.type === 'attribution';
      return {
        ...base,
        title: `${KIND_MARK[alert.kind]} · ${alert.watch.input}`,
        description: alert.summary,
        fields: [
          ...field('Watched', `${alert.watch.input} (${alert.watch.kind}, since ${alert.watch.addedAt.slice(0, 10)})`),
          ...field(attribution ? 'Attributed to' : 'Matched', attribution ? m.name : `${m.name} — on ${m.matchedOn} (${m.matchKind})`),
          ...field('Score', attribution ? 'exact address (1.00)' : m.score.toFixed(2), true),
          ...field(attribution ? 'Attributed by' : 'List', attribution ? alert.sourceLabel : `${alert.sourceLabel} · ${m.sourceId}`, true),
          ...field('Type', m.partyType, true),
          ...field('Programs', m.programs.join(', ') || undefined, true),
          ...field('Listed by', joinList(m.lists)),
          ...field('Attribution', m.description),
          ...field('Record', m.url),
        ],
        footer: `${attribution ? 'Not a sanctions designation · ' : ''}watchlist of this channel · alert ${alert.id}`,
      };
    }
  }
}
