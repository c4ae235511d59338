import { z } from 'zod';
import { defineCommand } from '../src/commands/command.js';
import { ephemeral } from '../src/commands/dispatch.js';
import { TOPICS } from '../src/subscriptions/model.js';
import { SubscriptionStore } from '../src/subscriptions/store.js';
import { destinationOf } from './subscribe.js';
import { describeSubscription } from './subscriptions.js';

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
} as const;

export default defineCommand({
  definition,
  ArgsSchema,
  async handler(ctx, args) {
    const dest = destinationOf(ctx);
    if (typeof dest === 'string') return ephemeral(dest);
    const subs = new SubscriptionStore(ctx.services.store);
    const current = await subs.get(dest);
    if (!current) return ephemeral('This channel has no subscription; nothing to remove.');
    const remaining = current.topics.filter((t) => !args.topics.includes(t));
    if (args.topics.length === 0 || remaining.length === 0) {
      await subs.remove(dest);
      return ephemeral('Unsubscribed: this channel gets no more alerts.', { removed: true });
    }
    const updated = { ...current, topics: remaining, updatedAt: new Date().toISOString() };
    await subs.put(updated);
    return ephemeral(`Updated: ${describeSubscription(updated)}`, { subscription: updated });
  },
});
