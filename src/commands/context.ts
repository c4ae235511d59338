import type { Config } from '../config.js';
import type { SourceId } from '../core/designation.js';
import type { VerdictService } from '../factcheck/service.js';
import type { AttributionIndex } from '../search/attributions.js';
import type { LookupService } from '../search/lookup-service.js';
import type { Store } from '../store/store.js';
import type { Destination } from '../subscriptions/model.js';
import type { SubscriptionStore } from '../subscriptions/store.js';

/** `api`: the HTTP API (read-only commands, no chat channel). */
export type Platform = 'cli' | 'api' | 'discord' | 'slack';

/** Who is asking, and where: adapters fill this from the platform's payload. */
export interface Invoker {
  platform: Platform;
  /** Discord guild id / Slack team id (absent in DMs and on the CLI). */
  workspaceId?: string;
  channelId?: string;
  userId?: string;
  /**
   * Whether this person may manage the channel's subscriptions (Discord: Manage Channels
   * in that channel; Slack: workspace admin/owner or on the allow-list; CLI: always).
   */
  canManageChannel: boolean;
}

/** The services commands answer from; built once per process by the app, so their caches live as long. */
export interface Services {
  config: Config;
  store: Store;
  lookup: LookupService;
  /** Wallets law enforcement attributes to DPRK actors: not designations, never called sanctioned. */
  attributions: AttributionIndex;
  /** Fact-checked claims and their index (built once, reused across questions). */
  verdicts: VerdictService;
  subscriptions: SubscriptionStore;
  sources: ReadonlyArray<{ id: SourceId | string; url: string }>;
}

export interface CommandContext {
  services: Services;
  invoker: Invoker;
}

/** The chat channel a command was run in, as a subscription destination, or why it has none. */
export function destinationOf(invoker: Invoker): Destination | string {
  const { platform, workspaceId, channelId } = invoker;
  if (platform === 'cli' || platform === 'api' || !channelId) return 'Subscriptions belong to a chat channel: run this command in the channel that should receive alerts.';
  return { platform, channelId, ...(workspaceId ? { workspaceId } : {}) };
}
