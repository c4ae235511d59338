/**
 * Subscriptions under concurrency, across processes: two child processes on one SQLite file or
 * one Redis run 50 subscribe / unsubscribe / disable calls at the same moment, and the stored
 * subscriptions end exactly as running the same calls one after another would leave them (calls
 * on different channels commute, and every pair on one channel — an unsubscribe racing a
 * fan-out's disable — ends the same in either order). Also in-process: the real Discord output,
 * disabling 30 deleted channels 25 at a time, while /dprk unsubscribe removes 20 others.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import unsubscribe from '../../commands/unsubscribe.js';
import { discordOutput } from '../../src/adapters/discord-output.js';
import { buildAlerts } from '../../src/core/alerts.js';
import type { Services } from '../../src/commands/context.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import type { Subscription } from '../../src/subscriptions/model.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { party } from '../helpers/designations.js';
import { spawnChild } from '../helpers/children.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { recordingLog } from '../helpers/pipeline.js';
import { storeTargets } from '../helpers/stores.js';
import { instantSubscription } from '../helpers/subscriptions.js';
import type { Op } from './fixtures/subscription-worker.js';

const WORKER = fileURLToPath(new URL('./fixtures/subscription-worker.ts', import.meta.url));
const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const existing = (channel: string): Subscription => instantSubscription('discord', channel, { workspaceId: 'G1', topics: ['designations'] });

function startWorker(url: string, namespace: string, ops: Op[]): { ready: Promise<void>; go: () => void; done: Promise<Array<{ op: string; channel: string; result: unknown }>> } {
  // Tracked: stopped after the test even when it fails (test/helpers/children.ts).
  const child = spawnChild(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify({ url, namespace, ops })], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('ready\n')) resolve();
    });
    child.on('close', () => reject(new Error(`worker exited before it was ready:\n${err}`)));
  });
  const done = new Promise<Array<{ op: string; channel: string; result: unknown }>>((resolve, reject) =>
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('['));
      if (code === 0 && line) resolve(JSON.parse(line));
      else reject(new Error(`worker exited with ${code}:\n${err.slice(-2000)}`));
    }),
  );
  return { ready, go: () => child.stdin!.write('go\n'), done };
}

/** What the calls leave when run one after another, in any order (see the expected states below). */
type Final = 'active' | 'disabled' | 'absent';
const stateOf = (s: Subscription | undefined): Final => (!s ? 'absent' : s.disabled ? 'disabled' : 'active');

for (const target of storeTargets()) {
  describe(`subscriptions on ${target.name}, two processes`, () => {
    afterAll(() => target.cleanup());

    it('50 concurrent subscribe / unsubscribe / disable calls end in exactly the state a serial order gives', async () => {
      const url = target.url();
      const namespace = target.namespace();
      const seed = await openStore(url, namespace);
      const subs = new SubscriptionStore(seed);
      // Before: P* and X* are subscribed; Q* too, and nobody touches them.
      for (const c of [...range('P', 20), ...range('X', 5), ...range('Q', 10)]) await subs.put(existing(c));

      const ops: Op[] = [
        ...range('N', 20).map((channel) => ({ op: 'subscribe' as const, channel })), // new channels
        ...range('P', 10).map((channel) => ({ op: 'unsubscribe' as const, channel })),
        ...range('P', 20).slice(10).map((channel) => ({ op: 'disable' as const, channel })), // the platform said they are gone
        // The same channel unsubscribed in one process while the other's fan-out disables it.
        ...range('X', 5).flatMap((channel) => [
          { op: 'unsubscribe' as const, channel },
          { op: 'disable' as const, channel },
        ]),
      ];
      expect(ops).toHaveLength(50);
      // Alternate the calls between the two processes, so each pair on an X channel is split.
      const a = startWorker(url, namespace, ops.filter((_, i) => i % 2 === 0));
      const b = startWorker(url, namespace, ops.filter((_, i) => i % 2 === 1));
      await Promise.all([a.ready, b.ready]);
      a.go();
      b.go();
      const results = [...(await a.done), ...(await b.done)];
      expect(results).toHaveLength(50);

      // Serial orders: subscribe → active; unsubscribe → absent; disable of a subscribed channel →
      // disabled; unsubscribe and disable of one channel → absent in either order (disabling a
      // channel that has no subscription leaves it without one).
      const expected = new Map<string, Final>([
        ...range('N', 20).map((c) => [c, 'active'] as const),
        ...range('P', 10).map((c) => [c, 'absent'] as const),
        ...range('P', 20).slice(10).map((c) => [c, 'disabled'] as const),
        ...range('X', 5).map((c) => [c, 'absent'] as const),
        ...range('Q', 10).map((c) => [c, 'active'] as const),
      ]);
      const after = new Map((await subs.all()).map((s) => [s.channelId, s]));
      const actual = new Map([...expected.keys()].map((c) => [c, stateOf(after.get(c))]));
      expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
      expect(after.size).toBe(20 + 10 + 10); // nothing else appeared
      for (const c of range('N', 20)) expect(after.get(c)!.topics).toEqual(['designations', 'reports']);
      await seed.close();
    });
  });
}

describe('a fan-out disabling gone channels while channels unsubscribe', () => {
  let fake: FakeDiscord | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    await fake?.stop();
  });

  it('30 deleted channels are disabled 25 at a time, and the 20 channels unsubscribed meanwhile stay removed', async () => {
    fake = await new FakeDiscord().start();
    store = await openStore('memory:', 'fanout-vs-unsubscribe');
    const subs = new SubscriptionStore(store);
    const gone = Array.from({ length: 30 }, (_, i) => fake!.addChannel(`gone-${i}`).id);
    const leaving = Array.from({ length: 20 }, (_, i) => fake!.addChannel(`leaving-${i}`).id);
    const staying = Array.from({ length: 5 }, (_, i) => fake!.addChannel(`staying-${i}`).id);
    for (const c of [...gone, ...leaving, ...staying]) await subs.put(instantSubscription('discord', c, { workspaceId: fake.guild.id }));
    for (const c of gone) fake.deleteChannel(c);

    const [alert] = buildAlerts([{ kind: 'added', after: party({ sourceId: '1', name: 'ONE' }) }], { source: 'ofac-sdn', baseVersion: 'b', detectedAt: '2024-01-01T00:00:00Z', scope: 'all' });
    const out = discordOutput({ services: { store }, token: fake.token, apiUrl: fake.apiUrl, log: recordingLog(), webhookUrls: [], concurrency: 25 });
    const services = { store, subscriptions: subs } as unknown as Services;
    await Promise.all([
      out.deliver(alert!),
      ...leaving.map((c) => runCommand(unsubscribe, { services, invoker: { platform: 'discord', workspaceId: fake!.guild.id, channelId: c, canManageChannel: true } }, {})),
    ]);

    const after = new Map((await subs.all()).map((s) => [s.channelId, s]));
    for (const c of gone) expect(after.get(c)?.disabled?.reason, c).toMatch(/Unknown Channel/);
    for (const c of leaving) expect(after.has(c), c).toBe(false);
    for (const c of staying) expect(stateOf(after.get(c)), c).toBe('active');
    expect(after.size).toBe(35);
  });
});
