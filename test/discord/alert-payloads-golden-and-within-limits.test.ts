/**
 * Golden Discord payloads for every alert kind (designations from real published pairs;
 * reports, verdicts and source health with realistic hand-made values), and the same
 * renderer at Discord's limits and far past them: every payload stays within every limit,
 * allows no mentions, and contains no mention that would render.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert, DesignationAlert, SourceHealthAlert } from '../../src/core/alerts.js';
import type { ReportAlert } from '../../src/core/reports.js';
import type { VerdictAlert } from '../../src/core/verdicts.js';
import {
  DISCORD_LIMITS,
  EPHEMERAL,
  MAX_ALERT_MESSAGES,
  SEVERITY_COLOR,
  escapeForDiscord,
  renderAlertForDiscord,
  renderCards,
  renderReplyForDiscord,
  truncate,
  type DiscordMessagePayload,
} from '../../src/render/discord.js';
import type { Card } from '../../src/reply.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import { messagePayloadProblems } from '../helpers/fake-discord.js';
import { poll, realFileUrl } from '../helpers/pipeline.js';
import { realWatchAlert } from '../helpers/watch-alert.js';

const UNESCAPED_MENTION = /@(everyone|here)|<@[!&]?\d+>|<#\d+>/i;
const DETECTED = '2024-05-06T09:30:00.000Z';
const HOSTILE = '@everyone @here <@123456789012345678> <@!123456789012345678> <@&987654321098765432> <#111111111111111111> **bold** __u__ ~~s~~ ||spoiler|| `code` [click](https://evil.example/x) > quote\n# heading\n-# subtext ‮RTL‬ \u0000nul\u0007bel 김정은 🚀';

/** Every check a payload must pass, wherever it goes. */
function expectSendable(messages: DiscordMessagePayload[], max = MAX_ALERT_MESSAGES): void {
  expect(messages.length).toBeGreaterThan(0);
  expect(messages.length).toBeLessThanOrEqual(max);
  for (const m of messages) {
    expect(messagePayloadProblems(m, { count: 'utf16', interaction: true })).toEqual([]);
    expect(m.allowed_mentions).toEqual({ parse: [] });
    expect(JSON.stringify(m)).not.toMatch(UNESCAPED_MENTION);
    expect(JSON.stringify(m)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202a-\u202e\u2066-\u2069]|\\u0000/);
    for (const e of m.embeds ?? []) {
      expect(e.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.title);
      expect(e.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
      expect(e.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
      expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    }
  }
}

let added: DesignationAlert; // KIMSUKY, sdn.csv 2023-11-30 → 2023-12-01
let amended: DesignationAlert; // LAZARUS GROUP, DPRK subset 2022-04-12 → 04-14
let removed: DesignationAlert; // uid 26182, consolidated XML 2025-10-22 → 2025-12-18

async function pair(before: string, after: string, scope: 'dprk' | 'all'): Promise<DesignationAlert[]> {
  const store = await openStore('memory:', `golden-${before}`);
  await poll(ofacSdnSource(realFileUrl(before)), store, scope);
  const r = await poll(ofacSdnSource(realFileUrl(after)), store, scope);
  if (r.outcome !== 'changed') throw new Error(`expected changes from ${before} → ${after}`);
  await store.close();
  // Poll time varies by run; fix it so the goldens are stable. List dates do not vary: file://
  // gives none (sdn.csv carries none: "list date not published"), the XML its Publish_Date.
  return r.alerts.map((a) => ({ ...a, detectedAt: DETECTED }) as DesignationAlert);
}

beforeAll(async () => {
  added = (await pair('ofac_sdn_csv/sdn_2023-11-30.csv.gz', 'ofac_sdn_csv/sdn_2023-12-01.csv.gz', 'dprk')).find((a) => a.sourceId === '45430')!;
  amended = (await pair('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv', 'ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv', 'dprk'))[0]!;
  removed = (
    await pair('ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-18_pub-2025-10-22.XML.gz', 'ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-19_pub-2025-12-18.XML.gz', 'all')
  )[0]!;
});

const report: ReportAlert = {
  id: 'f3b6e0c2a1d94b7e8c5a2f10',
  kind: 'report.published',
  source: 'feed:treasury',
  sourceLabel: 'U.S. Treasury press releases',
  dprk: true,
  detectedAt: DETECTED,
  url: 'https://home.treasury.gov/news/press-releases/jy0768',
  summary: 'U.S. Treasury Issues First-Ever Sanctions on a Virtual Currency Mixer, Targets DPRK Cyber Threats',
  report: {
    id: 'https://home.treasury.gov/news/press-releases/jy0768',
    feed: 'treasury',
    feedTitle: 'U.S. Treasury press releases',
    title: 'U.S. Treasury Issues First-Ever Sanctions on a Virtual Currency Mixer, Targets DPRK Cyber Threats',
    link: 'https://home.treasury.gov/news/press-releases/jy0768',
    publishedAt: '2022-05-06T00:00:00.000Z',
    summary:
      'Today, the U.S. Department of the Treasury’s Office of Foreign Assets Control (OFAC) sanctioned virtual currency mixer Blender.io (Blender), which is used by the Democratic People’s Republic of Korea (DPRK) to support its malicious cyber activities and money-laundering of stolen virtual currency. On March 23, 2022, the Lazarus Group, a DPRK state-sponsored cyber hacking group, carried out the largest virtual currency heist to date.',
    matchedTerms: ['DPRK', 'Lazarus Group', 'Democratic People’s Republic of Korea'],
    entities: [{ source: 'ofac-sdn', sourceId: '27307', name: 'LAZARUS GROUP', url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=27307' }],
  },
};

const MSMT_URL =
  'https://thefollowup.ai/claim/the-msmt-report-finds-the-dprk-routinely-violates-un-security-council-resolutions-through-malicious-cyber-and-it-worker-activities-that-generate-revenue-for-wmd-and-ballistic-missile-programs';

const verdictPublished: VerdictAlert = {
  id: '0b8f1e9d2c3a4b5c6d7e8f90',
  kind: 'verdict.published',
  source: 'factcheck:seeds',
  sourceLabel: 'Fact-checks (bundled)',
  dprk: true,
  detectedAt: DETECTED,
  url: MSMT_URL,
  summary: 'The Follow Up rated “The MSMT report finds the DPRK routinely violates UN Security Council resolutions…” True',
  verdict: {
    id: MSMT_URL,
    claim:
      'The MSMT report finds the DPRK routinely violates UN Security Council resolutions through malicious cyber and IT worker activities that generate revenue for WMD and ballistic missile programs.',
    claimant: 'U.S. Department of State',
    claimDate: '2026-01-12',
    rating: 'True',
    normalized: 'true',
    publisher: 'The Follow Up',
    publisherSite: 'thefollowup.ai',
    reviewDate: '2026-01-13',
    url: MSMT_URL,
    language: 'en',
    origin: 'seed',
    dprk: true,
    timeline: [{ rating: 'True', normalized: 'true', reviewDate: '2026-01-12', seenAt: DETECTED, publisher: 'The Follow Up', url: MSMT_URL }],
  },
};

const verdictChanged: VerdictAlert = {
  ...verdictPublished,
  id: '1c9a2f0e3d4b5a6c7e8f9012',
  kind: 'verdict.changed',
  summary: 'The Follow Up changed its rating of “The MSMT report finds…”: Unproven → True',
  previous: { rating: 'Unproven', normalized: 'unproven' },
};

const degraded: SourceHealthAlert = {
  id: '2d0b3a1f4e5c6b7d8a9f0123',
  kind: 'source.degraded',
  source: 'ofac-sdn',
  sourceLabel: 'OFAC SDN',
  dprk: false,
  detectedAt: DETECTED,
  url: 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML',
  summary: 'OFAC SDN has been degraded for 6 hours: lookups answer from the list of 2024-05-05',
  reason: 'the server answered 200 with an HTML page (text/html, 5,312 bytes) instead of the list',
  since: '2024-05-06T03:30:00.000Z',
};

const recovered: SourceHealthAlert = {
  ...degraded,
  id: '3e1c4b2a5f6d7c8e9b0a1234',
  kind: 'source.recovered',
  summary: 'OFAC SDN is back: the list of 2024-05-06 was fetched and stored',
  reason: undefined,
};

const everyKind = (): Alert[] => [added, amended, removed, report, verdictPublished, verdictChanged, degraded, recovered, realWatchAlert(DETECTED)];

describe('golden alert payloads', () => {
  it('covers every alert kind', () => {
    expect(new Set(everyKind().map((a) => a.kind))).toEqual(
      new Set(['designation.added', 'designation.amended', 'designation.removed', 'report.published', 'verdict.published', 'verdict.changed', 'source.degraded', 'source.recovered', 'watch.matched']),
    );
  });

  for (const kind of ['designation.added', 'designation.amended', 'designation.removed', 'report.published', 'verdict.published', 'verdict.changed', 'source.degraded', 'source.recovered', 'watch.matched']) {
    it(`${kind}: matches its golden file and is sendable`, async () => {
      const alert = everyKind().find((a) => a.kind === kind)!;
      const messages = renderAlertForDiscord(alert);
      expectSendable(messages);
      await expect(`${JSON.stringify(messages, null, 2)}\n`).toMatchFileSnapshot(`./golden/${kind}.json`);
    });
  }

  it('colours by severity and names the kind in the title', () => {
    const first = (a: Alert) => renderAlertForDiscord(a)[0]!.embeds![0]!;
    expect(first(added)).toMatchObject({ color: SEVERITY_COLOR.critical, title: '🔴 ADDED · KIMSUKY' });
    expect(first(amended)).toMatchObject({ color: SEVERITY_COLOR.high, title: '🟠 AMENDED · LAZARUS GROUP' });
    expect(first(removed).color).toBe(SEVERITY_COLOR.ok);
    expect(first(removed).title).toMatch(/^🟢 REMOVED · /);
    expect(first(report)).toMatchObject({ color: SEVERITY_COLOR.medium, url: 'https://home.treasury.gov/news/press-releases/jy0768' });
    expect(first(verdictPublished)).toMatchObject({ color: SEVERITY_COLOR.info, title: '🔎 FACT-CHECK · True' });
    expect(first(verdictChanged)).toMatchObject({ color: SEVERITY_COLOR.high, title: '🔁 VERDICT CHANGED · True' });
    expect(first(degraded).title).toBe('⚠️ SOURCE DEGRADED · OFAC SDN');
    expect(first(recovered).color).toBe(SEVERITY_COLOR.ok);
    for (const a of everyKind()) {
      const [m] = renderAlertForDiscord(a);
      expect(m!.content).toBe(m!.embeds![0]!.title); // the notification text is the headline
      expect(m!.embeds!.at(-1)!.timestamp).toBe(DETECTED);
    }
  });
});

describe('at and past the limits', () => {
  const longText = (n: number, unit = 'x') => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

  it('a designation with a very long alias list', () => {
    const aliases = Array.from({ length: 3000 }, (_, i) => ({ name: `LAZARUS ALIAS ${i} ${longText(300, 'Hidden Cobra ')}`, kind: 'aka' as const, quality: 'strong' as const }));
    const a: DesignationAlert = { ...added, record: { ...added.record, aliases } };
    const messages = renderAlertForDiscord(a);
    expectSendable(messages);
    const fields = messages.flatMap((m) => m.embeds!.flatMap((e) => e.fields ?? []));
    expect(fields.some((f) => f.name === 'Aliases (cont.)')).toBe(true);
    expect(fields.map((f) => f.value).join('\n')).toContain('and 2985 more');
  });

  it('an amendment adding 2,000 wallets (summary of 100 kB) and 10-kB remarks', () => {
    const wallets = Array.from({ length: 2000 }, (_, i) => `0x${i.toString(16).padStart(40, '0')}`);
    const a: DesignationAlert = {
      ...amended,
      summary: `OFAC SDN amended LAZARUS GROUP: identifiers ${wallets.map((w) => `+Digital Currency Address - ETH ${w}`).join(', ')}; remarks edited`,
      changes: [
        { field: 'identifiers', added: wallets.map((w) => `Digital Currency Address - ETH ${w}`), removed: [] },
        { field: 'remarks', from: longText(10_000, 'Linked To: LAZARUS GROUP; '), to: longText(10_240, 'Digital Currency Address - ETH; ') },
      ],
      record: {
        ...amended.record,
        remarks: longText(10_240, 'Digital Currency Address - XBT 1Bk9D7ySxQ; '),
        identifiers: wallets.map((w) => ({ kind: 'crypto' as const, label: 'Digital Currency Address - ETH', value: w, asset: 'ETH' })),
      },
    };
    const messages = renderAlertForDiscord(a);
    expectSendable(messages);
    const head = messages[0]!.embeds![0]!;
    expect(head.description!.endsWith(`…\nFull text: ${amended.url}`)).toBe(true);
    const all = JSON.stringify(messages);
    expect(all).toContain('and 1985 more');
  });

  it('a report, a verdict and a degraded source with 10-kB texts and hostile content', () => {
    const big = `${HOSTILE} ${longText(10_240, `${HOSTILE} `)}`;
    const alerts: Alert[] = [
      { ...report, report: { ...report.report, title: big, summary: big, matchedTerms: [big], entities: Array.from({ length: 500 }, (_, i) => ({ ...report.report.entities[0]!, name: `${HOSTILE} ${i}` })) } },
      { ...verdictPublished, verdict: { ...verdictPublished.verdict, claim: big, rating: big, claimant: big, publisher: big } },
      { ...degraded, sourceLabel: big, summary: big, reason: big, since: big },
    ];
    for (const a of alerts) expectSendable(renderAlertForDiscord(a));
  });

  it('a card far past every limit is laid out across at most the allowed messages, with a note and the link', () => {
    const card: Card = {
      title: longText(10_000, '🚀 title '),
      url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=27307',
      severity: 'critical',
      description: longText(50_000, `${HOSTILE} `),
      fields: Array.from({ length: 200 }, (_, i) => ({ name: `${HOSTILE} ${i} ${longText(500)}`, value: longText(3000, `${HOSTILE} `), inline: i % 2 === 0 })),
      footer: longText(5000, `${HOSTILE} `),
      timestamp: 'not a date',
    };
    const messages = renderCards([card, card, card], longText(5000, `${HOSTILE} `), 3);
    expectSendable(messages, 3);
    const last = messages.at(-1)!.embeds!.at(-1)!;
    expect(last.fields!.at(-1)!.name).toBe('…');
    expect(last.fields!.at(-1)!.value).toMatch(/more item\(s\) not shown .* full record: https:\/\/sanctionssearch\.ofac\.treas\.gov\/Details\.aspx\?id=27307$/);
    expect(messages.flatMap((m) => m.embeds!).every((e) => e.timestamp === undefined)).toBe(true); // an invalid date is dropped, not sent
  });

  it('empty and blank card parts never make an empty field', () => {
    const messages = renderCards([{ title: '', severity: 'info', fields: [{ name: '', value: '   ' }, { name: ' ', value: '' }] }], '', 1);
    expectSendable(messages, 1);
  });

  it('ephemeral replies carry flag 64 on every message; text replies split at 2,000', () => {
    const messages = renderReplyForDiscord({ text: longText(20_000, 'a line of the answer\n'), data: {}, ephemeral: true });
    expectSendable(messages, 5);
    expect(messages.length).toBe(5);
    expect(messages.every((m) => m.flags === EPHEMERAL)).toBe(true);
    expect(messages.at(-1)!.content!.endsWith('… (answer cut here: too long for Discord)')).toBe(true);
  });
});

describe('escaping', () => {
  it('neutralises every mention form and markdown, keeps URLs as links', () => {
    const out = escapeForDiscord(HOSTILE);
    expect(out).not.toMatch(UNESCAPED_MENTION);
    expect(out).toContain('@\u200beveryone');
    expect(out).toContain('<\u200b@&987654321098765432>');
    expect(out).toContain('<\u200b#111111111111111111>');
    expect(out).toContain('\\*\\*bold\\*\\*');
    expect(out).toContain('\\|\\|spoiler\\|\\|');
    expect(out).toContain('\\[click\\](https://evil.example/x)'); // no masked link; the URL stays a URL
    expect(out).toContain('\n\\# heading\n\\-# subtext');
    expect(out).not.toContain('\u202e');
    expect(out).not.toContain('\u0000');
    expect(out).toContain('김정은 🚀');
    expect(escapeForDiscord('see https://sanctionssearch.ofac.treas.gov/Details.aspx?id=27307_x.')).toBe('see https://sanctionssearch.ofac.treas.gov/Details.aspx?id=27307_x.');
    expect(escapeForDiscord('see https://a.example/x', { wrapUrls: true })).toBe('see <https://a.example/x>');
  });

  it('truncation never splits a surrogate pair or leaves an escaping backslash', () => {
    expect(truncate('ab🚀🚀', 4)).toBe('ab…');
    expect(truncate('abc\\*def', 5)).toBe('abc…');
    expect(truncate('short', 10)).toBe('short');
  });
});
