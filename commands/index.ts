import type { CommandModule } from '../src/commands/command.js';
import address from './address.js';
import entity from './entity.js';
import { helpCommand } from './help.js';
import latest from './latest.js';
import status from './status.js';
import subscribe from './subscribe.js';
import subscriptions from './subscriptions.js';
import unsubscribe from './unsubscribe.js';
import verdict from './verdict.js';
import watch from './watch.js';

/**
 * The registry: every `/dprk` subcommand, in the order help lists them. Discord's /dprk, Slack's
 * /dprk and the CLI's verbs are all built from this list.
 */
export const COMMANDS: readonly CommandModule[] = [
  entity,
  address,
  verdict,
  latest,
  subscribe,
  unsubscribe,
  subscriptions,
  watch,
  status,
  helpCommand(() => COMMANDS),
];
