import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
} from 'discord.js';
import { COMMANDS } from '../../commands/index.js';
import type { CommandModule } from '../commands/command.js';
import type { CommandContext, Services } from '../commands/context.js';
import { ephemeral, runCommand } from '../commands/dispatch.js';
import type { Log } from '../log.js';
import { renderReplyForDiscord, type DiscordMessagePayload } from '../render/discord.js';
import { cleanText } from '../render/neutral.js';
import type { Reply } from '../reply.js';
import { DISCORD_COMMAND_NAME } from './discord-commands.js';

export { buildDiscordCommand } from './discord-commands.js';
export { discordOutput, classifyDiscordError, PERMANENT_CODES } from './discord-output.js';

/** Answer within this long, or defer ("dprk-watch is thinking…") and edit the answer in later. */
export const DEFER_AFTER_MS = 1500;
/** Discord waits 3 s for autocomplete choices; answer empty rather than late. */
export const AUTOCOMPLETE_TIMEOUT_MS = 2000;
const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

export interface DiscordBotOptions {
  /** DISCORD_TOKEN. */
  token: string;
  services: Services;
  log: Log;
  /** DISCORD_API_URL: REST base (and so, through GET /gateway/bot, the gateway). Default Discord's. */
  apiUrl?: string;
  /** The subcommands of /dprk. Default: the registry. */
  commands?: readonly CommandModule[];
  deferAfterMs?: number;
  autocompleteTimeoutMs?: number;
}

/** The options of the subcommand that was run, as the raw arguments `runCommand` validates. */
export function interactionArgs(i: ChatInputCommandInteraction | AutocompleteInteraction): Record<string, unknown> {
  const sub = i.options.data[0];
  const args: Record<string, unknown> = {};
  for (const o of sub?.options ?? []) if (o.value !== undefined) args[o.name] = o.value;
  return args;
}

/** Who asked, and where, from an interaction. Manage Channels is the member's permission in this channel (overwrites included); in DMs, false. */
export function interactionInvoker(i: Interaction): CommandContext['invoker'] {
  const inGuild = i.inGuild();
  return {
    platform: 'discord',
    ...(i.guildId ? { workspaceId: i.guildId } : {}),
    ...(i.channelId ? { channelId: i.channelId } : {}),
    userId: i.user.id,
    canManageChannel: inGuild && (i.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false),
  };
}

/** At most `max` UTF-16 units, whole code points only. */
function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/** Autocomplete choices Discord accepts: at most 25, names and values 1–100 characters, no duplicates. */
export function sanitizeChoices(choices: ReadonlyArray<{ name: string; value: string }>): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  const seen = new Set<string>();
  for (const c of choices) {
    const name = fit(cleanText(String(c.name)).trim(), MAX_CHOICE_LENGTH);
    const value = fit(cleanText(String(c.value)).trim(), MAX_CHOICE_LENGTH);
    if (!name || !value || seen.has(value)) continue;
    seen.add(value);
    out.push({ name, value });
    if (out.length === MAX_CHOICES) break;
  }
  return out;
}

/** The promise's value if it settles within `ms`, else undefined (the promise keeps running). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type ReplyOptions = InteractionReplyOptions & InteractionEditReplyOptions;

/** A rendered payload as discord.js options; allowed mentions are always none. */
function toOptions(p: DiscordMessagePayload, flags?: number): ReplyOptions {
  return {
    ...(p.content !== undefined ? { content: p.content } : {}),
    ...(p.embeds ? { embeds: p.embeds } : {}),
    allowedMentions: { parse: [] },
    ...(flags ? { flags: flags as ReplyOptions['flags'] } : {}),
  } as ReplyOptions;
}

/**
 * The Discord bot: a discord.js gateway client (Guilds intent only) answering the one
 * `/dprk` command, whose subcommands are the registry's commands, through `runCommand`.
 * Alerts are not sent from here: `discordOutput` posts them over REST.
 */
