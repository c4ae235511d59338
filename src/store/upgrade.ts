import { z } from 'zod';
import { destinationKey, SubscriptionSchema } from '../subscriptions/model.js';
import { destinationId, MAPS } from './layout.js';
import { withLock } from './lock.js';
import type { StateStore } from './state-store.js';

/** Which layout the stored state is in; absent means "written before shared maps" (layout 1). */
const LAYOUT_KEY = 'store:layout';
const LAYOUT = 2;

const Ids = z.array(z.string());
const LegacyDigestQueue = z.object({ alertIds: z.array(z.string()), lastSentDate: z.string().optional() });
const LegacyDeliveryRecord = z.object({ done: z.array(z.string()) });
const LegacyVerdictIndex = z.object({ sources: z.record(z.string(), z.string()) });

/**
 * Bring state written by dprk-watch before 0.2 (layout 1: whole documents rewritten on every
 * change) into shared maps (layout 2), so an upgrade keeps every subscription, queued alert,
 * digest queue, delivery record and verdict index. Runs once per store, under a lock (two
 * processes starting together do it once); each step adds only what is missing and deletes
 * the old document last, so a crash part-way is finished by the next start and anything
 * changed on the new layout meanwhile wins.
 */
export async function upgradeLegacyState(store: StateStore): Promise<void> {
  const values = store.backend.values;
  if ((await values.get(LAYOUT_KEY)) === LAYOUT) return;
  const done = await withLock(
    store,
    'upgrade',
    async () => {
      if ((await values.get(LAYOUT_KEY)) === LAYOUT) return;
      const legacy = async <T>(key: string, schema: z.ZodType<T>): Promise<T | undefined> => {
        const raw: unknown = await values.get(key);
        if (raw === undefined || raw === null) return undefined;
        const parsed = schema.safeParse(raw);
        if (!parsed.success) throw new Error(`cannot upgrade stored "${key}": ${parsed.error.message}`);
        return parsed.data;
      };
      const marks = (ids: readonly string[]) => ids.map((id) => [id, ''] as const);

      for (const [key, map] of [
        ['outbox', MAPS.outbox],
        ['alerts:recent', MAPS.recent],
      ] as const) {
        const ids = await legacy(key, Ids);
        if (ids) await store.map(map).add(marks(ids));
        await values.delete(key);
      }

      // What a fan-out in progress had already sent, for the alerts still queued.
      for (const [alertId] of await store.map(MAPS.outbox).entries()) {
        for (const platform of ['discord', 'slack']) {
          const key = `value:delivery:${platform}:${alertId}`;
          const record = await legacy(key, LegacyDeliveryRecord);
          if (record) await store.map(MAPS.deliveries(platform, alertId)).add(marks(record.done));
          await values.delete(key);
        }
        const key = `value:outbox:outputs-done:${alertId}`;
        const outputs = await legacy(key, Ids);
        if (outputs) await store.map(MAPS.outputsDone(alertId)).add(marks(outputs));
        await values.delete(key);
      }

      const subscriptions = await legacy('value:subscriptions', z.array(z.unknown()));
      for (const raw of subscriptions ?? []) {
        const sub = SubscriptionSchema.parse(raw);
        const id = destinationId(destinationKey(sub));
        await store.map(MAPS.subscriptions).add([[id, JSON.stringify(raw)]]);
        const queueKey = `value:digest:${destinationKey(sub)}`;
        const queue = await legacy(queueKey, LegacyDigestQueue);
        if (queue) {
          await store.map(MAPS.digestQueue(id)).add(marks(queue.alertIds));
          if (queue.lastSentDate) await store.map(MAPS.digestState).add([[id, JSON.stringify({ lastSentDate: queue.lastSentDate })]]);
        }
        await values.delete(queueKey);
      }
      await values.delete('value:subscriptions');

      const index = await legacy('value:verdicts:index', LegacyVerdictIndex);
      if (index) await store.map(MAPS.verdictIndex).add(Object.entries(index.sources));
      await values.delete('value:verdicts:index');

      await values.set(LAYOUT_KEY, LAYOUT);
    },
    { waitMs: 120_000, what: 'upgrading the stored state' },
  );
  if (!done.ran) throw new Error('another process has been upgrading the stored state for 2 minutes; try again when it is done');
}
