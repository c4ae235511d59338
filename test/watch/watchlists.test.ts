/**
 * Watchlists on the real lists: OFAC's DPRK subset of sdn.csv of 2022-04-12, then 2022-04-14
 * (the real change: the Ronin-theft ETH address added to LAZARUS GROUP), and the bundled FBI
 * attributions. Commands run through runCommand as every platform runs them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { latestReply } from '../../commands/latest.js';
import watch from '../../commands/watch.js';
import type { Invoker, Services } from '../../src/commands/context.js';
import { runCommand } from '../../src/commands/dispatch.js';
import type { WatchAlert } from '../../src/core/watch.js';
import { renderAlertText } from '../../src/render/text.js';
import { AttributionIndex } from '../../src/search/attributions.js';
import { LookupService } from '../../src/search/lookup-service.js';
import { bundledAttributions } from '../../src/seeds/attributions.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { instantTargets, type Subscription } from '../../src/subscriptions/model.js';
import { checkWatchlists } from '../../src/watch/match.js';
import { WATCHLIST_CAP, WatchlistStore } from '../../src/watch/store.js';
import { poll, realFileUrl } from '../helpers/pipeline.js';

const BEFORE = 'ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv';
const AFTER = 'ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv';
/** Added to LAZARUS GROUP's record on 2022-04-14 (published in EIP-55 mixed case); typed here in lower case. */
const RONIN = '0x098b716b8aaf21512996dc57eb0615e2383e2f96';

const attributions = new AttributionIndex(bundledAttributions());
const A: Invoker = { platform: 'discord', workspaceId: '111', channelId: '222', userId: 'u1', canManageChannel: true };
const B: Invoker = { platform: 'discord', workspaceId: '111', channelId: '333', userId: 'u2', canManageChannel: true };

let n = 0;
async function listsAt(file: string): Promise<{ store: Store; services: Services }> {
  const store = await openStore('memory:', `watch-${n++}`);
  const r = await poll(ofacSdnSource(realFileUrl(file)), store, 'dprk');
  expect(r.outcome).toBe('baseline');
  const services = { store, lookup: new LookupService(store, ['ofac-sdn']), attributions } as unknown as Services;
  return { store, services };
}

const run = (services: Services, invoker: Invoker, args: Record<string, unknown>) => runCommand(watch, { services, invoker }, args);

