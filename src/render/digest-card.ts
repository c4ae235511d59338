import { describeCounts, localTime, type Digest } from '../core/digest.js';
import type { Card, Severity } from '../reply.js';
import { ALERT_SEVERITY } from './card.js';
import { KIND_MARK } from './text.js';

/**
 * Lines per card field: a field stays under Discord's 1,024-character field value and Slack's
 * section text, so neither platform has to cut a group; a longer group continues in another
 * field ("(cont.)"), and the renderers spread fields over embeds, blocks and numbered messages.
 */
const FIELD_CHARS = 1000;
const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, info: 1, ok: 0 };

export const DIGEST_MARK = '📋 DAILY DIGEST';

/** The digest's title: what it is and the day it covers. */
export const digestTitle = (d: Digest): string => `${DIGEST_MARK} · ${d.date}`;

function windowText(d: Digest): string {
  return d.since ? `since ${localTime(d.since, d.timezone)}` : `until ${localTime(d.until, d.timezone)}`;
}

/** A digest as one neutral card: the title with the date, the counts, then each group's lines. */
export function digestCard(d: Digest): Card {
  const fields: Card['fields'] = [];
  let severity: Severity = 'info';
  for (const g of d.groups) {
    let value = '';
    let first = true;
    const flush = () => {
      if (value === '') return;
      fields.push({ name: first ? `${g.title} (${g.lines.length})` : `${g.title} (cont.)`, value });
      first = false;
      value = '';
    };
    for (const l of g.lines) {
      const s = ALERT_SEVERITY[l.kind];
      if (RANK[s] > RANK[severity]) severity = s;
      const text = `${KIND_MARK[l.kind].split(' ')[0]} ${l.text} — ${l.url}`.slice(0, FIELD_CHARS);
      if (value !== '' && value.length + 1 + text.length > FIELD_CHARS) flush();
      value = value === '' ? text : `${value}\n${text}`;
    }
    flush();
  }
  const description =
    d.total === 0
      ? `Nothing new ${windowText(d)}.`
      : `${d.total} alert${d.total === 1 ? '' : 's'} ${windowText(d)}: ${describeCounts(d.counts)}.`;
  return {
    title: digestTitle(d),
    severity,
    description,
    fields,
    // No timestamp: renderers label a card's time "detected", and a digest detects nothing; its
    // title carries the day and its description the window.
    footer: `dprk-watch daily digest for ${d.date} (${d.timezone}) · digest ${d.id}`,
  };
}
