import type { Alert } from '../core/alerts.js';
import type { Subscription } from '../subscriptions/model.js';

/** Somewhere alerts go: the console, Discord, Slack (channels and webhooks). */
export interface AlertOutput {
  readonly name: string;
  /** Deliver to every destination that wants the alert now (instant subscriptions). */
  deliver(alert: Alert): Promise<void>;
  /**
   * Deliver to these destinations only, whatever their mode (daily digests). Outputs ignore
   * destinations on other platforms.
   */
  deliverTo?(alert: Alert, targets: readonly Subscription[]): Promise<void>;
}
