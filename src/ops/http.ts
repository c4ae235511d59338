import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen, type Listening } from './listen.js';
import type { Registry } from 'prom-client';
import type { Log } from '../log.js';

export interface Readiness {
  ok: boolean;
  reason?: string;
}

export interface OpsServerOptions {
  /** 0 asks the OS for a free port (tests); disable the server by not starting it (HEALTH_PORT=0). */
  port: number;
  /** Default: all interfaces, so an orchestrator's probes and Prometheus can reach it. */
  host?: string;
  registry: Registry;
  ready: () => Promise<Readiness>;
  log?: Log;
  /** A readiness check that takes longer than this answers 503 (default 2000 ms). */
  readyTimeoutMs?: number;
}

export type OpsServer = Listening;

function send(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, `${JSON.stringify(body)}\n`, 'application/json; charset=utf-8');

async function readiness(ready: () => Promise<Readiness>, timeoutMs: number): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `readiness check did not answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([ready().catch((e: unknown) => ({ ok: false, reason: (e as Error).message ?? String(e) })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The operations endpoints, on plain node:http:
 * - `GET /healthz` — 200 while the process serves requests (liveness);
 * - `GET /readyz`  — 200 `{"ok":true}` when `ready()` says so, else 503 `{"ok":false,"reason":…}`;
 * - `GET /metrics` — the prom-client registry in Prometheus text format.
 */
export async function startOpsServer(o: OpsServerOptions): Promise<OpsServer> {
  const readyTimeoutMs = o.readyTimeoutMs ?? 2000;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return json(res, 405, { error: 'method not allowed' });
    }
    switch (path) {
      case '/healthz':
        return json(res, 200, { ok: true });
      case '/readyz': {
        const r = await readiness(o.ready, readyTimeoutMs);
        return json(res, r.ok ? 200 : 503, r.ok ? { ok: true } : { ok: false, reason: r.reason ?? 'not ready' });
      }
      case '/metrics':
        return send(res, 200, await o.registry.metrics(), o.registry.contentType);
      default:
        return json(res, 404, { error: 'not found', endpoints: ['/healthz', '/readyz', '/metrics'] });
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      o.log?.error({ component: 'ops-http', err: (e as Error).message }, 'ops endpoint failed');
      if (!res.headersSent) json(res, 500, { error: (e as Error).message });
      else res.destroy();
    });
  });
  // Probes must not keep a stopping process alive.
  server.keepAliveTimeout = 5000;
  const listening = await listen(server, o.port, o.host);
  o.log?.info({ component: 'ops-http', port: listening.port }, `health and metrics on :${listening.port} (/healthz, /readyz, /metrics)`);
  return listening;
}

/**
 * The usual readiness: the store answers (a read of a probe key) and the scheduler is running.
 * `store` needs only getStatus (Store satisfies it).
 */
export function storeAndSchedulerReady(deps: {
  store: { getStatus(source: string): Promise<unknown> };
  schedulerRunning: () => boolean;
}): () => Promise<Readiness> {
  return async () => {
    if (!deps.schedulerRunning()) return { ok: false, reason: 'the scheduler is not running' };
    try {
      await deps.store.getStatus('ops:ready-probe');
    } catch (e) {
      return { ok: false, reason: `the store does not answer: ${(e as Error).message}` };
    }
    return { ok: true };
  };
}
