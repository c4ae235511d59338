import type { Alert } from '../core/alerts.js';

/** Somewhere alerts go (console now; Discord, Slack and webhooks plug in here). */
export interface AlertOutput {
  readonly name: string;
  deliver(alert: Alert): Promise<void>;
}
