import { Argument, InvalidArgumentError, Option, type Command } from 'commander';
import type { CommandModule, OptionDefinition } from '../commands/command.js';
import type { Invoker } from '../commands/context.js';

/** Older CLI names that scripts may use: `lookup` came before `/dprk entity`. */
const CLI_ALIASES: Readonly<Record<string, readonly string[]>> = { entity: ['lookup'] };

/** Options every verb has (or channel-scoped ones have); a registry option may not reuse them. */
const CLI_OPTIONS = ['json', 'channel', 'help'];

export type RunVerb = (command: CommandModule, args: Record<string, unknown>, opts: { json: boolean; invoker: Invoker }) => Promise<void>;

const CHANNEL = /^(discord|slack):(?:([A-Za-z0-9]+)\/)?([A-Za-z0-9]+)$/;

/**
 * `--channel discord:<guild>/<channel>` (or `slack:<team>/<channel>`; the workspace may be left
 * out for a DM): the CLI then acts in that channel as a channel manager, since whoever runs it
 * holds the store anyway.
 */
function channelInvoker(spec: string): Invoker {
  const m = CHANNEL.exec(spec.trim());
  if (!m) throw new InvalidArgumentError('Expected discord:<guild id>/<channel id> or slack:<team id>/<channel id>.');
  return { platform: m[1] as 'discord' | 'slack', ...(m[2] ? { workspaceId: m[2] } : {}), channelId: m[3]!, canManageChannel: true };
}

function flag(o: OptionDefinition): Option {
  const f = new Option(o.type === 'boolean' ? `--${o.name}` : `--${o.name} <${o.type === 'integer' ? 'n' : 'value'}>`, o.description);
  if (o.choices) f.choices(o.choices);
  return o.required ? f.makeOptionMandatory() : f;
}

/**
 * One verb per registry command, named as in `/dprk <name>`. A leading string option is the
 * verb's argument (a leading choice of action takes the next string option as a second one) (as the first words are in chat: `entity "Kim Jong Un"`); the others are
 * `--name value` options. Every verb prints the answer's data with --json; channel-scoped ones
 * need --channel. Values go to the command's own schema, so the CLI validates as chat does.
 */
export function addRegistryVerbs(program: Command, commands: readonly CommandModule[], run: RunVerb): void {
  for (const command of commands) {
    const d = command.definition;
    if (d.name === 'help') {
      // Commander's own help verb lists every verb below and explains one with `help <verb>`.
      program.helpCommand('help [verb]', d.description);
      continue;
    }
    const clash = d.options.find((o) => CLI_OPTIONS.includes(o.name));
    if (clash) throw new Error(`/dprk ${d.name}: option ${clash.name} clashes with the CLI's --${clash.name}`);
    const verb = program.command(d.name).description(d.description).aliases(CLI_ALIASES[d.name] ?? []);
    const argument = d.options[0]?.type === 'string' ? d.options[0] : undefined;
    // An action chosen from a list (`watch add …`) is followed by what it acts on, as in chat.
    const second = argument?.choices && d.options[1]?.type === 'string' && !d.options[1].choices ? d.options[1] : undefined;
    const positional = [argument, second].filter((o): o is OptionDefinition => o !== undefined);
    for (const o of positional) {
      const a = new Argument(o.required ? `<${o.name}>` : `[${o.name}]`, o.description);
      verb.addArgument(o.choices ? a.choices(o.choices) : a);
    }
    const flags = d.options.filter((o) => !positional.includes(o)).map((o) => [o, flag(o)] as const);
    for (const [, f] of flags) verb.addOption(f);
    verb.option('--json', 'print the answer as JSON');
    if (d.channelScoped)
      verb.addOption(
        new Option('--channel <where>', 'the chat channel: discord:<guild id>/<channel id> or slack:<team id>/<channel id>')
          .argParser(channelInvoker)
          .makeOptionMandatory(),
      );
    verb.action(async (...params: unknown[]) => {
      const cmd = params.at(-1) as Command;
      const opts = cmd.opts<Record<string, unknown>>();
      const args: Record<string, unknown> = {};
      positional.forEach((o, i) => {
        if (cmd.processedArgs[i] !== undefined) args[o.name] = cmd.processedArgs[i];
      });
      for (const [o, f] of flags) if (opts[f.attributeName()] !== undefined) args[o.name] = opts[f.attributeName()];
      await run(command, args, { json: opts.json === true, invoker: (opts.channel as Invoker | undefined) ?? { platform: 'cli', canManageChannel: true } });
    });
  }
}
