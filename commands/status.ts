import { SOURCE_LABELS } from '../src/core/alerts.js';
import type { SourceId } from '../src/core/designation.js';
import { z } from 'zod';
import { defineCommand } from '../src/commands/command.js';
import { describeListDate } from '../src/render/list-date.js';
import type { Reply } from '../src/reply.js';
import type { SourceStatus, Store } from '../src/store/store.js';

export const definition = {
  name: 'status',
  description: 'Health of every source: last poll, last success, record count, list date, problems.',
  options: [],
  /** Anyone may ask. */
  permission: 'everyone',
} as const;

export const ArgsSchema = z.object({});

export interface StatusContext {
  store: Store;
  sources: ReadonlyArray<{ id: SourceId | string; url: string }>;
}

export interface SourceHealth {
  source: string;
  url: string;
  state: 'ok' | 'degraded' | 'never-polled';
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastChangeAt: string | null;
  recordCount: number | null;
  dprkCount: number | null;
  listDate: string | null;
  /** What kind of date listDate is (published, last-modified, fetched, newest-item); null when not recorded. */
  listDateBasis: NonNullable<SourceStatus['listDateBasis']> | null;
  format: string | null;
  degradedReason: string | null;
  degradedSince: string | null;
  warnings: string[];
}

function health(id: string, url: string, s: SourceStatus | undefined): SourceHealth {
  return {
    source: id,
    url,
    state: !s?.lastAttemptAt ? 'never-polled' : s.degraded ? 'degraded' : s.lastSuccessAt ? 'ok' : 'degraded',
    lastAttemptAt: s?.lastAttemptAt ?? null,
    lastSuccessAt: s?.lastSuccessAt ?? null,
    lastChangeAt: s?.lastChangeAt ?? null,
    recordCount: s?.recordCount ?? null,
    dprkCount: s?.dprkCount ?? null,
    listDate: s?.listDate ?? null,
    listDateBasis: s?.listDateBasis ?? null,
    format: s?.format ?? null,
    degradedReason: s?.degraded?.reason ?? null,
    degradedSince: s?.degraded?.since ?? null,
    warnings: s?.warnings ?? [],
  };
}

const STATE_MARK = { ok: '✅ ok', degraded: '⚠️ degraded', 'never-polled': '… never polled' } as const;

function describe(h: SourceHealth): string {
  const label = SOURCE_LABELS[h.source as SourceId] ?? h.source;
  const lines = [`${label} (${h.source}): ${STATE_MARK[h.state]}`];
  if (h.recordCount !== null) lines.push(`  records: ${h.recordCount} (${h.dprkCount ?? 0} DPRK-related), format ${h.format}`);
  if (h.listDate) lines.push(`  ${describeListDate(h.listDate, h.listDateBasis)}`);
  else if (h.source in SOURCE_LABELS)
    lines.push(
      h.lastSuccessAt
        ? '  list date not published (the list carries none and no server Last-Modified came with it)'
        : '  list date: none yet (no successful poll)',
    );
  lines.push(`  last attempt: ${h.lastAttemptAt ?? 'never'} · last success: ${h.lastSuccessAt ?? 'never'}`);
  if (h.degradedReason) lines.push(`  degraded since ${h.degradedSince}: ${h.degradedReason}`);
  if (h.warnings.length > 0) lines.push(`  ${h.warnings.length} parse warning(s), first: ${h.warnings[0]}`);
  lines.push(`  url: ${h.url}`);
  return lines.join('\n');
}

export async function statusReply(ctx: StatusContext): Promise<Reply> {
  const sources = await Promise.all(ctx.sources.map(async (s) => health(s.id, s.url, await ctx.store.getStatus(s.id))));
  return { text: sources.map(describe).join('\n\n'), data: { sources } };
}

export default defineCommand({
  definition,
  ArgsSchema,
  handler: (ctx) => statusReply({ store: ctx.services.store, sources: ctx.services.sources }),
});
