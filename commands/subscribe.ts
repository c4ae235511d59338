import { z } from 'zod';
import { LIST_IDS, PartyTypeSchema } from '../src/core/designation.js';
import { defineCommand } from '../src/commands/command.js';
import { ephemeral } from '../src/commands/dispatch.js';
import { destinationOf } from '../src/commands/context.js';
import { describeSubscription } from '../src/render/subscription.js';
import { TOPICS, type Subscription } from '../src/subscriptions/model.js';

/** "a, b c" → ["a", "b", "c"]; arrays pass through (Discord options, JSON). */
const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : v.split(/[\s,]+/)).map((x) => x.trim()).filter(Boolean)))
    .pipe(z.array(item));

const validZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const ArgsSchema = z
  .object({
    topics: list(z.enum(TOPICS, { message: `topics are: ${TOPICS.join(', ')}` })),
    lists: list(z.enum(LIST_IDS, { message: `lists are: ${LIST_IDS.join(', ')}` })),
    programs: list(z.string().regex(/^[A-Z0-9-]{2,20}$/i, 'a program is a code such as DPRK3 or CYBER2').transform((p) => p.toUpperCase())),
    types: list(PartyTypeSchema),
    keywords: list(z.string().min(2, 'keywords need at least 2 characters').max(50)),
    mode: z.enum(['instant', 'digest'], { message: 'mode is instant or digest' }).default('instant'),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM (24-hour)').optional(),
    timezone: z.string().default('UTC').refine(validZone, 'timezone must be an IANA name such as Asia/Seoul'),
    quiet: z.enum(['skip', 'post'], { message: 'quiet is skip (say nothing on a day with nothing new) or post ("nothing new since …")' }).optional(),
  })
  .refine((a) => a.mode === 'instant' || a.time !== undefined, { message: 'a digest needs a time (HH:MM)', path: ['time'] })
  .refine((a) => a.mode === 'digest' || a.quiet === undefined, { message: 'quiet applies to digests (mode:digest)', path: ['quiet'] });

export const definition = {
  name: 'subscribe',
  description: 'Send alerts to this channel (designations, reports, verdicts, source health), with filters.',
  options: [
    { name: 'topics', type: 'string', description: `Comma-separated: ${TOPICS.join(', ')} (default: all)` },
    { name: 'lists', type: 'string', description: `Only these lists: ${LIST_IDS.join(', ')}` },
    { name: 'programs', type: 'string', description: 'Only these programs, e.g. DPRK3,CYBER2' },
    { name: 'types', type: 'string', description: 'Only these types: individual, entity, vessel, aircraft' },
    { name: 'keywords', type: 'string', description: 'Only alerts mentioning one of these words' },
    { name: 'mode', type: 'string', description: 'instant (default) or digest', choices: ['instant', 'digest'] },
    { name: 'time', type: 'string', description: 'Digest time, HH:MM' },
    { name: 'timezone', type: 'string', description: 'Digest time zone, e.g. Asia/Seoul (default UTC)' },
    { name: 'quiet', type: 'string', description: 'Digest on a day with nothing new: skip (default) or post "nothing new"', choices: ['skip', 'post'] },
  ],
  permission: 'manage-channel',
  channelScoped: true,
} as const;

export default defineCommand({
  definition,
  ArgsSchema,
  async handler(ctx, args) {
    const dest = destinationOf(ctx.invoker);
    if (typeof dest === 'string') return ephemeral(dest);
    const now = new Date().toISOString();
    const fresh = (previous: Subscription | undefined): Subscription => ({
      ...dest,
      topics: args.topics.length > 0 ? args.topics : [...TOPICS],
      filters: { lists: args.lists, programs: args.programs, types: args.types, keywords: args.keywords },
      delivery: args.mode === 'digest' ? { mode: 'digest', time: args.time!, timezone: args.timezone, quiet: args.quiet ?? 'skip' } : { mode: 'instant' },
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      ...(ctx.invoker.userId ? { createdBy: ctx.invoker.userId } : {}),
    });
    // One atomic change of this channel's subscription: concurrent commands elsewhere are untouched.
    const { before: previous, after } = await ctx.services.subscriptions.update(dest, fresh);
    const sub = after!;
    return {
      text: `${previous ? 'Updated' : 'Subscribed'} this channel: ${describeSubscription(sub)}`,
      data: { subscription: sub },
      ephemeral: true,
    };
  },
});
