import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration of the chat adapters', () => {
  it('never echoes a secret in a config error, and lists cross-field problems too', () => {
    let err: unknown;
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-secret-value', DISCORD_WEBHOOK_URLS: 'http://discord.com/api/webhooks/1/tok-secret' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const text = (err as ConfigError).message;
    expect(text).not.toContain('tok-secret');
    expect(text).not.toContain('xoxb-secret-value');
    expect(text).toContain('DISCORD_WEBHOOK_URLS');
  });

  it('requires a signing secret (or Socket Mode) with a Slack bot token', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET is required/);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5' }).SLACK_BOT_TOKEN).toBe('xoxb-1');
  });
});
