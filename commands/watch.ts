import { z } from 'zod';
import { defineCommand } from '../src/commands/command.js';
import { ephemeral } from '../src/commands/dispatch.js';
import { destinationOf } from '../src/commands/context.js';
import { matchKey, type WatchDestination, type WatchMatch } from '../src/core/watch.js';
import { describeEditions } from '../src/search/lookup-service.js';
import { matchSourceLabel, watchMatches } from '../src/watch/match.js';
import { readWatchInput, WATCHLIST_CAP, WatchlistStore } from '../src/watch/store.js';

const ACTIONS = ['add', 'remove', 'list'] as const;

export const ArgsSchema = z
  .object({
    action: z.enum(ACTIONS, { message: 'action is add, remove or list' }),
    item: z.string().max(200, 'a watched name or address is at most 200 characters').optional(),
  })
  .refine((a) => a.action === 'list' || (a.item ?? '').trim() !== '', { message: 'add and remove need a name or wallet address', path: ['item'] });

export const definition = {
  name: 'watch',
  description: 'Watch names and wallets here: alert when one is listed or attributed',
  options: [
    { name: 'action', type: 'string', description: 'add, remove or list', required: true, choices: ACTIONS },
    { name: 'item', type: 'string', description: 'A name or wallet address (any letter case)', maxLength: 200 },
  ],
  permission: 'manage-channel',
  channelScoped: true,
} as const;

const MAX_LISTED = 60;

function matchLine(m: WatchMatch, label: string): string {
  if (m.type === 'attribution') return `ℹ️ ${m.description ?? `attributed to ${m.name}`} — not a sanctions designation\n   ${m.url}`;
  return `⚠️ ${label} ${m.sourceId} · ${m.name} — matched on ${m.matchedOn} (${m.matchKind}), score ${m.score.toFixed(2)}${m.programs.length ? ` · ${m.programs.join(', ')}` : ''}\n   ${m.url}`;
}

export default defineCommand({
  definition,
  ArgsSchema,
  async handler(ctx, args) {
    const dest = destinationOf(ctx.invoker);
    if (typeof dest === 'string') return ephemeral(dest.replace('Subscriptions belong', 'Watchlists belong'));
    const destination = dest as WatchDestination;
    const watchlists = new WatchlistStore(ctx.services.store);
    const { attributions } = ctx.services;

    if (args.action === 'list') {
      const items = (await watchlists.get(destination))?.items ?? [];
      if (items.length === 0) return ephemeral('This channel watches nothing yet. Add a name or wallet with /dprk watch add <name or address>.', { items: [] });
      const { index, editions } = await ctx.services.lookup.current();
      const rows = items.map((i) => ({ ...i, matches: watchMatches(index, attributions, i) }));
      const lines = rows
        .slice(0, MAX_LISTED)
        .map((r) => `• ${r.input} (${r.kind}, added ${r.addedAt.slice(0, 10)})${r.matches.length ? ` — ⚠️ matches ${r.matches.map((m) => `${matchSourceLabel(m, attributions)} ${m.sourceId} ${m.name}`).join('; ')}` : ' — no match'}`);
      if (rows.length > MAX_LISTED) lines.push(`… and ${rows.length - MAX_LISTED} more (dprk-watch watch list --json shows all).`);
      return ephemeral([`This channel watches ${items.length} of at most ${WATCHLIST_CAP} (${describeEditions(editions)}):`, ...lines].join('\n'), {
        cap: WATCHLIST_CAP,
        items: rows.map(({ seen: _seen, ...r }) => r),
      });
    }

    const read = readWatchInput(args.item ?? '');
    if (!read.ok) return ephemeral(`Cannot run /dprk watch ${args.action} — ${read.reason}.`, { error: 'invalid-item' });

    if (args.action === 'remove') {
      const removed = await watchlists.remove(destination, read.key);
      if (!removed) return ephemeral(`“${read.input}” is not on this channel's watchlist (see /dprk watch list).`, { removed: false });
      return ephemeral(`Stopped watching “${removed.input}” in this channel.`, { removed: true, item: removed });
    }

    // add: match first, so the matches it has now are told at once and never alerted again.
    const { index, editions } = await ctx.services.lookup.current();
    const matches = watchMatches(index, attributions, read);
    const item = {
      key: read.key,
      input: read.input,
      kind: read.kind,
      addedAt: new Date().toISOString(),
      ...(ctx.invoker.userId ? { addedBy: ctx.invoker.userId } : {}),
      seen: matches.map(matchKey),
    };
    const outcome = await watchlists.add(destination, item);
    if (outcome.status === 'full')
      return ephemeral(`This channel's watchlist is full: ${outcome.count} of at most ${WATCHLIST_CAP} names and addresses. Remove some with /dprk watch remove first.`, {
        error: 'watchlist-full',
        cap: WATCHLIST_CAP,
      });
    if (outcome.status === 'duplicate')
      return ephemeral(`This channel already watches “${outcome.item.input}” (since ${outcome.item.addedAt.slice(0, 10)}).`, { duplicate: true, item: outcome.item });
    const data = { added: true, item: { input: item.input, kind: item.kind, addedAt: item.addedAt }, count: outcome.count, cap: WATCHLIST_CAP, matches, editions };
    const head = `Watching ${read.kind} “${read.input}” in this channel (${outcome.count} of ${WATCHLIST_CAP}).`;
    if (matches.length === 0)
      return ephemeral(`${head} It matches nothing now (${describeEditions(editions)}); this channel gets an alert when it does.`, data);
    return ephemeral([`${head} It ALREADY matches (${describeEditions(editions)}):`, ...matches.map((m) => matchLine(m, matchSourceLabel(m, attributions))), 'New matches will be alerted here.'].join('\n'), data);
  },
});
