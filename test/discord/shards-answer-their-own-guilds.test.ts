/**
 * `dprk-watch discord-shards` runs discord.js' ShardingManager over real child processes
 * against the loopback fake: each shard identifies with its [id, count], receives only the
 * guilds Discord's formula gives it, and answers /dprk there. `start` with
 * DISCORD_GATEWAY=off (the scheduler beside the shards) never opens a gateway session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnBot } from '../helpers/bot-process.js';
import { FakeDiscord, shardOf, snowflake, type FakeGuild } from '../helpers/fake-discord.js';
import { PROCESS_TEST_TIMEOUT_MS, runCli } from '../helpers/cli.js';

/** Two guilds that Discord would route to different shards of two. */
function guildsOnBothShards(): FakeGuild[] {
  const make = (name: string): FakeGuild => ({ id: snowflake(), name, ownerId: snowflake(), channels: [{ id: snowflake(), name: 'general', type: 0 }] });
  const a = make('Exchange Compliance');
  let b = make('Threat Intel');
  while (shardOf(b.id, 2) === shardOf(a.id, 2)) b = make('Threat Intel');
  return [a, b];
}

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await new FakeDiscord({ guilds: guildsOnBothShards(), recommendedShards: 2, heartbeatIntervalMs: 1000 }).start();
});
// The manager and its shards (one process group) are stopped by the children helper after each
// test (setup-children.ts), whatever happened in it.
afterAll(async () => {
  await fake.stop();
});

const waitFor = async (what: () => boolean, label: string, ms = 60_000) => {
  const t0 = Date.now();
  while (!what()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('Discord sharding', () => {
  it('discord-shards starts the recommended number of shards, and each answers /dprk in its own guilds only', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const manager = spawnBot(
      ['discord-shards'],
      { STORE_URL: 'memory:', DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_SHARDS: 'auto', DISCORD_SHARD_SPAWN_DELAY_MS: '300' },
      'shards',
      { group: true },
    );
    await manager.waitFor(/2 Discord shard\(s\) running/, 180_000);

    const shards = fake.shardsConnected().map((s) => s.shard).sort();
    expect(shards).toEqual([
      [0, 2],
      [1, 2],
    ]);
    // Each session was sent exactly the guild whose id maps to its shard.
    for (const { session, shard } of fake.shardsConnected()) {
      const sent = fake.frames.filter((f) => f.session === session && f.t === 'GUILD_CREATE').map((f) => (f.d as { id: string }).id);
      expect(sent).toEqual(fake.guilds.filter((g) => shardOf(g.id, 2) === shard[0]).map((g) => g.id));
    }
    for (const guild of fake.guilds) {
      const asked = fake.chatInput({ subcommand: 'help', guildId: guild.id, channelId: guild.channels[0]!.id });
      const callback = await asked.callback;
      expect(callback.status).toBe(204);
      const owner = fake.shardsConnected().find((s) => s.shard[0] === shardOf(guild.id, 2))!;
      expect(fake.frames.some((f) => f.session === owner.session && f.t === 'INTERACTION_CREATE' && (f.d as { id: string }).id === asked.id)).toBe(true);
    }

    // SIGTERM to the manager alone, as a user's Ctrl-C or a service manager would send it: it stops its shards.
    manager.child.kill('SIGTERM');
    await manager.exited;
    await waitFor(() => fake.shardsConnected().length === 0, 'the shards to disconnect', 15_000);
  });

  it('start with DISCORD_GATEWAY=off polls without opening a gateway session', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const before = fake.requests.length;
    const r = await runCli(
      ['start'],
      { STORE_URL: 'memory:', SOURCES: 'ofac-sdn', OFAC_SDN_URL: 'http://127.0.0.1:9/sdn.csv', DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_GATEWAY: 'off' },
      /dprk-watch is running/,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/✗ ofac-sdn/);
    expect(fake.requests.slice(before).filter((q) => q.path === '/gateway/bot')).toHaveLength(0);
    expect(fake.shardsConnected()).toHaveLength(0);
  });
});
