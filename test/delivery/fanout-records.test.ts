/**
 * fanOut and drainOutbox in-process, with a send we control: what is recorded when, how many
 * sends are in flight where a repeat would show, what a stop part-way leaves, and that an
 * output that already took an alert is not called again when a later one fails.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/alerts.js';
import { chatOutput, fanOut, type DeliveryRef } from '../../src/delivery/fanout.js';
import { drainOutbox } from '../../src/delivery/outbox.js';
import { DeliveryInterrupted, type AlertOutput } from '../../src/delivery/output.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import type { Subscription } from '../../src/subscriptions/model.js';
import { recordingLog } from '../helpers/pipeline.js';
import { instantSubscription } from '../helpers/subscriptions.js';
import { confirmedDeliveries } from '../helpers/delivery-audit.js';
import { MAPS } from '../../src/store/layout.js';

let n = 0;
const sub = (platform: Subscription['platform'], channelId: string): Subscription => instantSubscription(platform, channelId);
const alert = (id: string): Alert => ({
  id,
  kind: 'source.degraded',
  source: 'ofac-sdn',
  sourceLabel: 'OFAC SDN',
  dprk: false,
  detectedAt: '2024-01-01T00:00:00.000Z',
  url: 'https://example.org/',
  summary: `alert ${id}`,
  reason: 'test',
});
const tick = () => new Promise((r) => setTimeout(r, 1));
const recorded = (store: Store, id: string) => confirmedDeliveries(store, 'Test', id);

function harness(store: Store) {
  let inFlight = { repeatable: 0, once: 0 };
  const peak = { repeatable: 0, once: 0 };
  const sent: Array<{ channel: string; message: string; key: string }> = [];
  /** For each non-idempotent send after the first: whether the previous one was in the store when it started. */
  const previousRecorded: boolean[] = [];
  let previousOnce: string | undefined;
  const send = async (target: Subscription, message: string, ref: DeliveryRef) => {
    const lane = target.platform === 'discord' ? 'repeatable' : 'once';
    if (lane === 'once') {
      if (previousOnce) previousRecorded.push((await recorded(store, ref.alertId)).includes(previousOnce));
      previousOnce = ref.key;
    }
    inFlight = { ...inFlight, [lane]: inFlight[lane] + 1 };
    peak[lane] = Math.max(peak[lane], inFlight[lane]);
    await tick();
    sent.push({ channel: target.channelId, message, key: ref.key });
    inFlight = { ...inFlight, [lane]: inFlight[lane] - 1 };
  };
  return { send, sent, peak, previousRecorded };
}

const base = (store: Store) => ({
  platform: 'Test',
  store,
  log: recordingLog(),
  concurrency: 8,
  classify: () => ({ kind: 'transient' as const, reason: 'x' }),
  describe: (d: { channelId: string }) => d.channelId,
  // As the Discord output declares: bot channels take a nonce, webhooks do not.
  idempotent: (d: { platform: string }) => d.platform === 'discord',
});

describe('fanOut', () => {
  it('sends to idempotent destinations in parallel and to the others one at a time, each recorded before the next starts', async () => {
    const store = await openStore('memory:', `fanout-${n++}`);
    const h = harness(store);
    const targets = [...Array.from({ length: 20 }, (_, i) => sub('discord', `bot${i}`)), ...Array.from({ length: 10 }, (_, i) => sub('slack-webhook', `hook${i}`))];
    await fanOut({ ...base(store), alert: alert('a1'), targets, messages: ['m0', 'm1'], send: h.send });
    expect(h.sent).toHaveLength(60);
    expect(h.peak.repeatable).toBe(7);
    expect(h.peak.once).toBe(1);
    // Each non-idempotent send started only once the one before it was in the store.
    expect(h.previousRecorded).toEqual(Array(19).fill(true));
    expect(await recorded(store, 'a1')).toHaveLength(60);
    // Within a destination the messages keep their order.
    for (const t of targets) expect(h.sent.filter((s) => s.channel === t.channelId).map((s) => s.message)).toEqual(['m0', 'm1']);

    // A second run of the same alert sends nothing: it is all recorded.
    const again = harness(store);
    await fanOut({ ...base(store), alert: alert('a1'), targets, messages: ['m0', 'm1'], send: again.send });
    expect(again.sent).toEqual([]);
  });

  it('stops starting sends once shouldContinue turns false, records the ones in flight, and the retry sends only the rest', async () => {
    const store = await openStore('memory:', `fanout-${n++}`);
    const h = harness(store);
    const targets = [...Array.from({ length: 30 }, (_, i) => sub('discord', `bot${i}`)), ...Array.from({ length: 5 }, (_, i) => sub('discord-webhook', `hook${i}`))];
    let go = true;
    const send = async (t: Subscription, m: string, ref: DeliveryRef) => {
      await h.send(t, m, ref);
      if (h.sent.length >= 10) go = false;
    };
    await expect(fanOut({ ...base(store), alert: alert('a2'), targets, messages: ['m'], send, shouldContinue: () => go })).rejects.toBeInstanceOf(DeliveryInterrupted);
    const first = h.sent.length;
    expect(first).toBeGreaterThanOrEqual(10);
    expect(first).toBeLessThan(10 + 8); // only what was in flight when it turned false
    expect(await recorded(store, 'a2')).toHaveLength(first);

    const rest = harness(store);
    await fanOut({ ...base(store), alert: alert('a2'), targets, messages: ['m'], send: rest.send });
    expect(rest.sent).toHaveLength(35 - first);
    expect(new Set([...h.sent, ...rest.sent].map((s) => s.channel)).size).toBe(35);
  });
});

describe('drainOutbox', () => {
  it('does not call an output again for an alert it already took when a later output fails; clears the records once delivered', async () => {
    const store = await openStore('memory:', `outbox-${n++}`);
    const a = alert('a3');
    await store.recordAlerts([a]);
    const printed: string[] = [];
    const console: AlertOutput = { name: 'console', deliver: async (x) => void printed.push(x.id) };
    let failChat = true;
    const sent: string[] = [];
    const chat = chatOutput({
      ...base(store),
      name: 'test',
      channel: 'discord',
      webhook: 'discord-webhook',
      canPostToChannels: true,
      tokenVariable: 'TEST_TOKEN',
      targetsFor: () => [sub('discord', 'ok'), sub('discord', 'flaky')],
      render: () => ['m'],
      renderDigest: () => ['digest'],
      send: async (t) => {
        if (t.channelId === 'flaky' && failChat) throw new Error('503');
        sent.push(t.channelId);
      },
    });
    const log = recordingLog();
    expect(await drainOutbox(store, [console, chat], log)).toEqual([]);
    expect(await drainOutbox(store, [console, chat], log)).toEqual([]);
    expect(printed).toEqual(['a3']);
    expect(sent).toEqual(['ok']);
    failChat = false;
    expect((await drainOutbox(store, [console, chat], log)).map((x) => x.id)).toEqual(['a3']);
    expect(printed).toEqual(['a3']);
    expect(sent).toEqual(['ok', 'flaky']);
    expect(await store.pendingAlerts()).toEqual([]);
    expect(await recorded(store, 'a3')).toEqual([]);
    expect(await store.map(MAPS.outputsDone('a3')).entries()).toEqual([]);
  });
});
