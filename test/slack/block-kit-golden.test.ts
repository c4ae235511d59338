import { describe, expect, it } from 'vitest';
import { buildAlerts, type Alert, type AlertContext } from '../../src/core/alerts.js';
import type { Designation } from '../../src/core/designation.js';
import { compareDesignations } from '../../src/core/diff.js';
import type { ReportAlert } from '../../src/core/reports.js';
import type { VerdictAlert } from '../../src/core/verdicts.js';
import { alertCard } from '../../src/render/card.js';
import {
  chunkMrkdwn,
  escapeMrkdwn,
  fitMrkdwn,
  messageTexts,
  renderAlertForSlack,
  renderCardMessages,
  renderReplyForSlack,
  SLACK_LIMITS,
  slackMessageProblems,
  type SlackMessage,
} from '../../src/render/slack.js';
import type { Card } from '../../src/reply.js';
import { parseOfacCsv } from '../../src/sources/ofac/csv.js';
import { fixtureText } from '../helpers/fixtures.js';
import { realWatchAlert } from '../helpers/watch-alert.js';

const subset = (day: string) => parseOfacCsv({ sdn: fixtureText(`real/ofac_sdn_csv/sdn_dprk_subset_2022-04-${day}.csv`) }).records;
const before = subset('12');
const after = subset('14');
const byId = (rs: Designation[], id: string) => rs.find((r) => r.sourceId === id)!;
// sdn.csv carries no date: over HTTPS its list date is the server's Last-Modified.
const ctx: AlertContext = {
  source: 'ofac-sdn',
  baseVersion: 'golden',
  listDate: { date: '2022-04-14T00:00:00Z', basis: 'last-modified' },
  detectedAt: '2022-04-14T18:48:23Z',
  scope: 'all',
};

const kim = byId(after, '20157');
const lazarusBefore = byId(before, '27307');
const lazarusAfter = byId(after, '27307');
const [added] = buildAlerts([{ kind: 'added', after: kim }], ctx);
const [removed] = buildAlerts([{ kind: 'removed', before: kim }], ctx);
const [amended] = buildAlerts([{ kind: 'amended', before: lazarusBefore, after: lazarusAfter, changes: compareDesignations(lazarusBefore, lazarusAfter) }], ctx);

