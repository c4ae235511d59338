import { distance } from 'fastest-levenshtein';
import type { Reply } from '../reply.js';
import type { CommandDefinition, OptionDefinition } from './command.js';

/**
 * Platform-neutral parsing of a typed command line (Slack's `/dprk …` text, a chat message)
 * into a subcommand and raw arguments, using the command definitions:
 *
 *   entity Kim Jong Un            → entity { query: 'Kim Jong Un' }
 *   entity Kim limit:3            → entity { query: 'Kim', limit: 3 }
 *   entity --limit 3 "Kim Jong"   → entity { query: 'Kim Jong', limit: 3 }
 *
 * - options by name anywhere: `name:value`, `name: value`, `--name value`, `--name=value`
 *   (a boolean option may be given as a bare `--name`);
 * - the remaining words fill the options not given by name, in definition order; the last
 *   free-text string option (a string option without `choices`) takes the rest of the text;
 * - quotes group words ("…", '…', and the typographic “…” ‘…’ that chat clients substitute);
 *   a token that starts with a quote is never read as an option;
 * - integer-looking values of integer options become numbers; everything else stays a
 *   string for the command's zod schema to judge.
 *
 * Problems (unknown subcommand or option, a missing required value, extra words) come back
 * as a helpful ephemeral Reply instead of an exception. Nothing here throws on any input.
 */

export interface Token {
  value: string;
  /** The token started with a quote: a literal value, never an option. */
  quoted: boolean;
}

export type ParsedCommandText<C> =
  | { ok: true; command: C; rawArgs: Record<string, unknown> }
  | { ok: false; reply: Reply };

export interface ParseOptions {
  /** How the command is invoked, for messages: `/dprk` (default). */
  prefix?: string;
  /** Subcommand run for an empty text (default `help`, when it exists). */
  defaultCommand?: string;
}

const OPEN_CLOSE: Record<string, string> = { '"': '"', "'": "'", '“': '”', '”': '”', '„': '“', '‘': '’', '’': '’', '«': '»' };
const SPACE = /\s/u;
const MAX_ECHO = 60;

