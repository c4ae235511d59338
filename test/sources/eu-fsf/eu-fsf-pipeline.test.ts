import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesignationAlert } from '../../../src/core/alerts.js';
import { euFsfSource } from '../../../src/sources/eu-fsf/source.js';
import { openStore } from '../../../src/store/open.js';
import type { Store } from '../../../src/store/store.js';
import { fixtureText } from '../../helpers/fixtures.js';
import { poll, realFileUrl, recordingLog } from '../../helpers/pipeline.js';
import { SourceServer } from '../../helpers/source-server.js';

/*
 * No two dated real EU FSF files exist (test/fixtures/real/eu_fsf_xml/PROVENANCE.md), so every
 * "later" file below is DERIVED in this test from the real 2022-03-18 PRK subset by moving or
 * copying its own bytes, and each case says what it was checked against.
 */
const REAL_FILE = 'eu_fsf_xml/eu_fsf_20220318_gfid137925_PRK_only.xml';
const REAL = fixtureText(`real/${REAL_FILE}`);
const PATH = '/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content';
const server = new SourceServer();

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.stop());

/** The `<sanctionEntity …>…</sanctionEntity>\n` block of one record, byte for byte. */
function recordBlock(xml: string, ref: string): string {
  const start = xml.lastIndexOf('    <sanctionEntity ', xml.indexOf(`euReferenceNumber="${ref}"`));
  const end = xml.indexOf('</sanctionEntity>\n', start) + '</sanctionEntity>\n'.length;
  if (start < 0 || end < start) throw new Error(`no record ${ref}`);
  return xml.slice(start, end);
}

/** Every `<tag …>…</tag>\n` child block of a record (with its indentation), in document order. */
function childBlocks(record: string, tag: string): string[] {
  return record.match(new RegExp(`        <${tag} [^>]*?(?:/>|>[\\s\\S]*?</${tag}>)\\n`, 'g')) ?? [];
}

/** The record with its `tag` children in reverse order (what a cosmetic reordering by the publisher looks like). */
function reversedChildren(record: string, tag: string): string {
  const blocks = childBlocks(record, tag);
  const first = record.indexOf(blocks[0]!);
  const last = record.indexOf(blocks.at(-1)!) + blocks.at(-1)!.length;
  expect(record.slice(first, last)).toBe(blocks.join('')); // contiguous, so reversing moves nothing else
  return record.slice(0, first) + [...blocks].reverse().join('') + record.slice(last);
}

let ns = 0;
async function baseline(body: string = REAL): Promise<Store> {
  const store = await openStore('memory:', `eu-fsf-${ns++}`);
  server.set(PATH, { kind: 'document', body });
  const r = await poll(euFsfSource(server.url(PATH)), store);
  expect(r.outcome).toBe('baseline');
  return store;
}

async function next(store: Store, body: string): Promise<DesignationAlert[]> {
  server.set(PATH, { kind: 'document', body });
  const r = await poll(euFsfSource(server.url(PATH)), store);
  expect(r.outcome, r.reason).toBe('changed');
  return r.alerts;
}

describe('eu-fsf through pollSource on the real 2022-03-18 file', () => {
  it('stores a baseline of the 46 PRK records from a file:// URL, with the list date from generationDate', async () => {
    const store = await openStore('memory:', `eu-fsf-${ns++}`);
    const r = await poll(euFsfSource(realFileUrl(REAL_FILE)), store);
    expect(r.outcome).toBe('baseline');
    const status = await store.getStatus('eu-fsf');
    console.info(`eu-fsf baseline: ${status?.recordCount} records, ${status?.dprkCount} DPRK`);
    expect(status).toMatchObject({ recordCount: 46, dprkCount: 46, format: 'eu-fsf-xml', listDate: '2022-03-18T13:52:26.947Z' });
    expect(await store.pendingAlerts()).toEqual([]);
  });

  it('derived removal: the real file without EU.4011.64 (Yu-ro Han) gives exactly one designation.removed', async () => {
    const store = await baseline();
    const block = recordBlock(REAL, 'EU.4011.64');
    expect(block).toContain('wholeName="Yu-ro Han"');
    const alerts = await next(store, REAL.replace(block, ''));
    expect(alerts.map((a) => [a.kind, a.sourceId, a.name, a.dprk])).toEqual([['designation.removed', 'EU.4011.64', 'Yu-ro Han', true]]);
  });

  it('derived reordering: nameAlias and address elements of EU.4190.72 in reverse order give no alert', async () => {
    const store = await baseline();
    const block = recordBlock(REAL, 'EU.4190.72');
    expect(childBlocks(block, 'nameAlias')).toHaveLength(9); // checked against the file: 9 names of Namchongang
    expect(childBlocks(block, 'address')).toHaveLength(2);
    const reordered = reversedChildren(reversedChildren(block, 'nameAlias'), 'address');
    expect(reordered).not.toBe(block);
    server.set(PATH, { kind: 'document', body: REAL.replace(block, reordered) });
    const r = await poll(euFsfSource(server.url(PATH)), store);
    expect(r.alerts).toEqual([]);
    expect(r.outcome === 'unchanged' || (r.outcome === 'changed' && r.counts?.changes === 0)).toBe(true);
  });

  it('derived whitespace: extra spaces inside and around names, functions and remarks of EU.4011.64 give no alert', async () => {
    const store = await baseline();
    const block = recordBlock(REAL, 'EU.4011.64');
    const spaced = block
      .replace('wholeName="Yu-ro Han"', 'wholeName=" Yu-ro  Han "')
      .replace('function="Director of Korea Ryongaksan General Trading Corporation"', 'function="Director of  Korea Ryongaksan General Trading Corporation "');
    expect(spaced).not.toBe(block);
    server.set(PATH, { kind: 'document', body: REAL.replace(block, spaced) });
    const r = await poll(euFsfSource(server.url(PATH)), store);
    expect(r.alerts).toEqual([]);
  });

  it('derived amendment: the "Che son Ri" nameAlias of EU.4008.12 copied into EU.4011.64 gives one designation.amended adding that alias', async () => {
    const store = await baseline();
    const donor = childBlocks(recordBlock(REAL, 'EU.4008.12'), 'nameAlias').find((b) => b.includes('wholeName="Che son Ri"'))!;
    expect(donor).toBeDefined();
    const target = recordBlock(REAL, 'EU.4011.64');
    const lastAlias = childBlocks(target, 'nameAlias').at(-1)!;
    const amended = target.replace(lastAlias, lastAlias + donor);
    const alerts = await next(store, REAL.replace(target, amended));
    expect(alerts.map((a) => [a.kind, a.sourceId, a.dprk])).toEqual([['designation.amended', 'EU.4011.64', true]]);
    expect(alerts[0]!.changes).toEqual([{ field: 'aliases', added: ['Che son Ri'], removed: [] }]);
    expect(alerts[0]!.record.name).toBe('Yu-ro Han');
  });
});

