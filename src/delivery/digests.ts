import { buildDigest, type Digest } from '../core/digest.js';
import type { Log } from '../log.js';
import type { Store } from '../store/store.js';
import { DigestQueues, type PendingDigest } from '../subscriptions/digest.js';
import { destinationKey, type Subscription } from '../subscriptions/model.js';
import { SubscriptionStore } from '../subscriptions/store.js';
import { DeliveryInterrupted, type AlertOutput } from './output.js';

export interface DigestRun {
  /** Digests posted. */
  sent: number;
  /** Digests due on a day with nothing new, skipped as the subscription asked (quiet:skip). */
  skipped: number;
  /** Digests that failed and stay due (retried at the next minute). */
  failed: number;
}

const warnedNoOutput = new Set<string>();

/**
 * Send every daily digest that is due: for each digest subscription, ONE digest of the alerts
 * queued for it since the last one — counted, grouped and linked (core/digest.ts) — through the
 * output of its platform. On a day with nothing new it posts "nothing new since …" (quiet:post)
 * or nothing (quiet:skip, the default).
 *
 * Exactly once: the digest (its id and the exact alerts it holds) is made pending before
 * anything is sent; the platform output records each message as it is confirmed (Discord bot
 * channels also by nonce); only then do its alerts leave the queue and the day count as done.
 * A crash, a failure or another instance at any point resumes the same digest and posts only
 * what did not arrive.
 */
export async function sendDueDigests(
  store: Store,
  outputs: readonly AlertOutput[],
  log: Log,
  now = new Date(),
  shouldContinue: () => boolean = () => true,
): Promise<DigestRun> {
  const run: DigestRun = { sent: 0, skipped: 0, failed: 0 };
  const queues = new DigestQueues(store);
  const subs = (await new SubscriptionStore(store).all()).filter((s) => s.delivery.mode === 'digest' && !s.disabled);
  for (const sub of subs) {
    if (!shouldContinue()) break;
    const output = outputs.find((o) => o.handles?.(sub) && o.deliverDigest);
    if (!output) {
      // Its platform is not configured here (no token): leave the digest queued, say so once.
      const key = destinationKey(sub);
      if (!warnedNoOutput.has(key)) {
        warnedNoOutput.add(key);
        log.warn({ platform: sub.platform, channel: sub.channelId }, `a ${sub.platform} digest subscription exists but nothing here can post to ${sub.platform}: its digest stays queued`);
      }
      continue;
    }
    let pending: PendingDigest | undefined;
    try {
      pending = await queues.begin(sub, now);
      if (!pending) continue;
      const outcome = await sendOne(store, output, sub, pending, shouldContinue);
      await queues.finish(sub, pending);
      await output.settled?.(pending.id);
      if (outcome.posted) {
        run.sent++;
        log.info({ channel: sub.channelId, platform: sub.platform, digest: pending.id, alerts: outcome.digest.total }, `daily digest sent: ${outcome.digest.total} alert(s)`);
      } else {
        run.skipped++;
        log.info({ channel: sub.channelId, platform: sub.platform, digest: pending.id }, 'daily digest skipped: nothing new (quiet:skip)');
      }
    } catch (e) {
      if (e instanceof DeliveryInterrupted) {
        log.info({ channel: sub.channelId, digest: pending?.id }, 'daily digest stopped part-way (shutting down, or no longer the leader); it resumes at the next run');
        break;
      }
      run.failed++;
      log.error({ channel: sub.channelId, platform: sub.platform, digest: pending?.id, err: (e as Error).message }, 'daily digest failed; it stays due and is retried at the next minute');
    }
  }
  return run;
}

async function sendOne(
  store: Store,
  output: AlertOutput,
  sub: Subscription,
  pending: PendingDigest,
  shouldContinue: () => boolean,
): Promise<{ posted: boolean; digest: Digest }> {
  if (sub.delivery.mode !== 'digest') throw new Error('not a digest subscription');
  const alerts = await store.getAlerts(pending.alertIds);
  const digest = buildDigest({ id: pending.id, date: pending.date, timezone: sub.delivery.timezone, until: pending.until, alerts, ...(pending.since ? { since: pending.since } : {}) });
  if (digest.total === 0 && sub.delivery.quiet === 'skip') return { posted: false, digest };
  await output.deliverDigest!(digest, sub, { shouldContinue });
  return { posted: true, digest };
}
