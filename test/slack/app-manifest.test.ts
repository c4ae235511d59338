import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { EVENTS_PATH, SLASH_COMMAND } from '../../src/adapters/slack.js';

const manifest = readFileSync(new URL('../../slack-app-manifest.yml', import.meta.url), 'utf8');
const lines = manifest.split('\n').filter((l) => !l.trimStart().startsWith('#'));
const body = lines.join('\n');

describe('slack-app-manifest.yml', () => {
  it('declares the /dprk command at the path the app serves, unescaped', () => {
    expect(body).toMatch(new RegExp(`- command: ${SLASH_COMMAND}\\n\\s+url: https://YOUR-HOST${EVENTS_PATH}\\n`));
    expect(body).toMatch(/should_escape: false/);
  });

  it('asks for exactly the bot scopes the code uses', () => {
    const scopes = body.split('bot:\n')[1]!.split('\nsettings:')[0]!.trim().split('\n').map((l) => l.replace(/^\s*-\s*/, ''));
    expect(scopes).toEqual(['commands', 'chat:write', 'chat:write.public', 'users:read']);
  });

  it('its usage hint names only subcommands that exist', () => {
    const hint = /usage_hint: "([^"]+)"/.exec(body)![1]!;
    const names = hint.split('·').map((part) => part.trim().split(' ')[0]!);
    const known = new Set(COMMANDS.map((c) => c.definition.name));
    for (const n of names) expect(known.has(n), n).toBe(true);
  });

  it('keeps Slack’s length limits (name ≤ 35, description ≤ 140, command description ≤ 100)', () => {
    expect(/^\s+name: (.+)$/m.exec(body)![1]!.length).toBeLessThanOrEqual(35);
    expect(/^\s+description: (.+)$/m.exec(body)![1]!.length).toBeLessThanOrEqual(140);
    expect(/^\s+description: DPRK (.+)$/m.exec(body)![0]!.trim().length).toBeLessThanOrEqual(100 + 'description: '.length);
  });
});
