import type { CommandModule } from '../src/commands/command.js';
import address from './address.js';
import entity from './entity.js';
import help from './help.js';
import latest from './latest.js';
import status from './status.js';
import subscribe from './subscribe.js';
import subscriptions from './subscriptions.js';
import unsubscribe from './unsubscribe.js';
import verdict from './verdict.js';

/** Every `/dprk` subcommand, in the order help lists them. */
export const COMMANDS: readonly CommandModule[] = [entity, address, verdict, latest, subscribe, unsubscribe, subscriptions, status, help];

export function findCommand(name: string): CommandModule | undefined {
  return COMMANDS.find((c) => c.definition.name === name);
}
