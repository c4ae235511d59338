import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { fixtureText } from '../helpers/fixtures.js';
import { expectDegradedKeepingState, poll, recordingLog } from '../helpers/pipeline.js';
import { SourceServer } from '../helpers/source-server.js';

/**
 * The real poll against a publisher that compresses its responses: a coding is not a change,
 * conditional GET still saves the download, and a compression bomb or a corrupt body keeps
 * the previous list, alerts nothing and marks the source degraded, like any suspicious fetch.
 */

const APR12 = fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv');
const APR14 = fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv');
const PATH = '/ofac/sdn_list.csv';
/** FETCH_MAX_BYTES for these polls: room for the 217 KB list, not for a bomb. */
const CAP = 512 * 1024;
const server = new SourceServer();

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.stop());

let ns = 0;
const source = () => ofacSdnSource(server.url(PATH));

async function baseline(): Promise<Store> {
  const store = await openStore('memory:', `compressed-${ns++}`);
  server.set(PATH, { kind: 'document', body: APR12, encodings: ['gzip'] });
  expect((await poll(source(), store, 'all', recordingLog(), { maxBytes: CAP })).outcome).toBe('baseline');
  return store;
}

describe('a compressed list is the same list', () => {
  it('gzip, identity and br in turn are no change; a 304 ends the poll; the real amendment still alerts once', async () => {
    const store = await baseline();
    expect(server.lastRequest.get(PATH)?.['accept-encoding']).toBe('gzip, deflate, br');

    server.hits.clear();
    expect((await poll(source(), store, 'all', recordingLog(), { maxBytes: CAP })).outcome).toBe('unchanged');
    expect(server.hits.get(PATH)).toEqual({ total: 1, notModified: 1 }); // the gzip variant's ETag matched

    // A server that drops compression, then switches to br, without validators: same bytes once decoded.
    for (const encodings of [[], ['br']] as const) {
      server.set(PATH, { kind: 'document', body: APR12, etag: false, encodings });
      expect((await poll(source(), store, 'all', recordingLog(), { maxBytes: CAP })).outcome).toBe('unchanged');
    }

    server.set(PATH, { kind: 'document', body: APR14, encodings: ['br', 'gzip'] });
    const changed = await poll(source(), store, 'all', recordingLog(), { maxBytes: CAP });
    expect(changed.outcome === 'changed' && changed.alerts.map((a) => a.sourceId)).toEqual(['27307']);
  });
});

describe('a compressed body that is a bomb or corrupt keeps the previous list, alerts nothing, and says why', () => {
  const cases: Array<[string, () => void, RegExp]> = [
    [
      'a 1 KB gzip body that inflates to 1 MB, past FETCH_MAX_BYTES',
      () => server.set(PATH, { kind: 'raw', body: gzipSync(Buffer.alloc(1024 * 1024)), headers: { 'content-encoding': 'gzip' } }),
      /decodes \(gzip\) to more than the 524288-byte cap \(FETCH_MAX_BYTES\)/,
    ],
    [
      'a gzip stream that never ends',
      () => server.set(PATH, { kind: 'endless', chunk: gzipSync(Buffer.alloc(1024 * 1024)), headers: { 'content-encoding': 'gzip' } }),
      /decodes \(gzip\) to more than the 524288-byte cap/,
    ],
    [
      'the real list gzipped and cut in the middle',
      () => {
        const gz = gzipSync(APR14);
        server.set(PATH, { kind: 'raw', body: gz.subarray(0, gz.length >> 1), headers: { 'content-encoding': 'gzip' } });
      },
      /sent a corrupt gzip body \(unexpected end of file\)/,
    ],
    [
      'the real list sent as plain text but labelled gzip',
      () => server.set(PATH, { kind: 'raw', body: Buffer.from(APR14), headers: { 'content-encoding': 'gzip' } }),
      /sent a corrupt gzip body \(incorrect header check\)/,
    ],
    [
      'a coding that was not asked for',
      () => server.set(PATH, { kind: 'raw', body: Buffer.from(APR14), headers: { 'content-encoding': 'compress' } }),
      /Content-Encoding 'compress', which cannot be decoded/,
    ],
  ];

  for (const [name, arrange, reason] of cases) {
    it(name, async () => {
      const store = await baseline();
      const before = await store.getSnapshot('ofac-sdn');
      arrange();
      const log = recordingLog();
      const outcome = await poll(source(), store, 'all', log, { maxBytes: CAP });
      await expectDegradedKeepingState(store, outcome, before, reason, log);

      // The next good download reports the change since the last good state, once.
      server.set(PATH, { kind: 'document', body: APR14, encodings: ['gzip'] });
      const recovered = await poll(source(), store, 'all', recordingLog(), { maxBytes: CAP });
      expect(recovered.outcome === 'changed' && recovered.alerts.map((a) => a.sourceId)).toEqual(['27307']);
      expect((await store.getStatus('ofac-sdn'))?.degraded).toBeUndefined();
    });
  }
});
