import { ApplicationCommandOptionType, ApplicationCommandType, ApplicationIntegrationType, InteractionContextType } from 'discord.js';
import type { CommandModule, OptionDefinition } from '../commands/command.js';

/** The one top-level command; every registry command is a subcommand of it. */
export const DISCORD_COMMAND_NAME = 'dprk';
export const DISCORD_COMMAND_DESCRIPTION = 'North Korea sanctions and threat intel: lookups, latest alerts, channel subscriptions';

const OPTION_TYPE = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
} as const satisfies Record<OptionDefinition['type'], ApplicationCommandOptionType>;

/** Discord's rules for command and option names. */
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const MAX_DESCRIPTION = 100;
const MAX_CHOICES = 25;
const MAX_OPTIONS = 25;
const MAX_STRING_LENGTH = 6000;
/** Discord's cap on the combined name, description and choice text of one command. */
export const MAX_COMMAND_TEXT = 4000;

export interface DiscordChoice {
  name: string;
  value: string;
}

export interface DiscordOption {
  type: ApplicationCommandOptionType;
  name: string;
  description: string;
  required?: boolean;
  autocomplete?: boolean;
  choices?: DiscordChoice[];
  max_length?: number;
  options?: DiscordOption[];
}

/** The JSON body of PUT applications/{app}/commands (one element). */
export interface DiscordCommandJson {
  type: ApplicationCommandType;
  name: string;
  description: string;
  options: DiscordOption[];
  /** null: everyone may see and use /dprk; Manage Channels is checked per subcommand at run time. */
  default_member_permissions: string | null;
  contexts: InteractionContextType[];
  integration_types: ApplicationIntegrationType[];
  nsfw: boolean;
}

const describe = (text: string): string => {
  const t = text.trim() || '—';
  return t.length <= MAX_DESCRIPTION ? t : `${t.slice(0, MAX_DESCRIPTION - 1)}…`;
};

function checkName(name: string, where: string): string {
  if (!NAME.test(name) || name !== name.toLowerCase()) throw new Error(`${where}: "${name}" is not a valid Discord command name (1–32 lowercase letters, digits, - or _)`);
  return name;
}

function optionJson(o: OptionDefinition, command: string): DiscordOption {
  const where = `/dprk ${command} ${o.name}`;
  if (o.autocomplete && o.choices?.length) throw new Error(`${where}: an option cannot have both choices and autocomplete`);
  if ((o.choices?.length ?? 0) > MAX_CHOICES) throw new Error(`${where}: at most ${MAX_CHOICES} choices`);
  const json: DiscordOption = {
    type: OPTION_TYPE[o.type],
    name: checkName(o.name, where),
    description: describe(o.description),
  };
  if (o.required) json.required = true;
  if (o.autocomplete) json.autocomplete = true;
  if (o.choices?.length) json.choices = o.choices.map((c) => ({ name: c.slice(0, 100), value: c.slice(0, 100) }));
  if (o.type === 'string' && o.maxLength !== undefined) json.max_length = Math.min(Math.max(1, o.maxLength), MAX_STRING_LENGTH);
  return json;
}

/** Characters Discord counts towards MAX_COMMAND_TEXT. */
export function commandTextLength(json: { name: string; description: string; options?: DiscordOption[]; choices?: DiscordChoice[] }): number {
  let n = json.name.length + json.description.length;
  for (const c of json.choices ?? []) n += c.name.length + String(c.value).length;
  for (const o of json.options ?? []) n += commandTextLength(o);
  return n;
}

/**
 * The `/dprk` command as Discord registers it, built from the command registry: one
 * subcommand per CommandModule, with its options (types, required first as Discord
 * requires, autocomplete, choices, max_length). Throws when a definition breaks one of
 * Discord's rules, so a bad command fails the tests and registration, not production.
 *
 * Discord sets `default_member_permissions` per top-level command, never per subcommand:
 * /dprk stays open to everyone (lookups are for everyone), and the manage-channel
 * subcommands are enforced at run time from the interaction's channel permissions.
 */
export function buildDiscordCommand(commands: readonly CommandModule[]): DiscordCommandJson {
  if (commands.length > MAX_OPTIONS) throw new Error(`/dprk: at most ${MAX_OPTIONS} subcommands (got ${commands.length})`);
  const seen = new Set<string>();
  const options = commands.map(({ definition: d }) => {
    const name = checkName(d.name, `/dprk ${d.name}`);
    if (seen.has(name)) throw new Error(`/dprk ${name}: defined twice`);
    seen.add(name);
    if (d.options.length > MAX_OPTIONS) throw new Error(`/dprk ${name}: at most ${MAX_OPTIONS} options`);
    const names = new Set<string>();
    for (const o of d.options) {
      if (names.has(o.name)) throw new Error(`/dprk ${name}: option ${o.name} defined twice`);
      names.add(o.name);
    }
    // Discord rejects a required option after an optional one; keep the registry's order otherwise.
    const ordered = [...d.options.filter((o) => o.required), ...d.options.filter((o) => !o.required)];
    // Say who may run it when it fits in Discord's 100 characters.
    const flagged = `${d.description.trim().replace(/\.$/, '')} (needs Manage Channels)`;
    const description = d.permission === 'manage-channel' && flagged.length <= MAX_DESCRIPTION ? flagged : d.description;
    return {
      type: ApplicationCommandOptionType.Subcommand,
      name,
      description: describe(description),
      options: ordered.map((o) => optionJson(o, name)),
    } satisfies DiscordOption;
  });
  const json: DiscordCommandJson = {
    type: ApplicationCommandType.ChatInput,
    name: DISCORD_COMMAND_NAME,
    description: describe(DISCORD_COMMAND_DESCRIPTION),
    options,
    default_member_permissions: null,
    // In servers and in DMs with the bot; installed to servers.
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    nsfw: false,
  };
  const length = commandTextLength(json);
  if (length > MAX_COMMAND_TEXT) throw new Error(`/dprk: ${length} characters of names, descriptions and choices; Discord allows ${MAX_COMMAND_TEXT}`);
  return json;
}
