/**
 * Discord bot channels: each alert message carries a nonce derived from (alert, destination,
 * message) with enforce_nonce, so when our record of a confirmed post is lost (a crash between
 * Discord's answer and the store write) the repeat is answered with the first message and the
 * channel still holds one. Webhooks cannot take a nonce: there the repeat is visible, which is
 * why the record is written the moment a post is confirmed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryNonce, discordOutput } from '../../src/adapters/discord-output.js';
import type { Alert } from '../../src/core/alerts.js';
import { openStore } from '../../src/store/open.js';
import type { Subscription } from '../../src/subscriptions/model.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { realLazarusAmendment, recordingLog } from '../helpers/pipeline.js';
import { instantSubscription } from '../helpers/subscriptions.js';

let fake: FakeDiscord;
let lazarus: Alert; // real: 2022-04-12 → 04-14, an ETH address added to LAZARUS GROUP

beforeAll(async () => {
  fake = await new FakeDiscord().start();
  lazarus = await realLazarusAmendment();
});
afterAll(() => fake?.stop());

const subscription = (channelId: string): Subscription => instantSubscription('discord', channelId, { workspaceId: fake.guild.id });

describe('Discord nonce on alert posts', () => {
  it('is at most 25 characters, stable, and differs per alert, destination and message', () => {
    const a = deliveryNonce({ alertId: 'a1', index: 0, key: 'k1#0' });
    expect(a.length).toBeLessThanOrEqual(25);
    expect(deliveryNonce({ alertId: 'a1', index: 0, key: 'k1#0' })).toBe(a);
    expect(new Set([a, deliveryNonce({ alertId: 'a2', index: 0, key: 'k1#0' }), deliveryNonce({ alertId: 'a1', index: 0, key: 'k2#0' }), deliveryNonce({ alertId: 'a1', index: 1, key: 'k1#1' })]).size).toBe(4);
  });

  it('a repeat after the delivery record was lost leaves one message in a bot channel, while a webhook shows the repeat', async () => {
    const channel = fake.addChannel('alerts');
    const hook = fake.createWebhook(channel.id);
    /** The bot as it starts: its store holds the subscription and whatever delivery records survived. */
    const boot = async (name: string) => {
      const store = await openStore('memory:', name);
      await new SubscriptionStore(store).put(subscription(channel.id));
      return discordOutput({ services: { store }, token: fake.token, apiUrl: fake.apiUrl, log: recordingLog(), webhookUrls: [hook.url] });
    };

    await (await boot('nonce-before-crash')).deliver(lazarus);
    // The crash: Discord confirmed, but the record of it never reached the store.
    await (await boot('nonce-after-crash')).deliver(lazarus);

    const posts = fake.requestsTo('POST', `/channels/${channel.id}/messages`);
    expect(posts).toHaveLength(2);
    const bodies = posts.map((p) => p.body as { nonce: string; enforce_nonce: boolean });
    expect(bodies[0]!.enforce_nonce).toBe(true);
    expect(bodies[1]!.nonce).toBe(bodies[0]!.nonce);
    expect((posts[1]!.response as { id: string }).id).toBe((posts[0]!.response as { id: string }).id);
    const inChannel = fake.messagesIn(channel.id);
    expect(inChannel.filter((m) => !m.webhook_id)).toHaveLength(1);
    expect(inChannel.filter((m) => m.webhook_id)).toHaveLength(2);
  });
});
