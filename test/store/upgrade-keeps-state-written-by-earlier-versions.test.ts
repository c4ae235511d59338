/**
 * State written by dprk-watch before shared maps (whole documents: `value:subscriptions`, the
 * `outbox` and `alerts:recent` id lists, `value:digest:<destination>`, `value:delivery:<platform>:<alert>`,
 * `value:outbox:outputs-done:<alert>`, `value:verdicts:index`) is written here exactly as that
 * version wrote it — raw keyv on the same backing and namespace — and then opened by today's
 * store: every subscription, queued alert, digest queue, delivery record and index entry is
 * kept, the old documents are gone, two processes opening it at once upgrade it once, and the
 * queued alerts are then delivered to the upgraded subscriptions, skipping what was sent before.
 */
import { createHash } from 'node:crypto';
import Keyv from 'keyv';
import KeyvRedis from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { discordOutput } from '../../src/adapters/discord-output.js';
import { buildAlerts, type Alert } from '../../src/core/alerts.js';
import { drainOutbox } from '../../src/delivery/outbox.js';
import { readIndex } from '../../src/factcheck/state.js';
import { MAPS } from '../../src/store/layout.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { DigestQueues } from '../../src/subscriptions/digest.js';
import { destinationKey, type Subscription } from '../../src/subscriptions/model.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { confirmedDeliveries } from '../helpers/delivery-audit.js';
import { party } from '../helpers/designations.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { recordingLog } from '../helpers/pipeline.js';
import { storeTargets } from '../helpers/stores.js';

/** The keyv the earlier version opened on the same URL and namespace. */
function legacyKeyv(url: string, namespace: string): Keyv {
  if (url.startsWith('sqlite://')) return new Keyv({ store: new KeyvSqlite({ uri: url, busyTimeout: 10_000 }), namespace });
  return new Keyv({ store: new KeyvRedis(url), namespace, useKeyPrefix: false });
}

/** How the earlier version named a (destination, message) it had delivered. */
const legacyProgressKey = (s: Subscription, message: number) => `${createHash('sha256').update(destinationKey(s)).digest('hex').slice(0, 20)}#${message}`;

for (const target of storeTargets()) {
  describe(`upgrading a ${target.name} store written before shared maps`, () => {
    const open: Array<Store | Keyv> = [];
    let fake: FakeDiscord | undefined;
    afterEach(async () => {
      for (const s of open.splice(0)) await ('disconnect' in s ? s.disconnect() : s.close());
      await fake?.stop();
    });
    afterAll(() => target.cleanup());

    it('keeps every subscription, queued alert, digest queue, delivery record and index entry, once, and delivers what was left', async () => {
      fake = await new FakeDiscord().start();
      const [instantChannel, digestChannel] = [fake.addChannel('alerts').id, fake.addChannel('digest').id];
      const url = target.url();
      const namespace = target.namespace();
      const alerts: Alert[] = buildAlerts(
        ['0', '1', '2'].map((i) => ({ kind: 'added' as const, after: party({ sourceId: `10${i}`, name: `PARTY ${i}` }) })),
        { source: 'ofac-sdn', baseVersion: 'base', detectedAt: '2026-11-24T00:00:00.000Z', scope: 'all' },
      );
      const [a0, a1, a2] = alerts as [Alert, Alert, Alert];
      const instant: Subscription = {
        platform: 'discord',
        workspaceId: fake.guild.id,
        channelId: instantChannel,
        topics: ['designations'],
        filters: { lists: [], programs: [], types: [], keywords: [] },
        delivery: { mode: 'instant' },
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      };
      // Written before `quiet` existed: it must read as quiet:skip.
      const digest = { ...instant, channelId: digestChannel, delivery: { mode: 'digest', time: '09:00', timezone: 'UTC' } } as unknown as Subscription;
      const hook: Subscription = { ...instant, platform: 'discord-webhook', channelId: 'https://discord.com/api/webhooks/1/t', workspaceId: undefined, disabled: { reason: 'gone', at: '2026-02-01T00:00:00.000Z' } };
      delete (hook as Partial<Subscription>).workspaceId;

      const kv = legacyKeyv(url, namespace);
      open.push(kv);
      for (const a of alerts) await kv.set(`alert:${a.id}`, a);
      await kv.set('outbox', [a1.id, a2.id]);
      await kv.set('alerts:recent', [a0.id, a1.id, a2.id]);
      await kv.set('value:subscriptions', [instant, digest, hook]);
      await kv.set(`value:digest:${destinationKey(digest)}`, { alertIds: [a0.id], lastSentDate: '2026-11-24' });
      await kv.set(`value:delivery:discord:${a1.id}`, { done: [legacyProgressKey(instant, 0)] });
      await kv.set(`value:outbox:outputs-done:${a1.id}`, ['console']);
      await kv.set('value:verdicts:index', { sources: { seeds: 'v-seeds', 'factcheck:google': 'v-google' } });

      // Two processes start at once on the old state.
      const [store, other] = await Promise.all([openStore(url, namespace), openStore(url, namespace)]);
      open.push(store, other);

      const subs = await new SubscriptionStore(store).all();
      expect(subs.map((s) => s.channelId).sort()).toEqual([instantChannel, digestChannel, hook.channelId].sort());
      expect(subs.find((s) => s.channelId === digestChannel)!.delivery).toEqual({ mode: 'digest', time: '09:00', timezone: 'UTC', quiet: 'skip' });
      expect(subs.find((s) => s.platform === 'discord-webhook')!.disabled?.reason).toBe('gone');
      expect((await store.pendingAlerts()).map((a) => a.id)).toEqual([a1.id, a2.id]);
      expect((await store.recentAlerts(10)).map((a) => a.id)).toEqual([a2.id, a1.id, a0.id]);
      const queues = new DigestQueues(store);
      const digestSub = subs.find((s) => s.channelId === digestChannel)!;
      expect(await queues.queued(digestSub)).toEqual([a0.id]);
      expect(await queues.begin(digestSub, new Date('2026-11-24T10:00:00Z'))).toBeUndefined(); // that day's digest was sent
      expect(await confirmedDeliveries(store, 'discord', a1.id)).toEqual([legacyProgressKey(instant, 0)]);
      expect((await store.map(MAPS.outputsDone(a1.id)).entries()).map(([k]) => k)).toEqual(['console']);
      expect((await readIndex(store)).sources).toEqual({ seeds: 'v-seeds', 'factcheck:google': 'v-google' });
      for (const key of ['outbox', 'alerts:recent', 'value:subscriptions', `value:digest:${destinationKey(digest)}`, `value:delivery:discord:${a1.id}`, `value:outbox:outputs-done:${a1.id}`, 'value:verdicts:index'])
        expect(await kv.get(key), key).toBeUndefined();

      // And it works: a1 had reached the instant channel, so only a2 is posted there; both leave the queue.
      const out = discordOutput({ services: { store }, token: fake.token, apiUrl: fake.apiUrl, log: recordingLog(), webhookUrls: [] });
      expect((await drainOutbox(store, [out], recordingLog())).map((a) => a.id)).toEqual([a1.id, a2.id]);
      expect(fake.messagesIn(instantChannel).map((m) => m.content)).toEqual([expect.stringContaining('PARTY 2')]);
      expect(await queues.queued(digestSub)).toEqual([a0.id, a1.id, a2.id]);
      expect(await store.pendingAlerts()).toEqual([]);
    });
  });
}