export class DiscordBot {
  readonly client: Client;
  private readonly commands: readonly CommandModule[];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly opts: DiscordBotOptions) {
    this.commands = opts.commands ?? COMMANDS;
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      allowedMentions: { parse: [] },
      ...(opts.apiUrl ? { rest: { api: opts.apiUrl } } : {}),
    });
    this.client.on(Events.InteractionCreate, (i) => {
      const p = this.onInteraction(i).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    });
    this.client.on(Events.Error, (e) => opts.log.error({ err: e.message }, 'Discord client error'));
    this.client.on(Events.ShardDisconnect, (ev, shard) => opts.log.warn({ code: ev.code, shard }, 'Discord gateway disconnected'));
    this.client.on(Events.ShardResume, (shard) => opts.log.info({ shard }, 'Discord gateway resumed'));
  }

  /** Log in through the gateway and resolve once the client is ready (every guild received). */
  async start(): Promise<void> {
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    await this.client.login(this.opts.token);
    await ready;
    this.opts.log.info(
      { user: this.client.user?.tag, application: this.client.application?.id, guilds: this.client.guilds.cache.size },
      'Discord bot connected',
    );
  }

  /** Resolves when no interaction is being answered. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Finish the answers in flight, then close the gateway. */
  async stop(): Promise<void> {
    await this.idle();
    await this.client.destroy();
  }

  private context(i: Interaction): CommandContext {
    return { services: this.opts.services, invoker: interactionInvoker(i) };
  }

  private find(i: ChatInputCommandInteraction | AutocompleteInteraction): CommandModule | undefined {
    if (i.commandName !== DISCORD_COMMAND_NAME) return undefined;
    const name = i.options.getSubcommand(false);
    return name ? this.commands.find((c) => c.definition.name === name) : undefined;
  }

  private async onInteraction(i: Interaction): Promise<void> {
    try {
      if (i.isChatInputCommand()) await this.onCommand(i);
      else if (i.isAutocomplete()) await this.onAutocomplete(i);
    } catch (e) {
      this.opts.log.error({ interaction: i.id, err: (e as Error).message, stack: (e as Error).stack }, 'could not answer a Discord interaction');
    }
  }

  private async onCommand(i: ChatInputCommandInteraction): Promise<void> {
    const command = this.find(i);
    const work: Promise<Reply> = command
      ? runCommand(command, this.context(i), interactionArgs(i), this.opts.log).catch((e: Error) => {
          this.opts.log.error({ command: command.definition.name, err: e.message }, 'command failed');
          return ephemeral(`Sorry, /dprk ${command.definition.name} failed on our side. Please try again shortly.`);
        })
      : Promise.resolve(ephemeral('This command is not known to this version of dprk-watch (the registered commands may be out of date). Try /dprk help.'));

    const early = await within(work, this.opts.deferAfterMs ?? DEFER_AFTER_MS);
    if (early) {
      const [first, ...rest] = renderReplyForDiscord(early);
      await i.reply(toOptions(first!, first!.flags));
      for (const p of rest) await i.followUp(toOptions(p, p.flags));
      return;
    }

    // Not ready in time: acknowledge now. Whether the answer will be private is not known
    // yet; commands that manage the channel answer privately, so defer those privately.
    const deferredEphemeral = command?.definition.permission === 'manage-channel';
    await i.deferReply(deferredEphemeral ? { flags: MessageFlags.Ephemeral } : {});
    const reply = await work;
    const payloads = renderReplyForDiscord(reply);
    if (reply.ephemeral && !deferredEphemeral) {
      // A public placeholder cannot become private: remove it and answer privately.
      await i.deleteReply();
      for (const p of payloads) await i.followUp(toOptions(p, MessageFlags.Ephemeral));
      return;
    }
    const [first, ...rest] = payloads;
    await i.editReply(toOptions(first!));
    for (const p of rest) await i.followUp(toOptions(p, deferredEphemeral ? MessageFlags.Ephemeral : p.flags));
  }

  private async onAutocomplete(i: AutocompleteInteraction): Promise<void> {
    const command = this.find(i);
    let choices: Array<{ name: string; value: string }> = [];
    if (command?.autocomplete) {
      const focused = i.options.getFocused(true);
      const partial = cleanText(String(focused.value)).slice(0, 200);
      try {
        choices = (await within(command.autocomplete(this.context(i), focused.name, partial), this.opts.autocompleteTimeoutMs ?? AUTOCOMPLETE_TIMEOUT_MS)) ?? [];
      } catch (e) {
        this.opts.log.warn({ command: command.definition.name, err: (e as Error).message }, 'autocomplete failed');
      }
    }
    await i.respond(sanitizeChoices(choices));
  }
}
