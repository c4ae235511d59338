import { z } from 'zod';
import { defineCommand } from '../src/commands/command.js';
import { ephemeral } from '../src/commands/dispatch.js';
import { destinationOf } from '../src/commands/context.js';
import { describeSubscription } from '../src/render/subscription.js';
import { TOPICS } from '../src/subscriptions/model.js';

export const ArgsSchema = z.object({
  topics: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(/[\s,]+/).filter(Boolean) : []))
    .pipe(z.array(z.enum(TOPICS, { message: `topics are: ${TOPICS.join(', ')}` }))),
});

export const definition = {
  name: 'unsubscribe',
  description: 'Stop alerts in this channel: some topics, or everything.',
  options: [{ name: 'topics', type: 'string', description: `Comma-separated topics to drop (default: all): ${TOPICS.join(', ')}` }],
  permission: 'manage-channel',
  channelScoped: true,
} as const;

export default defineCommand({
  definition,
  ArgsSchema,
  async handler(ctx, args) {
    const dest = destinationOf(ctx.invoker);
    if (typeof dest === 'string') return ephemeral(dest);
    const subs = ctx.services.subscriptions;
    if (args.topics.length === 0) {
      if (!(await subs.remove(dest))) return ephemeral('This channel has no subscription; nothing to remove.');
      return ephemeral('Unsubscribed: this channel gets no more alerts.', { removed: true });
    }
    // Drop the topics from the subscription as it is now (another command may have changed it).
    const { before, after } = await subs.update(dest, (current) => {
      if (!current) return undefined;
      const topics = current.topics.filter((t) => !args.topics.includes(t));
      return topics.length > 0 ? { ...current, topics, updatedAt: new Date().toISOString() } : undefined;
    });
    if (!before) return ephemeral('This channel has no subscription; nothing to remove.');
    if (!after) {
      await subs.remove(dest); // its digest queue goes with it
      return ephemeral('Unsubscribed: this channel gets no more alerts.', { removed: true });
    }
    return ephemeral(`Updated: ${describeSubscription(after)}`, { subscription: after });
  },
});
