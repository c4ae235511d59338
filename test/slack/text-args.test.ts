import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import type { CommandDefinition } from '../../src/commands/command.js';
import { parseCommandText, tokenize } from '../../src/commands/text-args.js';

const parse = (text: string) => parseCommandText(text, COMMANDS);
const ok = (text: string) => {
  const r = parse(text);
  if (!r.ok) throw new Error(`expected a parse of ${JSON.stringify(text)}, got: ${r.reply.text}`);
  return { name: r.command.definition.name, args: r.rawArgs };
};
const refused = (text: string) => {
  const r = parse(text);
  if (r.ok) throw new Error(`expected a refusal of ${JSON.stringify(text)}`);
  expect(r.reply.ephemeral).toBe(true);
  return r.reply.text;
};

describe('slash-command text → subcommand and arguments', () => {
  it('the rest of the text is the query of /dprk entity', () => {
    expect(ok('entity Kim Jong Un')).toEqual({ name: 'entity', args: { query: 'Kim Jong Un' } });
    expect(ok('  entity   Kim   Jong-un  ')).toEqual({ name: 'entity', args: { query: 'Kim Jong-un' } });
    // A vessel whose name ends in a number keeps it: the last free-text option takes the rest.
    expect(ok('entity SAM JONG 2')).toEqual({ name: 'entity', args: { query: 'SAM JONG 2' } });
    expect(ok('ENTITY lazarus')).toEqual({ name: 'entity', args: { query: 'lazarus' } });
  });

  it('options by name anywhere: name:value, name: value, --name value, --name=value', () => {
    expect(ok('entity limit:3 Kim Jong Un')).toEqual({ name: 'entity', args: { query: 'Kim Jong Un', limit: 3 } });
    expect(ok('entity Kim limit:3 Jong Un')).toEqual({ name: 'entity', args: { query: 'Kim Jong Un', limit: 3 } });
    expect(ok('entity Kim Jong Un --limit 3')).toEqual({ name: 'entity', args: { query: 'Kim Jong Un', limit: 3 } });
    expect(ok('entity --limit=7 Kim')).toEqual({ name: 'entity', args: { query: 'Kim', limit: 7 } });
    expect(ok('entity limit: 2 Kim')).toEqual({ name: 'entity', args: { query: 'Kim', limit: 2 } });
    expect(ok('entity query:Lazarus limit:4')).toEqual({ name: 'entity', args: { query: 'Lazarus', limit: 4 } });
    expect(ok('latest kind:designations limit:3')).toEqual({ name: 'latest', args: { kind: 'designations', limit: 3 } });
  });

  it('positional values fill options in definition order', () => {
    expect(ok('latest designations 3')).toEqual({ name: 'latest', args: { kind: 'designations', limit: 3 } });
    expect(ok('latest reports')).toEqual({ name: 'latest', args: { kind: 'reports' } });
    expect(ok('address 0x098B716B8Aaf21512996dC57EB0615e2383E2f96')).toEqual({
      name: 'address',
      args: { wallet: '0x098B716B8Aaf21512996dC57EB0615e2383E2f96' },
    });
    expect(ok('subscribe designations,reports ofac-sdn')).toEqual({ name: 'subscribe', args: { topics: 'designations,reports', lists: 'ofac-sdn' } });
    expect(ok('subscribe topics:designations mode:digest time:07:30 timezone:Asia/Seoul')).toEqual({
      name: 'subscribe',
      args: { topics: 'designations', mode: 'digest', time: '07:30', timezone: 'Asia/Seoul' },
    });
  });

  it('quotes group words, and a quoted word is never an option', () => {
    expect(ok('entity "Kim Jong Un" limit:2')).toEqual({ name: 'entity', args: { query: 'Kim Jong Un', limit: 2 } });
    expect(ok('entity query:"Korea Kwangson Banking" limit:1')).toEqual({ name: 'entity', args: { query: 'Korea Kwangson Banking', limit: 1 } });
    expect(ok('entity “Kim Jong Un”')).toEqual({ name: 'entity', args: { query: 'Kim Jong Un' } });
    expect(ok("entity 'limit:3'")).toEqual({ name: 'entity', args: { query: 'limit:3' } });
    expect(ok("entity Kim's bank")).toEqual({ name: 'entity', args: { query: "Kim's bank" } });
    expect(ok('entity "unterminated quote')).toEqual({ name: 'entity', args: { query: 'unterminated quote' } });
    expect(tokenize('a "b c" d')).toEqual([
      { value: 'a', quoted: false },
      { value: 'b c', quoted: true },
      { value: 'd', quoted: false },
    ]);
  });

  it('unknown word:value pairs are text (URLs, times, chains)', () => {
    expect(ok('entity https://lazarus.example/x')).toEqual({ name: 'entity', args: { query: 'https://lazarus.example/x' } });
    expect(ok('entity ETH:0xabc')).toEqual({ name: 'entity', args: { query: 'ETH:0xabc' } });
  });

  it('an empty text runs help; an unknown subcommand lists the subcommands and suggests one', () => {
    expect(ok('')).toEqual({ name: 'help', args: {} });
    expect(ok('   ')).toEqual({ name: 'help', args: {} });
    const t = refused('entiy Kim');
    expect(t).toContain('Unknown subcommand “entiy”');
    expect(t).toContain('Did you mean /dprk entity?');
    for (const c of COMMANDS) expect(t).toContain(c.definition.name);
    expect(refused('frobnicate')).not.toContain('Did you mean');
  });

  it('problems come back as helpful ephemeral replies', () => {
    expect(refused('entity')).toMatch(/\/dprk entity needs a query .*\nUsage: \/dprk entity <query> \[limit\]/);
    expect(refused('entity Kim --limt 3')).toMatch(/has no option --limt\. Did you mean --limit\?/);
    expect(refused('entity Kim --limit')).toContain('--limit needs a value');
    expect(refused('entity limit:1 limit:2 Kim')).toContain('limit is given twice');
    expect(refused('latest designations 3 extra')).toContain('“extra” is left over');
    expect(refused('help me please')).toContain('/dprk help takes no arguments');
    expect(refused('entity --help')).toMatch(/^Usage: \/dprk entity <query> \[limit\]\nOptions/);
  });

  it('values are coerced by option type, the rest is left for zod', () => {
    expect(ok('latest limit:abc')).toEqual({ name: 'latest', args: { limit: 'abc' } });
    const defs: Array<{ definition: CommandDefinition }> = [
      {
        definition: {
          name: 'x',
          description: 'test',
          permission: 'everyone',
          options: [
            { name: 'flag', type: 'boolean', description: 'a flag' },
            { name: 'n', type: 'integer', description: 'a number' },
          ],
        },
      },
    ];
    const r = parseCommandText('x --flag n:-4', defs);
    expect(r.ok && r.rawArgs).toEqual({ flag: true, n: -4 });
    const r2 = parseCommandText('x --flag no 5', defs);
    expect(r2.ok && r2.rawArgs).toEqual({ flag: false, n: 5 });
  });
});
