import type { Alert } from '../core/alerts.js';
import type { Card, Reply, Severity } from '../reply.js';
import type { Digest } from '../core/digest.js';
import { alertCard } from './card.js';
import { digestCard } from './digest-card.js';
import { cleanText, cutIndex, parseTime, safeUrl } from './neutral.js';

/**
 * Discord's documented limits (characters; Discord counts code points, we count UTF-16 units,
 * which is never fewer, so staying under our count stays under theirs).
 */
export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** Sum of title, description, field names and values, footer and author over all embeds of a message. */
  charsPerMessage: 6000,
  embedsPerMessage: 10,
} as const;

/** Message flag: only the person who ran the command sees the reply. */
export const EPHEMERAL = 64;

/**
 * Embed colour by severity: critical red, high orange, medium yellow, info blue, ok green.
 * Discord's own palette, as ints; Slack's hex colours are a different palette, and the golden
 * payloads of both pin them, so each renderer keeps its own.
 */
export const SEVERITY_COLOR: Record<Severity, number> = {
  critical: 0xed4245,
  high: 0xe67e22,
  medium: 0xfee75c,
  info: 0x3498db,
  ok: 0x57f287,
};

export interface DiscordEmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

/** The subset of Discord's embed object dprk-watch sends. */
export interface DiscordEmbed {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  timestamp?: string;
  footer?: { text: string };
  author?: { name: string };
  fields?: DiscordEmbedField[];
}

/**
 * One message as the API takes it: the body of POST /channels/{id}/messages, of a webhook
 * execute, or the `data` of an interaction response. `allowed_mentions` is always
 * `{ parse: [] }`: nothing dprk-watch sends can ping anyone.
 */
export interface DiscordMessagePayload {
  content?: string;
  embeds?: DiscordEmbed[];
  allowed_mentions: { parse: [] };
  flags?: number;
}

/** At most this many messages for one alert; past it, the rest is summarised with the link. */
export const MAX_ALERT_MESSAGES = 3;
/** At most this many messages for one daily digest; past it, the rest is counted in a note. */
export const MAX_DIGEST_MESSAGES = 10;
/** At most this many messages (the response and its follow-ups) for one command reply. */
export const MAX_REPLY_MESSAGES = 5;

// ─── Text safety ─────────────────────────────────────────────────────────────────────────

const ZWSP = '\u200b';

