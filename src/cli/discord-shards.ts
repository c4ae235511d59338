import { startShards } from '../adapters/discord-shards.js';
import { DiscordBot } from '../adapters/discord.js';
import { createLogger } from '../log.js';
import { projectPath } from '../paths.js';
import { configOrExit, runtime } from './runtime.js';

/** `dprk-watch discord-shards`: the Discord gateway as shards (discord.js ShardingManager), each a `discord-shard` process. */
export async function runShards(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.LOG_LEVEL, { format: config.LOG_FORMAT });
  if (!config.DISCORD_TOKEN) {
    process.stderr.write('dprk-watch: discord-shards needs DISCORD_TOKEN\n');
    process.exit(78);
  }
  const manager = await startShards({
    token: config.DISCORD_TOKEN,
    ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}),
    shards: config.DISCORD_SHARDS,
    spawnDelayMs: config.DISCORD_SHARD_SPAWN_DELAY_MS,
    file: projectPath('bin/dprk-watch.js'),
    args: ['discord-shard'],
    log,
  });
  const stop = () => {
    for (const shard of manager.shards.values()) shard.kill();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stderr.write(`dprk-watch: ${manager.shards.size} Discord shard(s) running; Ctrl-C to stop.\n`);
}

/** One shard (started by discord-shards): answers /dprk for its guilds, polls nothing. */
export async function runShard(): Promise<void> {
  const { config, log, store, services } = await runtime();
  // The shard id and count come from ShardingManager's environment (SHARDS, SHARD_COUNT).
  const bot = new DiscordBot({ token: config.DISCORD_TOKEN ?? '', services, log, ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}) });
  await bot.start();
  const stop = async () => {
    await bot.stop();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // The manager kills a shard by closing its IPC channel.
  process.on('disconnect', () => void stop());
}
