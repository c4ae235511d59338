import { z } from 'zod';

/** Discord's REST API base (discord.js appends /v10). */
export const DISCORD_DEFAULT_API_URL = 'https://discord.com/api';

const snowflake = z
  .string()
  .trim()
  .regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)');

/** …/api[/vN]/webhooks/{id}/{token} — the path every Discord webhook URL has. */
const WEBHOOK_PATH = /^\/api(?:\/v\d+)?\/webhooks\/(\d{17,20})\/([A-Za-z0-9._-]{1,200})\/?$/;

export interface WebhookTarget {
  id: string;
  token: string;
  /** `?thread_id=` of the URL: post into that thread of a forum or channel. */
  threadId?: string;
}

/** The id and token of a Discord webhook URL (https only), or undefined. */
export function parseWebhookUrl(url: string): WebhookTarget | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:') return undefined;
  const m = WEBHOOK_PATH.exec(u.pathname);
  if (!m) return undefined;
  const threadId = u.searchParams.get('thread_id');
  return { id: m[1]!, token: m[2]!, ...(threadId && /^\d{17,20}$/.test(threadId) ? { threadId } : {}) };
}

/** A webhook URL safe to log: the token replaced. */
export function redactWebhookUrl(url: string): string {
  return url.replace(/(\/webhooks\/\d+\/)[^/?#]+/, '$1[redacted]');
}

const csv = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * The Discord settings; `src/config.ts` spreads them into `ConfigSchema`. All optional: without
 * a token the bot runs without Discord. `.env.example` lines:
 *
 *   # --- Discord -------------------------------------------------------------------------
 *   # Bot token (Developer Portal → Bot). Set it to answer /dprk and post alerts to subscribed channels.
 *   DISCORD_TOKEN=
 *   # Application id (Developer Portal → General Information); needed by `npm run register-commands`.
 *   DISCORD_APPLICATION_ID=
 *   # Register /dprk in this one server only (instant; for testing). Unset: registered globally.
 *   DISCORD_GUILD_ID=
 *   # REST API base; the gateway URL comes from its GET /gateway/bot. For tests and proxies only.
 *   DISCORD_API_URL=https://discord.com/api
 *   # Channel webhooks (comma-separated https URLs) that get every alert, like a subscription to all topics.
 *   DISCORD_WEBHOOK_URLS=
 *   (and DISCORD_GATEWAY, DISCORD_SHARDS, DISCORD_SHARD_SPAWN_DELAY_MS: see .env.example)
 */
export const DiscordConfigShape = {
  DISCORD_TOKEN: z.string().trim().min(1).optional(),
  DISCORD_APPLICATION_ID: snowflake.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_URL: z
    .string()
    .trim()
    .refine((u) => /^https?:\/\/[^\s/]+(\/\S*)?$/.test(u), 'must be an http:// or https:// URL')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  DISCORD_GATEWAY: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  DISCORD_SHARDS: z
    .string()
    .trim()
    .default('auto')
    .refine((v) => v === 'auto' || /^[1-9]\d{0,4}$/.test(v), 'must be auto or a whole number of shards (1 or more)')
    .transform((v): number | 'auto' => (v === 'auto' ? 'auto' : Number(v))),
  DISCORD_SHARD_SPAWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(5500),
  DISCORD_WEBHOOK_URLS: z
    .string()
    .default('')
    .transform(csv)
    .pipe(
      z.array(
        z.string().refine((u) => parseWebhookUrl(u) !== undefined, {
          // Never echo the URL: it carries the webhook's token.
          message: 'each must be an https:// Discord webhook URL (…/api/webhooks/{id}/{token})',
        }),
      ),
    ),
} as const;

export const DiscordConfigSchema = z.object(DiscordConfigShape);
export type DiscordConfig = z.infer<typeof DiscordConfigSchema>;

/** Variables whose values must never appear in messages or logs. */
export const DISCORD_SECRETS = ['DISCORD_TOKEN', 'DISCORD_WEBHOOK_URLS'] as const;

export type DiscordSetting = keyof typeof DiscordConfigShape;

/**
 * Read the Discord settings from an environment and require some of them: every problem
 * (missing or invalid) is listed at once; secrets are never echoed. Empty strings count as unset.
 */
export function loadDiscordConfig(
  env: NodeJS.ProcessEnv,
  required: readonly DiscordSetting[] = [],
): { ok: true; config: DiscordConfig } | { ok: false; problems: string[] } {
  const relevant: Record<string, string> = {};
  for (const k of Object.keys(DiscordConfigShape)) {
    const v = env[k];
    if (v !== undefined && v.trim() !== '') relevant[k] = v;
  }
  const problems: string[] = [];
  for (const k of required) if (!(k in relevant)) problems.push(`${k} is not set`);
  const parsed = DiscordConfigSchema.safeParse(relevant);
  if (!parsed.success)
    for (const i of parsed.error.issues) {
      const key = String(i.path[0] ?? '(root)');
      const secret = (DISCORD_SECRETS as readonly string[]).includes(key);
      problems.push(`${key} ${i.message}${secret ? '' : ` (got ${JSON.stringify(relevant[key])})`}`);
    }
  return problems.length > 0 || !parsed.success ? { ok: false, problems } : { ok: true, config: parsed.data };
}