/**
 * Neutralise every mention form with a zero-width space: `@everyone`, `@here`, `<@id>`,
 * `<@!id>`, `<@&id>`, `<#id>` (and anything else starting `<@` or `<#`). The text still reads
 * the same; Discord no longer parses it as a mention. (`allowed_mentions` already stops pings;
 * this also stops mentions from *rendering* as clickable users and roles.)
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`).replace(/<([@#])/g, `<${ZWSP}$1`);
}

/** A URL as Discord's autolinker sees it (it leaves trailing punctuation out of the link). */
const URL_IN_TEXT = /https?:\/\/[^\s<]*[^\s<.,:;"')\]]/g;

function escapeMarkdownPlain(text: string): string {
  return text.replace(/[\\*_~`|[\]]/g, '\\$&').replace(/^([ ]*)([>#-])/gm, '$1\\$2');
}

/**
 * Escape Discord markdown (bold, italics, strikethrough, spoilers, code, masked links,
 * quotes, headings, subtext) outside URLs, which are kept as they are so they stay links.
 * `wrapUrls` puts URLs in angle brackets (no link preview when used in message content).
 */
export function escapeMarkdown(text: string, wrapUrls = false): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    out += escapeMarkdownPlain(text.slice(last, m.index));
    out += wrapUrls ? `<${m[0]}>` : m[0];
    last = m.index + m[0].length;
  }
  return out + escapeMarkdownPlain(text.slice(last));
}

/** Source or user text for a place where Discord renders markdown (content, title, description, fields). */
export function escapeForDiscord(text: string, opts: { wrapUrls?: boolean } = {}): string {
  return neutralizeMentions(escapeMarkdown(cleanText(text), opts.wrapUrls));
}

/** Text for places where Discord renders no markdown (footer, author): cleaned and neutralised only. */
export function plainForDiscord(text: string): string {
  return neutralizeMentions(cleanText(text));
}

/**
 * Cut text to at most `max` UTF-16 units, ending with `suffix`: never inside a surrogate
 * pair, never leaving a lone escaping backslash. Mentions were neutralised before, and
 * cutting only removes text from the end, so it cannot create one.
 */
export function truncate(text: string, max: number, suffix = '…'): string {
  if (text.length <= max) return text;
  if (suffix.length >= max) return '…'.slice(0, max);
  let head = text.slice(0, cutIndex(text, max - suffix.length));
  const slashes = /\\+$/.exec(head);
  if (slashes && slashes[0].length % 2 === 1) head = head.slice(0, -1);
  return head + suffix;
}

/** Discord refuses empty (or blank) field names and values. */
const nonBlank = (s: string): string => (s.trim() === '' ? ZWSP : s);

/** Split text into pieces of at most `max`, at line breaks where possible. */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') pieces.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > max) {
      let cut = cutIndex(rest, max);
      // Do not end a piece on an escaping backslash: it would escape nothing and the next piece's first character would show raw.
      const slashes = /\\+$/.exec(rest.slice(0, cut));
      if (slashes && slashes[0].length % 2 === 1) cut--;
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  flush();
  return pieces.length > 0 ? pieces : [''];
}

/** Longer links are left out rather than risk Discord refusing the whole embed. */
const MAX_URL = 2048;

/** An http(s) URL (the neutral rules) for an embed or title link, and for showing as text. */
export function discordUrl(url: string | undefined): string | undefined {
  // A URL shown as text must not read as a mention either; %40 is the same character.
  return safeUrl(url, MAX_URL)?.replace(/@(everyone|here)/gi, '%40$1');
}

// ─── Cards → embeds → messages ───────────────────────────────────────────────────────────

/** Room kept in every message for the "… more not shown" note. */
const NOTE_RESERVE = 400;
/** Fields of content per embed; the 25th slot is kept for the note. */
const FIELDS_PER_EMBED = DISCORD_LIMITS.fields - 1;

interface OpenMessage {
  embeds: DiscordEmbed[];
  chars: number;
}

/**
 * Lays cards out as embeds across messages, within every limit: a field too long for one
 * field continues in the next ("(cont.)"), fields past 25 (or past the 6,000 characters)
 * continue in another embed, embeds past 10 (or past 6,000) in another message. Past
 * `maxMessages`, what is left is counted and summarised in a note with the card's link.
 * Invariant: every message keeps room for its current card's footer and for the note.
 */
class Layout {
  readonly messages: OpenMessage[] = [];
  private embed?: DiscordEmbed;
  private dropped = 0;
  private droppedUrl?: string;

  constructor(private readonly maxMessages: number) {}

  private get message(): OpenMessage | undefined {
    return this.messages[this.messages.length - 1];
  }

  /** Place an embed of `len` characters, keeping `reserve` free; false when out of messages. */
  private place(e: DiscordEmbed, len: number, reserve: number): boolean {
    let m = this.message;
    if (!m || m.embeds.length >= DISCORD_LIMITS.embedsPerMessage || m.chars + len + reserve > DISCORD_LIMITS.charsPerMessage) {
      if (this.messages.length >= this.maxMessages) return false;
      m = { embeds: [], chars: 0 };
      this.messages.push(m);
    }
    m.embeds.push(e);
    m.chars += len;
    this.embed = e;
    return true;
  }

  addCard(card: Card): void {
    const url = discordUrl(card.url);
    const color = SEVERITY_COLOR[card.severity] ?? SEVERITY_COLOR.info;
    const timestamp = parseTime(card.timestamp)?.toISOString();
    // Discord shows the timestamp right after the footer ("… • today at 09:30"): say what that time is.
    const when = timestamp ? (card.footer ? ' · detected' : 'detected') : '';
    const footer =
      card.footer || when ? `${card.footer ? truncate(plainForDiscord(card.footer), DISCORD_LIMITS.footer - when.length) : ''}${when}` : undefined;
    const reserve = (footer?.length ?? 0) + NOTE_RESERVE;

    const title = card.title ? truncate(escapeForDiscord(card.title), DISCORD_LIMITS.title) : undefined;
    const descMax = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.charsPerMessage - (title?.length ?? 0) - reserve);
    const fullDesc = card.description ? escapeForDiscord(card.description) : undefined;
    const more = url && url.length < 500 ? `…\nFull text: ${url}` : '…';
    const description = fullDesc ? truncate(fullDesc, descMax, more) : undefined;

    const head: DiscordEmbed = { color };
    if (title) head.title = title;
    if (url && title) head.url = url;
    if (description) head.description = description;
    if (!this.place(head, (title?.length ?? 0) + (description?.length ?? 0), reserve)) {
      this.drop(1 + card.fields.length, url);
      return;
    }

    const fields = card.fields.flatMap((f) => splitField(f));
    for (const [i, f] of fields.entries()) {
      if (!this.addField(f, color, reserve)) {
        this.drop(fields.length - i, url);
        break;
      }
    }
    // The invariant kept `reserve` free in the current message: the footer fits.
    const last = this.embed!;
    if (footer) {
      last.footer = { text: footer };
      this.message!.chars += footer.length;
    }
    if (timestamp) last.timestamp = timestamp;
  }

  private addField(f: DiscordEmbedField, color: number, reserve: number): boolean {
    const len = f.name.length + f.value.length;
    const e = this.embed!;
    const m = this.message!;
    if ((e.fields?.length ?? 0) < FIELDS_PER_EMBED && m.chars + len + reserve <= DISCORD_LIMITS.charsPerMessage) {
      (e.fields ??= []).push(f);
      m.chars += len;
      return true;
    }
    const cont: DiscordEmbed = { color, fields: [f] };
    return this.place(cont, len, reserve);
  }

  private drop(items: number, url: string | undefined): void {
    this.dropped += items;
    this.droppedUrl ??= url;
  }

  /** The messages' embeds, with the note about anything left out. */
  finish(): DiscordEmbed[][] {
    if (this.dropped > 0 && this.embed) {
      const value = truncate(
        `${this.dropped} more item(s) not shown here (Discord's message limits)${this.droppedUrl ? ` — full record: ${this.droppedUrl}` : '.'}`,
        NOTE_RESERVE - 1,
      );
      (this.embed.fields ??= []).push({ name: '…', value });
      this.message!.chars += 1 + value.length;
    }
    return this.messages.map((m) => m.embeds);
  }
}

/** One card field as one or more Discord fields (a long value continues under "name (cont.)"). */
function splitField(f: Card['fields'][number]): DiscordEmbedField[] {
  const name = nonBlank(truncate(escapeForDiscord(f.name), DISCORD_LIMITS.fieldName));
  const contName = nonBlank(truncate(`${name} (cont.)`, DISCORD_LIMITS.fieldName));
  return splitText(escapeForDiscord(f.value), DISCORD_LIMITS.fieldValue).map((value, i) => ({
    name: i === 0 ? name : contName,
    value: nonBlank(value),
    ...(i === 0 && f.inline ? { inline: true } : {}),
  }));
}

const NO_PINGS = (): { parse: [] } => ({ parse: [] });

/** Cards as messages; `headline` (plain text) becomes the first message's content. */
export function renderCards(cards: readonly Card[], headline: string | undefined, maxMessages: number): DiscordMessagePayload[] {
  const layout = new Layout(maxMessages);
  for (const card of cards) layout.addCard(card);
  const pages = layout.finish();
  const content = headline?.trim() ? truncate(escapeForDiscord(headline, { wrapUrls: true }), DISCORD_LIMITS.content) : undefined;
  if (pages.length === 0) return [{ content: content ?? '…', allowed_mentions: NO_PINGS() }];
  return pages.map((embeds, i) => ({
    ...(i === 0 && content ? { content } : {}),
    embeds,
    allowed_mentions: NO_PINGS(),
  }));
}

/** Plain text as messages of at most 2,000 characters (split at line breaks), at most `maxMessages`. */
export function renderText(text: string, maxMessages: number): DiscordMessagePayload[] {
  const escaped = escapeForDiscord(text.trim() === '' ? '(no answer)' : text, { wrapUrls: true });
  const pieces = splitText(escaped, DISCORD_LIMITS.content);
  const shown = pieces.slice(0, maxMessages);
  if (pieces.length > maxMessages) {
    const note = '\n… (answer cut here: too long for Discord)';
    shown[maxMessages - 1] = truncate(shown[maxMessages - 1]!, DISCORD_LIMITS.content - note.length, '') + note;
  }
  return shown.map((content) => ({ content: nonBlank(content), allowed_mentions: NO_PINGS() }));
}

/**
 * A command reply as Discord messages: the first is the interaction response's `data`, the
 * rest are follow-ups. Cards become embeds (the first line of the text is the content);
 * replies without cards are plain text. Ephemeral replies carry flag 64 on every message.
 */
export function renderReplyForDiscord(reply: Reply): DiscordMessagePayload[] {
  const cards = reply.cards ?? [];
  const messages =
    cards.length > 0 ? renderCards(cards, reply.text.split('\n', 1)[0], MAX_REPLY_MESSAGES) : renderText(reply.text, MAX_REPLY_MESSAGES);
  return reply.ephemeral ? messages.map((m) => ({ ...m, flags: EPHEMERAL })) : messages;
}

/** An alert as one or more channel (or webhook) messages: its card as embeds, its title as the content. */
export function renderAlertForDiscord(alert: Alert): DiscordMessagePayload[] {
  const card = alertCard(alert);
  return renderCards([card], card.title, MAX_ALERT_MESSAGES);
}

/** A daily digest as one message, or numbered parts ("part 2/3" in each content) when one cannot hold it. */
export function renderDigestForDiscord(digest: Digest): DiscordMessagePayload[] {
  const card = digestCard(digest);
  const messages = renderCards([card], card.title, MAX_DIGEST_MESSAGES);
  if (messages.length === 1) return messages;
  return messages.map((m, i) => ({
    ...m,
    content: truncate(escapeForDiscord(`${card.title} — part ${i + 1}/${messages.length}`), DISCORD_LIMITS.content),
  }));
}
