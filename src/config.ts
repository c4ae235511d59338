import { z } from 'zod';
import { cronField } from './config-fields.js';
import { DiscordConfigShape } from './settings/discord.js';
import { SlackConfigShape, slackConfigProblems } from './settings/slack.js';
import { OpsConfigShape } from './ops/config.js';
import { ApiConfigShape } from './settings/api.js';
import { LOG_FORMATS } from './log.js';
import { LIST_SETTINGS, REPORT_SETTINGS } from './sources/config.js';
import { OFAC_SDN_DEFAULT_URL } from './sources/ofac/config.js';
import { UN_SC_DEFAULT_URL } from './sources/un/config.js';

export const DEFAULTS = {
  OFAC_SDN_URL: OFAC_SDN_DEFAULT_URL,
  UN_SC_URL: UN_SC_DEFAULT_URL,
} as const;

const cron = cronField;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const csvList = <const T extends readonly [string, ...string[]]>(allowed: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(allowed)).min(1, 'must name at least one'));

/** Every setting dprk-watch reads from the environment (.env.example documents each). */
export const ConfigSchema = z.object({
  STORE_URL: z
    .string()
    .trim()
    .default('sqlite://./data/dprk-watch.sqlite')
    .refine((u) => /^(sqlite:\/\/.+|rediss?:\/\/.+|memory:)$/.test(u), 'must be sqlite://<file>, redis://host:port or memory:'),
  /** Prefix of every key in the store, and of the lease: deployments sharing one Redis (or file) stay apart. */
  STORE_NAMESPACE: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1–64 letters, digits, dots, dashes or underscores')
    .default('dprk-watch'),
  ...LIST_SETTINGS,
  CRON_TIMEZONE: z
    .string()
    .default('UTC')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'is not an IANA time zone'),
  POLL_JITTER_MS: int(0, 600_000).default(20_000),
  ALERT_SCOPE: z.enum(['dprk', 'all']).default('dprk'),
  MAX_REMOVAL_SHARE: z.coerce.number().min(0).max(1).default(0.05),
  /** A source failing for longer than this raises a source.degraded alert (and source.recovered after). */
  SOURCE_DEGRADED_ALERT_MS: int(60_000, 7 * 24 * 3_600_000).default(6 * 3_600_000),
  FETCH_TIMEOUT_MS: int(100, 600_000).default(60_000),
  FETCH_MAX_BYTES: int(1024, 2 ** 31 - 1).default(200 * 1024 * 1024),
  USER_AGENT: z.string().min(1).default('dprk-watch/0.1 (+https://github.com/dprk-watch/dprk-watch)'),
  ALERT_OUTPUTS: csvList(['console']).default(['console']),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: readable lines on a terminal, JSON when piped; `json` or `pretty` to choose. */
  LOG_FORMAT: z.enum(LOG_FORMATS).default('auto'),
  ...REPORT_SETTINGS,
  ...DiscordConfigShape,
  ...SlackConfigShape,
  ...OpsConfigShape,
  ...ApiConfigShape,
});
export type Config = z.infer<typeof ConfigSchema>;

/** Invalid configuration; `problems` lists every one, so a user fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Settings whose values are secrets (tokens, keys, webhook URLs carry tokens). */
const SECRET = /TOKEN|SECRET|KEY|WEBHOOK/;

/** Read the configuration from an environment; empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant: Record<string, string> = {};
  for (const k of Object.keys(ConfigSchema.shape)) {
    const v = env[k];
    if (v !== undefined && v.trim() !== '') relevant[k] = v;
  }
  const parsed = ConfigSchema.safeParse(relevant);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => {
        const key = String(i.path[0]);
        // Never echo a secret back, even a malformed one.
        const got = SECRET.test(key) ? '[redacted]' : JSON.stringify(relevant[key]);
        return `${i.path.join('.') || '(root)'} ${i.message} (got ${got})`;
      });
  // Settings that only make sense together (checked once each is valid on its own).
  if (parsed.success) problems.push(...slackConfigProblems(parsed.data));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return parsed.data as Config;
}
