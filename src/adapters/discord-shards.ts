import { REST, Routes, ShardingManager } from 'discord.js';
import type { Log } from '../log.js';
import { DISCORD_DEFAULT_API_URL } from '../settings/discord.js';

/**
 * What Discord recommends (GET /gateway/bot), asked of DISCORD_API_URL. discord.js'
 * own `totalShards: 'auto'` always asks discord.com, which a proxy or test setup cannot answer.
 */
export async function recommendedShardCount(token: string, apiUrl = DISCORD_DEFAULT_API_URL): Promise<{ shards: number; maxConcurrency: number }> {
  const rest = new REST({ api: apiUrl, version: '10' }).setToken(token);
  const body = (await rest.get(Routes.gatewayBot())) as { shards?: unknown; session_start_limit?: { max_concurrency?: unknown } };
  const shards = Number(body.shards);
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`GET /gateway/bot answered an unusable shard count: ${JSON.stringify(body.shards)}`);
  const maxConcurrency = Number(body.session_start_limit?.max_concurrency ?? 1);
  return { shards, maxConcurrency: Number.isInteger(maxConcurrency) && maxConcurrency > 0 ? maxConcurrency : 1 };
}

export interface ShardsOptions {
  token: string;
  apiUrl?: string;
  shards: number | 'auto';
  /** The script each shard runs, and its arguments (our bin with `discord-shard`). */
  file: string;
  args: readonly string[];
  spawnDelayMs: number;
  log: Log;
}

/**
 * Run the Discord gateway as shards (discord.js ShardingManager, one process per shard),
 * each answering /dprk for its guilds. Polling and alert fan-out stay outside the shards,
 * in one `dprk-watch start` with DISCORD_GATEWAY=off: alerts go over REST, which needs no shard.
 */
export async function startShards(o: ShardsOptions): Promise<ShardingManager> {
  let total = o.shards;
  let delay = o.spawnDelayMs;
  if (total === 'auto') {
    const rec = await recommendedShardCount(o.token, o.apiUrl);
    total = rec.shards;
    // Shards in different max_concurrency buckets may identify together.
    delay = Math.ceil(o.spawnDelayMs / rec.maxConcurrency);
  }
  const manager = new ShardingManager(o.file, { token: o.token, totalShards: total, mode: 'process', shardArgs: [...o.args], respawn: true });
  manager.on('shardCreate', (shard) => {
    o.log.info({ shard: shard.id, of: total }, 'Discord shard starting');
    shard.on('death', () => o.log.warn({ shard: shard.id }, 'Discord shard process exited; it will be restarted'));
  });
  await manager.spawn({ amount: total, delay, timeout: 60_000 });
  o.log.info({ shards: total }, 'every Discord shard is connected');
  return manager;
}
