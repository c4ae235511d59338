/** How urgent something is; renderers map it to colours and emoji. */
export type Severity = 'critical' | 'high' | 'medium' | 'info' | 'ok';

/**
 * A platform-neutral rich message: Discord renders it as an embed, Slack as Block Kit
 * sections, the CLI as text. Text inside comes from sources and users: renderers escape it.
 */
export interface Card {
  title: string;
  url?: string;
  severity: Severity;
  description?: string;
  fields: Array<{ name: string; value: string; inline?: boolean }>;
  footer?: string;
  /** When dprk-watch detected what the card reports (ISO date-time); renderers label it "detected". */
  timestamp?: string;
}

/**
 * What a command answers, independent of platform: the CLI prints `text` (or `data` as
 * JSON); chat adapters render `cards` when present, with `text` as the notification
 * fallback. `ephemeral` replies are shown only to the person who asked.
 */
export interface Reply {
  text: string;
  data: unknown;
  ephemeral?: boolean;
  cards?: Card[];
}
