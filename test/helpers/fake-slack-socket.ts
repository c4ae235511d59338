import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { slashCommandBody, type FakeSlack, type InjectedResponse, type SlashCommandFields } from './fake-slack.js';

/**
 * A loopback fake of Slack's Socket Mode (api.slack.com/apis/socket-mode), beside a FakeSlack:
 *
 * - `apps.connections.open` on the FakeSlack's Web API (`SLACK_API_URL`), called with the
 *   app-level token in the Authorization header, answers `{ok: true, url}` with a WebSocket
 *   URL on this fake's own port (Slack's sockets live on another host, wss-….slack.com). A
 *   bot token is refused with `not_allowed_token_type`, any other token with `invalid_auth`.
 *   Each URL carries a ticket that opens one connection: a reconnect must call
 *   apps.connections.open again (the URL is "created at runtime… and refreshes regularly");
 * - on connecting, Slack's `hello` (`num_connections`, `debug_info`, `connection_info.app_id`);
 * - `slashCommand()` sends a `slash_commands` envelope (`envelope_id`, `payload` with the
 *   fields of an HTTP slash command, `accepts_response_payload: true`); every message the app
 *   sends back is recorded, and `{envelope_id, payload?}` is its acknowledgement (`acks`);
 * - `disconnect(reason)` sends Slack's `disconnect` message (`refresh_requested`, `warning`,
 *   `link_disabled`) and leaves it to the app to close and reconnect; `dropTcp()` destroys the
 *   TCP connection with no close frame (a dead link).
 *
 * Connections are numbered from 1 and recorded with who closed them and the close code.
 * `until()` waits for any condition on that record, woken by each change (no polling).
 * `stop()` terminates every socket and closes the server; waits still pending then fail.
 */

export const FAKE_APP = { id: 'A0DPRKWATCH', token: 'xapp-1-A0DPRKWATCH-1700000000000-0d1e2a3d4b5e6f' };

export type DisconnectReason = 'refresh_requested' | 'warning' | 'link_disabled';

export interface SocketConnection {
  /** 1 for the first connection the app opened, 2 for its first reconnect… */
  n: number;
  ticket: string;
  ws: WebSocket;
  helloSent: boolean;
  /** Every message the app sent on this connection, parsed, in order. */
  received: unknown[];
  /** Set when the socket closed: who started it and the code this side saw (1006: no close frame). */
  closed?: { by: 'app' | 'fake'; code: number };
  /** Set when this fake closes or drops the socket (so the close is not put down to the app). */
  closingByFake?: boolean;
}

export interface Envelope {
  envelope_id: string;
  type: 'slash_commands';
  payload: Record<string, string>;
  accepts_response_payload: boolean;
  /** The connection it was sent on. */
  connection: number;
}

export interface Ack {
  envelope_id: string;
  payload?: unknown;
  /** The connection it came back on. */
  connection: number;
  /** performance.now() at arrival. */
  at: number;
}

export class FakeSlackSocketMode {
  readonly connections: SocketConnection[] = [];
  readonly envelopes: Envelope[] = [];
  readonly acks: Ack[] = [];
  /** Messages from the app that were not JSON or had no envelope_id. */
  readonly strays: string[] = [];
  /** Tickets handed out by apps.connections.open and not used yet. */
  private readonly tickets = new Set<string>();
  private readonly changes = new EventEmitter();
  private readonly wss = new WebSocketServer({ noServer: true });
  private server?: Server;
  private stopped = false;

  constructor(
    private readonly slack: FakeSlack,
    readonly appToken = FAKE_APP.token,
  ) {
    this.changes.setMaxListeners(0);
  }

