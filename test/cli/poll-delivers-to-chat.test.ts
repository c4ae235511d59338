import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_TEST_TIMEOUT_MS, runCli } from '../helpers/cli.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { realFileUrl } from '../helpers/pipeline.js';

const discord = new FakeDiscord();
beforeAll(async () => {
  await discord.start();
});
afterAll(() => discord.stop());

const storeUrl = () => `sqlite://${path.join(mkdtempSync(path.join(tmpdir(), 'dprk-chat-')), 'state.sqlite')}`;
const APR12 = realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv');
const APR14 = realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv');
const postsTo = (hook: { id: string }) => discord.requests.filter((q) => q.method === 'POST' && q.path.includes(`/webhooks/${hook.id}/`));

describe('dprk-watch poll --once with a Discord webhook configured', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('delivers the real LAZARUS GROUP amendment to the webhook (through DISCORD_API_URL) and to the console', async () => {
    const hook = discord.createWebhook();
    const env = {
      STORE_URL: `sqlite://${path.join(mkdtempSync(path.join(tmpdir(), 'dprk-chat-')), 'state.sqlite')}`,
      SOURCES: 'ofac-sdn',
      DISCORD_WEBHOOK_URLS: hook.url,
      DISCORD_API_URL: discord.apiUrl,
    };
    await runCli(['poll', '--once'], { ...env, OFAC_SDN_URL: realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv') });
    const r = await runCli(['poll', '--once'], { ...env, OFAC_SDN_URL: realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv') });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/🟠 AMENDED · OFAC SDN · LAZARUS GROUP/);
    const posts = discord.requests.filter((q) => q.method === 'POST' && q.path.includes(`/webhooks/${hook.id}/`));
    expect(posts).toHaveLength(1);
    const body = posts[0]!.body as { embeds: Array<{ title: string }>; allowed_mentions: { parse: unknown[] } };
    expect(body.embeds[0]!.title).toContain('LAZARUS GROUP');
    expect(body.allowed_mentions.parse).toEqual([]);
    // The token in the webhook URL never reaches the console.
    expect(r.stderr + r.stdout).not.toContain(hook.token);
  });

  it('--json changes only the output format: alerts are JSON lines on stdout AND delivered to the configured chats', async () => {
    const hook = discord.createWebhook();
    const env = { STORE_URL: storeUrl(), SOURCES: 'ofac-sdn', DISCORD_WEBHOOK_URLS: hook.url, DISCORD_API_URL: discord.apiUrl };
    await runCli(['poll', '--once', '--json'], { ...env, OFAC_SDN_URL: APR12 });
    const r = await runCli(['poll', '--once', '--json'], { ...env, OFAC_SDN_URL: APR14 });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; name: string });
    expect(lines.map((a) => [a.kind, a.name])).toEqual([['designation.amended', 'LAZARUS GROUP']]);
    expect(postsTo(hook)).toHaveLength(1);
  });

  it('--dry-run computes and prints the alerts, and changes nothing: no delivery, no stored list, no queued alert', async () => {
    const hook = discord.createWebhook();
    const env = { STORE_URL: storeUrl(), SOURCES: 'ofac-sdn', DISCORD_WEBHOOK_URLS: hook.url, DISCORD_API_URL: discord.apiUrl };
    await runCli(['poll', '--once'], { ...env, OFAC_SDN_URL: APR12 });
    const statusBefore = JSON.parse((await runCli(['status', '--json'], env)).stdout);

    const dry = await runCli(['poll', '--once', '--dry-run', '--json'], { ...env, OFAC_SDN_URL: APR14 });
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(/dry run: the stored state is read, nothing is stored or delivered/);
    expect(dry.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { name: string }).name)).toEqual(['LAZARUS GROUP']);
    expect(postsTo(hook)).toHaveLength(0);
    expect(JSON.parse((await runCli(['status', '--json'], env)).stdout)).toEqual(statusBefore);
    expect(JSON.parse((await runCli(['latest', '--json'], env)).stdout)).toMatchObject({ alerts: [] });

    // The real poll afterwards still finds the change, and delivers it once.
    const real = await runCli(['poll', '--once'], { ...env, OFAC_SDN_URL: APR14 });
    expect(real.stdout).toMatch(/🟠 AMENDED · OFAC SDN · LAZARUS GROUP/);
    expect(postsTo(hook)).toHaveLength(1);
  });
});
