import { z } from 'zod';

/** "a, b c" → ["a", "b", "c"] (commas or whitespace). */
const list = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item));

const webhookUrl = z
  .string()
  .refine((u) => /^https:\/\/\S+$/.test(u) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/\S*$/.test(u), {
    message: 'each webhook must be an https:// URL (e.g. https://hooks.slack.com/services/T…/B…/…)',
  });

/**
 * The Slack settings; `src/config.ts` spreads them into `ConfigSchema` and adds
 * `slackConfigProblems` to its cross-field checks. Every variable is optional: without
 * SLACK_BOT_TOKEN the bot does not start, and SLACK_WEBHOOK_URLS work on their own.
 */
export const SlackConfigShape = {
  /** Bot token (xoxb-…): posts alerts, answers /dprk, reads users.info for admin checks. */
  SLACK_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^xox[bp]-[\w-]+$/, 'must be a bot token starting with xoxb- (OAuth & Permissions → Bot User OAuth Token)')
    .optional(),
  /** Signing secret (Basic Information → App Credentials): verifies every HTTP request. */
  SLACK_SIGNING_SECRET: z.string().trim().min(8, 'looks too short for a Slack signing secret').optional(),
  /** App-level token (xapp-…, scope connections:write): when set, Socket Mode is used instead of HTTP. */
  SLACK_APP_TOKEN: z
    .string()
    .trim()
    .regex(/^xapp-[\w-]+$/, 'must be an app-level token starting with xapp- (Basic Information → App-Level Tokens)')
    .optional(),
  /** Web API base URL override (tests point it at a fake); default https://slack.com/api/. */
  SLACK_API_URL: z
    .string()
    .trim()
    .refine((u) => /^https?:\/\/\S+$/.test(u), 'must be an http(s):// URL')
    .optional(),
  /** Incoming webhooks that receive every alert (each acts as a subscription to all topics). */
  SLACK_WEBHOOK_URLS: list(webhookUrl).default([]),
  /** Slack user ids allowed to manage subscriptions besides workspace admins and owners. */
  SLACK_ADMIN_USER_IDS: list(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'Slack user ids look like U0123ABCD')).default([]),
  /** HTTP port for /slack/events (HTTP mode). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
};

export const SlackConfigSchema = z.object(SlackConfigShape);
export type SlackConfig = z.infer<typeof SlackConfigSchema>;

export const SLACK_CONFIG_DEFAULTS: SlackConfig = SlackConfigSchema.parse({});

/** Cross-field problems, phrased like loadConfig's ("VARIABLE message"). */
export function slackConfigProblems(c: Partial<SlackConfig>): string[] {
  const problems: string[] = [];
  if (c.SLACK_BOT_TOKEN && !c.SLACK_APP_TOKEN && !c.SLACK_SIGNING_SECRET)
    problems.push('SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  if (c.SLACK_APP_TOKEN && !c.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN is required when SLACK_APP_TOKEN is set');
  return problems;
}

/** Whether the Slack bot (slash command, chat.postMessage) should run. */
export function slackBotEnabled(c: Partial<SlackConfig>): boolean {
  return Boolean(c.SLACK_BOT_TOKEN);
}

/** The Slack settings from any config object (the merged Config, or a test's partial one). */
export function slackSettings(c: object): SlackConfig {
  const picked: Record<string, unknown> = {};
  for (const k of Object.keys(SlackConfigShape)) if (k in c) picked[k] = (c as Record<string, unknown>)[k];
  return { ...SLACK_CONFIG_DEFAULTS, ...(picked as Partial<SlackConfig>) };
}
