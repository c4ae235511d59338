import { describe, expect, it } from 'vitest';
import { buildAlerts } from '../src/core/alerts.js';
import { chatOutput } from '../src/delivery/fanout.js';
import { sendDueDigests } from '../src/delivery/digests.js';
import { drainOutbox } from '../src/delivery/outbox.js';
import type { Digest } from '../src/core/digest.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';
import { DigestQueues, digestDue, localClock } from '../src/subscriptions/digest.js';
import { instantTargets, wants, type Subscription } from '../src/subscriptions/model.js';
import { SubscriptionStore } from '../src/subscriptions/store.js';
import { party } from './helpers/designations.js';
import { recordingLog } from './helpers/pipeline.js';

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

let n = 0;
const memory = () => openStore('memory:', `subs-${n++}`);

describe('subscription filters', () => {
  it('match by topic, list, program, type and keyword', () => {
    expect(wants(sub(), added!)).toBe(true);
    expect(wants(sub({ topics: ['reports'] }), added!)).toBe(false);
    expect(wants(sub({ filters: { lists: ['un-sc'], programs: [], types: [], keywords: [] } }), added!)).toBe(false);
    expect(wants(sub({ filters: { lists: [], programs: ['DPRK3'], types: ['entity'], keywords: ['lazarus'] } }), added!)).toBe(true);
    expect(wants(sub({ filters: { lists: [], programs: ['CYBER2'], types: [], keywords: [] } }), added!)).toBe(false);
    expect(wants(sub({ disabled: { reason: 'Unknown Channel', at: '2026-01-02T00:00:00Z' } }), added!)).toBe(false);
  });

  it('survive a reopen, can be disabled with a reason, and removed', async () => {
    const store = await memory();
    const subs = new SubscriptionStore(store);
    await subs.put(sub());
    expect(await subs.disable(sub(), 'Unknown Channel (10003)')).toBe(true);
    expect((await subs.get(sub()))?.disabled?.reason).toBe('Unknown Channel (10003)');
    expect(await subs.remove(sub())).toBe(true);
    expect(await subs.remove(sub())).toBe(false);
    expect(await subs.all()).toEqual([]);
  });

  it('disabling a channel that was unsubscribed meanwhile leaves it unsubscribed; a configured webhook is stored to carry the reason', async () => {
    const store = await memory();
    const subs = new SubscriptionStore(store);
    expect(await subs.disable(sub(), 'Unknown Channel (10003)')).toBe(false);
    expect(await subs.all()).toEqual([]);
    const hook = sub({ platform: 'discord-webhook', workspaceId: undefined, channelId: 'https://discord.com/api/webhooks/1/x', createdBy: 'DISCORD_WEBHOOK_URLS' });
    expect(await subs.disable(hook, 'Unknown Webhook', { configured: hook })).toBe(true);
    expect((await subs.all()).map((s) => s.disabled?.reason)).toEqual(['Unknown Webhook']);
  });
});

describe('daily digests', () => {
  const digest = sub({ delivery: { mode: 'digest', time: '09:00', timezone: 'Asia/Seoul', quiet: 'skip' } });

  it('fall due at the local time in the subscription time zone, once a day', () => {
    expect(localClock(new Date('2026-11-25T00:30:00Z'), 'Asia/Seoul')).toEqual({ date: '2026-11-25', time: '09:30' });
    expect(digestDue(digest, new Date('2026-11-24T23:59:00Z'), undefined)).toBe(false); // 08:59 in Seoul
    expect(digestDue(digest, new Date('2026-11-25T00:00:00Z'), undefined)).toBe(true);
    expect(digestDue(digest, new Date('2026-11-25T05:00:00Z'), '2026-11-25')).toBe(false);
    expect(digestDue(digest, new Date('2026-11-26T03:00:00Z'), '2026-11-25')).toBe(true); // missed while down
  });

  it('queue what the subscription wants, fix one pending digest when due, resume it until finished, then start the next day empty', async () => {
    const store = await memory();
    const queues = new DigestQueues(store);
    await queues.enqueue([digest, sub({ channelId: 'c2' })], added!);
    await queues.enqueue([digest], added!);
    expect(await queues.queued(digest)).toEqual([added!.id]);
    expect(await queues.queued(sub({ channelId: 'c2' }))).toEqual([]); // instant subscriptions have no queue
    expect(await queues.begin(digest, new Date('2026-11-24T23:00:00Z'))).toBeUndefined(); // 08:00 in Seoul
    const now = new Date('2026-11-25T00:05:00Z');
    const pending = await queues.begin(digest, now);
    expect(pending).toMatchObject({ date: '2026-11-25', alertIds: [added!.id], since: digest.createdAt });
    // An alert raised while the digest is being sent waits for the next one.
    const [later] = buildAlerts([{ kind: 'added', after: party({ sourceId: '1', name: 'LATER' }) }], { source: 'ofac-sdn', baseVersion: 'c', detectedAt: '2026-11-25T00:06:00Z', scope: 'all' });
    await queues.enqueue([digest], later!);
    // A retry (or another instance) gets the same digest, not a new one.
    expect(await queues.begin(digest, new Date('2026-11-25T00:06:00Z'))).toEqual(pending);
    await queues.finish(digest, pending!);
    expect(await queues.begin(digest, new Date('2026-11-25T06:00:00Z'))).toBeUndefined();
    const next = await queues.begin(digest, new Date('2026-11-26T00:05:00Z'));
    expect(next).toMatchObject({ date: '2026-11-26', alertIds: [later!.id], since: pending!.until });
    expect(next!.id).not.toBe(pending!.id);
  });
});

