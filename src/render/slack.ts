import type { Alert } from '../core/alerts.js';
import type { Card, Reply, Severity } from '../reply.js';
import type { Digest } from '../core/digest.js';
import { alertCard } from './card.js';
import { digestCard } from './digest-card.js';
import { cleanText, cutIndex, parseTime, safeUrl, SEVERITY_EMOJI } from './neutral.js';

/**
 * Cards and replies as Slack Block Kit messages that the API never rejects:
 *
 * - every text object is `mrkdwn`, and all text that came from a source or a user is
 *   cleaned (neutral.ts) and escaped (`&` `<` `>` → entities), so no
 *   feed, list or query can produce `<!channel>`, `<!here>`, `<!everyone>`, `<@U…>`,
 *   `<#C…>` or `<!subteam^…>`; bare `@channel`/`@here`/`@everyone` get an invisible word
 *   joiner so no client setting turns them into mentions either. The only `<…>` sequences in
 *   a rendered message are links this module builds, to http(s) URLs only;
 * - Slack's limits hold in every payload (SLACK_LIMITS; checked by `slackMessageProblems`):
 *   long text is split over more sections, then more messages (alerts) or truncated with "…"
 *   and a link to the full record (command replies);
 * - kind and severity are visible at a glance: the first line is the card's emoji and bold
 *   kind ("*🔴 ADDED* · NAME"), and the details sit in an attachment with a colour bar.
 *
 * No header blocks and no plain_text objects are used: header text cannot be bold or linked,
 * and Slack documents entity escaping for mrkdwn only.
 */

export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  /** Not separately documented; kept well inside the text-object maximum. */
  contextText: 2000,
  /** Top-level `text` (the notification fallback). Slack truncates at 40,000; we stay short. */
  fallbackText: 3000,
  /** Our own cap on the characters of one message, far below what the API accepts. */
  messageChars: 24_000,
  /** An alert never becomes more than this many messages; the rest is truncated with a link. */
  messagesPerAlert: 4,
} as const;

export interface MrkdwnText {
  type: 'mrkdwn';
  text: string;
}
export interface SectionBlock {
  type: 'section';
  text?: MrkdwnText;
  fields?: MrkdwnText[];
}
export interface ContextBlock {
  type: 'context';
  elements: MrkdwnText[];
}
/** The only blocks this module builds. */
export type SlackBlock = SectionBlock | ContextBlock;

export interface SlackAttachment {
  color: string;
  blocks: SlackBlock[];
}

/** A message body shared by chat.postMessage, incoming webhooks and response_url. */
export interface SlackMessage {
  /** Notification / fallback text (mrkdwn, escaped). */
  text: string;
  blocks: SlackBlock[];
  attachments?: SlackAttachment[];
}

export interface SlackResponse extends SlackMessage {
  response_type: 'ephemeral' | 'in_channel';
}

/** Attachment colour bars; a different palette from Discord's, and the goldens of both pin them. */
export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '#D7263D',
  high: '#F46036',
  medium: '#E8B100',
  info: '#2E86AB',
  ok: '#2BA84A',
};

// ─── escaping ────────────────────────────────────────────────────────────────────────────

const BROADCAST = /@(channel|here|everyone)/gi;
const WORD_JOINER = '\u2060';

/**
 * Source or user text ready for entity escaping: the neutral cleaning, then broadcast words
 * defused (after it, so no removed character can hide one).
 */
function cleanForSlack(s: string): string {
  return cleanText(s).replace(BROADCAST, `@${WORD_JOINER}$1`);
}

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const entities = (s: string): string => s.replace(/[&<>]/g, (c) => ENTITY[c]!);

/** Escape source/user text for a mrkdwn field: `&` `<` `>` become entities. */
export function escapeMrkdwn(s: string): string {
  return entities(cleanForSlack(s));
}

/**
 * Escaped text cut to at most `max` characters (UTF-16 units, which is at least what Slack
 * counts), ending in "…" when cut. Never splits an entity or a surrogate pair.
 */
export function fitMrkdwn(raw: string, max: number): string {
  const clean = cleanForSlack(raw);
  const full = entities(clean);
  if (full.length <= max) return full;
  let out = '';
  for (const ch of clean) {
    const e = ENTITY[ch] ?? ch;
    if (out.length + e.length > max - 1) break;
    out += e;
  }
  return `${out}…`;
}