describe('a broken EU FSF fetch keeps the previous list, alerts nothing, and says why', () => {
  const cases: Array<[string, () => void, RegExp]> = [
    ['an HTTP 500', () => server.set(PATH, { kind: 'status', status: 500, body: 'Internal Server Error' }), /HTTP 500/],
    [
      // A TEST-AUTHORED stand-in, not a captured body: the FSF endpoint is known to answer an
      // error with 200 and a short JSON object (`{"error":"…"}`, 167 bytes); this one has that shape and size.
      'a 200 with a short JSON error body',
      () => {
        const body = JSON.stringify({ error: 'dprk-watch test stand-in for the FSF error body'.padEnd(167 - '{"error":""}'.length, '.') });
        expect(Buffer.byteLength(body)).toBe(167);
        server.set(PATH, { kind: 'document', contentType: 'application/json', body });
      },
      /EU_FSF_URL answered a JSON document \(167 bytes\)/,
    ],
    ['a download cut in the middle', () => server.set(PATH, { kind: 'document', body: REAL.slice(0, Math.floor(REAL.length * 0.6)) }), /EU FSF XML: document is not well-formed XML .* — the document looks truncated/],
    ['a download cut just after a closing tag', () => server.set(PATH, { kind: 'document', body: REAL.slice(0, REAL.lastIndexOf('</sanctionEntity>') + '</sanctionEntity>'.length) }), /<export> is not closed.*truncated/],
    [
      'an HTML error page served with 200',
      () => server.set(PATH, { kind: 'document', contentType: 'text/html', body: '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>Maintenance</body></html>' }),
      /HTML page/,
    ],
    ['an empty 200 response', () => server.set(PATH, { kind: 'document', body: '' }), /empty/],
    [
      "the UN list (another list's format)",
      () => server.set(PATH, { kind: 'document', body: fixtureText('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml') }),
      /EU_FSF_URL points at the UN consolidated list/,
    ],
    [
      "an OFAC list (another list's format)",
      () => server.set(PATH, { kind: 'document', body: fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv') }),
      /EU_FSF_URL points at an OFAC list/,
    ],
  ];

  for (const [name, arrange, reason] of cases) {
    it(name, async () => {
      const store = await baseline();
      const before = await store.getSnapshot('eu-fsf');
      expect(before?.entries.size).toBe(46);
      arrange();
      const log = recordingLog();
      const outcome = await poll(euFsfSource(server.url(PATH)), store, 'all', log);
      expect(outcome.outcome === 'degraded' && outcome.reason).toMatch(reason);
      expect((await store.getSnapshot('eu-fsf'))?.version).toBe(before?.version);
      expect(await store.pendingAlerts()).toEqual([]);
      const status = await store.getStatus('eu-fsf');
      expect(status?.degraded?.reason).toMatch(reason);
      expect(status?.recordCount).toBe(46);
      expect(log.lines.some((l) => l.level === 'warn' && reason.test(l.msg))).toBe(true);

      // The real list back: nothing changed since the last good state, and the source is healthy.
      server.set(PATH, { kind: 'document', body: REAL });
      const recovered = await poll(euFsfSource(server.url(PATH)), store);
      expect(recovered.alerts).toEqual([]);
      expect((await store.getStatus('eu-fsf'))?.degraded).toBeUndefined();
    });
  }
});

describe('eu-fsf waits for a slow FSF endpoint', () => {
  it('gets a file that starts only after FETCH_TIMEOUT_MS, where another list would time out', async () => {
    const { createServer } = await import('node:http');
    // Answers after 1.5 s, as the FSF endpoint does (it builds the file on request), with the real PRK file.
    const slow = createServer((_req, res) => void setTimeout(() => res.writeHead(200, { 'content-type': 'application/xml' }).end(REAL), 1500));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(slow.address() as { port: number }).port}/content`;
    const store = await openStore('memory:', 'eu-slow');
    try {
      const eu = await poll(euFsfSource(url), store, 'dprk', recordingLog(), { timeoutMs: 300 });
      expect(eu.outcome, eu.reason).toBe('baseline');
      const { unScSource } = await import('../../../src/sources/un/source.js');
      const un = await poll(unScSource(url), store, 'dprk', recordingLog(), { timeoutMs: 300 });
      expect(un.reason).toMatch(/did not answer within 300 ms/);
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
      await store.close();
    }
  });
});