/** A chat output whose sends are recorded: the real destination rules, no platform. */
function recordingOutput(store: Store) {
  const instant: Array<{ alert: string; to: string }> = [];
  const digests: Array<{ digest: Digest; to: string; message: string }> = [];
  const out = chatOutput<string>({
    platform: 'Test',
    name: 'test',
    channel: 'discord',
    webhook: 'discord-webhook',
    canPostToChannels: true,
    tokenVariable: 'TEST_TOKEN',
    store,
    log: recordingLog(),
    concurrency: 4,
    targetsFor: (alert, stored) => instantTargets(alert, stored, { channel: 'discord', webhook: 'discord-webhook', configVariable: 'X' }, []),
    render: (alert) => [alert.id],
    renderDigest: (d) => [`digest ${d.id}`],
    send: async (target, message, ref) => {
      if (message.startsWith('digest ')) digests.push({ digest: lastDigest!, to: target.channelId, message });
      else instant.push({ alert: ref.alertId, to: target.channelId });
    },
    classify: (e) => ({ kind: 'transient', reason: String(e) }),
    describe: (d) => d.channelId,
  });
  let lastDigest: Digest | undefined;
  const deliverDigest = out.deliverDigest;
  out.deliverDigest = (d, t, o) => {
    lastDigest = d;
    return deliverDigest(d, t, o);
  };
  return { out, instant, digests };
}

describe('digest delivery', () => {
  it('queues alerts at drain time instead of sending them, and at the digest time sends ONE digest holding them, once', async () => {
    const store = await memory();
    const digestSub = sub({ channelId: 'c-digest', delivery: { mode: 'digest', time: '08:00', timezone: 'UTC', quiet: 'skip' } });
    const subs = new SubscriptionStore(store);
    await subs.put(digestSub);
    await subs.put(sub({ channelId: 'c-instant' }));
    const { out, instant, digests } = recordingOutput(store);
    const log = recordingLog();
    await store.recordAlerts([added!]);
    await drainOutbox(store, [out], log);
    expect(instant).toEqual([{ alert: added!.id, to: 'c-instant' }]); // the instant channel got it at once; the digest channel did not
    expect(await sendDueDigests(store, [out], log, new Date('2026-11-25T07:59:00Z'))).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(await sendDueDigests(store, [out], log, new Date('2026-11-25T08:00:30Z'))).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(digests).toHaveLength(1);
    expect(digests[0]!.to).toBe('c-digest');
    expect(digests[0]!.digest).toMatchObject({ date: '2026-11-25', total: 1, counts: { designations: { added: 1, amended: 0, removed: 0 } } });
    expect(digests[0]!.digest.groups.map((g) => [g.title, g.lines.map((l) => l.text)])).toEqual([['OFAC SDN · DPRK3', ['added LAZARUS GROUP (entity)']]]);
    expect(await sendDueDigests(store, [out], log, new Date('2026-11-25T09:00:00Z'))).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(digests).toHaveLength(1);
    expect(log.lines.filter((l) => /daily digest sent/.test(l.msg))).toHaveLength(1);
  });

  it('on a day with nothing new: silent with quiet:skip (and says so in the log), "nothing new since …" with quiet:post', async () => {
    const store = await memory();
    const subs = new SubscriptionStore(store);
    await subs.put(sub({ channelId: 'c-skip', delivery: { mode: 'digest', time: '08:00', timezone: 'UTC', quiet: 'skip' } }));
    await subs.put(sub({ channelId: 'c-post', delivery: { mode: 'digest', time: '08:00', timezone: 'UTC', quiet: 'post' } }));
    const { out, digests } = recordingOutput(store);
    const log = recordingLog();
    expect(await sendDueDigests(store, [out], log, new Date('2026-11-25T08:01:00Z'))).toEqual({ sent: 1, skipped: 1, failed: 0 });
    expect(digests.map((d) => [d.to, d.digest.total])).toEqual([['c-post', 0]]);
    expect(log.lines.some((l) => /skipped: nothing new/.test(l.msg))).toBe(true);
    expect(log.lines.some((l) => /digest sent/.test(l.msg) && l.msg.includes('0 alert'))).toBe(true);
    // Both count the day as done.
    expect(await sendDueDigests(store, [out], log, new Date('2026-11-25T12:00:00Z'))).toEqual({ sent: 0, skipped: 0, failed: 0 });
  });
});
