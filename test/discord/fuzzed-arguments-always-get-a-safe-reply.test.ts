/**
 * Thousands of random and hostile arguments — very long, control characters, mentions,
 * markdown, Hangul, emoji, RTL marks, null bytes, lone surrogates, wrong types — through
 * runCommand and renderReplyForDiscord for every registry command (and through the
 * autocomplete path): always a reply, never a throw, never a payload Discord would refuse,
 * never a mention that would render.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { sanitizeChoices } from '../../src/adapters/discord.js';
import type { Services } from '../../src/commands/context.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { loadConfig } from '../../src/config.js';
import { renderReplyForDiscord } from '../../src/render/discord.js';
import { buildServices } from '../../src/services.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import { choicesProblems, messagePayloadProblems } from '../helpers/fake-discord.js';
import { poll, realFileUrl, recordingLog } from '../helpers/pipeline.js';
import { seededRandom } from '../helpers/random.js';

const UNESCAPED_MENTION = /@(everyone|here)|<@[!&]?\d+>|<#\d+>/i;
const RUNS_PER_COMMAND = Number(process.env.FUZZ_RUNS ?? 400);


const PIECES = [
  '@everyone',
  '@here',
  '@EVERYONE',
  '<@123456789012345678>',
  '<@!123456789012345678>',
  '<@&987654321098765432>',
  '<#111111111111111111>',
  '<@&123>',
  '**bold**',
  '__underline__',
  '~~strike~~',
  '||spoiler||',
  '`code`',
  '```js\nalert(1)\n```',
  '[click me](https://evil.example/phish)',
  '> quote',
  '# heading',
  '-# subtext',
  '김정은',
  '조선민주주의인민공화국',
  '라자루스',
  '🚀',
  '👨‍👩‍👧‍👦',
  '🇰🇵',
  '\u202e',
  '\u202d',
  '\u200f',
  '\u2066',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\r\n',
  '\t',
  '\ud800',
  '\udfff',
  '\ufeff',
  'KIM, Jong Un',
  'LAZARUS GROUP',
  '0x098B716B8Aaf21512996dC57EB0615e2383E2f96',
  'designations',
  'reports,verdicts',
  'digest',
  '09:00',
  'Asia/Pyongyang',
  'DPRK3',
  'entity',
  '\\',
  '"',
  "'; DROP TABLE subscriptions; --",
  '${process.exit()}',
  '%s%n',
  ' ',
  '',
];

function hostileString(r: () => number): string {
  const kind = r();
  if (kind < 0.05) return 'x'.repeat(Math.floor(r() * 12_000));
  if (kind < 0.1) return PIECES[Math.floor(r() * PIECES.length)]!.repeat(1 + Math.floor(r() * 800));
  if (kind < 0.15) return String.fromCharCode(...Array.from({ length: 1 + Math.floor(r() * 300) }, () => Math.floor(r() * 0xffff)));
  const n = 1 + Math.floor(r() * 8);
  return Array.from({ length: n }, () => PIECES[Math.floor(r() * PIECES.length)]!).join(r() < 0.5 ? ' ' : '');
}

function hostileValue(r: () => number): unknown {
  const k = r();
  if (k < 0.7) return hostileString(r);
  if (k < 0.8) return Math.floor((r() - 0.5) * 2 ** (r() * 60));
  if (k < 0.84) return [0.5, -1, 0, 25, 26, Number.MAX_SAFE_INTEGER, NaN, Infinity][Math.floor(r() * 8)];
  if (k < 0.88) return r() < 0.5;
  if (k < 0.91) return null;
  if (k < 0.94) return [hostileString(r), hostileString(r)];
  if (k < 0.97) return { toString: hostileString(r) };
  return undefined;
}

/** A value of the right shape for an option, with hostile text where the option takes free text. */
function plausible(option: string, r: () => number): unknown {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const shortHostile = () => {
    const s = hostileString(r);
    return s.length > 2 && s.length < 150 ? s : `${pick(PIECES)}${pick(PIECES)} KIM`;
  };
  switch (option) {
    case 'query':
      return shortHostile();
    case 'wallet':
      return pick(['0x098B716B8Aaf21512996dC57EB0615e2383E2f96', '0x098b716b8aaf21512996dc57eb0615e2383e2f96', 'bc1qa5wkgaew2dkv56kfvj49j0av5nml45x9ek9hz6', 'T' + 'A'.repeat(33), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789']);
    case 'kind':
      return pick(['designations', 'reports', 'verdicts', 'all']);
    case 'action':
      return pick(['add', 'remove', 'list']);
    case 'item':
      return r() < 0.3 ? pick(['0x098b716b8aaf21512996dc57eb0615e2383e2f96', 'LAZARUS GROUP', '0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D']) : shortHostile();
    case 'limit':
      return 1 + Math.floor(r() * 25);
    case 'topics':
      return pick(['designations', 'reports,verdicts', 'source-health designations', 'designations,reports,verdicts,source-health']);
    case 'lists':
      return pick(['ofac-sdn', 'un-sc', 'ofac-sdn,un-sc']);
    case 'programs':
      return pick(['DPRK3', 'DPRK2,CYBER2', 'dprk']);
    case 'types':
      return pick(['individual', 'entity,vessel']);
    case 'keywords':
      return Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(PIECES.filter((p) => p.length >= 2 && p.length <= 50 && !/[\s,]/.test(p)))).join(',');
    case 'mode':
      return pick(['instant', 'digest']);
    case 'time':
      return pick(['09:00', '23:59', '00:00']);
    case 'timezone':
      return pick(['UTC', 'Asia/Seoul', 'Asia/Pyongyang', 'America/New_York']);
    default:
      return shortHostile();
  }
}

let services: Services;

beforeAll(async () => {
  const store = await openStore('memory:', 'discord-fuzz');
  await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv')), store, 'dprk');
  await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv')), store, 'dprk');
  services = buildServices(loadConfig({}), store);
});

describe('fuzzed command arguments', () => {
  for (const [ci, command] of COMMANDS.entries()) {
    const name = command.definition.name;
    const seed = 0x5eed + ci;
    it(`/dprk ${name}: ${RUNS_PER_COMMAND} random and hostile argument sets always get a sendable reply (seed ${seed})`, async () => {
      const r = seededRandom(seed);
      const log = recordingLog();
      const declared = command.definition.options.map((o) => o.name);
      let handled = 0;
      for (let run = 0; run < RUNS_PER_COMMAND; run++) {
        const args: Record<string, unknown> = {};
        // A third of the runs are well-formed apart from the free text, to reach the handlers.
        const wellFormed = r() < 0.33;
        for (const o of declared) {
          const roll = wellFormed ? 0 : r();
          if (roll < 0.5) args[o] = plausible(o, r);
          else if (roll < 0.85) args[o] = hostileValue(r);
        }
        if (r() < 0.1) args[hostileString(r).slice(0, 40)] = hostileValue(r); // an option Discord would not send
        const ctx = {
          services,
          invoker: {
            platform: 'discord' as const,
            canManageChannel: r() < 0.5,
            ...(r() < 0.9 ? { channelId: String(1e17 + Math.floor(r() * 1e16)), workspaceId: '900000000000000001' } : {}),
            userId: '123456789012345678',
          },
        };
        let messages;
        try {
          const reply = await runCommand(command, ctx, args, log);
          expect(typeof reply.text).toBe('string');
          if ((reply.data as { error?: unknown } | undefined)?.error === undefined) handled++;
          messages = renderReplyForDiscord(reply);
        } catch (e) {
          throw new Error(`/dprk ${name} threw on run ${run} with ${JSON.stringify(args).slice(0, 500)}: ${(e as Error).stack}`);
        }
        expect(messages.length).toBeGreaterThan(0);
        for (const m of messages) {
          const problems = messagePayloadProblems(m, { count: 'utf16', interaction: true });
          if (problems.length > 0) throw new Error(`/dprk ${name} run ${run}: ${problems.join('; ')} for ${JSON.stringify(args).slice(0, 300)}`);
          expect(m.allowed_mentions).toEqual({ parse: [] });
          const text = JSON.stringify(m);
          if (UNESCAPED_MENTION.test(text)) throw new Error(`/dprk ${name} run ${run}: unescaped mention in ${text.slice(0, 500)}`);
        }
      }
      // Some runs get past permissions and validation into the handler (not only refusals).
      console.info(`/dprk ${name}: ${handled} of ${RUNS_PER_COMMAND} fuzzed runs reached the handler`);
      expect(handled).toBeGreaterThan(0);
      // Failures inside handlers would be apologies; the fuzz must not find any.
      expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
    });
  }

  it('autocomplete: hostile partial text always yields choices Discord accepts', async () => {
    const r = seededRandom(0xa11ce);
    for (const command of COMMANDS.filter((c) => c.autocomplete)) {
      const option = command.definition.options.find((o) => o.autocomplete)!.name;
      for (let run = 0; run < RUNS_PER_COMMAND; run++) {
        const partial = hostileString(r);
        const ctx = { services, invoker: { platform: 'discord' as const, canManageChannel: false } };
        const choices = sanitizeChoices(await command.autocomplete!(ctx, option, partial));
        expect(choicesProblems({ choices })).toEqual([]);
      }
      // and hostile suggestions themselves are made acceptable
      const hostile = Array.from({ length: 60 }, () => ({ name: hostileString(r), value: hostileString(r) }));
      expect(choicesProblems({ choices: sanitizeChoices(hostile) })).toEqual([]);
    }
  });
});
