/**
 * A long download (the EU and Swiss lists are 25–40 MB) shows its progress on a terminal, and
 * nothing when the output is not one. Data: the real UN consolidated list (2 MB), served over
 * loopback HTTP as it is and gzip-encoded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { downloadProgress } from '../../src/cli/download-progress.js';
import { loadConfig } from '../../src/config.js';
import { fetchDocument } from '../../src/sources/fetcher.js';
import { unScSource } from '../../src/sources/un/source.js';
import { openStore } from '../../src/store/open.js';
import { fixtureBytes } from '../helpers/fixtures.js';
import { recordingLog } from '../helpers/pipeline.js';

const UN = fixtureBytes('real/un_consolidated_xml/consolidated_2026-02-27.xml.gz');
const UN_SMALL = fixtureBytes('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml');
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = req.url?.startsWith('/small') ? UN_SMALL : UN;
    if (req.url?.endsWith('.gz-encoded')) {
      const gz = gzipSync(body);
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': gz.length }).end(gz);
    } else res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));

const options = { timeoutMs: 10_000, maxBytes: 64 << 20, userAgent: 'test' };

/** A stand-in for process.stderr that is (or is not) a terminal. */
function terminal(isTTY: boolean) {
  let text = '';
  return { isTTY, write: (s: string) => ((text += s), true), text: () => text };
}

describe('the fetcher reports progress', () => {
  it.each(['/consolidated.xml', '/consolidated.xml.gz-encoded'])('%s: rising byte counts, then done with the whole body', async (path) => {
    const calls: Array<[number, number | undefined, boolean]> = [];
    const r = await fetchDocument(`${base}${path}`, { ...options, onProgress: (_u, received, total, done) => void calls.push([received, total, done]) });
    expect(r.status).toBe('ok');
    const last = calls.at(-1)!;
    expect(last[2]).toBe(true);
    expect(last[0]).toBe(last[1]); // all of the Content-Length arrived
    expect(calls.filter((c) => c[2])).toHaveLength(1);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
    expect(calls.length).toBeGreaterThan(2);
  });
});

describe('the terminal line', () => {
  it('is drawn for a document over 1 MB and ended when it is in; a small one says nothing', async () => {
    const tty = terminal(true);
    const progress = downloadProgress(tty)!;
    await fetchDocument(`${base}/consolidated.xml`, { ...options, onProgress: progress });
    await fetchDocument(`${base}/small.xml`, { ...options, onProgress: progress });
    const lines = tty.text().split('\r\x1b[K').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatch(/^downloading 127\.0\.0\.1:\d+\/…\/consolidated\.xml: 2\.0 of 2\.0 MB \(100%\) done\n$/);
    expect(tty.text()).not.toContain('small.xml');
  });

  it('is not drawn at all when stderr is not a terminal', () => {
    expect(downloadProgress(terminal(false))).toBeUndefined();
  });

  it('reaches the terminal from a poll the app runs', async () => {
    const tty = terminal(true);
    const store = await openStore('memory:', 'download-progress');
    const config = loadConfig({ STORE_URL: 'memory:', REPORT_FEEDS: 'none' });
    const app = new App({ config, store, log: recordingLog(), outputs: [], sources: [unScSource(`${base}/consolidated.xml`)], downloadProgress: downloadProgress(tty) });
    const [report] = await app.pollAll();
    expect(report!.result.outcome).toBe('baseline');
    expect(tty.text()).toMatch(/consolidated\.xml: 2\.0 of 2\.0 MB \(100%\) done\n$/);
    await store.close();
  });
});
