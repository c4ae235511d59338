import type { Alert } from '../core/alerts.js';
import type { Subscription } from '../subscriptions/model.js';

export interface DeliverOptions {
  /** Checked before each send: false stops the delivery (what was sent stays recorded). */
  shouldContinue?: () => boolean;
}

/** A delivery stopped part-way because `shouldContinue` turned false; nothing failed. */
export class DeliveryInterrupted extends Error {
  override name = 'DeliveryInterrupted';
}

/** Somewhere alerts go: the console, Discord, Slack (channels and webhooks). */
export interface AlertOutput {
  readonly name: string;
  /**
   * Deliver to every destination that wants the alert now (instant subscriptions). With
   * `shouldContinue`, an output of many destinations stops starting sends once it turns false
   * (shutdown, lost lease), lets the sends in flight finish and be recorded, and rejects with
   * DeliveryInterrupted if anything is left: the alert stays queued for the next drain.
   */
  deliver(alert: Alert, opts?: DeliverOptions): Promise<void>;
  /**
   * Deliver to these destinations only, whatever their mode (daily digests). Outputs ignore
   * destinations on other platforms.
   */
  deliverTo?(alert: Alert, targets: readonly Subscription[]): Promise<void>;
  /** The alert left the outbox (every output delivered it): drop any per-destination delivery record kept for it. */
  settled?(alert: Alert): Promise<void>;
}
