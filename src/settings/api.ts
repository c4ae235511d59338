import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * The HTTP API's settings; `src/config.ts` spreads them into `ConfigSchema`. Without API_KEYS the
 * API is off: every endpoint but /healthz needs a key, so there is nothing to serve without one.
 */
export const ApiConfigShape = {
  /** Bearer keys that may call the API, comma-separated; each at least 16 characters. */
  API_KEYS: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[\x21-\x7e]{16,256}$/, 'each key must be 16–256 printable ASCII characters without spaces or commas')))
    .default([]),
  /** Requests one key may make per API_RATE_WINDOW_S (past it: 429 with Retry-After). */
  API_RATE_LIMIT: int(1, 1_000_000).default(600),
  API_RATE_WINDOW_S: int(1, 86_400).default(60),
  /**
   * `on`: GET / and the read-only GETs it uses (/page/sections, /v1/status, /v1/alerts, GET
   * /v1/lookup, /v1/verdict) answer without a key; `off`: the page asks for a key first.
   */
  PUBLIC_PAGE: z.enum(['on', 'off'], { message: 'must be on or off' }).default('off'),
  /** Largest request body accepted (413 past it). */
  API_MAX_BODY_BYTES: int(64, 10 * 1024 * 1024).default(64 * 1024),
  /** Longest request target (path and query) accepted (414 past it). */
  API_MAX_URL_BYTES: int(64, 16 * 1024).default(4096),
};

export const ApiConfigSchema = z.object(ApiConfigShape);
export type ApiConfig = z.infer<typeof ApiConfigSchema>;
