import { z } from 'zod';
import { sourceLabel, type Alert } from '../src/core/alerts.js';
import { defineCommand } from '../src/commands/command.js';
import { KIND_MARK } from '../src/render/text.js';
import type { Reply } from '../src/reply.js';
import type { Store } from '../src/store/store.js';

export const LATEST_KINDS = ['designations', 'reports', 'verdicts', 'all'] as const;

export const definition = {
  name: 'latest',
  description: 'The most recent alerts: designations, reports, verdicts, or all.',
  options: [
    { name: 'kind', type: 'string', description: 'designations, reports, verdicts or all', required: false, choices: LATEST_KINDS },
    { name: 'limit', type: 'integer', description: 'How many (1–25, default 5)', required: false },
  ],
  permission: 'everyone',
} as const;

export const ArgsSchema = z.object({
  kind: z.enum(LATEST_KINDS, { message: `kind must be one of: ${LATEST_KINDS.join(', ')}` }).default('all'),
  limit: z.coerce.number().int().min(1, 'limit is at least 1').max(25, 'limit is at most 25').default(5),
});
export type LatestArgs = z.input<typeof ArgsSchema>;

const PREFIX: Record<(typeof LATEST_KINDS)[number], string> = {
  designations: 'designation.',
  reports: 'report.',
  verdicts: 'verdict.',
  all: '',
};

// Look further back than `limit` so a filter on a rare kind still fills the answer.
const SCAN = 1000;

function line(a: Alert): string {
  return `${KIND_MARK[a.kind]} · ${sourceLabel(a)} · detected ${a.detectedAt.slice(0, 10)}\n   ${a.summary}\n   ${a.url}`;
}

export async function latestReply(ctx: { store: Store }, args: z.output<typeof ArgsSchema>): Promise<Reply> {
  const { kind, limit } = args;
  // Watchlist matches are private to the channel that watches: never listed here.
  const alerts = (await ctx.store.recentAlerts(SCAN)).filter((a) => a.kind !== 'watch.matched' && a.kind.startsWith(PREFIX[kind])).slice(0, limit);
  const what = kind === 'all' ? 'alerts' : kind;
  const text = alerts.length === 0 ? `No ${what} yet.` : `Latest ${what}:\n${alerts.map(line).join('\n')}`;
  return { text, data: { kind, alerts } };
}

export default defineCommand({ definition, ArgsSchema, handler: (ctx, args) => latestReply({ store: ctx.services.store }, args) });
