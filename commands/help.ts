import { z } from 'zod';
import { defineCommand } from '../src/commands/command.js';

export const ArgsSchema = z.object({});

export const definition = {
  name: 'help',
  description: 'What dprk-watch can do, and how to ask.',
  options: [],
  permission: 'everyone',
} as const;

/** Lines for every command in the registry (passed in to avoid an import cycle). */
export function helpText(commands: ReadonlyArray<{ definition: { name: string; description: string; options: readonly { name: string; required?: boolean }[]; permission: string } }>): string {
  const lines = commands.map(({ definition: d }) => {
    const args = d.options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`)).join(' ');
    const who = d.permission === 'manage-channel' ? ' (channel managers)' : '';
    return `• /dprk ${d.name}${args ? ` ${args}` : ''} — ${d.description}${who}`;
  });
  return [
    'dprk-watch — North Korea sanctions and threat-intel alerts and lookups (OFAC SDN and UN lists).',
    ...lines,
    'Lookups answer from the latest stored lists; every answer says the list date and links the official record.',
  ].join('\n');
}

export default defineCommand({
  definition,
  ArgsSchema,
  async handler() {
    // The registry imports this file; import it lazily to keep the dependency one-way.
    const { COMMANDS } = await import('./index.js');
    return { text: helpText(COMMANDS), data: { commands: COMMANDS.map((c) => c.definition) }, ephemeral: true };
  },
});
