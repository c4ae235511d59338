import type { ScreenRow } from './engine.js';

export type ScreenFormat = 'text' | 'json' | 'csv';

/** CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
const field = (v: string | number): string => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const CSV_COLUMNS = ['line', 'input', 'kind', 'match', 'score', 'source', 'source_id', 'dprk', 'lists', 'url', 'attributed_by', 'attribution', 'attribution_url'] as const;

/** The header line of a format, if it has one. */
export function screenHeader(format: ScreenFormat): string | undefined {
  return format === 'csv' ? `${CSV_COLUMNS.join(',')}\n` : undefined;
}

/** One output line per screened row: JSON Lines, CSV, or a line of text. */
export function formatScreenRow(r: ScreenRow, format: ScreenFormat): string {
  if (format === 'json') return `${JSON.stringify(r)}\n`;
  const m = r.match;
  const attributed = r.attributions.map((a) => `${a.attributedBy}: ${a.actor}${a.alsoKnownAs.length ? ` (${a.alsoKnownAs.join(', ')})` : ''} — ${a.incident}, ${a.document} of ${a.published}`);
  if (format === 'csv')
    return `${[
      r.line,
      r.input,
      r.kind,
      m?.name ?? '',
      m ? m.score.toFixed(3) : '',
      m?.source ?? '',
      m?.sourceId ?? '',
      m ? String(m.dprk) : '',
      r.lists.join('; '),
      m?.url ?? '',
      [...new Set(r.attributions.map((a) => a.attributedBy))].join('; '),
      attributed.join('; '),
      [...new Set(r.attributions.map((a) => a.url))].join(' '),
    ]
      .map(field)
      .join(',')}\n`;
  const head = `line ${r.line} · ${r.kind} · ${JSON.stringify(r.input)}`;
  const parts: string[] = [];
  if (m) parts.push(`⚠️ ${m.name} (score ${m.score.toFixed(2)}, on ${r.lists.join(', ')}) ${m.url}`);
  else if (r.kind !== 'empty') parts.push(r.attributions.length > 0 ? 'not on any sanctions list' : 'no match');
  else parts.push('empty: nothing to screen');
  for (const [i, a] of r.attributions.entries()) parts.push(`attributed by ${attributed[i]} ${a.url}`);
  return `${head} → ${parts.join('; ')}\n`;
}
