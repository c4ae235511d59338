import type { Alert } from '../../src/core/alerts.js';
import { renderAlertForDiscord } from '../../src/render/discord.js';
import { renderAlertForSlack } from '../../src/render/slack.js';
import { MAPS } from '../../src/store/layout.js';
import type { Store } from '../../src/store/store.js';
import type { Subscription } from '../../src/subscriptions/model.js';
import type { FakeDiscord } from './fake-discord.js';
import { FAKE_TEAM, type FakeSlack } from './fake-slack.js';
import { instantSubscription } from './subscriptions.js';

/**
 * Many destinations on the fakes, and an audit of what each one received against what it
 * should have: every alert's rendered messages, once each, in the source's order. Shared by
 * the crash, failover and shutdown tests.
 */

export interface Destinations {
  /** Discord bot channels (posts carry a nonce with enforce_nonce). */
  discordChannels: string[];
  /** Discord webhooks, each into a channel of its own. */
  discordHooks: Array<{ id: string; token: string; url: string; channelId: string }>;
  /** Slack channels posted to with chat.postMessage. */
  slackChannels: string[];
  /** Slack incoming webhooks, by name on the fake. */
  slackHooks: string[];
}

export function makeDestinations(discord: FakeDiscord, n: { discordChannels: number; discordHooks?: number; slackChannels?: number; slackHooks?: number }, prefix = 'c'): Destinations {
  const discordChannels = Array.from({ length: n.discordChannels }, (_, i) => discord.addChannel(`${prefix}-bot-${i}`).id);
  const discordHooks = Array.from({ length: n.discordHooks ?? 0 }, (_, i) => {
    const channelId = discord.addChannel(`${prefix}-hook-${i}`).id;
    return { ...discord.createWebhook(channelId), channelId };
  });
  const slackChannels = Array.from({ length: n.slackChannels ?? 0 }, (_, i) => `C0${prefix.toUpperCase()}${String(i).padStart(4, '0')}`);
  const slackHooks = Array.from({ length: n.slackHooks ?? 0 }, (_, i) => `${prefix}-hook-${i}`);
  return { discordChannels, discordHooks, slackChannels, slackHooks };
}

/** Instant subscriptions to every topic for every destination, as `subscribe` would store them. */
export function subscriptionsFor(d: Destinations, discord: FakeDiscord, slack?: FakeSlack): Subscription[] {
  return [
    ...d.discordChannels.map((channelId) => instantSubscription('discord', channelId, { workspaceId: discord.guild.id })),
    ...d.discordHooks.map((h) => instantSubscription('discord-webhook', h.url)),
    ...d.slackChannels.map((channelId) => instantSubscription('slack', channelId, { workspaceId: FAKE_TEAM.id })),
    ...d.slackHooks.map((name) => instantSubscription('slack-webhook', slack!.webhookUrl(name))),
  ];
}

export type Kind = 'discord-channel' | 'discord-webhook' | 'slack-channel' | 'slack-webhook';

export interface DestinationAudit {
  kind: Kind;
  destination: string;
  /** Labels (kind:sourceId#message, e.g. added:45430#0) in the order they arrived. */
  received: string[];
  expected: string[];
  /** Expected messages that never arrived. */
  lost: number;
  /** Messages that arrived more than once. */
  duplicates: number;
  /** When each duplicate arrived (performance.now() of its request; bot channels: not known). */
  duplicateAt: number[];
  /** Whether the arrivals, with each repeat folded into the message before it, are exactly `expected`. */
  inOrder: boolean;
}

export interface Audit {
  destinations: DestinationAudit[];
  byKind: Record<Kind, { destinations: number; messages: number; lost: number; duplicates: number }>;
  /** POSTs to bot channels that repeated a (channel, nonce) already sent: each one a repeat the nonce absorbed. */
  repeatedNonces: number;
  /** For each repeat: when the first post with that nonce arrived, and when the repeat did (performance.now()). */
  repeats: Array<{ first: number; repeat: number }>;
  /** Alerts' labels in the order expected. */
  order: string[];
}

const discordPrint = (body: unknown): string => {
  const b = (body ?? {}) as { content?: string; embeds?: unknown[] };
  return JSON.stringify([b.content ?? '', b.embeds ?? []]);
};
const slackPrint = (body: unknown): string => String((body as { text?: unknown })?.text ?? '');

/** Map each rendered message to a label; every label must be unambiguous. */
function labels(alerts: readonly Alert[], render: (a: Alert) => readonly unknown[], print: (m: unknown) => string): { byPrint: Map<string, string>; order: string[] } {
  const byPrint = new Map<string, string>();
  const order: string[] = [];
  for (const a of alerts) {
    const id = `${a.kind.replace(/^designation\./, '')}:${'sourceId' in a ? String(a.sourceId) : a.id}`;
    render(a).forEach((m, i) => {
      const label = `${id}#${i}`;
      const p = print(m);
      if (byPrint.has(p)) throw new Error(`two rendered messages look the same (${byPrint.get(p)} and ${label}): the audit could not tell them apart`);
      byPrint.set(p, label);
      order.push(label);
    });
  }
  return { byPrint, order };
}

