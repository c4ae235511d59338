import type { Alert } from '../core/alerts.js';
import type { Digest } from '../core/digest.js';
import type { Destination, Subscription } from '../subscriptions/model.js';

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
  /** Whether this output can post to this destination (its platform; a token for bot channels). */
  handles?(target: Destination): boolean;
  /**
   * Post one daily digest to one destination, recording each message as the platform confirms
   * it, so a retry (after a failure, a crash, or on another instance) posts only the rest.
   */
  deliverDigest?(digest: Digest, target: Subscription, opts?: DeliverOptions): Promise<void>;
  /** An alert left the outbox, or a digest was sent: drop any per-destination delivery record kept for it. */
  settled?(itemId: string): Promise<void>;
}
