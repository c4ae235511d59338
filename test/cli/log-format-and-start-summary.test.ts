/**
 * Logs are readable lines on a terminal and JSON when piped or with LOG_FORMAT=json; `start`
 * opens with a summary of what it watches, where state and alerts go, and the next step.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startSummary } from '../../src/cli/summary.js';
import { loadConfig } from '../../src/config.js';
import { chooseLogFormat, createLogger } from '../../src/log.js';
import { configuredSources } from '../../src/sources/registry.js';

/** A stream that keeps what is written; `isTTY` as a terminal's stderr has it. */
function sink(isTTY: boolean): Writable & { text: string; isTTY: boolean } {
  const s = new Writable({
    write(chunk: Buffer, _enc, done) {
      s.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string; isTTY: boolean };
  s.text = '';
  s.isTTY = isTTY;
  return s;
}

describe('log format', () => {
  it('auto is pretty on a TTY and JSON otherwise; json and pretty are taken as set', () => {
    expect(chooseLogFormat('auto', true)).toBe('pretty');
    expect(chooseLogFormat('auto', false)).toBe('json');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'yaml' })).toThrow(/LOG_FORMAT/);
  });

  it('piped: one JSON object per line, secrets redacted', () => {
    const out = sink(false);
    createLogger('info', { destination: out }).info({ source: 'ofac-sdn', token: 'xoxb-secret' }, 'poll finished');
    const line = JSON.parse(out.text.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'poll finished', source: 'ofac-sdn', token: '[redacted]' });
  });

  it('on a TTY: one readable line per event, with level, source and colour, no JSON', () => {
    const out = sink(true);
    createLogger('info', { destination: out }).warn({ source: 'un-sc', authorization: 'Bearer abc' }, 'list degraded');
    const lines = out.text.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/WARN/);
    expect(lines[0]).toMatch(/\[un-sc\] list degraded/);
    expect(lines[0]).toMatch(/\u001b\[/); // ANSI colour
    expect(lines[0]).not.toMatch(/^\{/);
    expect(out.text).not.toContain('Bearer abc');
  });

  it('LOG_FORMAT=json on a TTY still writes JSON', () => {
    const out = sink(true);
    createLogger('info', { destination: out, format: 'json' }).info({}, 'hello');
    expect(JSON.parse(out.text.trim())).toMatchObject({ msg: 'hello' });
  });
});

describe('start summary', () => {
  it('names the lists and their schedules, the store, where alerts go and the next step', () => {
    const config = loadConfig({ SOURCES: 'ofac-sdn,un-sc', REPORT_FEEDS: 'none' });
    const text = startSummary(config, { sources: configuredSources(config), discord: false });
    expect(text).toMatch(/watching 2 sanctions list/);
    expect(text).toMatch(/OFAC SDN\s+\*\/30 \* \* \* \*/);
    expect(text).toMatch(/UN Security Council\s+0 \* \* \* \*/);
    expect(text).toMatch(/store: SQLite file \.\/data\/dprk-watch\.sqlite/);
    expect(text).toMatch(/alerts go to: this terminal \(DPRK-related changes only\)/);
    expect(text).toMatch(/HTTP API: off \(set API_KEYS/);
    expect(text).toMatch(/DISCORD_TOKEN/);
  });

  it('says where the API listens, and never prints a Redis password', () => {
    const config = loadConfig({ STORE_URL: 'redis://user:hunter2@cache:6379', API_KEYS: 'k'.repeat(20), REPORT_FEEDS: 'none' });
    const text = startSummary(config, { sources: configuredSources(config), discord: true, slack: 'http', api: { port: 3000, sharedWithSlack: true } });
    expect(text).toMatch(/store: Redis at cache:6379/);
    expect(text).not.toContain('hunter2');
    expect(text).toMatch(/HTTP API: http:\/\/localhost:3000\/v1\/… .*beside Slack/);
    expect(text).toMatch(/alerts go to: this terminal, Discord, Slack/);
    expect(text).not.toMatch(/next:/);
  });
});
