import { z } from 'zod';
import { defineCommand, type CommandModule } from '../src/commands/command.js';
import { usage } from '../src/commands/text-args.js';

export const ArgsSchema = z.object({});

export const definition = {
  name: 'help',
  description: 'What dprk-watch can do, and how to ask.',
  options: [],
  permission: 'everyone',
} as const;

/** One line per command, in the order given. */
export function helpText(commands: readonly CommandModule[]): string {
  const lines = commands.map(({ definition: d }) => `• ${usage(d)} — ${d.description}${d.permission === 'manage-channel' ? ' (channel managers)' : ''}`);
  return [
    'dprk-watch — North Korea sanctions and threat-intel alerts and lookups (OFAC SDN and UN lists).',
    ...lines,
    'Lookups answer from the latest stored lists; every answer says the list date and links the official record.',
  ].join('\n');
}

/**
 * `/dprk help` over the commands `list` returns. The registry passes itself in (importing it
 * here would be an import cycle); a function, because help is one of the commands it lists.
 */
export function helpCommand(list: () => readonly CommandModule[]): CommandModule {
  return defineCommand({
    definition,
    ArgsSchema,
    async handler() {
      const commands = list();
      return { text: helpText(commands), data: { commands: commands.map((c) => c.definition) }, ephemeral: true };
    },
  });
}