/**
 * Escaped text split into chunks of at most `max` characters, at line breaks where possible.
 * `firstBudget` shortens the first chunk (for a bold field name before it).
 */
export function chunkMrkdwn(raw: string, max: number, firstBudget = max): string[] {
  const clean = cleanForSlack(raw);
  const chunks: string[] = [];
  let cur = '';
  let budget = Math.max(1, firstBudget);
  const flush = () => {
    chunks.push(cur);
    cur = '';
    budget = max;
  };
  const lines = clean.split('\n');
  for (const [i, line] of lines.entries()) {
    const esc = entities(line);
    const sep = i === 0 || cur === '' ? '' : '\n';
    if (cur.length + sep.length + esc.length <= budget) {
      cur += sep + esc;
      continue;
    }
    if (cur !== '') flush();
    if (esc.length <= budget) {
      cur = esc;
      continue;
    }
    for (const ch of line) {
      const e = ENTITY[ch] ?? ch;
      if (cur.length + e.length > budget) flush();
      cur += e;
    }
  }
  if (cur !== '' || chunks.length === 0) chunks.push(cur);
  return chunks.filter((c, i) => c.trim() !== '' || (i === 0 && chunks.length === 1));
}

/** `<url|label>` for an http(s) URL; the escaped label alone for anything else. */
export function slackLink(url: string | undefined, label: string, maxLabel = 300): string {
  const text = fitMrkdwn(label, maxLabel) || 'link';
  const href = slackHref(url);
  return href ? `<${href}|${text.replace(/\|/g, '¦')}>` : text;
}

/** Longer links are left out: a link must fit a 3,000-character section with its label. */
const MAX_URL = 2000;

