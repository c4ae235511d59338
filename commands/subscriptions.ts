import { z } from 'zod';
import { defineCommand } from '../src/commands/command.js';
import { ephemeral } from '../src/commands/dispatch.js';
import { destinationKey, type Subscription } from '../src/subscriptions/model.js';

export function describeSubscription(s: Subscription): string {
  const f = s.filters;
  const filters = [
    f.lists.length ? `lists ${f.lists.join(', ')}` : '',
    f.programs.length ? `programs ${f.programs.join(', ')}` : '',
    f.types.length ? `types ${f.types.join(', ')}` : '',
    f.keywords.length ? `keywords ${f.keywords.join(', ')}` : '',
  ].filter(Boolean);
  const when =
    s.delivery.mode === 'digest'
      ? `daily digest at ${s.delivery.time} ${s.delivery.timezone} (${s.delivery.quiet === 'post' ? 'says "nothing new" on quiet days' : 'silent on quiet days'})`
      : 'instant';
  const disabled = s.disabled ? ` — DISABLED since ${s.disabled.at.slice(0, 10)}: ${s.disabled.reason}` : '';
  return `${s.topics.join(', ')}; ${filters.length ? filters.join('; ') : 'no filters'}; ${when}${disabled}`;
}

export const ArgsSchema = z.object({});

export const definition = {
  name: 'subscriptions',
  description: "This channel's subscription (and, for channel managers, every subscription in this workspace).",
  options: [],
  permission: 'everyone',
} as const;

export default defineCommand({
  definition,
  ArgsSchema,
  async handler(ctx) {
    const { platform, workspaceId, channelId, canManageChannel } = ctx.invoker;
    const all = await ctx.services.subscriptions.all();
    const here = all.find((s) => s.platform === platform && s.channelId === channelId);
    const workspace = canManageChannel ? all.filter((s) => s.platform === platform && s.workspaceId === workspaceId) : [];
    if (!here && workspace.length === 0) return ephemeral('This channel has no subscription. A channel manager can add one with /dprk subscribe.', { subscriptions: [] });
    const lines = [here ? `This channel: ${describeSubscription(here)}` : 'This channel has no subscription.'];
    for (const s of workspace) if (s !== here) lines.push(`• channel ${s.channelId}: ${describeSubscription(s)}`);
    return { text: lines.join('\n'), data: { subscriptions: (here ? [here] : []).concat(workspace.filter((s) => s !== here)).map((s) => ({ key: destinationKey(s), ...s })) }, ephemeral: true };
  },
});
