import { z } from 'zod';
import { defineCommand } from '../src/commands/command.js';
import { ephemeral } from '../src/commands/dispatch.js';
import { describeSubscription } from '../src/render/subscription.js';
import { destinationKey } from '../src/subscriptions/model.js';

export const ArgsSchema = z.object({});

export const definition = {
  name: 'subscriptions',
  description: "This channel's subscription (and, for channel managers, every subscription in this workspace).",
  options: [],
  permission: 'everyone',
  channelScoped: true,
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
