import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { webApi } from '@slack/bolt';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { EVENTS_PATH, SLASH_COMMAND } from '../../src/adapters/slack.js';

const manifest = readFileSync(new URL('../../slack-app-manifest.yml', import.meta.url), 'utf8');
const lines = manifest.split('\n').filter((l) => !l.trimStart().startsWith('#'));
const body = lines.join('\n');

/**
 * The bot-token scopes each Slack Web API method needs, from Slack's method reference
 * (docs.slack.dev/reference/methods/<method>: "Required scopes", bot token). A Web API call in
 * src/ whose method is not listed here fails the test below: add it with its scopes.
 */
const BOT_SCOPES_BY_METHOD: Record<string, readonly string[]> = {
  // No scope: any token may call it (Bolt calls it at start to learn the bot's ids).
  'auth.test': [],
  // chat:write posts; chat:write.public ("Send messages to channels your Slack app isn't a
  // member of", which requires chat:write) because alerts go to the channels `/dprk subscribe`
  // was run in, which the bot has not been invited to.
  'chat.postMessage': ['chat:write', 'chat:write.public'],
  // Whether the user running /dprk subscribe is a workspace admin or owner.
  'users.info': ['users:read'],
};
/** Bolt listeners and the scope each needs: `app.command` (slash commands) needs `commands`. */
const BOT_SCOPES_BY_LISTENER: Record<string, readonly string[]> = {
  command: ['commands'],
};

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const sourceFiles = (dir: string): string[] =>
  (readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]).filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts')).map((f) => path.join(ROOT, dir, f));

/** `a.b!.c(…)` → ['a', 'b', 'c'] (non-null assertions and parentheses skipped); undefined for other callees. */
function calleeNames(e: ts.Expression): string[] | undefined {
  const names: string[] = [];
  let cur: ts.Expression = e;
  for (;;) {
    if (ts.isNonNullExpression(cur) || ts.isParenthesizedExpression(cur)) cur = cur.expression;
    else if (ts.isPropertyAccessExpression(cur)) {
      names.unshift(cur.name.text);
      cur = cur.expression;
    } else if (ts.isIdentifier(cur)) return [cur.text, ...names];
    else if (cur.kind === ts.SyntaxKind.ThisKeyword) return ['this', ...names];
    else return names.length ? names : undefined;
  }
}

/**
 * What the code asks of Slack, read from the syntax of every call in src/ and commands/: Web API
 * methods (a call `x.chat.postMessage(…)` whose tail is a method of the real WebClient, or
 * `apiCall('method')`) and Bolt listeners (`app.command(…)`).
 */
function slackUsage(): { methods: Map<string, string[]>; listeners: Map<string, string[]> } {
  const client = new webApi.WebClient();
  const isMethod = (dotted: string) => typeof dotted.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], client) === 'function';
  const methods = new Map<string, string[]>();
  const listeners = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, key: string, where: string) => m.set(key, [...(m.get(key) ?? []), where]);
  for (const file of [...sourceFiles('src'), ...sourceFiles('commands')]) {
    const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const names = calleeNames(node.expression);
        const where = `${path.relative(ROOT, file)}:${src.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (names && names.length >= 2) {
          // The longest tail that is a WebClient method: users.info, admin.users.session.list…
          for (let n = Math.min(4, names.length - 1); n >= 2; n--) {
            const dotted = names.slice(-n).join('.');
            if (isMethod(dotted)) {
              add(methods, dotted, where);
              break;
            }
          }
          const [owner, listener] = names.slice(-2);
          if (owner === 'app' && ['command', 'event', 'message', 'action', 'shortcut', 'view', 'options', 'function'].includes(listener!)) add(listeners, listener!, where);
          if (names.at(-1) === 'apiCall' && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) add(methods, node.arguments[0].text, where);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(src);
  }
  return { methods, listeners };
}

describe('slack-app-manifest.yml', () => {
  it('declares the /dprk command at the path the app serves, unescaped', () => {
    expect(body).toMatch(new RegExp(`- command: ${SLASH_COMMAND}\\n\\s+url: https://YOUR-HOST${EVENTS_PATH}\\n`));
    expect(body).toMatch(/should_escape: false/);
  });

  it('asks for exactly the bot scopes the code needs: those of the Web API methods and Bolt listeners src/ uses', () => {
    const { methods, listeners } = slackUsage();
    // The scan sees what the code does today (so it can see a new call too).
    expect([...methods.keys()].sort()).toEqual(expect.arrayContaining(['chat.postMessage', 'users.info']));
    expect([...listeners.keys()]).toContain('command');
    const needed = new Set<string>();
    for (const [method, where] of methods) {
      const scopes = BOT_SCOPES_BY_METHOD[method];
      expect(scopes, `${method} (called at ${where.join(', ')}) is not in BOT_SCOPES_BY_METHOD: add it with the scopes Slack's reference names`).toBeDefined();
      for (const s of scopes!) needed.add(s);
    }
    for (const [listener, where] of listeners) {
      const scopes = BOT_SCOPES_BY_LISTENER[listener];
      expect(scopes, `app.${listener} (at ${where.join(', ')}) is not in BOT_SCOPES_BY_LISTENER: add it with the scopes its events need`).toBeDefined();
      for (const s of scopes!) needed.add(s);
    }
    const declared = body.split('bot:\n')[1]!.split('\nsettings:')[0]!.trim().split('\n').map((l) => l.replace(/^\s*-\s*/, ''));
    // Every scope the code needs, and no other (an app asks for no more than it uses).
    expect([...declared].sort()).toEqual([...needed].sort());
    expect(new Set(declared).size).toBe(declared.length);
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
