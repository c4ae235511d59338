import type { Config } from '../config.js';
import type { Source } from '../sources/source.js';
import { sqliteFileOf } from '../store/url.js';

export interface StartFacts {
  sources: readonly Pick<Source, 'id' | 'label' | 'cron'>[];
  /** Where the HTTP API (and the web page) listens, or undefined when neither API_KEYS nor PUBLIC_PAGE=on is set. */
  api?: { port: number; sharedWithSlack: boolean };
  slack?: 'http' | 'socket';
  discord: boolean;
  healthPort?: number;
}

/** Where the store is, without anything secret a Redis URL may carry (user:password@). */
function storeLine(url: string): string {
  const file = sqliteFileOf(url);
  if (file !== undefined) return `SQLite file ${file}`;
  if (url === 'memory:') return 'in memory (nothing kept after exit)';
  try {
    const u = new URL(url);
    return `Redis at ${u.host}`;
  } catch {
    return 'Redis';
  }
}

/**
 * What `dprk-watch start` prints first, for the person at the terminal: what it watches and
 * when, where state is kept, where alerts go, what answers questions, and the next step.
 */
export function startSummary(config: Config, f: StartFacts): string {
  const lists = f.sources.filter((s) => !s.id.includes(':'));
  const others = f.sources.length - lists.length;
  const lines = [
    `dprk-watch — watching ${lists.length} sanctions list(s)${others > 0 ? ` and ${others} report/fact-check source(s)` : ''} (cron times in ${config.CRON_TIMEZONE}):`,
    ...lists.map((s) => `  • ${s.label.padEnd(24)} ${s.cron}`),
    `  store: ${storeLine(config.STORE_URL)} (namespace ${config.STORE_NAMESPACE})`,
  ];
  const outputs = ['this terminal'];
  if (f.discord || config.DISCORD_WEBHOOK_URLS.length > 0) outputs.push('Discord');
  if (f.slack || config.SLACK_WEBHOOK_URLS.length > 0) outputs.push('Slack');
  lines.push(`  alerts go to: ${outputs.join(', ')}${config.ALERT_SCOPE === 'dprk' ? ' (DPRK-related changes only)' : ' (every change)'}`);
  if (f.api) lines.push(`  HTTP API: http://localhost:${f.api.port}/v1/… (key required; spec at /openapi.json)${f.api.sharedWithSlack ? ', beside Slack’s /slack/events' : ''}`);
  else lines.push('  HTTP API: off (set API_KEYS to serve /v1/lookup and the rest on PORT)');
  if (f.api)
    lines.push(`  web page: http://localhost:${f.api.port}/ (${config.PUBLIC_PAGE === 'on' ? 'public: PUBLIC_PAGE=on, read-only data without a key' : 'asks for an API key; PUBLIC_PAGE=on opens it'})`);
  if (f.slack) lines.push(`  Slack: answering /dprk ${f.slack === 'http' ? `at :${config.PORT}/slack/events` : 'over Socket Mode'}`);
  if (f.discord) lines.push('  Discord: answering /dprk');
  if (f.healthPort) lines.push(`  health and metrics: http://localhost:${f.healthPort}/healthz /readyz /metrics`);
  if (!f.discord && !f.slack)
    lines.push(
      '  next: try `npx dprk-watch lookup "Kim Jong Un"` in another terminal; to chat with it, set DISCORD_TOKEN',
      '        (README “Discord in five minutes”) or SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET (“Slack in five minutes”).',
    );
  return `${lines.join('\n')}\n`;
}
