import { SOURCE_LABELS, type Alert } from '../core/alerts.js';
import { describeMember } from '../core/diff.js';

const MARK: Record<Alert['kind'], string> = {
  'designation.added': '🔴 ADDED',
  'designation.removed': '🟢 REMOVED',
  'designation.amended': '🟠 AMENDED',
};

const MAX_ITEMS = 8;

function listLine(label: string, items: readonly string[]): string | undefined {
  if (items.length === 0) return undefined;
  const shown = items.slice(0, MAX_ITEMS).join('; ');
  const more = items.length > MAX_ITEMS ? ` (+${items.length - MAX_ITEMS} more)` : '';
  return `   ${label}: ${shown}${more}`;
}

/** A plain-text alert for terminals and notification fallbacks. */
export function renderAlertText(alert: Alert): string {
  const r = alert.record;
  const head = `${MARK[alert.kind]} · ${SOURCE_LABELS[alert.source]} · ${alert.name} (${alert.type}${alert.programs.length ? `; ${alert.programs.join(', ')}` : ''})`;
  const lines: (string | undefined)[] = [head];
  lines.push(alert.dprk ? `   DPRK-related: ${r.dprkReasons.join('; ') || 'was DPRK-related before this change'}` : '   Not DPRK-related');
  if (alert.kind === 'designation.amended' && alert.changes) {
    for (const c of alert.changes) {
      if ('added' in c) {
        for (const a of c.added) lines.push(`   + ${c.field}: ${a}`);
        for (const x of c.removed) lines.push(`   − ${c.field}: ${x}`);
      } else if (c.field === 'remarks') {
        lines.push('   ~ remarks edited');
      } else {
        lines.push(`   ~ ${c.field}: ${c.from ?? '∅'} → ${c.to ?? '∅'}`);
      }
    }
  } else {
    lines.push(listLine('Aliases', r.aliases.map((a) => describeMember('aliases', a))));
    lines.push(listLine('Identifiers', r.identifiers.filter((i) => i.kind !== 'other').map((i) => describeMember('identifiers', i))));
    lines.push(listLine('DOB', r.dobs));
    lines.push(listLine('Nationality', r.nationalities));
  }
  const listDate = alert.listDate ? `list as of ${alert.listDate.slice(0, 10)}` : 'list date not published';
  lines.push(`   ${listDate} · ${alert.url} · ${SOURCE_LABELS[alert.source]} id ${alert.sourceId} · alert ${alert.id}`);
  return lines.filter((l): l is string => l !== undefined).join('\n');
}