describe('/dprk watch add, remove, list', () => {
  it('adds, refuses a duplicate told apart only by case or spacing, lists, removes', async () => {
    const { store, services } = await listsAt(BEFORE);
    const added = await run(services, A, { action: 'add', item: 'Acme  Shipping   Trading' });
    expect(added.text).toMatch(/^Watching name “Acme Shipping Trading” in this channel \(1 of 500\)\. It matches nothing now/);
    const dup = await run(services, A, { action: 'add', item: 'ACME shipping trading' });
    expect(dup.text).toMatch(/already watches “Acme Shipping Trading”/);
    // An EVM address in another letter case is the same watch.
    await run(services, A, { action: 'add', item: RONIN });
    expect((await run(services, A, { action: 'add', item: RONIN.toUpperCase().replace('0X', '0x') })).text).toMatch(/already watches/);
    const list = await run(services, A, { action: 'list' });
    expect(list.text).toMatch(/watches 2 of at most 500/);
    expect(list.text).toContain(`• ${RONIN} (address`);
    // Another channel's watchlist is its own.
    expect((await run(services, B, { action: 'list' })).text).toMatch(/watches nothing yet/);
    expect((await run(services, A, { action: 'remove', item: 'acme shipping TRADING' })).text).toBe('Stopped watching “Acme Shipping Trading” in this channel.');
    expect((await run(services, A, { action: 'remove', item: 'acme shipping trading' })).text).toMatch(/is not on this channel's watchlist/);
    expect((await run(services, A, { action: 'list' })).text).toMatch(/watches 1 of at most 500/);
    await store.close();
  });

  it('is for channel managers only, needs a channel, and refuses bad input clearly', async () => {
    const { store, services } = await listsAt(BEFORE);
    const forbidden = await run(services, { ...A, canManageChannel: false }, { action: 'list' });
    expect(forbidden.text).toBe('You need the Manage Channels permission in this channel to run /dprk watch.');
    const slack = await run(services, { platform: 'slack', workspaceId: 'T1', channelId: 'C1', canManageChannel: false }, { action: 'add', item: 'Kim' });
    expect(slack.text).toMatch(/Only workspace admins/);
    expect((await run(services, { platform: 'cli', canManageChannel: true }, { action: 'list' })).text).toMatch(/^Watchlists belong to a chat channel/);
    expect((await run(services, A, { action: 'add' })).text).toMatch(/add and remove need a name or wallet address/);
    expect((await run(services, A, { action: 'add', item: '0x098b716b8aaf' })).text).toMatch(/looks like an EVM address but has 12 hex digits/);
    expect((await run(services, A, { action: 'add', item: 'K.' })).text).toMatch(/at least 3 letters or digits/);
    expect((await run(services, A, { action: 'frobnicate' })).text).toMatch(/action is add, remove or list/);
    await store.close();
  });

  it(`caps a channel at ${WATCHLIST_CAP} with a message naming the cap`, async () => {
    const { store, services } = await listsAt(BEFORE);
    const dest = { platform: 'discord' as const, workspaceId: '111', channelId: '222' };
    const lists = new WatchlistStore(store);
    for (let i = 0; i < WATCHLIST_CAP; i++)
      expect((await lists.add(dest, { key: `name:party ${i}`, input: `Party ${i}`, kind: 'name', addedAt: '2026-01-01T00:00:00.000Z', seen: [] })).status).toBe('added');
    const full = await run(services, A, { action: 'add', item: 'One More Trading' });
    expect(full.text).toBe(`This channel's watchlist is full: 500 of at most 500 names and addresses. Remove some with /dprk watch remove first.`);
    expect((await lists.get(dest))!.items).toHaveLength(WATCHLIST_CAP);
    await store.close();
  });

  it('says at once when a watch already matches: a designation with its score and record, an attribution as not sanctioned', async () => {
    const { store, services } = await listsAt(BEFORE);
    const lazarus = await run(services, A, { action: 'add', item: 'lazarus group' });
    expect(lazarus.text).toMatch(/It ALREADY matches/);
    expect(lazarus.text).toMatch(/⚠️ OFAC SDN \d+ · LAZARUS GROUP — matched on LAZARUS GROUP \(name\), score 1\.00 · .*DPRK/);
    expect(lazarus.text).toMatch(/https:\/\/sanctionssearch\.ofac\.treas\.gov\/Details\.aspx\?id=\d+/);
    const fbi = bundledAttributions()[0]!.addresses[0]!.address;
    const attributed = await run(services, A, { action: 'add', item: fbi.toLowerCase() });
    expect(attributed.text).toMatch(/It ALREADY matches/);
    expect(attributed.text).toMatch(/ℹ️ attributed by the FBI to TraderTraitor .* — not a sanctions designation/);
    expect(attributed.text).not.toMatch(/SANCTIONED|⚠️/);
    // What was told at once is not alerted again after the next edition.
    expect(await checkWatchlists({ store, lookup: services.lookup, attributions })).toEqual([]);
    await store.close();
  });
});

describe('a watched address newly designated by a new list edition', () => {
  it('raises exactly one alert, addressed to the watching channel only; a second check and poll raise none', async () => {
    const { store, services } = await listsAt(BEFORE);
    const told = await run(services, A, { action: 'add', item: RONIN });
    expect(told.text).toMatch(/It matches nothing now/);
    await run(services, B, { action: 'add', item: 'Some Other Counterparty Ltd' });
    const changed = await poll(ofacSdnSource(realFileUrl(AFTER)), store, 'dprk');
    expect(changed.outcome).toBe('changed');

    const alerts = (await checkWatchlists({ store, lookup: services.lookup, attributions })) as WatchAlert[];
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    expect(alert).toMatchObject({
      kind: 'watch.matched',
      source: 'ofac-sdn',
      sourceLabel: 'OFAC SDN',
      destination: { platform: 'discord', workspaceId: '111', channelId: '222' },
      watch: { input: RONIN, kind: 'address' },
      match: { type: 'designation', name: 'LAZARUS GROUP', matchKind: 'identifier', score: 1, dprk: true },
    });
    expect(alert.match.matchedOn.toLowerCase()).toContain(RONIN);
    expect(alert.url).toMatch(/^https:\/\/sanctionssearch\.ofac\.treas\.gov\/Details\.aspx\?id=\d+$/);
    expect(renderAlertText(alert)).toContain(`👁️ WATCHLIST MATCH · address “${RONIN}” → LAZARUS GROUP`);
    // Queued once, like every alert.
    expect((await store.pendingAlerts()).filter((a) => a.kind === 'watch.matched').map((a) => a.id)).toEqual([alert.id]);

    // Delivery: the watching channel only — not channel B (subscribed to everything), not a configured webhook.
    const subB: Subscription = {
      platform: 'discord',
      workspaceId: '111',
      channelId: '333',
      topics: ['designations', 'reports', 'verdicts', 'source-health'],
      filters: { lists: [], programs: [], types: [], keywords: [] },
      delivery: { mode: 'instant' },
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    };
    const discord = { channel: 'discord', webhook: 'discord-webhook', configVariable: 'DISCORD_WEBHOOK_URLS' } as const;
    const targets = instantTargets(alert, [subB], discord, ['https://discord.com/api/webhooks/1/abc']);
    expect(targets.map((t) => `${t.platform}:${t.workspaceId}/${t.channelId}`)).toEqual(['discord:111/222']);
    expect(instantTargets(alert, [subB], { channel: 'slack', webhook: 'slack-webhook', configVariable: 'SLACK_WEBHOOK_URLS' }, [])).toEqual([]);

    // Private to the channel: /dprk latest, which anyone may run anywhere, does not show it.
    expect((await store.recentAlerts(10)).map((a) => a.id)).toContain(alert.id);
    const latest = await latestReply({ store }, { kind: 'all', limit: 25 });
    expect(latest.text).not.toMatch(/Watched address|WATCHLIST/);
    expect(latest.text).toMatch(/AMENDED · OFAC SDN/);

    // Exactly once: checking again (a second process, a retry) and polling again raise nothing.
    expect(await checkWatchlists({ store, lookup: services.lookup, attributions })).toEqual([]);
    expect((await poll(ofacSdnSource(realFileUrl(AFTER)), store, 'dprk')).outcome).toBe('unchanged');
    expect(await checkWatchlists({ store, lookup: services.lookup, attributions })).toEqual([]);
    expect((await store.pendingAlerts()).filter((a) => a.kind === 'watch.matched').map((a) => a.id)).toEqual([alert.id]);
    await store.close();
  });
});

describe('concurrency', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'watch-sqlite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('concurrent adds in one channel from two stores on one SQLite file lose nothing', async () => {
    const url = `sqlite://${path.join(dir, 'state.sqlite')}`;
    const [s1, s2] = [await openStore(url, 'watch'), await openStore(url, 'watch')];
    const dest = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };
    const [w1, w2] = [new WatchlistStore(s1), new WatchlistStore(s2)];
    const item = (i: number) => ({ key: `name:counterparty ${i}`, input: `Counterparty ${i}`, kind: 'name' as const, addedAt: '2026-01-01T00:00:00.000Z', seen: [] });
    // 2 × 30 adds at once, and the same 10 items added by both stores (duplicates must stay single).
    const outcomes = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => w1.add(dest, item(i))),
      ...Array.from({ length: 30 }, (_, i) => w2.add(dest, item(100 + i))),
      ...Array.from({ length: 10 }, (_, i) => w1.add(dest, item(200 + i))),
      ...Array.from({ length: 10 }, (_, i) => w2.add(dest, item(200 + i))),
    ]);
    expect(outcomes.filter((o) => o.status === 'added')).toHaveLength(70);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(10);
    const keys = (await w2.get(dest))!.items.map((i) => i.key).sort();
    expect(keys).toEqual([...new Set([...Array.from({ length: 30 }, (_, i) => i), ...Array.from({ length: 30 }, (_, i) => 100 + i), ...Array.from({ length: 10 }, (_, i) => 200 + i)])].map((i) => `name:counterparty ${i}`).sort());
    await s1.close();
    await s2.close();
  });
});
