import { describe, expect, it } from 'vitest';
import { decodeSlackText } from '../../src/adapters/slack.js';
import { SlackConfigSchema, slackConfigProblems, SLACK_CONFIG_DEFAULTS } from '../../src/settings/slack.js';
import { classifyWebhookResponse, redactSlackWebhookUrl, slackTargets, slackWebhookSubscription } from '../../src/adapters/slack-output.js';
import type { Alert } from '../../src/core/alerts.js';

describe('Slack configuration fragment', () => {
  it('defaults: no token, no webhooks, PORT 3000', () => {
    expect(SLACK_CONFIG_DEFAULTS).toEqual({ SLACK_WEBHOOK_URLS: [], SLACK_ADMIN_USER_IDS: [], PORT: 3000 });
  });

  it('parses lists and rejects what cannot work, naming the variable', () => {
    const ok = SlackConfigSchema.parse({
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: '0123456789abcdef',
      SLACK_WEBHOOK_URLS: 'https://hooks.slack.com/services/T0/B0/x, https://hooks.slack.com/services/T0/B1/y',
      SLACK_ADMIN_USER_IDS: 'U0123ABC W0456DEF',
      PORT: '8080',
    });
    expect(ok.SLACK_WEBHOOK_URLS).toHaveLength(2);
    expect(ok.SLACK_ADMIN_USER_IDS).toEqual(['U0123ABC', 'W0456DEF']);
    expect(ok.PORT).toBe(8080);
    const bad = SlackConfigSchema.safeParse({ SLACK_BOT_TOKEN: 'xapp-wrong', SLACK_APP_TOKEN: 'xoxb-wrong', SLACK_WEBHOOK_URLS: 'http://example.com/hook', SLACK_ADMIN_USER_IDS: 'bob', PORT: '70000' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path[0]).sort()).toEqual(['PORT', 'SLACK_ADMIN_USER_IDS', 'SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_WEBHOOK_URLS']);
  });

  it('cross-field: HTTP mode needs the signing secret; Socket Mode needs the bot token', () => {
    expect(slackConfigProblems({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([expect.stringContaining('SLACK_SIGNING_SECRET is required')]);
    expect(slackConfigProblems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toEqual([]);
    expect(slackConfigProblems({ SLACK_APP_TOKEN: 'xapp-1' })).toEqual([expect.stringContaining('SLACK_BOT_TOKEN is required')]);
    expect(slackConfigProblems({})).toEqual([]);
  });
});

describe('slash-command text as typed', () => {
  it('decodes Slack’s entities, mentions and links back into words', () => {
    expect(decodeSlackText('entity Kim &amp; Co &lt;b&gt;')).toBe('entity Kim & Co <b>');
    expect(decodeSlackText('entity <@U0123|ann> <#C0123|general> <!here> <!subteam^S1|@ops>')).toBe('entity @ann #general @here @ops');
    expect(decodeSlackText('entity <https://lazarus.example|lazarus.example> <mailto:a@b.c|a@b.c> <https://x.example>')).toBe('entity lazarus.example a@b.c https://x.example');
    expect(decodeSlackText('entity &amp;lt;')).toBe('entity &lt;');
  });
});

describe('incoming webhook answers', () => {
  it('are classified as gone, rejected or transient', () => {
    expect(classifyWebhookResponse(200, 'ok', null)).toBeUndefined();
    expect(classifyWebhookResponse(404, 'no_service', null)).toMatchObject({ kind: 'gone' });
    expect(classifyWebhookResponse(404, 'channel_not_found', null)).toMatchObject({ kind: 'gone' });
    expect(classifyWebhookResponse(410, 'channel_is_archived', null)).toMatchObject({ kind: 'gone' });
    expect(classifyWebhookResponse(403, 'action_prohibited', null)).toMatchObject({ kind: 'gone' });
    expect(classifyWebhookResponse(400, 'invalid_payload', null)).toMatchObject({ kind: 'rejected' });
    expect(classifyWebhookResponse(429, '', '7')).toMatchObject({ kind: 'transient', retryAfterMs: 7000 });
    expect(classifyWebhookResponse(500, 'rollup_error', null)).toMatchObject({ kind: 'transient' });
  });

  it('are logged without their secret part', () => {
    expect(redactSlackWebhookUrl('https://hooks.slack.com/services/T000/B000/XXXXSECRET')).toBe('https://hooks.slack.com/services/T000/B000/[redacted]');
  });

  it('a configured webhook gets every alert unless its stored entry says otherwise (disabled)', () => {
    const url = 'https://hooks.slack.com/services/T000/B000/XXXX';
    const alert = { id: 'a', kind: 'source.recovered', source: 'un-sc', sourceLabel: 'UN', dprk: false, detectedAt: '2024-01-01T00:00:00Z', url: 'https://x', summary: 's' } as Alert;
    expect(slackTargets(alert, [], [url]).map((s) => s.channelId)).toEqual([url]);
    const disabled = { ...slackWebhookSubscription(url), disabled: { reason: 'no_service', at: '2024-01-01T00:00:00Z' } };
    expect(slackTargets(alert, [disabled], [url])).toEqual([]);
  });
});
