/**
 * Start-up: the bin runs the esbuild build (dist/cli, `npm run build`, run by `npm ci` as
 * `prepare`) while it is newer than every source, else the sources through tsx; and each verb
 * loads only the libraries it uses, so `lookup` and `poll` never load discord.js or Bolt unless a
 * chat platform is configured. Figures (wall time, RSS) are in `npm run bench:cli`, not here.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PROCESS_TEST_TIMEOUT_MS, runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HOOK = fileURLToPath(new URL('./fixtures/packages-loaded.mjs', import.meta.url));

type Entry = { kind: 'built' | 'source'; file: string; reason?: string };
const { chooseEntry } = (await import(pathToFileURL(path.join(ROOT, 'bin/launch.js')).href)) as { chooseEntry: (root: string) => Entry };

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the bin runs the build only while it is current', () => {
  /** A checkout in miniature: a source, a command and (optionally) a build, with set times. */
  function checkout(times: { source: number; command: number; built?: number }): string {
    const root = tempDir('launch-');
    for (const [dir, file, t] of [
      ['src/cli', 'main.ts', times.source],
      ['commands', 'entity.ts', times.command],
    ] as const) {
      mkdirSync(path.join(root, dir), { recursive: true });
      writeFileSync(path.join(root, dir, file), '');
      utimesSync(path.join(root, dir, file), t, t);
    }
    if (times.built !== undefined) {
      mkdirSync(path.join(root, 'dist/cli'), { recursive: true });
      writeFileSync(path.join(root, 'dist/cli/main.js'), '');
      utimesSync(path.join(root, 'dist/cli/main.js'), times.built, times.built);
    }
    return root;
  }

  it('runs the sources through tsx when nothing is built', () => {
    expect(chooseEntry(checkout({ source: 1000, command: 1000 }))).toMatchObject({ kind: 'source', reason: 'not built (npm run build)' });
  });

  it('runs the build when it is newer than every source', () => {
    const root = checkout({ source: 1000, command: 1000, built: 2000 });
    expect(chooseEntry(root)).toEqual({ kind: 'built', file: path.join(root, 'dist/cli/main.js') });
  });

  it('runs the sources when any source (a command included) changed after the build', () => {
    expect(chooseEntry(checkout({ source: 3000, command: 1000, built: 2000 }))).toMatchObject({ kind: 'source', reason: 'a source is newer than the build' });
    expect(chooseEntry(checkout({ source: 1000, command: 3000, built: 2000 }))).toMatchObject({ kind: 'source' });
  });
});

describe('each verb loads only the libraries it runs', () => {
  const CHAT_AND_SERVICE_LIBRARIES = ['discord.js', '@slack/bolt', '@redis/client', '@keyv/redis', 'zod-openapi', 'rate-limiter-flexible'];

  async function packagesLoaded(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; packages: Set<string> }> {
    const dir = tempDir('packages-');
    const report = path.join(dir, 'packages.txt');
    writeFileSync(report, '');
    const r = await runCli(args, { STORE_URL: `sqlite://${path.join(dir, 'state.sqlite')}`, NODE_OPTIONS: `--import=${HOOK}`, PACKAGES_LOADED_FILE: report, ...env });
    return { code: r.code, stdout: r.stdout, packages: new Set(readFileSync(report, 'utf8').split('\n').filter(Boolean)) };
  }

  it('`lookup` answers without loading a chat library, the HTTP API or the Redis client', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const r = await packagesLoaded(['lookup', 'Kim Jong Un'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('KIM, Jong Un');
    // The hook saw the packages lookup does use, so an empty report cannot pass for a lean one.
    expect([...r.packages]).toEqual(expect.arrayContaining(['commander', 'zod', '@keyv/sqlite', 'es-hangul']));
    for (const p of CHAT_AND_SERVICE_LIBRARIES) expect(r.packages.has(p), p).toBe(false);
  });

  it('`poll` with no chat configured loads neither discord.js nor Bolt; with a Discord webhook it loads discord.js only', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const env = { SOURCES: 'un-sc', UN_SC_URL: pathToFileURL(path.join(FIXTURES, 'real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml')).href };
    const plain = await packagesLoaded(['poll', '--once'], env);
    expect(plain.code).toBe(0);
    expect(plain.packages.has('discord.js')).toBe(false);
    expect(plain.packages.has('@slack/bolt')).toBe(false);
    // A webhook that is never called: the poll is a baseline, which alerts nothing.
    const withDiscord = await packagesLoaded(['poll', '--once'], { ...env, DISCORD_WEBHOOK_URLS: 'https://127.0.0.1:9/api/webhooks/123456789012345678/never-called' });
    expect(withDiscord.code).toBe(0);
    expect(withDiscord.packages.has('discord.js')).toBe(true);
    expect(withDiscord.packages.has('@slack/bolt')).toBe(false);
  });
});
