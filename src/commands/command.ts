import type { z } from 'zod';
import type { Reply } from '../reply.js';
import type { CommandContext } from './context.js';

export interface OptionDefinition {
  name: string;
  type: 'string' | 'integer' | 'boolean';
  description: string;
  required?: boolean;
  autocomplete?: boolean;
  choices?: readonly string[];
  /** Length limits the platforms enforce on input before it reaches us. */
  maxLength?: number;
}

export interface CommandDefinition {
  /** Subcommand name: `/dprk <name>` on Discord and Slack, `dprk-watch <name>` on the CLI. */
  name: string;
  description: string;
  options: readonly OptionDefinition[];
  /** Who may run it: everyone, or only people who may manage the channel. */
  permission: 'everyone' | 'manage-channel';
  /**
   * Acts on the chat channel it is run in (its subscription). Such a command may show channel
   * managers more, so Slack checks who is one; the CLI names the channel with --channel.
   */
  channelScoped?: boolean;
}

/**
 * One command, platform-neutral (the create-discord-bot pattern): its definition, the zod
 * schema of its arguments, and a handler that answers with a neutral Reply. The CLI,
 * Discord and Slack all dispatch through these modules.
 */
export interface CommandModule {
  definition: CommandDefinition;
  ArgsSchema: z.ZodType<Record<string, unknown>>;
  handler(ctx: CommandContext, args: Record<string, unknown>): Promise<Reply>;
  /** Suggestions while typing an option marked `autocomplete` (at most 25). */
  autocomplete?(ctx: CommandContext, option: string, partial: string): Promise<Array<{ name: string; value: string }>>;
}

/** Define a command with typed arguments; the registry sees it as a CommandModule. */
export function defineCommand<S extends z.ZodType<Record<string, unknown>>>(c: {
  definition: CommandDefinition;
  ArgsSchema: S;
  handler(ctx: CommandContext, args: z.output<S>): Promise<Reply>;
  autocomplete?: CommandModule['autocomplete'];
}): CommandModule {
  return c as unknown as CommandModule;
}