function judge(kind: Kind, destination: string, arrivals: Array<{ print: string; at?: number }>, map: { byPrint: Map<string, string>; order: string[] }): DestinationAudit {
  const received = arrivals.map((a) => map.byPrint.get(a.print) ?? `unknown:${a.print.slice(0, 60)}`);
  const folded: string[] = [];
  const duplicateAt: number[] = [];
  received.forEach((label, i) => {
    if (folded.at(-1) === label) duplicateAt.push(arrivals[i]!.at ?? Number.NaN);
    else folded.push(label);
  });
  const seen = new Set(received);
  const counts = new Map<string, number>();
  for (const l of received) counts.set(l, (counts.get(l) ?? 0) + 1);
  return {
    kind,
    destination,
    received,
    expected: map.order,
    lost: map.order.filter((l) => !seen.has(l)).length,
    duplicates: [...counts.values()].reduce((s, c) => s + c - 1, 0),
    duplicateAt,
    inOrder: JSON.stringify(folded) === JSON.stringify(map.order),
  };
}

/** Compare what every destination received with the alerts (in the source's order). */
export function audit(alerts: readonly Alert[], d: Destinations, discord: FakeDiscord, slack?: FakeSlack): Audit {
  const dmap = labels(alerts, renderAlertForDiscord, discordPrint);
  const smap = labels(alerts, renderAlertForSlack, slackPrint);
  const destinations: DestinationAudit[] = [];
  for (const c of d.discordChannels)
    destinations.push(judge('discord-channel', c, discord.messagesIn(c).filter((m) => !m.webhook_id).map((m) => ({ print: discordPrint(m) })), dmap));
  for (const h of d.discordHooks) {
    const posts = discord.requests.filter((r) => r.method === 'POST' && r.path === `/webhooks/${h.id}/${h.token}` && r.status === 200);
    destinations.push(judge('discord-webhook', h.channelId, posts.map((r) => ({ print: discordPrint(r.body), at: r.at })), dmap));
  }
  const ok = (r: { status?: number; response?: unknown; body: unknown }) => r.status === 200;
  for (const c of d.slackChannels) {
    const posts = slack!.to('chat.postMessage').filter((r) => r.body.channel === c && ok(r));
    destinations.push(judge('slack-channel', c, posts.map((r) => ({ print: slackPrint(r.body), at: r.at })), smap));
  }
  for (const name of d.slackHooks) {
    const posts = slack!.to('webhook', name).filter(ok);
    destinations.push(judge('slack-webhook', name, posts.map((r) => ({ print: slackPrint(r.body), at: r.at })), smap));
  }
  const byKind = {} as Audit['byKind'];
  for (const k of ['discord-channel', 'discord-webhook', 'slack-channel', 'slack-webhook'] as const) {
    const of = destinations.filter((x) => x.kind === k);
    byKind[k] = {
      destinations: of.length,
      messages: of.reduce((s, x) => s + x.received.length, 0),
      lost: of.reduce((s, x) => s + x.lost, 0),
      duplicates: of.reduce((s, x) => s + x.duplicates, 0),
    };
  }
  const bot = new Set(d.discordChannels);
  const nonces = new Map<string, number>();
  const repeats: Audit['repeats'] = [];
  for (const r of discord.requests) {
    const m = /^\/channels\/(\d+)\/messages$/.exec(r.path);
    if (r.method !== 'POST' || !m || !bot.has(m[1]!)) continue;
    const nonce = (r.body as { nonce?: string }).nonce;
    if (nonce === undefined) continue;
    const key = `${m[1]}:${nonce}`;
    const first = nonces.get(key);
    if (first !== undefined) repeats.push({ first, repeat: r.at });
    else nonces.set(key, r.at);
  }
  return { destinations, byKind, repeatedNonces: repeats.length, repeats, order: dmap.order };
}

/** One line per kind, for the test's output. */
export function summarise(a: Audit): string {
  return Object.entries(a.byKind)
    .filter(([, v]) => v.destinations > 0)
    .map(([k, v]) => `${k}: ${v.destinations} destinations, ${v.messages} messages, ${v.lost} lost, ${v.duplicates} duplicates`)
    .join('\n');
}

/** The (destination, message) keys the store holds as confirmed for one alert (or digest) on one platform. */
export async function confirmedDeliveries(store: Store, platform: string, itemId: string): Promise<string[]> {
  return (await store.map(MAPS.deliveries(platform, itemId)).entries()).map(([k]) => k);
}