const report: ReportAlert = {
  id: 'report-golden',
  kind: 'report.published',
  source: 'feed:treasury',
  sourceLabel: 'U.S. Treasury press releases',
  dprk: true,
  detectedAt: '2022-04-14T19:00:00Z',
  url: 'https://home.treasury.gov/news/press-releases/jy0731',
  summary: 'Treasury names an Ethereum address of LAZARUS GROUP',
  report: {
    id: 'https://home.treasury.gov/news/press-releases/jy0731',
    feed: 'treasury',
    feedTitle: 'Press Releases',
    title: 'Treasury identifies a Lazarus Group wallet used in the Ronin bridge theft',
    link: 'https://home.treasury.gov/news/press-releases/jy0731',
    publishedAt: '2022-04-14T18:00:00Z',
    summary: 'OFAC updated the SDN entry of LAZARUS GROUP with an Ethereum address. Lazarus Group is controlled by the DPRK’s Reconnaissance General Bureau.',
    matchedTerms: ['Lazarus', 'DPRK'],
    entities: [{ source: 'ofac-sdn', sourceId: '27307', name: 'LAZARUS GROUP', url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=27307' }],
  },
};

const verdict: VerdictAlert = {
  id: 'verdict-golden',
  kind: 'verdict.published',
  source: 'factcheck:seed',
  sourceLabel: 'Fact-checks',
  dprk: true,
  detectedAt: '2022-04-20T08:00:00Z',
  url: 'https://factcheck.example/ronin',
  summary: 'A fact-checker rated a claim about the Ronin bridge theft',
  verdict: {
    id: 'https://factcheck.example/ronin',
    claim: 'North Korean hackers stole $620 million from the Ronin bridge.',
    claimant: 'Social media posts',
    rating: 'Mostly true',
    normalized: 'mostly-true',
    publisher: 'Example Fact Check',
    reviewDate: '2022-04-19T00:00:00Z',
    url: 'https://factcheck.example/ronin',
    origin: 'seed',
    dprk: true,
    timeline: [],
  },
};
const verdictChanged: VerdictAlert = {
  ...verdict,
  id: 'verdict-changed-golden',
  kind: 'verdict.changed',
  previous: { rating: 'Unproven', normalized: 'unproven' },
  verdict: {
    ...verdict.verdict,
    rating: 'True',
    normalized: 'true',
    timeline: [{ rating: 'Unproven', normalized: 'unproven', reviewDate: '2022-04-01T00:00:00Z', seenAt: '2022-04-02T00:00:00Z', publisher: 'Example Fact Check', url: 'https://factcheck.example/ronin' }],
  },
};
const degraded: Alert = {
  id: 'degraded-golden',
  kind: 'source.degraded',
  source: 'un-sc',
  sourceLabel: 'UN Security Council',
  dprk: false,
  detectedAt: '2022-04-15T06:00:00Z',
  url: 'https://scsanctions.un.org/resources/xml/en/consolidated.xml',
  summary: 'UN Security Council has been degraded for 6 hours',
  reason: 'HTTP 503 from scsanctions.un.org',
  since: '2022-04-15T00:00:00Z',
};
const recovered: Alert = { ...degraded, id: 'recovered-golden', kind: 'source.recovered', summary: 'UN Security Council is back', reason: undefined };

const EVERY_KIND: Record<Alert['kind'], Alert> = {
  'designation.added': added!,
  'designation.removed': removed!,
  'designation.amended': amended!,
  'report.published': report,
  'verdict.published': verdict,
  'verdict.changed': verdictChanged,
  'source.degraded': degraded,
  'source.recovered': recovered,
  'watch.matched': realWatchAlert(),
};

function expectValid(messages: SlackMessage[]): void {
  expect(messages.length).toBeGreaterThanOrEqual(1);
  expect(messages.length).toBeLessThanOrEqual(SLACK_LIMITS.messagesPerAlert);
  for (const m of messages) expect(slackMessageProblems(m)).toEqual([]);
}

const HOSTILE = '<!channel> <!here|here> <!everyone> <@U0123ABC> <#C0123|general> <!subteam^S0123|@team> @channel & &lt; *bold* _it_ `code` > quote';
const long = (unit: string, n: number) => Array.from({ length: n }, (_, i) => `${unit}${i}`).join(' ');

/** Every kind, pushed past every limit: huge names, lists, summaries, hostile text everywhere. */
function oversized(kind: Alert['kind']): Alert {
  const huge = (s: string) => `${HOSTILE} ${s} ${long('Ωmega-長い-🚢', 800)}`;
  const record: Designation = {
    ...kim,
    name: huge('KIM'),
    programs: Array.from({ length: 60 }, (_, i) => `PROG${i}`),
    aliases: Array.from({ length: 400 }, (_, i) => ({ name: `${HOSTILE} alias ${i} ${'x'.repeat(200)}`, kind: 'aka' as const, quality: 'strong' as const })),
    identifiers: Array.from({ length: 300 }, (_, i) => ({ kind: 'crypto' as const, label: 'Digital Currency Address - ETH', value: `0x${String(i).padStart(40, '0')}<!here>`, asset: 'ETH' })),
    addresses: Array.from({ length: 200 }, (_, i) => ({ text: `${i} ${HOSTILE} ${'Pyongyang '.repeat(60)}` })),
    dobs: Array.from({ length: 100 }, () => '01 Jan 1970 '.repeat(30)),
    nationalities: Array.from({ length: 100 }, () => 'Korea, North '.repeat(40)),
    dprkReasons: [huge('reason')],
  };
  switch (kind) {
    case 'designation.added':
    case 'designation.removed':
      return { ...EVERY_KIND[kind], name: record.name, summary: huge('summary'), record, url: `https://sanctionssearch.ofac.treas.gov/Details.aspx?id=20157&x=<!channel>|y` } as Alert;
    case 'designation.amended':
      return {
        ...amended!,
        name: record.name,
        record,
        summary: huge('changes'),
        changes: Array.from({ length: 300 }, (_, i) => ({ field: 'aliases', added: [`${HOSTILE} ${i} ${'y'.repeat(300)}`], removed: [`old ${i}`] })),
      };
    case 'report.published':
      return {
        ...report,
        report: {
          ...report.report,
          title: huge('title'),
          summary: huge('summary').repeat(5),
          matchedTerms: Array.from({ length: 200 }, (_, i) => `${HOSTILE}${i}`),
          entities: Array.from({ length: 500 }, (_, i) => ({ source: 'ofac-sdn', sourceId: String(i), name: `${HOSTILE} ${i}`, url: `https://x.example/${i}` })),
        },
      };
    case 'verdict.published':
    case 'verdict.changed':
      return {
        ...(EVERY_KIND[kind] as VerdictAlert),
        verdict: {
          ...(EVERY_KIND[kind] as VerdictAlert).verdict,
          claim: huge('claim').repeat(4),
          rating: huge('rating'),
          publisher: huge('publisher'),
          claimant: huge('claimant'),
          timeline: Array.from({ length: 500 }, (_, i) => ({ rating: `${HOSTILE}${i}`, normalized: 'false' as const, seenAt: '2022-01-01', publisher: 'p', url: 'https://x' })),
        },
      };
    case 'source.degraded':
    case 'source.recovered':
      return { ...EVERY_KIND[kind], sourceLabel: huge('label'), summary: huge('summary'), reason: huge('reason').repeat(10), since: huge('since') } as Alert;
    case 'watch.matched': {
      const w = realWatchAlert();
      return {
        ...w,
        summary: huge('summary'),
        watch: { ...w.watch, input: huge('input') },
        match: { ...w.match, name: huge('name'), matchedOn: huge('matched'), programs: Array.from({ length: 60 }, (_, i) => `PROG${i}`), lists: Array.from({ length: 100 }, (_, i) => `${HOSTILE} list ${i}`), description: huge('description') },
      };
    }
  }
}

describe('Block Kit for every alert kind (golden)', () => {
  for (const [kind, alert] of Object.entries(EVERY_KIND)) {
    it(`${kind}: one message within limits, kind first and bold, colour by severity`, async () => {
      const messages = renderAlertForSlack(alert);
      expectValid(messages);
      expect(messages).toHaveLength(1);
      const [m] = messages;
      const first = m!.blocks[0]!;
      expect(first.type === 'section' && first.text?.text).toMatch(/^\*(🔴 ADDED|🟢 REMOVED|🟠 AMENDED|📰 REPORT|🔎 FACT-CHECK|🔁 VERDICT CHANGED|⚠️ SOURCE DEGRADED|✅ SOURCE RECOVERED|👁️ WATCHLIST MATCH)\* · /);
      expect(m!.attachments?.[0]?.color).toMatch(/^#[0-9A-F]{6}$/);
      await expect(`${JSON.stringify(messages, null, 1)}\n`).toMatchFileSnapshot(`./__golden__/${kind}.json`);
    });
  }

  it('the real LAZARUS GROUP amendment names the added ETH address and links the record', () => {
    const texts = messageTexts(renderAlertForSlack(amended!)[0]!).join('\n');
    expect(texts).toContain('+ identifiers: Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96');
    expect(texts).toContain('<https://sanctionssearch.ofac.treas.gov/Details.aspx?id=27307|LAZARUS GROUP>');
  });
});

describe('Block Kit past the limits: split or truncated, never rejected', () => {
  for (const kind of Object.keys(EVERY_KIND) as Alert['kind'][]) {
    it(`${kind}, oversized and hostile: every payload within limits, nothing unescaped`, async () => {
      const messages = renderAlertForSlack(oversized(kind));
      expectValid(messages);
      const shape = messages.map((m) => ({
        text: m.text.length,
        blocks: m.blocks.length,
        attachmentBlocks: m.attachments?.[0]?.blocks.length ?? 0,
        chars: messageTexts(m).reduce((n, t) => n + t.length, 0),
        first: messageTexts(m)[1]?.slice(0, 120),
        last: messageTexts(m).at(-1)?.slice(0, 160),
      }));
      await expect(`${JSON.stringify(shape, null, 1)}\n`).toMatchFileSnapshot(`./__golden__/oversized-${kind}.json`);
    });
  }

  it('a card with 120 long fields continues over more messages ("continued n/N"), each ≤ 50 blocks, then ends with a link', () => {
    const card: Card = {
      title: '🔴 ADDED · A PARTY',
      url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=1',
      severity: 'critical',
      description: 'many fields',
      fields: Array.from({ length: 120 }, (_, i) => ({ name: `Field ${i}`, value: `value ${i} `.repeat(50), inline: i % 3 === 0 })),
      footer: 'footer',
      timestamp: '2022-04-14T18:48:23Z',
    };
    const messages = renderCardMessages(card);
    expectValid(messages);
    expect(messages.length).toBeGreaterThan(1);
    messages.slice(1).forEach((m, i) => expect(m.blocks[0]!.type === 'section' && m.blocks[0]!.text?.text).toContain(`continued (${i + 2}/${messages.length})`));
    for (const m of messages) expect(m.blocks.length + (m.attachments?.[0]?.blocks.length ?? 0)).toBeLessThanOrEqual(50);

    const many: Card = { ...card, fields: Array.from({ length: 400 }, (_, i) => ({ name: `F${i}`, value: 'v '.repeat(1400) })) };
    const capped = renderCardMessages(many);
    expectValid(capped);
    expect(capped).toHaveLength(SLACK_LIMITS.messagesPerAlert);
    expect(messageTexts(capped.at(-1)!).at(-1)).toMatch(/more part\(s\) not shown\. … cut to fit Slack — <https:\/\/sanctionssearch\.ofac\.treas\.gov\/Details\.aspx\?id=1\|full record>$/);
  });

  it('exactly at the limits stays whole; one character past splits (section 3,000; field 2,000)', () => {
    const base: Card = { title: '🔴 ADDED · X', severity: 'critical', fields: [] };
    const prefix = '*Remarks*\n';
    const at = renderCardMessages({ ...base, fields: [{ name: 'Remarks', value: 'a'.repeat(3000 - prefix.length) }] })[0]!;
    expect(at.attachments![0]!.blocks.filter((b) => b.type === 'section')).toHaveLength(1);
    const past = renderCardMessages({ ...base, fields: [{ name: 'Remarks', value: 'a'.repeat(3001 - prefix.length) }] })[0]!;
    expect(past.attachments![0]!.blocks.filter((b) => b.type === 'section')).toHaveLength(2);
    expectValid([at, past]);

    const inlinePrefix = '*Type*\n';
    const fieldAt = renderCardMessages({ ...base, fields: [{ name: 'Type', value: 'b'.repeat(2000 - inlinePrefix.length), inline: true }] })[0]!;
    expect(fieldAt.attachments![0]!.blocks[0]).toMatchObject({ type: 'section', fields: [{ type: 'mrkdwn' }] });
    const fieldPast = renderCardMessages({ ...base, fields: [{ name: 'Type', value: 'b'.repeat(2001 - inlinePrefix.length), inline: true }] })[0]!;
    expect(fieldPast.attachments![0]!.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });

    // 11 inline fields: 10 in one section, 1 in the next.
    const eleven = renderCardMessages({ ...base, fields: Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, value: 'v', inline: true })) })[0]!;
    expect(eleven.attachments![0]!.blocks.map((b) => (b.type === 'section' ? (b.fields?.length ?? 0) : 0))).toEqual([10, 1]);
    expectValid([fieldAt, fieldPast, eleven]);
  });

  it('escaping grows text (& → &amp;) without ever splitting an entity or a surrogate pair', () => {
    const chunks = chunkMrkdwn('&'.repeat(1000) + '🚢'.repeat(2000), 3000);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(3000);
      expect(c).toMatch(/^(&amp;|🚢)+$/u);
    }
    expect(chunks.join('')).toBe('&amp;'.repeat(1000) + '🚢'.repeat(2000));
    const fit = fitMrkdwn('<'.repeat(1000), 150);
    expect(fit.length).toBeLessThanOrEqual(150);
    expect(fit).toMatch(/^(&lt;)+…$/);
    expect(fitMrkdwn('a🚢'.repeat(100), 10)).toMatch(/^(a🚢)+a?…$/u);
  });

  it('escapes every special sequence and defuses broadcast words', () => {
    expect(escapeMrkdwn('<!channel> <@U1> & @here')).toBe('&lt;!channel&gt; &lt;@U1&gt; &amp; @\u2060here');
    expect(escapeMrkdwn('a\u0000b\u0007c\r\nd\uD800e')).toBe('abc\nd\uFFFDe');
  });

  it('a command reply past the limits is one message, truncated with a note, and stays ephemeral', () => {
    const r = renderReplyForSlack({ text: `${HOSTILE}\n`.repeat(5000), data: {}, ephemeral: true });
    expect(r.response_type).toBe('ephemeral');
    expect(slackMessageProblems(r)).toEqual([]);
    expect(messageTexts(r).at(-1)).toMatch(/more part\(s\) cut to fit Slack\.$/);
    const card = alertCard(oversized('designation.added'));
    const withCards = renderReplyForSlack({ text: 'Matches:\nmore', data: {}, cards: [card, card, card, card, card] });
    expect(withCards.response_type).toBe('in_channel');
    expect(slackMessageProblems(withCards)).toEqual([]);
    expect(messageTexts(withCards).join('\n')).toContain('more result(s) not shown');
  });
});
