/**
 * Daily digests, through the real App, outbox, discord.js REST and @slack/web-api against the
 * loopback fakes (Discord validates every payload against its limits; Slack enforces its
 * posting pace): at its local time a digest channel gets ONE digest — the date, counts by kind,
 * every alert of the day grouped by list and program with its name and link — not the day's
 * alerts one by one; a quiet day is silent or says "nothing new since …" as subscribed; a
 * digest too big for one message comes in numbered parts within every limit; and it arrives
 * exactly once when two instances race, when a send fails part-way, and when the record of a
 * confirmed send is lost (Discord's nonce).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { discordOutput } from '../../src/adapters/discord-output.js';
import { createSlackClient } from '../../src/adapters/slack.js';
import { slackOutput } from '../../src/adapters/slack-output.js';
import { App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildAlerts, type Alert } from '../../src/core/alerts.js';
import { buildDigest } from '../../src/core/digest.js';
import { renderDigestForDiscord } from '../../src/render/discord.js';
import { renderDigestForSlack, slackMessageProblems, messageTexts, type SlackMessage } from '../../src/render/slack.js';
import { parseUnXml } from '../../src/sources/un/xml.js';
import { MAPS } from '../../src/store/layout.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { DigestQueues } from '../../src/subscriptions/digest.js';
import { destinationKey, type Subscription } from '../../src/subscriptions/model.js';
import { destinationId } from '../../src/store/layout.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { FakeDiscord, messagePayloadProblems } from '../helpers/fake-discord.js';
import { FAKE_BOT, FAKE_TEAM, FakeSlack } from '../helpers/fake-slack.js';
import { REAL } from '../helpers/fixtures.js';
import { realLazarusAmendment, realPairAlerts, recordingLog } from '../helpers/pipeline.js';
import { instantSubscription } from '../helpers/subscriptions.js';

let kimsuky: Alert[]; // real: sdn.csv 2023-11-30 → 12-01, nine DPRK designations
let lazarus: Alert; // real: 2022-04-14, an ETH address added to LAZARUS GROUP
let unAll: Alert[]; // every record of the real UN consolidated list (all regimes), as additions
let unDprk: Alert[]; // its 1718 (DPRK) records

beforeAll(async () => {
  kimsuky = await realPairAlerts('ofac_sdn_csv/sdn_2023-11-30.csv.gz', 'ofac_sdn_csv/sdn_2023-12-01.csv.gz', 'dprk');
  lazarus = await realLazarusAmendment();
  const un = parseUnXml(gunzipSync(readFileSync(path.join(REAL, 'un_consolidated_xml/consolidated_2026-02-27.xml.gz'))).toString('utf8'));
  unAll = buildAlerts(un.records.map((after) => ({ kind: 'added' as const, after })), { source: 'un-sc', baseVersion: 'empty', detectedAt: '2026-02-27T00:00:00.000Z', scope: 'all' });
  unDprk = unAll.filter((a) => a.dprk);
});

const config = () => loadConfig({ STORE_URL: 'memory:', REPORT_FEEDS: 'none' });
const open: Store[] = [];
const fakes: Array<{ stop(): Promise<void> }> = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const f of fakes.splice(0)) await f.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function world(storeUrl = 'memory:') {
  const discord = await new FakeDiscord().start();
  const slack = await new FakeSlack({ rateLimits: true }).start();
  fakes.push(discord, slack);
  const openOne = async () => {
    const s = await openStore(storeUrl, storeUrl === 'memory:' ? `digest-${Math.random()}` : 'dprk-watch');
    open.push(s);
    return s;
  };
  const store = await openOne();
  const log = recordingLog();
  const appOn = (s: Store) =>
    new App({
      config: config(),
      store: s,
      log,
      sources: [],
      outputs: [
        discordOutput({ services: { store: s }, token: discord.token, apiUrl: discord.apiUrl, log, webhookUrls: [] }),
        slackOutput({ services: { store: s }, client: createSlackClient({ SLACK_BOT_TOKEN: FAKE_BOT.token, SLACK_API_URL: slack.apiUrl }, log), log, webhookUrls: [] }),
      ],
    });
  return { discord, slack, store, log, app: appOn(store), appOn, openOne };
}

const digestSub = (platform: 'discord' | 'slack', channelId: string, workspaceId: string, over: Partial<Extract<Subscription['delivery'], { mode: 'digest' }>> = {}): Subscription =>
  instantSubscription(platform, channelId, {
    workspaceId,
    createdAt: '2023-11-30T00:00:00.000Z',
    delivery: { mode: 'digest', time: '08:00', timezone: 'UTC', quiet: 'skip', ...over },
  });

/** Every text of a Discord message: content, embed titles, descriptions, field names and values, footers. */
function discordTexts(body: unknown): string[] {
  const b = body as { content?: string; embeds?: Array<{ title?: string; description?: string; footer?: { text: string }; fields?: Array<{ name: string; value: string }> }> };
  return [b.content ?? '', ...(b.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])];
}
/** Discord escapes markdown in names; compare without the escapes. */
const unescapeDiscord = (s: string) => s.replace(/\\([\\*_~`|[\]>#-])/g, '$1');
/** Slack escapes & < > as entities. */
const unescapeSlack = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const nameAndLink = (a: Alert): [string, string] => ('record' in a ? [a.name, a.url] : [a.summary, a.url]);

describe('a daily digest', () => {
  it('is ONE message per digest channel at its local time: the date, counts by kind, each alert grouped with its name and link — on Discord and Slack', async () => {
    const w = await world();
    const [dDigest, dInstant] = [w.discord.addChannel('digest').id, w.discord.addChannel('instant').id];
    const subs = new SubscriptionStore(w.store);
    await subs.put(digestSub('discord', dDigest, w.discord.guild.id));
    await subs.put(digestSub('slack', 'C0DIGEST', FAKE_TEAM.id, { time: '17:00', timezone: 'Asia/Seoul' }));
    await subs.put(instantSubscription('discord', dInstant, { workspaceId: w.discord.guild.id }));
    const day = [...kimsuky, lazarus];
    await w.store.recordAlerts(day);

    await w.app.deliver();
    expect(w.discord.messagesIn(dInstant)).toHaveLength(day.length); // instant: one message per alert, at once
    expect(w.discord.messagesIn(dDigest)).toHaveLength(0); // the digest channel waits
    expect(w.slack.posted('C0DIGEST')).toHaveLength(0);

    expect(await w.app.sendDigests(new Date('2023-12-01T07:59:00Z'))).toEqual({ sent: 0, skipped: 0, failed: 0 });
    // 08:05 UTC is 17:05 in Seoul: both fall due.
    expect(await w.app.sendDigests(new Date('2023-12-01T08:05:00Z'))).toEqual({ sent: 2, skipped: 0, failed: 0 });

    const [dMessage, ...dMore] = w.discord.messagesIn(dDigest);
    expect(dMore).toEqual([]);
    expect(messagePayloadProblems(dMessage!.body)).toEqual([]);
    const dText = unescapeDiscord(discordTexts(dMessage!.body).join('\n'));
    expect(dText).toContain('DAILY DIGEST · 2023-12-01');
    expect(dText).toContain('10 alerts since 2023-11-30 00:00 UTC: 10 designations (9 added, 1 amended), no reports, no fact-checks, no source-health alerts.');
    for (const group of ['OFAC SDN · DPRK (3)', 'OFAC SDN · DPRK2 (1)', 'OFAC SDN · DPRK3 (2)', 'OFAC SDN · DPRK4 (3)', 'OFAC SDN · NPWMD (1)'])
      expect(dText).toContain(group);
    for (const a of day) {
      const [name, link] = nameAndLink(a);
      expect(dText, name).toContain(name);
      expect(dText, link).toContain(link);
    }
    expect(dText).toContain('amended LAZARUS GROUP: remarks edited; identifiers +Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96');

    const [sMessage, ...sMore] = w.slack.posted('C0DIGEST');
    expect(sMore).toEqual([]);
    const sBody = sMessage!.body as unknown as SlackMessage;
    expect(slackMessageProblems({ text: sBody.text, blocks: sBody.blocks, attachments: sBody.attachments })).toEqual([]);
    const sText = unescapeSlack(messageTexts(sBody).join('\n'));
    expect(sText).toContain('DAILY DIGEST');
    expect(sText).toContain('2023-12-01');
    expect(sText).toContain('since 2023-11-30 09:00 Asia/Seoul');
    for (const a of day) for (const s of nameAndLink(a)) expect(sText, s).toContain(s);
    expect(w.slack.rateLimited).toEqual({ channel: 0, webhook: 0, injected: 0 });

    // Once a day: later that day nothing more; the queue is empty.
    expect(await w.app.sendDigests(new Date('2023-12-01T12:00:00Z'))).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(w.discord.messagesIn(dDigest)).toHaveLength(1);
    expect(await new DigestQueues(w.store).queued(digestSub('discord', dDigest, w.discord.guild.id))).toEqual([]);
    expect(w.log.lines.filter((l) => /daily digest sent: 10 alert/.test(l.msg))).toHaveLength(2);
  });

  it('on a quiet day is silent with quiet:skip and says "nothing new since <last digest>" with quiet:post', async () => {
    const w = await world();
    const [skip, post] = [w.discord.addChannel('skip').id, w.discord.addChannel('post').id];
    const subs = new SubscriptionStore(w.store);
    await subs.put(digestSub('discord', skip, w.discord.guild.id));
    await subs.put(digestSub('discord', post, w.discord.guild.id, { quiet: 'post' }));
    await w.store.recordAlerts(kimsuky.slice(0, 1));
    await w.app.deliver();
    expect(await w.app.sendDigests(new Date('2023-12-01T08:00:00Z'))).toEqual({ sent: 2, skipped: 0, failed: 0 });
    // The next day nothing happened.
    expect(await w.app.sendDigests(new Date('2023-12-02T08:00:00Z'))).toEqual({ sent: 1, skipped: 1, failed: 0 });
    expect(w.discord.messagesIn(skip)).toHaveLength(1);
    const quiet = w.discord.messagesIn(post);
    expect(quiet).toHaveLength(2);
    expect(messagePayloadProblems(quiet[1]!.body)).toEqual([]);
    expect(unescapeDiscord(discordTexts(quiet[1]!.body).join('\n'))).toContain('Nothing new since 2023-12-01 08:00 UTC.');
    expect(w.log.lines.some((l) => /daily digest skipped: nothing new \(quiet:skip\)/.test(l.msg))).toBe(true);
  });

  it('too big for one message comes in numbered parts, every part within the platform limits, no alert left out', () => {
    // The UN's 1718 list and 100 other UN records, as additions: about 30,000 characters of lines.
    const alerts = [...kimsuky, lazarus, ...unDprk, ...unAll.filter((a) => !a.dprk).slice(0, 100)];
    const digest = buildDigest({ id: 'd1', date: '2026-02-27', timezone: 'UTC', until: '2026-02-27T08:00:00.000Z', alerts });
    const discord = renderDigestForDiscord(digest);
    expect(discord.length).toBeGreaterThan(1);
    const dTexts = discord.map((m) => unescapeDiscord(discordTexts(m).join('\n')));
    discord.forEach((m, i) => {
      expect(messagePayloadProblems(m), `message ${i + 1}`).toEqual([]);
      expect(m.content).toBe(`📋 DAILY DIGEST · 2026-02-27 — part ${i + 1}/${discord.length}`);
    });
    const slack = renderDigestForSlack(digest);
    expect(slack.length).toBeGreaterThan(1);
    slack.forEach((m, i) => {
      expect(slackMessageProblems(m), `message ${i + 1}`).toEqual([]);
      expect(messageTexts(m).join('\n')).toContain(`part ${i + 1}/${slack.length}`);
    });
    const sAll = unescapeSlack(slack.flatMap(messageTexts).join('\n'));
    const dAll = dTexts.join('\n');
    for (const a of alerts) {
      const [name, link] = nameAndLink(a);
      expect(dAll, name).toContain(name);
      expect(dAll).toContain(link);
      expect(sAll, name).toContain(name);
      expect(sAll).toContain(link);
    }
    expect(dAll).toContain(`${alerts.length} alerts`);
  });

  it('arrives once when two instances send digests at the same moment', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'digest-race-'));
    dirs.push(dir);
    const w = await world(`sqlite://${path.join(dir, 'state.sqlite')}`);
    const channels = Array.from({ length: 6 }, (_, i) => w.discord.addChannel(`d${i}`).id);
    const subs = new SubscriptionStore(w.store);
    for (const c of channels) await subs.put(digestSub('discord', c, w.discord.guild.id));
    await subs.put(digestSub('slack', 'C0RACE', FAKE_TEAM.id));
    await w.store.recordAlerts(kimsuky);
    await w.app.deliver();
    const other = w.appOn(await w.openOne());
    const at = new Date('2023-12-01T08:00:00Z');
    const runs = await Promise.all([w.app.sendDigests(at), other.sendDigests(at)]);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(7);
    for (const c of channels) expect(w.discord.messagesIn(c), c).toHaveLength(1);
    expect(w.slack.posted('C0RACE')).toHaveLength(1);
  });

  it('resumes after a failure part-way, posting only the parts that did not arrive (Slack, no idempotency key)', async () => {
    const w = await world();
    await new SubscriptionStore(w.store).put(digestSub('slack', 'C0PARTS', FAKE_TEAM.id));
    await w.store.recordAlerts(unAll);
    await w.app.deliver();
    const parts = renderDigestForSlack(buildDigest({ id: 'x', date: '2023-12-01', timezone: 'UTC', until: '2023-12-01T08:00:00.000Z', alerts: unAll })).length;
    expect(parts).toBeGreaterThan(2);
    // Part 1 is accepted; part 2 meets a 500 (the web client does not retry: the outbox does).
    const run1 = w.app.sendDigests(new Date('2023-12-01T08:00:00Z'));
    await w.slack.waitFor((r) => r.endpoint === 'chat.postMessage' && r.body.channel === 'C0PARTS', 30_000);
    w.slack.failNext('chat.postMessage', { status: 500, body: { ok: false, error: 'internal_error' } });
    expect(await run1).toEqual({ sent: 0, skipped: 0, failed: 1 });
    const before = w.slack.posted('C0PARTS').length;
    expect(before).toBeGreaterThanOrEqual(1);
    expect(before).toBeLessThan(parts);

    expect(await w.app.sendDigests(new Date('2023-12-01T08:01:00Z'))).toEqual({ sent: 1, skipped: 0, failed: 0 });
    const posted = w.slack.posted('C0PARTS').map((r) => messageTexts(r.body as unknown as SlackMessage).join('\n'));
    expect(posted).toHaveLength(parts);
    posted.forEach((text, i) => expect(text).toContain(`part ${i + 1}/${parts}`)); // each part once, in order
  });

  it('is not posted twice in a Discord channel when the record of a confirmed send is lost (nonce with enforce_nonce)', async () => {
    const w = await world();
    const channel = w.discord.addChannel('nonce').id;
    const sub = digestSub('discord', channel, w.discord.guild.id);
    await new SubscriptionStore(w.store).put(sub);
    await w.store.recordAlerts(kimsuky);
    await w.app.deliver();
    const at = new Date('2023-12-01T08:00:00Z');
    const pending = await new DigestQueues(w.store).begin(sub, at);
    expect(await w.app.sendDigests(at)).toEqual({ sent: 1, skipped: 0, failed: 0 });
    // A crash between Discord's answer and our records: the digest is pending again, its record gone, its alerts queued.
    await w.store.map(MAPS.digestState).set(destinationId(destinationKey(sub)), JSON.stringify({ pending }));
    await w.store.map(MAPS.digestQueue(destinationId(destinationKey(sub)))).add(pending!.alertIds.map((id) => [id, ''] as const));
    expect(await w.app.sendDigests(new Date('2023-12-01T08:01:00Z'))).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(w.discord.messagesIn(channel)).toHaveLength(1);
    expect(w.discord.requestsTo('POST', `/channels/${channel}/messages`)).toHaveLength(2); // sent twice, posted once
  });
});