/** An http(s) URL (the neutral rules) escaped for use inside `<…>`, or undefined. */
export function slackHref(url: string | undefined): string | undefined {
  const href = safeUrl(url, MAX_URL);
  if (!href) return undefined;
  // `|` would end the URL and start the label. The parser has encoded the others already,
  // but for a backquote in a query; they are listed so no `<…>` can ever be broken open.
  return href
    .replace(/[<>|\s"`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
    .replace(/&/g, '&amp;');
}

// ─── blocks ──────────────────────────────────────────────────────────────────────────────

const mrkdwn = (text: string): MrkdwnText => ({ type: 'mrkdwn', text });
/** Slack rejects empty (and blank) text objects. */
const filled = (s: string, dflt: string): string => (s.trim() === '' ? dflt : s);
const section = (text: string): SectionBlock => ({ type: 'section', text: mrkdwn(text) });

const MAX_DESCRIPTION_SECTIONS = 3;
const MAX_FIELD_SECTIONS = 4;
const MAX_LEAD_SUBJECT = 300;
const LEADING_EMOJI = /^((?:\p{Extended_Pictographic}|\p{Regional_Indicator})(?:\uFE0F|\u200D|\p{Extended_Pictographic}|\p{Regional_Indicator})*)\s+/u;

/** "*🔴 ADDED* · *<url|NAME>*": kind (or severity emoji) first and bold, subject linked. */
export function leadLine(card: Card): string {
  const sep = card.title.indexOf(' · ');
  if (sep > 0 && sep <= 40) {
    const kind = fitMrkdwn(card.title.slice(0, sep), 60);
    return `*${kind}* · *${slackLink(card.url, card.title.slice(sep + 3), MAX_LEAD_SUBJECT)}*`;
  }
  const emoji = LEADING_EMOJI.exec(card.title);
  const mark = emoji ? emoji[1]! : SEVERITY_EMOJI[card.severity];
  const subject = emoji ? card.title.slice(emoji[0].length) : card.title;
  return `${mark} *${slackLink(card.url, subject || card.title, MAX_LEAD_SUBJECT)}*`;
}

function truncationNote(url: string | undefined, what = 'full record'): string {
  const href = slackHref(url);
  return href ? `… cut to fit Slack — <${href}|${what}>` : '… cut to fit Slack';
}

/** Sections for a long text, at most `maxSections`, the last ending in "…" and the link. */
function textSections(raw: string, maxSections: number, url: string | undefined, prefix = ''): SectionBlock[] {
  if (cleanText(raw).trim() === '') return prefix ? [section(`${prefix}—`)] : [];
  const chunks = chunkMrkdwn(raw, SLACK_LIMITS.sectionText, SLACK_LIMITS.sectionText - prefix.length);
  const kept = chunks.slice(0, maxSections);
  if (chunks.length > maxSections) {
    const note = `\n${truncationNote(url)}`;
    const last = kept[kept.length - 1]!;
    const room = SLACK_LIMITS.sectionText - (kept.length === 1 ? prefix.length : 0) - note.length;
    kept[kept.length - 1] = (last.length > room ? cutEscaped(last, room) : last) + note;
  }
  return kept.map((c, i) => section(filled(i === 0 ? prefix + c : c, '—')));
}

/** Cut already-escaped text without splitting an entity or surrogate pair. */
function cutEscaped(s: string, max: number): string {
  let end = Math.max(0, max - 1);
  const amp = s.lastIndexOf('&', end);
  if (amp >= 0 && amp > end - 5 && s.indexOf(';', amp) >= end) end = amp;
  return `${s.slice(0, cutIndex(s, end))}…`;
}

export interface CardParts {
  color: string;
  /** The first line and the description: what a glance needs. */
  lead: SlackBlock[];
  /** Fields and footer. */
  details: SlackBlock[];
  fallback: string;
}

/** A neutral Card as Slack blocks, every block within limits. */
export function cardParts(card: Card): CardParts {
  const lead: SlackBlock[] = [section(leadLine(card))];
  if (card.description) lead.push(...textSections(card.description, MAX_DESCRIPTION_SECTIONS, card.url));

  const details: SlackBlock[] = [];
  let inline: MrkdwnText[] = [];
  const flushInline = () => {
    for (let i = 0; i < inline.length; i += SLACK_LIMITS.fieldsPerSection)
      details.push({ type: 'section', fields: inline.slice(i, i + SLACK_LIMITS.fieldsPerSection) });
    inline = [];
  };
  for (const f of card.fields) {
    if (!f.value || cleanText(f.value).trim() === '') continue;
    const name = `*${fitMrkdwn(f.name, 100)}*\n`;
    const value = escapeMrkdwn(f.value);
    if (f.inline && name.length + value.length <= SLACK_LIMITS.fieldText) {
      inline.push(mrkdwn(name + value));
      continue;
    }
    flushInline();
    details.push(...textSections(f.value, MAX_FIELD_SECTIONS, card.url, name));
  }
  flushInline();
  const context: MrkdwnText[] = [];
  if (card.footer && cleanText(card.footer).trim() !== '') context.push(mrkdwn(fitMrkdwn(card.footer, SLACK_LIMITS.contextText)));
  const when = formatTime(card.timestamp);
  if (when) context.push(mrkdwn(when));
  if (context.length > 0) details.push({ type: 'context', elements: context.slice(0, SLACK_LIMITS.contextElements) });

  const fallback = filled(fitMrkdwn(`${card.title}${card.description ? ` — ${card.description}` : ''}`, SLACK_LIMITS.fallbackText), 'dprk-watch alert');
  return { color: SEVERITY_COLOR[card.severity], lead, details, fallback };
}

/** Slack shows no time of its own for a card: "detected YYYY-MM-DD HH:MM UTC", or nothing when the card's time is not one. */
function formatTime(iso: string | undefined): string | undefined {
  const d = parseTime(iso);
  return d ? `detected ${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : undefined;
}

const blockChars = (b: SlackBlock): number =>
  b.type === 'section'
    ? (b.text?.text.length ?? 0) + (b.fields ?? []).reduce((n, f) => n + f.text.length, 0)
    : b.elements.reduce((n, e) => n + e.text.length, 0);

// ─── alerts ──────────────────────────────────────────────────────────────────────────────

/**
 * An alert as one or more chat.postMessage / webhook payloads (add `channel` for the API).
 * Normally one; an alert too long for one message continues in the next ones (each says
 * "continued n/N"), up to SLACK_LIMITS.messagesPerAlert, then ends with a link.
 */
export function renderAlertForSlack(alert: Alert): SlackMessage[] {
  return renderCardMessages(alertCard(alert));
}

/** A digest never becomes more than this many messages; past it, the rest is counted in a note. */
export const MAX_DIGEST_MESSAGES = 10;

/** A daily digest as one message, or numbered parts ("part 2/3") when one cannot hold it. */
export function renderDigestForSlack(digest: Digest): SlackMessage[] {
  return renderCardMessages(digestCard(digest), { maxMessages: MAX_DIGEST_MESSAGES, parts: true });
}

/**
 * A card as messages: one, or more that each say "continued n/N" (`parts`: "part n/N", the first
 * included) when one message cannot hold it, up to `maxMessages`, the last ending with a link.
 */
export function renderCardMessages(card: Card, opts: { maxMessages?: number; parts?: boolean } = {}): SlackMessage[] {
  const maxMessages = opts.maxMessages ?? SLACK_LIMITS.messagesPerAlert;
  const parts = cardParts(card);
  const L = SLACK_LIMITS;
  const messages: Array<{ top: SlackBlock[]; att: SlackBlock[] }> = [];
  let cur = { top: [...parts.lead], att: [] as SlackBlock[] };
  let chars = parts.lead.reduce((n, b) => n + blockChars(b), 0);
  const CONT_RESERVE = 1; // room for the "continued" line of the next message
  for (const b of parts.details) {
    const size = blockChars(b);
    const count = cur.top.length + cur.att.length;
    if (cur.att.length > 0 && (count + 1 > L.blocksPerMessage - CONT_RESERVE || chars + size > L.messageChars)) {
      messages.push(cur);
      cur = { top: [], att: [] };
      chars = 0;
    }
    cur.att.push(b);
    chars += size;
  }
  messages.push(cur);

  let kept = messages;
  if (messages.length > maxMessages) {
    kept = messages.slice(0, maxMessages);
    const last = kept[kept.length - 1]!;
    const dropped = messages.slice(maxMessages).reduce((n, m) => n + m.att.length, 0);
    if (last.att.length + last.top.length + 2 > L.blocksPerMessage) last.att.pop();
    last.att.push({ type: 'context', elements: [mrkdwn(`${dropped} more part(s) not shown. ${truncationNote(card.url)}`)] });
  }
  const n = kept.length;
  const kind = leadLine(card);
  const label = (i: number) => (opts.parts ? `part ${i + 1}/${n}` : `continued (${i + 1}/${n})`);
  return kept.map((m, i) => {
    let top = i === 0 ? m.top : [section(`${kind} — ${label(i)}`)];
    if (i === 0 && opts.parts && n > 1) top = [section(`${kind} — ${label(0)}`), ...top.slice(1)];
    const text = i === 0 && !(opts.parts && n > 1) ? parts.fallback : fitMrkdwn(`(${label(i)}) ${card.title}`, L.fallbackText);
    const msg: SlackMessage = { text, blocks: top };
    if (m.att.length > 0) msg.attachments = [{ color: parts.color, blocks: m.att }];
    return msg;
  });
}

// ─── command replies ─────────────────────────────────────────────────────────────────────

/**
 * A command Reply for `respond()` / response_url: one message, ephemeral when the Reply is.
 * Cards become coloured attachments under the reply's first line; plain replies become
 * sections. Anything past Slack's limits is truncated with "…" (and a link when known).
 */
export function renderReplyForSlack(reply: Reply): SlackResponse {
  const L = SLACK_LIMITS;
  const response_type = reply.ephemeral ? 'ephemeral' : 'in_channel';
  const text = filled(fitMrkdwn(reply.text ?? '', L.fallbackText), 'Done.');
  const cards = reply.cards ?? [];
  if (cards.length === 0) {
    const chunks = chunkMrkdwn(reply.text || 'Done.', L.sectionText);
    const max = L.blocksPerMessage - 1;
    let used = 0;
    const blocks: SlackBlock[] = [];
    for (const c of chunks) {
      if (blocks.length >= max || used + c.length > L.messageChars) {
        blocks.push({ type: 'context', elements: [mrkdwn(`… ${chunks.length - blocks.length} more part(s) cut to fit Slack.`)] });
        break;
      }
      blocks.push(section(filled(c, '—')));
      used += c.length;
    }
    return { response_type, text, blocks };
  }

  const intro = (reply.text ?? '').split('\n', 1)[0] ?? '';
  const blocks: SlackBlock[] = intro.trim() ? [section(fitMrkdwn(intro, L.sectionText))] : [];
  const attachments: SlackAttachment[] = [];
  let count = blocks.length;
  let chars = blocks.reduce((n, b) => n + blockChars(b), 0);
  let shown = 0;
  const RESERVE = 1;
  for (const card of cards) {
    const p = cardParts(card);
    const att: SlackBlock[] = [];
    for (const b of [...p.lead, ...p.details]) {
      const size = blockChars(b);
      if (count + 1 > L.blocksPerMessage - RESERVE || chars + size > L.messageChars) break;
      att.push(b);
      count++;
      chars += size;
    }
    if (att.length === 0) break;
    const complete = att.length === p.lead.length + p.details.length;
    if (!complete) {
      att.push({ type: 'context', elements: [mrkdwn(truncationNote(card.url))] });
      count++;
    }
    attachments.push({ color: p.color, blocks: att });
    shown++;
    if (!complete) break;
  }
  if (shown < cards.length) {
    const note: SlackBlock = { type: 'context', elements: [mrkdwn(`${cards.length - shown} more result(s) not shown. Narrow the query, or add limit: to see fewer.`)] };
    if (count + 1 <= L.blocksPerMessage) blocks.push(note);
  }
  return { response_type, text, blocks, attachments };
}

// ─── checking ────────────────────────────────────────────────────────────────────────────

/** Every text in a message, for checks: section text and fields, context elements, fallback. */
export function messageTexts(m: SlackMessage): string[] {
  const out = [m.text];
  const walk = (bs: readonly SlackBlock[]) => {
    for (const b of bs) {
      if (b.type === 'section') {
        if (b.text) out.push(b.text.text);
        for (const f of b.fields ?? []) out.push(f.text);
      } else if (b.type === 'context') for (const e of b.elements) out.push(e.text);
    }
  };
  walk(m.blocks);
  for (const a of m.attachments ?? []) walk(a.blocks);
  return out;
}

const OUR_LINK = /<(https?:\/\/[^\s<>|]+)\|([^<>]*)>/g;
const HAS_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const HAS_LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What Slack would reject or what would be unsafe in a message; empty when it is fine.
 * Checks the documented limits, and that the only `<…>` sequences are http(s) links.
 */
export function slackMessageProblems(m: SlackMessage): string[] {
  const L = SLACK_LIMITS;
  const problems: string[] = [];
  const all = [...m.blocks, ...(m.attachments ?? []).flatMap((a) => a.blocks)];
  if (all.length > L.blocksPerMessage) problems.push(`${all.length} blocks > ${L.blocksPerMessage}`);
  if (m.text.length === 0 || m.text.length > L.fallbackText) problems.push(`fallback text length ${m.text.length}`);
  for (const b of all) {
    if (b.type === 'section') {
      if (!b.text && !b.fields?.length) problems.push('section without text or fields');
      if (b.text && (b.text.text.length === 0 || b.text.text.length > L.sectionText)) problems.push(`section text length ${b.text.text.length}`);
      if ((b.fields?.length ?? 0) > L.fieldsPerSection) problems.push(`${b.fields!.length} fields > ${L.fieldsPerSection}`);
      for (const f of b.fields ?? []) if (f.text.length === 0 || f.text.length > L.fieldText) problems.push(`field text length ${f.text.length}`);
    } else if (b.type === 'context') {
      if (b.elements.length === 0 || b.elements.length > L.contextElements) problems.push(`${b.elements.length} context elements`);
      for (const e of b.elements) if (e.text.length === 0 || e.text.length > L.contextText) problems.push(`context text length ${e.text.length}`);
    }
  }
  for (const t of messageTexts(m)) {
    if (/[<>]/.test(t.replace(OUR_LINK, ''))) problems.push(`unescaped < or > in ${JSON.stringify(t.slice(0, 80))}`);
    // A link's target cannot mention anyone; its label and the text around it are checked.
    if (/@(channel|here|everyone)/i.test(t.replace(OUR_LINK, '$2'))) problems.push(`broadcast word in ${JSON.stringify(t.slice(0, 80))}`);
    if (t.trim() === '') problems.push('blank text');
    if (HAS_CONTROL.test(t)) problems.push('control character');
    if (HAS_LONE_SURROGATE.test(t)) problems.push('lone surrogate');
  }
  return problems;
}