/** Split a command line into words; quotes group words and are removed. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let cur = '';
  let inToken = false;
  let quoted = false;
  let close: string | undefined;
  for (const ch of text) {
    if (close !== undefined) {
      if (ch === close || (close === '”' && ch === '"') || (close === '"' && ch === '”')) close = undefined;
      else cur += ch;
      continue;
    }
    if (SPACE.test(ch)) {
      if (inToken) tokens.push({ value: cur, quoted });
      cur = '';
      inToken = false;
      quoted = false;
      continue;
    }
    const closing = OPEN_CLOSE[ch];
    // A quote opens a group at the start of a word or after `name:` / `--name=`; an
    // apostrophe inside a word ("Kim's") stays a letter.
    if (closing !== undefined && (!inToken || /[:=]$/.test(cur))) {
      if (!inToken) quoted = true;
      inToken = true;
      close = closing;
      continue;
    }
    cur += ch;
    inToken = true;
  }
  if (inToken) tokens.push({ value: cur, quoted });
  return tokens;
}

function clip(s: string, max = MAX_ECHO): string {
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : s;
}

function refusal(text: string, error: string, extra: Record<string, unknown> = {}): { ok: false; reply: Reply } {
  return { ok: false, reply: { text, data: { error, ...extra }, ephemeral: true } };
}

/** `/dprk entity <query> [limit]` */
export function usage(d: CommandDefinition, prefix = '/dprk'): string {
  const args = d.options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`)).join(' ');
  return `${prefix} ${d.name}${args ? ` ${args}` : ''}`;
}

function optionHelp(d: CommandDefinition, prefix: string): string {
  const lines = d.options.map((o) => `• ${o.name}${o.required ? ' (required)' : ''} — ${o.description}${o.choices ? ` (${o.choices.join(', ')})` : ''}`);
  return [`Usage: ${usage(d, prefix)}`, ...(lines.length ? ['Options (also as name:value or --name value):', ...lines] : [])].join('\n');
}

/** The option a positional run of words ends in: the last free-text string option. */
function greedyOption(options: readonly OptionDefinition[]): OptionDefinition | undefined {
  return [...options].reverse().find((o) => o.type === 'string' && !o.choices);
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

function coerce(option: OptionDefinition, value: string): unknown {
  if (option.type === 'integer' && /^[+-]?\d{1,15}$/.test(value.trim())) return Number(value.trim());
  if (option.type === 'boolean') {
    const v = value.trim().toLowerCase();
    if (TRUE_WORDS.has(v)) return true;
    if (FALSE_WORDS.has(v)) return false;
  }
  return value;
}

function suggest(name: string, names: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { n: string; d: number } | undefined;
  for (const n of names) {
    const d = n.startsWith(lower) && lower.length >= 2 ? 0 : distance(lower, n);
    if (!best || d < best.d) best = { n, d };
  }
  return best && best.d <= Math.max(1, Math.floor(best.n.length / 3)) ? best.n : undefined;
}

const OPTION_FLAG = /^--([a-z][a-z0-9_-]*)(?:=([\s\S]*))?$/i;
const OPTION_COLON = /^([a-z][a-z0-9_-]*):([\s\S]*)$/i;

/**
 * Parse `text` (what follows `/dprk`) against `commands`. Generic over anything carrying a
 * CommandDefinition, so adapters and tests can pass the registry's CommandModules.
 */
export function parseCommandText<C extends { definition: CommandDefinition }>(
  text: string,
  commands: readonly C[],
  opts: ParseOptions = {},
): ParsedCommandText<C> {
  const prefix = opts.prefix ?? '/dprk';
  const names = commands.map((c) => c.definition.name);
  const tokens = tokenize(String(text ?? ''));
  const first = tokens.shift();
  if (!first) {
    const fallback = commands.find((c) => c.definition.name === (opts.defaultCommand ?? 'help'));
    if (fallback) return { ok: true, command: fallback, rawArgs: {} };
    return refusal(`Tell me what to do: ${names.map((n) => `${prefix} ${n}`).join(', ')}.`, 'no-subcommand', { subcommands: names });
  }
  const wanted = first.value.replace(/^\//, '').toLowerCase();
  const command = commands.find((c) => c.definition.name === wanted);
  if (!command) {
    const guess = suggest(wanted, names);
    return refusal(
      `Unknown subcommand “${clip(first.value)}”.${guess ? ` Did you mean ${prefix} ${guess}?` : ''} Subcommands: ${names.join(', ')}. Try ${prefix} help.`,
      'unknown-subcommand',
      { subcommands: names, ...(guess ? { suggestion: guess } : {}) },
    );
  }
  const d = command.definition;
  const byName = new Map(d.options.map((o) => [o.name.toLowerCase(), o]));
  const named = new Map<string, unknown>();
  const positional: string[] = [];

  const setNamed = (o: OptionDefinition, value: string): ParsedCommandText<C> | undefined => {
    if (named.has(o.name)) return refusal(`${o.name} is given twice. ${optionHelp(d, prefix)}`, 'duplicate-option', { option: o.name });
    named.set(o.name, coerce(o, value));
    return undefined;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.quoted) {
      positional.push(t.value);
      continue;
    }
    const flag = OPTION_FLAG.exec(t.value);
    if (flag) {
      const name = flag[1]!.toLowerCase();
      if (name === 'help') return { ok: false, reply: { text: optionHelp(d, prefix), data: { usage: usage(d, prefix) }, ephemeral: true } };
      const o = byName.get(name);
      if (!o) {
        const guess = suggest(name, [...byName.keys()]);
        return refusal(
          `${usage(d, prefix)} has no option --${clip(flag[1]!, 30)}.${guess ? ` Did you mean --${guess}?` : ''} ${optionHelp(d, prefix)}`,
          'unknown-option',
          { option: clip(flag[1]!, 30) },
        );
      }
      let value = flag[2];
      if (value === undefined) {
        const next = tokens[i + 1];
        if (o.type === 'boolean') {
          if (next && !next.quoted && (TRUE_WORDS.has(next.value.toLowerCase()) || FALSE_WORDS.has(next.value.toLowerCase()))) {
            value = next.value;
            i++;
          } else value = 'true';
        } else if (next) {
          value = next.value;
          i++;
        } else return refusal(`--${o.name} needs a value. ${optionHelp(d, prefix)}`, 'missing-value', { option: o.name });
      }
      const problem = setNamed(o, value);
      if (problem) return problem;
      continue;
    }
    const colon = OPTION_COLON.exec(t.value);
    const o = colon ? byName.get(colon[1]!.toLowerCase()) : undefined;
    if (colon && o) {
      let value = colon[2]!;
      if (value === '') {
        const next = tokens[i + 1];
        if (!next) return refusal(`${o.name}: needs a value. ${optionHelp(d, prefix)}`, 'missing-value', { option: o.name });
        value = next.value;
        i++;
      }
      const problem = setNamed(o, value);
      if (problem) return problem;
      continue;
    }
    // Unknown `word:value` is ordinary text (URLs, times, "ETH:0x…").
    positional.push(t.value);
  }

  const open = d.options.filter((o) => !named.has(o.name));
  const greedy = greedyOption(open);
  const rawArgs: Record<string, unknown> = Object.fromEntries(named);
  let p = 0;
  for (const o of open) {
    if (p >= positional.length) break;
    if (o === greedy) {
      rawArgs[o.name] = positional.slice(p).join(' ');
      p = positional.length;
      break;
    }
    rawArgs[o.name] = coerce(o, positional[p++]!);
  }
  if (p < positional.length) {
    const extra = clip(positional.slice(p).join(' '));
    const text =
      d.options.length === 0
        ? `${prefix} ${d.name} takes no arguments (got “${extra}”).`
        : `Too many values for ${usage(d, prefix)}: “${extra}” is left over. Name options to be sure, e.g. ${d.options[0]!.name}:value.\n${optionHelp(d, prefix)}`;
    return refusal(text, 'extra-arguments', { extra });
  }
  const missing = d.options.filter((o) => o.required && (rawArgs[o.name] === undefined || rawArgs[o.name] === ''));
  if (missing.length > 0)
    return refusal(
      `${prefix} ${d.name} needs ${missing.map((o) => `a ${o.name} (${o.description})`).join(' and ')}.\n${optionHelp(d, prefix)}`,
      'missing-argument',
      { missing: missing.map((o) => o.name) },
    );
  return { ok: true, command, rawArgs };
}
