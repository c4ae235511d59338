/**
 * Discord and Slack apply the same neutral rules (src/render/neutral.ts) to a card's text,
 * link and time; only their escaping and formats differ.
 */
import { describe, expect, it } from 'vitest';
import { renderCards, type DiscordMessagePayload } from '../../src/render/discord.js';
import { messageTexts, renderCardMessages, slackMessageProblems, type SlackMessage } from '../../src/render/slack.js';
import type { Card } from '../../src/reply.js';

const card = (over: Partial<Card>): Card => ({ title: 'KIMSUKY', severity: 'high', description: 'A description.', fields: [], ...over });

function onDiscord(c: Card): { json: string; embedUrl: string | undefined; timestamp: string | undefined } {
  const messages: DiscordMessagePayload[] = renderCards([c], undefined, 3);
  const embeds = messages.flatMap((m) => m.embeds ?? []);
  return { json: JSON.stringify(messages), embedUrl: embeds[0]?.url, timestamp: embeds.at(-1)?.timestamp };
}

function onSlack(c: Card): { text: string; messages: SlackMessage[] } {
  const messages = renderCardMessages(c);
  for (const m of messages) expect(slackMessageProblems(m)).toEqual([]);
  return { text: messages.flatMap(messageTexts).join('\n'), messages };
}

describe('both renderers, one set of rules', () => {
  it('link only to http(s) URLs: javascript:, data: and URLs with credentials are not links', () => {
    for (const url of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', 'https://home.treasury.gov@evil.example/']) {
      const d = onDiscord(card({ url }));
      expect(d.embedUrl, url).toBeUndefined();
      expect(d.json, url).not.toContain(url.slice(0, 10));
      expect(d.json, url).not.toContain('evil.example');
      const s = onSlack(card({ url }));
      expect(s.text, url).not.toMatch(/<(?!https?:\/\/)/);
      expect(s.text, url).not.toContain('evil.example');
    }
  });

  it('link to the same normalised http(s) URL', () => {
    const url = 'HTTPS://Sanctionssearch.OFAC.treas.gov/Details.aspx?id=27307';
    const normalised = 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=27307';
    expect(onDiscord(card({ url })).embedUrl).toBe(normalised);
    expect(onSlack(card({ url })).text).toContain(`<${normalised}|KIMSUKY>`);
  });

  it('drop controls, bidi overrides and the BOM; turn a tab into a space and a bare CR into a line break', () => {
    const c = card({ title: '\ufeffKIM\u202eSUKY\u0007', description: 'one\rtwo\tthree\u0000', fields: [{ name: 'Aliases', value: 'a\u2066b\u2069' }] });
    const d = onDiscord(c);
    const s = onSlack(c);
    for (const out of [d.json, JSON.stringify(s.messages)]) {
      expect(out).not.toMatch(/\\u0000|\\u0007|\\t|\\r|[\u202a-\u202e\u2066-\u2069\ufeff]/);
      expect(out).toContain('one\\ntwo three');
      expect(out).toContain('KIMSUKY');
      expect(out).toContain('ab');
    }
  });

  it('leave out a card time that is not a time', () => {
    expect(onDiscord(card({ timestamp: 'not a date', footer: 'OFAC' })).timestamp).toBeUndefined();
    expect(onSlack(card({ timestamp: 'not a date', footer: 'OFAC' })).text).not.toContain('detected');
    expect(onDiscord(card({ timestamp: '2024-05-06T09:30:00Z' })).timestamp).toBe('2024-05-06T09:30:00.000Z');
    expect(onSlack(card({ timestamp: '2024-05-06T09:30:00Z' })).text).toContain('detected 2024-05-06 09:30 UTC');
  });
});
