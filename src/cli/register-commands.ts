/**
 * `npm run register-commands`: register `/dprk` (its subcommands built from the command
 * registry) with Discord — globally, or in one server when DISCORD_GUILD_ID is set (changes
 * there show at once; handy while testing). Needs DISCORD_TOKEN and DISCORD_APPLICATION_ID;
 * every missing or invalid setting is listed at once (exit code 78, like the bot's config).
 *
 * PUT replaces the application's commands in that scope, so running it again is safe.
 */
import { pathToFileURL } from 'node:url';
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { COMMANDS } from '../../commands/index.js';
import type { CommandModule } from '../commands/command.js';
import { buildDiscordCommand, type DiscordOption } from '../adapters/discord-commands.js';
import { DISCORD_DEFAULT_API_URL, loadDiscordConfig } from '../settings/discord.js';

export const EXIT_CONFIG = 78;

export interface RegisterIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIo: RegisterIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

function usage(o: DiscordOption): string {
  return o.required ? `<${o.name}>` : `[${o.name}]`;
}

/** Register /dprk; returns the process exit code. */
export async function registerCommands(env: NodeJS.ProcessEnv, io: RegisterIo = consoleIo, commands: readonly CommandModule[] = COMMANDS): Promise<number> {
  const loaded = loadDiscordConfig(env, ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID']);
  if (!loaded.ok) {
    io.err(`Cannot register /dprk: fix these settings (environment variables) and run again:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}`);
    return EXIT_CONFIG;
  }
  const { DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: app, DISCORD_GUILD_ID: guild, DISCORD_API_URL: api } = loaded.config;
  let body;
  try {
    body = [buildDiscordCommand(commands)];
  } catch (e) {
    io.err(`Cannot register /dprk: the command definitions break a Discord rule — ${(e as Error).message}`);
    return 1;
  }
  const rest = new REST({ api: api ?? DISCORD_DEFAULT_API_URL, version: '10' }).setToken(token!);
  const route = guild ? Routes.applicationGuildCommands(app!, guild) : Routes.applicationCommands(app!);
  let registered: Array<{ id: string; name: string }>;
  try {
    registered = (await rest.put(route, { body })) as Array<{ id: string; name: string }>;
  } catch (e) {
    const why =
      e instanceof DiscordAPIError
        ? `Discord answered HTTP ${e.status} (code ${String(e.code)}): ${e.message}${e.status === 401 ? ' — check DISCORD_TOKEN' : e.status === 403 || e.status === 404 ? ' — check DISCORD_APPLICATION_ID, DISCORD_GUILD_ID, and that the bot is in that server' : ''}`
        : (e as Error).message;
    io.err(`Could not register /dprk: ${why}`);
    return 1;
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
  const cmd = body[0]!;
  const id = registered.find((r) => r.name === cmd.name)?.id ?? 'unknown id';
  io.out(
    guild
      ? `Registered /${cmd.name} (command ${id}) in guild ${guild} for application ${app}: usable there now.`
      : `Registered /${cmd.name} (command ${id}) globally for application ${app}: every server the bot is in (Discord may take a few minutes to show changes).`,
  );
  for (const sub of cmd.options) io.out(`  /${cmd.name} ${sub.name}${sub.options?.length ? ` ${sub.options.map(usage).join(' ')}` : ''} — ${sub.description}`);
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) process.exitCode = await registerCommands(process.env);
