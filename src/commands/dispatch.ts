import type { Log } from '../log.js';
import type { Reply } from '../reply.js';
import type { CommandModule } from './command.js';
import type { CommandContext } from './context.js';

const MAX_ERROR_ITEMS = 3;

/** A refusal or an argument problem: shown only to the person who asked. */
export function ephemeral(text: string, data: unknown = {}): Reply {
  return { text, data, ephemeral: true };
}

/**
 * Run a command for any adapter: check who may run it, validate the arguments with the
 * command's zod schema (a bad argument gets a helpful ephemeral reply, never an
 * exception), and turn a handler failure into an apology rather than silence.
 */
export async function runCommand(
  command: CommandModule,
  ctx: CommandContext,
  rawArgs: Record<string, unknown>,
  log?: Log,
): Promise<Reply> {
  const { definition } = command;
  if (definition.permission === 'manage-channel' && !ctx.invoker.canManageChannel)
    return ephemeral(
      ctx.invoker.platform === 'slack'
        ? `Only workspace admins (or people on the allow-list) can run /dprk ${definition.name} here.`
        : `You need the Manage Channels permission in this channel to run /dprk ${definition.name}.`,
      { error: 'forbidden' },
    );
  const parsed = command.ArgsSchema.safeParse(rawArgs);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, MAX_ERROR_ITEMS).map((i) => {
      const where = i.path.length > 0 ? `${String(i.path[0])}: ` : '';
      return `${where}${i.message}`;
    });
    // Said in the words of where it was typed: a terminal has no /dprk.
    const [asTyped, help] =
      ctx.invoker.platform === 'cli' ? [`dprk-watch ${definition.name}`, `dprk-watch help ${definition.name}`] : [`/dprk ${definition.name}`, '/dprk help'];
    return ephemeral(`Cannot run ${asTyped} — ${problems.join('; ')}. Try ${help}.`, { error: parsed.error.issues });
  }
  try {
    return await command.handler(ctx, parsed.data);
  } catch (e) {
    log?.error({ command: definition.name, err: (e as Error).message }, 'command failed');
    return ephemeral(`Sorry, /dprk ${definition.name} failed on our side. The error was logged; please try again shortly.`, {
      error: 'internal',
    });
  }
}
