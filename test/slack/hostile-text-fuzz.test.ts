import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { decodeSlackText } from '../../src/adapters/slack.js';
import type { Services } from '../../src/commands/context.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { parseCommandText } from '../../src/commands/text-args.js';
import { loadConfig } from '../../src/config.js';
import type { Alert } from '../../src/core/alerts.js';
import { messageTexts, renderAlertForSlack, renderReplyForSlack, slackMessageProblems, SLACK_LIMITS } from '../../src/render/slack.js';
import { buildServices } from '../../src/services.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import { poll, realFileUrl, recordingLog } from '../helpers/pipeline.js';

/** Deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}

const HOSTILE = [
  '<!channel>', '<!here>', '<!everyone>', '<!here|here>', '<@U0123ABC>', '<@U0123ABC|bob>', '<#C0123|general>', '<!subteam^S0123|@oncall>',
  '&lt;!channel&gt;', '&amp;lt;!here&amp;gt;', '&lt;@U1&gt;', '@channel', '@here', '@everyone', '<https://evil.example|click>', '<mailto:a@b.c|a@b.c>',
  '*bold*', '_it_', '~strike~', '`code`', '```block```', '> quote', '[md](https://x.example)', '<', '>', '&', '|', '<<>>', '<!',
  '김정은', '조선민주주의인민공화국', '🚀', '🇰🇵', '👨‍👩‍👧', '\u202Eevil\u202C', '\u200F', '\u200B', '\u0000', '\u0007', '\u001B[31m', '\uD800', '\uDFFF', '\r\n', '\t',
  '"', '“', '”', "'", '‘', '--', '---', ':', 'limit:', 'query:', '--limit', '--limit=', '--help', '--kind=all', 'limit:3', 'limit:-1', 'limit:1e9',
  'limit:99999999999999999999', 'kind:all', 'kind:designations', 'topics:designations,reports', 'topics:<!channel>', 'lists:un-sc', 'mode:digest', 'time:07:30',
  'time:25:99', 'timezone:Asia/Seoul', 'timezone:Mars/Olympus', 'keywords:lazarus', 'programs:DPRK3', 'types:vessel', 'wallet:0x098B716B8Aaf21512996dC57EB0615e2383E2f96',
  'Kim Jong Un', 'KIM, Jong Un', 'LAZARUS', 'Lazarus Group', 'SAM JONG 2', '0x098B716B8Aaf21512996dC57EB0615e2383E2f96', 'Korea Kwangson Banking Corp',
];
const SUBCOMMANDS = [...COMMANDS.map((c) => c.definition.name), 'ENTITY', 'entiy', 'help', '', 'frobnicate', '<!channel>', '/dprk', '--limit', '"entity"'];
const SPACES = [' ', ' ', ' ', '  ', '\t', '\n', '\u00A0', '\u3000'];

const NAMES = ['Kim Jong Un', 'KIM Yo Jong', 'Lazarus Group', 'Korea Kwangson Banking', 'Reconnaissance General Bureau', 'Ocean Maritime Management', 'Korea Mining Development', 'Choe Ryong Hae'];

function randomText(r: ReturnType<typeof rng>): string {
  // A quarter are lookups that find someone, wrapped in hostile text: they reach the cards.
  if (r.next() < 0.25)
    return ['entity', r.pick(['', r.pick(HOSTILE)]), r.pick(NAMES), r.pick(['', r.pick(HOSTILE), 'limit:3', '--limit 25'])].filter(Boolean).join(' ');
  const parts: string[] = [r.pick(SUBCOMMANDS)];
  const n = r.int(12);
  for (let i = 0; i < n; i++) {
    const roll = r.next();
    if (roll < 0.55) parts.push(r.pick(HOSTILE));
    else if (roll < 0.8) parts.push(Array.from({ length: 1 + r.int(4) }, () => r.pick(HOSTILE)).join(''));
    else parts.push(String.fromCodePoint(...Array.from({ length: 1 + r.int(20) }, () => r.int(0x2ffff))).replace(/[\uD800-\uDFFF]/g, ''));
  }
  let text = parts.map((p, i) => (i === 0 ? p : r.pick(SPACES) + p)).join('');
  if (r.next() < 0.08) text += r.pick(HOSTILE).repeat(2000 + r.int(20_000));
  return text;
}

let services: Services;
const log = recordingLog();

beforeAll(async () => {
  const store = await openStore('memory:', `slack-fuzz-${process.pid}`);
  await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv')), store, 'dprk');
  await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv')), store, 'dprk');
  services = buildServices(loadConfig({}), store);
});

describe('thousands of random and hostile /dprk texts', () => {
  it('always get a reply, never a throw, never an unescaped mention, always within limits', async () => {
    const SEED = 20220414;
    const r = rng(SEED);
    let cards = 0;
    let ran = 0;
    for (let i = 0; i < 3000; i++) {
      const raw = randomText(r);
      const where = `case ${i} (seed ${SEED}): ${JSON.stringify(raw.slice(0, 200))}`;
      const parsed = parseCommandText(decodeSlackText(raw), COMMANDS);
      const reply = parsed.ok
        ? await runCommand(
            parsed.command,
            { services, invoker: { platform: 'slack', workspaceId: 'T0FUZZ', channelId: r.pick(['C0A', 'C0B', 'D0DM']), userId: 'U0FUZZ', canManageChannel: r.next() < 0.5 } },
            parsed.rawArgs,
            log,
          )
        : parsed.reply;
      if (parsed.ok) ran++;
      expect(reply.text, where).toBeTruthy();
      const payload = renderReplyForSlack(reply);
      cards += payload.attachments?.length ?? 0;
      expect(slackMessageProblems(payload), where).toEqual([]);
      expect(['ephemeral', 'in_channel'], where).toContain(payload.response_type);
      for (const t of messageTexts(payload)) expect(t, where).not.toMatch(/<[!@#]/);
    }
    // The corpus reached the handlers (and their cards), not only the parser's refusals.
    expect(ran).toBeGreaterThan(500);
    expect(cards).toBeGreaterThan(50);
    expect(log.lines.filter((l) => l.msg === 'command failed')).toEqual([]);
  });
});

describe('hostile source text in every alert kind', () => {
  it('renders within limits and escaped, for hundreds of random alerts', async () => {
    const r = rng(7);
    const s = (max = 30) => Array.from({ length: 1 + r.int(max) }, () => r.pick(HOSTILE)).join(r.pick(SPACES));
    const [base] = await services.store.recentAlerts(1);
    for (let i = 0; i < 400; i++) {
      const kind = r.int(4);
      let alert: Alert;
      if (kind === 0) alert = { ...base!, name: s(), summary: s(200), url: r.pick(['https://ok.example/a', 'javascript:alert(1)', `https://x.example/${s(3)}`, '']) } as Alert;
      else if (kind === 1)
        alert = {
          id: `r${i}`, kind: 'report.published', source: 'feed:x', sourceLabel: s(5), dprk: true, detectedAt: '2024-01-01T00:00:00Z', url: 'https://x.example', summary: s(),
          report: { id: 'x', feed: 'x', feedTitle: s(3), title: s(50), link: 'https://x.example', summary: s(300), matchedTerms: [s(3)], entities: [{ source: 'ofac-sdn', sourceId: '1', name: s(4), url: s(2) }] },
        };
      else if (kind === 2)
        alert = {
          id: `v${i}`, kind: r.pick(['verdict.published', 'verdict.changed'] as const), source: 'factcheck:x', sourceLabel: s(3), dprk: true, detectedAt: 'not a date', url: s(2), summary: s(),
          verdict: { id: 'v', claim: s(400), rating: s(5), normalized: 'false', publisher: s(5), url: s(2), origin: 'seed', dprk: true, timeline: [] },
          previous: { rating: s(4), normalized: 'true' },
        };
      else alert = { id: `h${i}`, kind: r.pick(['source.degraded', 'source.recovered'] as const), source: 'x', sourceLabel: s(5), dprk: false, detectedAt: '2024-01-01T00:00:00Z', url: s(1), summary: s(100), reason: s(500), since: s(2) };
      const messages = renderAlertForSlack(alert);
      expect(messages.length).toBeLessThanOrEqual(SLACK_LIMITS.messagesPerAlert);
      for (const m of messages) {
        expect(slackMessageProblems(m), `alert ${i}`).toEqual([]);
        for (const t of messageTexts(m)) expect(t).not.toMatch(/<[!@#]/);
      }
    }
  });
});
