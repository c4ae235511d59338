import pino from 'pino';
import pretty from 'pino-pretty';

/** The part of a logger the core needs; pino satisfies it, tests can pass a recorder. */
export interface Log {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * JSON lines for machines (piped, collected, `LOG_FORMAT=json`); one readable, coloured line per
 * event when a person watches the terminal (`auto` on a TTY, or `LOG_FORMAT=pretty`).
 */
export function chooseLogFormat(setting: LogFormat, isTTY: boolean): 'json' | 'pretty' {
  return setting === 'auto' ? (isTTY ? 'pretty' : 'json') : setting;
}

/** Keys whose values never reach a log line, wherever they appear (API keys, tokens, auth headers). */
const REDACT = ['token', 'secret', 'password', 'authorization', 'apiKey', 'apiKeys'].flatMap((k) => [k, `*.${k}`]);

export interface LoggerOptions {
  /** File descriptor (default 2: stderr) or a stream (tests). */
  destination?: number | NodeJS.WritableStream;
  /** Default `auto`: pretty when the destination is a TTY. */
  format?: LogFormat;
}

/**
 * Structured logs go to stderr so stdout stays clean for alerts and `--json` output.
 * Secrets are redacted by key wherever they appear (the API logs only a key's digest prefix, `keyId`).
 */
export function createLogger(level: string, destination: number | LoggerOptions = 2): pino.Logger {
  const o: LoggerOptions = typeof destination === 'number' ? { destination } : destination;
  const dest = o.destination ?? 2;
  const isTTY = typeof dest === 'number' ? Boolean((dest === 2 ? process.stderr : dest === 1 ? process.stdout : undefined)?.isTTY) : Boolean((dest as { isTTY?: boolean }).isTTY);
  const format = chooseLogFormat(o.format ?? 'auto', isTTY);
  const options: pino.LoggerOptions = { level, base: { app: 'dprk-watch' }, redact: { paths: REDACT, censor: '[redacted]' } };
  if (format === 'pretty')
    return pino(
      options,
      pretty({
        destination: dest as number,
        sync: true,
        colorize: isTTY,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname,app,source,component',
        // The source (a list, a feed) or the component (slack, api, …) leads the line.
        messageFormat: '{if source}[{source}] {end}{if component}[{component}] {end}{msg}',
        singleLine: true,
      }),
    );
  return pino(options, typeof dest === 'number' ? pino.destination({ fd: dest, sync: true }) : (dest as pino.DestinationStream));
}
