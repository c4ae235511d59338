import type { Severity } from '../reply.js';

/*
 * What every renderer does to source and user text before its own escaping, so a name or a
 * link comes out the same on Discord and Slack. What differs by platform stays in discord.ts
 * and slack.ts: escaping (markdown and mentions; mrkdwn entities and broadcast words), limits,
 * and colours (ints vs hex strings).
 */

/** C0 and C1 controls but newline, bidi embeddings, overrides and isolates, BOM. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Source or user text made safe to serialise anywhere. A lone surrogate becomes U+FFFD first,
 * so that removing what lies between two halves cannot join them into a new character; CRLF
 * and CR become LF (a bare CR would otherwise glue two lines together); a tab becomes a space
 * (chat clients show tabs unevenly); controls and bidi overrides are dropped (an override can
 * make a name or a link read backwards). Whitespace is not collapsed: line breaks separate
 * the items of a card field.
 */
export function cleanText(text: string): string {
  return String(text).replace(LONE_SURROGATE, '\ufffd').replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(UNSAFE_CHARS, '');
}

/**
 * An absolute http(s) URL as the WHATWG parser normalises it (what a browser would open), or
 * undefined for anything else: other schemes (javascript:, data:, file:, mailto: …), URLs
 * with credentials (`https://bank.example@evil.example/` reads as the wrong host), text that
 * does not parse, and URLs longer than `maxLength` (a platform limit) once normalised.
 */
export function safeUrl(url: string | undefined, maxLength: number): string | undefined {
  if (typeof url !== 'string') return undefined;
  const raw = url.trim();
  // The parser accepts "https:example.com" too, but that is likelier a typo than a link.
  if (!/^https?:\/\//i.test(raw)) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return undefined;
  }
  if (u.username !== '' || u.password !== '') return undefined;
  return u.href.length <= maxLength ? u.href : undefined;
}

/** A card's ISO time as a Date; undefined when it is not a time (renderers leave it out). */
export function parseTime(ts: string | undefined): Date | undefined {
  if (!ts) return undefined;
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Where to cut `text` to keep at most `n` UTF-16 units: `n`, or one less so a surrogate pair stays whole. */
export function cutIndex(text: string, n: number): number {
  const c = text.charCodeAt(n - 1);
  return c >= 0xd800 && c <= 0xdbff ? n - 1 : n;
}

/** Severity at a glance, where a renderer shows an emoji rather than (or beside) a colour. */
export const SEVERITY_EMOJI: Record<Severity, string> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  info: '🔵',
  ok: '🟢',
};