  async start(): Promise<this> {
    this.server = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('upgrade required');
    });
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket as Socket, head));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.slack.methods.set('apps.connections.open', (_rec, token) => this.open(token));
    return this;
  }

  /** Terminate every socket, close the server, fail pending waits. Safe to call twice. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.slack.methods.delete('apps.connections.open');
    for (const c of this.connections) {
      if (!c.closed) c.closingByFake = true;
      c.ws.terminate();
    }
    this.changes.emit('change');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    if (this.server?.listening) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
  }

  /** Where apps.connections.open points the app (the port of this fake). */
  get origin(): string {
    return `ws://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** The open connections that got their hello, oldest first. */
  get live(): SocketConnection[] {
    return this.connections.filter((c) => c.helloSent && !c.closed && c.ws.readyState === c.ws.OPEN);
  }

  /**
   * Send `/dprk <text>` (or `fields.command`) as a slash_commands envelope, as Slack does
   * when someone runs it: on the given connection, else the newest live one. Returns it.
   */
  slashCommand(fields: SlashCommandFields, on?: SocketConnection): Envelope {
    const conn = on ?? this.live.at(-1);
    if (!conn) throw new Error('fake Slack Socket Mode: no live connection to send the command on');
    const envelope: Envelope = {
      envelope_id: randomUUID(),
      type: 'slash_commands',
      payload: Object.fromEntries(new URLSearchParams(slashCommandBody(fields))),
      accepts_response_payload: true,
      connection: conn.n,
    };
    this.envelopes.push(envelope);
    const { connection: _n, ...wire } = envelope;
    conn.ws.send(JSON.stringify(wire));
    return envelope;
  }

  /** Send Slack's `disconnect` message; the app is expected to close this socket and open a new one. */
  disconnect(reason: DisconnectReason, on?: SocketConnection): void {
    const conn = on ?? this.live.at(-1);
    if (!conn) throw new Error('fake Slack Socket Mode: no live connection to disconnect');
    conn.ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'wss-fake.slack.test' } }));
  }

  /** Destroy a connection's TCP socket at once: no close frame, as when a link dies. */
  dropTcp(on?: SocketConnection): void {
    const conn = on ?? this.live.at(-1);
    if (!conn) throw new Error('fake Slack Socket Mode: no live connection to drop');
    conn.closingByFake = true;
    conn.ws.terminate();
  }

  /** The acknowledgements of one envelope (exactly one is right). */
  acksOf(envelopeId: string): Ack[] {
    return this.acks.filter((a) => a.envelope_id === envelopeId);
  }

  /** Resolves with the first acknowledgement of an envelope. */
  waitForAck(envelopeId: string, timeoutMs = 30_000): Promise<Ack> {
    return this.until(() => this.acksOf(envelopeId)[0], `an ack of envelope ${envelopeId}`, timeoutMs);
  }

  /** Resolves with connection number `n` once it has been sent its hello. */
  waitForConnection(n: number, timeoutMs = 30_000): Promise<SocketConnection> {
    return this.until(() => this.connections.find((c) => c.n === n && c.helloSent), `connection #${n} with hello`, timeoutMs);
  }

  /**
   * Resolves with `probe()`'s first truthy answer, checked now and after every change
   * (connection, message, close); rejects after timeoutMs or when the fake stops.
   */
  until<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error, value?: T) => {
        clearTimeout(timer);
        this.changes.off('change', check);
        if (error) reject(error);
        else resolve(value as T);
      };
      const check = () => {
        const v = probe();
        if (v) done(undefined, v);
        else if (this.stopped) done(new Error(`fake Slack Socket Mode stopped while waiting for ${what}`));
      };
      const timer = setTimeout(() => done(new Error(`fake Slack Socket Mode: no ${what} within ${timeoutMs} ms`)), timeoutMs);
      this.changes.on('change', check);
      check();
    });
  }

  /** apps.connections.open: the app-level token gets a one-connection URL. */
  private open(token: string): InjectedResponse {
    if (token !== this.appToken) {
      const error = /^xox[bp]-/.test(token) ? 'not_allowed_token_type' : 'invalid_auth';
      return { status: 200, body: { ok: false, error } };
    }
    if (this.stopped) return { status: 200, body: { ok: false, error: 'internal_error' } };
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return { status: 200, body: { ok: true, url: `${this.origin}/link/?ticket=${ticket}&app_id=${FAKE_APP.id}` } };
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (this.stopped || url.pathname !== '/link/' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-type: text/plain\r\ncontent-length: 14\r\nconnection: close\r\n\r\ninvalid ticket');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, ticket));
  }

  private connected(ws: WebSocket, ticket: string): void {
    const conn: SocketConnection = { n: this.connections.length + 1, ticket, ws, helloSent: false, received: [] };
    this.connections.push(conn);
    ws.on('message', (data: RawData, isBinary: boolean) => this.message(conn, data, isBinary));
    ws.on('close', (code: number) => {
      conn.closed = { by: conn.closingByFake ? 'fake' : 'app', code };
      this.changes.emit('change');
    });
    ws.on('error', () => undefined); // a dropped socket reports here; 'close' follows and records it
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.connections.filter((c) => !c.closed).length,
        debug_info: { host: 'applink-fake-0', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: FAKE_APP.id },
      }),
    );
    conn.helloSent = true;
    this.changes.emit('change');
  }

  private message(conn: SocketConnection, data: RawData, isBinary: boolean): void {
    const text = isBinary ? '' : data.toString();
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.strays.push(text);
      this.changes.emit('change');
      return;
    }
    conn.received.push(msg);
    const m = msg as { envelope_id?: unknown; payload?: unknown };
    if (typeof m.envelope_id === 'string') {
      this.acks.push({ envelope_id: m.envelope_id, ...('payload' in m ? { payload: m.payload } : {}), connection: conn.n, at: performance.now() });
    } else {
      this.strays.push(text);
    }
    this.changes.emit('change');
  }
}
