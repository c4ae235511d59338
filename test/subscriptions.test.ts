import { describe, expect, it } from 'vitest';
import { buildAlerts } from '../src/core/alerts.js';
import { party } from './helpers/designations.js';
import { openStore } from '../src/store/open.js';
import { DigestQueues, digestDue, localClock } from '../src/subscriptions/digest.js';
import { wants, type Subscription } from '../src/subscriptions/model.js';
import { SubscriptionStore } from '../src/subscriptions/store.js';

const lazarus = party({ sourceId: '27307', name: 'LAZARUS GROUP' });
const [added] = buildAlerts([{ kind: 'added', after: lazarus }], { source: 'ofac-sdn', baseVersion: 'b', detectedAt: '2023-12-01T00:00:00Z', scope: 'all' });

function sub(over: Partial<Subscription> = {}): Subscription {
  return {
    platform: 'discord',
    workspaceId: 'g1',
    channelId: 'c1',
    topics: ['designations'],
    filters: { lists: [], programs: [], types: [], keywords: [] },
    delivery: { mode: 'instant' },
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

describe('subscription filters', () => {
  it('match by topic, list, program, type and keyword', () => {
    expect(wants(sub(), added!)).toBe(true);
    expect(wants(sub({ topics: ['reports'] }), added!)).toBe(false);
    expect(wants(sub({ filters: { lists: ['un-sc'], programs: [], types: [], keywords: [] } }), added!)).toBe(false);
    expect(wants(sub({ filters: { lists: [], programs: ['DPRK3'], types: ['entity'], keywords: ['lazarus'] } }), added!)).toBe(true);
    expect(wants(sub({ filters: { lists: [], programs: ['CYBER2'], types: [], keywords: [] } }), added!)).toBe(false);
    expect(wants(sub({ disabled: { reason: 'Unknown Channel', at: '2026-01-02T00:00:00Z' } }), added!)).toBe(false);
  });

  it('survive a restart and can be disabled with a reason', async () => {
    const store = await openStore('memory:', 'subs');
    const subs = new SubscriptionStore(store);
    await subs.put(sub());
    await subs.disable(sub(), 'Unknown Channel (10003)');
    expect((await subs.get(sub()))?.disabled?.reason).toBe('Unknown Channel (10003)');
    expect(await subs.remove(sub())).toBe(true);
    expect(await subs.all()).toEqual([]);
  });
});

describe('daily digests', () => {
  const digest = sub({ delivery: { mode: 'digest', time: '09:00', timezone: 'Asia/Seoul' } });

  it('fall due at the local time in the subscription time zone, once a day', () => {
    expect(localClock(new Date('2026-11-25T00:30:00Z'), 'Asia/Seoul')).toEqual({ date: '2026-11-25', time: '09:30' });
    expect(digestDue(digest, new Date('2026-11-24T23:59:00Z'), undefined)).toBe(false); // 08:59 in Seoul
    expect(digestDue(digest, new Date('2026-11-25T00:00:00Z'), undefined)).toBe(true);
    expect(digestDue(digest, new Date('2026-11-25T05:00:00Z'), '2026-11-25')).toBe(false);
    expect(digestDue(digest, new Date('2026-11-26T03:00:00Z'), '2026-11-25')).toBe(true); // missed while down
  });

  it('queue matching alerts, hand them over when due, then start the next day empty', async () => {
    const store = await openStore('memory:', 'digest');
    const queues = new DigestQueues(store);
    await queues.enqueue([digest, sub()], added!);
    await queues.enqueue([digest], added!);
    const now = new Date('2026-11-25T00:05:00Z');
    const [due] = await queues.due([digest], now);
    expect(due?.alertIds).toEqual([added!.id]);
    await queues.markSent(digest, due!.alertIds, now);
    expect(await queues.due([digest], new Date('2026-11-25T06:00:00Z'))).toEqual([]);
    expect((await queues.due([digest], new Date('2026-11-26T00:05:00Z')))[0]?.alertIds).toEqual([]);
  });
});

describe('digest delivery', () => {
  it('queues alerts at drain time and hands them to the platform output at the digest time, once', async () => {
    const { drainOutbox, sendDueDigests } = await import('../src/delivery/outbox.js');
    const store = await openStore('memory:', 'digest-delivery');
    const digest = sub({ channelId: 'c-digest', delivery: { mode: 'digest', time: '08:00', timezone: 'UTC' } });
    await new SubscriptionStore(store).put(digest);
    const sent: Array<{ alert: string; to: string }> = [];
    const output = {
      name: 'recorder',
      deliver: async () => undefined,
      deliverTo: async (alert: { id: string }, targets: readonly Subscription[]) => {
        for (const t of targets) sent.push({ alert: alert.id, to: t.channelId });
      },
    };
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    await store.recordAlerts([added!]);
    await drainOutbox(store, [output], log);
    expect(sent).toEqual([]); // not instantly
    expect(await sendDueDigests(store, [output], log, new Date('2026-11-25T07:59:00Z'))).toBe(0);
    expect(await sendDueDigests(store, [output], log, new Date('2026-11-25T08:00:30Z'))).toBe(1);
    expect(sent).toEqual([{ alert: added!.id, to: 'c-digest' }]);
    expect(await sendDueDigests(store, [output], log, new Date('2026-11-25T09:00:00Z'))).toBe(0);
  });
});
