import pino from 'pino';

/** The part of a logger the core needs; pino satisfies it, tests can pass a recorder. */
export interface Log {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Structured logs go to stderr so stdout stays clean for alerts and `--json` output.
 * Secrets are redacted by key wherever they appear.
 */
export function createLogger(level: string, destination = 2): pino.Logger {
  return pino(
    {
      level,
      base: { app: 'dprk-watch' },
      redact: { paths: ['*.token', '*.secret', '*.password', 'token', 'secret', 'password'], censor: '[redacted]' },
    },
    pino.destination({ fd: destination, sync: true }),
  );
}
