/**
 * A list's date is what the list or its publisher says, and every place that shows it says
 * which kind it is: the list's own publication date ("published"), else the server's HTTP
 * Last-Modified ("last modified … (server Last-Modified)"), else none. Never this machine's
 * clock or a file's mtime. Real published files, served over loopback HTTP or read from disk.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import entity from '../../commands/entity.js';
import { statusReply } from '../../commands/status.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { AlertSchema, type Alert } from '../../src/core/alerts.js';
import { loadConfig } from '../../src/config.js';
import { alertCard } from '../../src/render/card.js';
import { renderAlertText } from '../../src/render/text.js';
import { buildServices } from '../../src/services.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { fixtureBytes, REAL } from '../helpers/fixtures.js';
import { poll, realLazarusAmendment } from '../helpers/pipeline.js';
import { SourceServer } from '../helpers/source-server.js';

const XML_OCT = fixtureBytes('real/ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-18_pub-2025-10-22.XML.gz');
const XML_DEC = fixtureBytes('real/ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-19_pub-2025-12-18.XML.gz');
const CSV_APR12 = fixtureBytes('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv');
const CSV_APR14 = fixtureBytes('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv');

const server = new SourceServer();
beforeAll(async () => {
  await server.start();
});
afterAll(() => server.stop());

let ns = 0;
const today = () => new Date().toISOString().slice(0, 10);

/** Poll `url` twice (the test switches what it serves in between); the second poll's alerts. */
async function pollPair(store: Store, url: string, between: () => void): Promise<Alert[]> {
  expect((await poll(ofacSdnSource(url), store)).outcome).toBe('baseline');
  between();
  const r = await poll(ofacSdnSource(url), store);
  if (r.outcome !== 'changed') throw new Error(`expected a change, got ${JSON.stringify(r)}`);
  return r.alerts;
}

async function statusText(store: Store, url: string): Promise<string> {
  return (await statusReply({ store, sources: [{ id: 'ofac-sdn', url }] })).text;
}

async function entityFooter(store: Store, query: string): Promise<string | undefined> {
  const services = buildServices(loadConfig({}), store);
  const reply = await runCommand(entity, { services, invoker: { platform: 'cli', canManageChannel: true } }, { query });
  return reply.cards?.[0]?.footer;
}

describe('over HTTP, a list that carries its publication date', () => {
  it('dates alerts, cards, status and the entity card "published" with that date, not the server Last-Modified', async () => {
    const store = await openStore('memory:', `dates-${ns++}`);
    const p = '/CONSOLIDATED.XML';
    server.set(p, { kind: 'document', body: XML_OCT, lastModified: 'Thu, 18 Dec 2025 06:28:00 GMT' });
    const alerts = await pollPair(store, server.url(p), () =>
      server.set(p, { kind: 'document', body: XML_DEC, lastModified: 'Fri, 19 Dec 2025 06:30:00 GMT' }),
    );
    expect(alerts).toHaveLength(1);
    const [a] = alerts as [Alert & { listDate?: string; listDateBasis?: string }];
    expect([a.listDate, a.listDateBasis]).toEqual(['2025-12-18', 'published']);
    expect(renderAlertText(a)).toContain('list published 2025-12-18 ·');
    expect(alertCard(a).footer).toContain('· list published 2025-12-18 ·');
    expect(await statusText(store, server.url(p))).toContain('  list published 2025-12-18\n');
    const listed = [...(await store.getSnapshot('ofac-sdn'))!.entries.values()][0]!.record.name;
    // The lists not polled here answer from the bundled snapshot, and say so with its date.
    expect(await entityFooter(store, listed)).toMatch(/^OFAC SDN list published 2025-12-18; UN Security Council from the bundled snapshot of 2026-02-27; .*; \d+ bundled seed record\(s\)$/);
    await store.close();
  });
});

describe('over HTTP, sdn.csv (no date of its own) with a Last-Modified header', () => {
  it('dates everything with the server Last-Modified and says so', async () => {
    const store = await openStore('memory:', `dates-${ns++}`);
    const p = '/ofac/sdn_list.csv';
    server.set(p, { kind: 'document', body: CSV_APR12, lastModified: 'Tue, 12 Apr 2022 02:00:00 GMT' });
    const alerts = await pollPair(store, server.url(p), () =>
      server.set(p, { kind: 'document', body: CSV_APR14, lastModified: 'Thu, 14 Apr 2022 18:40:00 GMT' }),
    );
    const [a] = alerts as [Alert & { listDate?: string; listDateBasis?: string }];
    expect([a.listDate, a.listDateBasis]).toEqual(['2022-04-14T18:40:00.000Z', 'last-modified']);
    const phrase = 'list last modified 2022-04-14 (server Last-Modified)';
    expect(renderAlertText(a)).toContain(phrase);
    expect(alertCard(a).footer).toContain(phrase);
    expect(await statusText(store, server.url(p))).toContain(`  ${phrase}\n`);
    expect(await entityFooter(store, 'Lazarus Group')).toMatch(/^OFAC SDN list last modified 2022-04-14 \(server Last-Modified\); UN Security Council from the bundled snapshot of 2026-02-27; .*; \d+ bundled seed record\(s\)$/);
    await store.close();
  });
});

describe('from file:// (a mirror on disk), sdn.csv with no date of its own', () => {
  it("shows no list date anywhere, whatever the file's mtime", async () => {
    // Fresh copies: their mtime is now, the date the old code showed as the list's.
    const dir = mkdtempSync(path.join(tmpdir(), 'dprk-dates-'));
    try {
      const store = await openStore('memory:', `dates-${ns++}`);
      const file = path.join(dir, 'sdn_list.csv');
      const url = pathToFileURL(file).href;
      copyFileSync(path.join(REAL, 'ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv'), file);
      const alerts = await pollPair(store, url, () => copyFileSync(path.join(REAL, 'ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv'), file));
      const [a] = alerts as [Alert & { listDate?: string; listDateBasis?: string }];
      expect(a.listDate).toBeUndefined();
      expect(a.listDateBasis).toBeUndefined();
      const shown = [
        renderAlertText(a),
        alertCard(a).footer!,
        // status also says when dprk-watch last polled (today): its list date line is what counts.
        (await statusText(store, url)).split('\n').filter((l) => !l.includes('last attempt')).join('\n') + '\n',
        (await entityFooter(store, 'Lazarus Group'))!,
      ];
      expect(shown[0]).toContain('   list date not published · ');
      expect(shown[1]).toContain('· list date not published ·');
      expect(shown[2]).toContain('  list date not published (the list carries none and no server Last-Modified came with it)\n');
      expect(shown[3]).toMatch(/^OFAC SDN list date not published; /);
      for (const text of shown) expect(text).not.toContain(today());
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a new edition without a date', () => {
  it("drops the previous edition's date from status instead of showing it as the new list's", async () => {
    const store = await openStore('memory:', `dates-${ns++}`);
    const p = '/ofac/undated.csv';
    server.set(p, { kind: 'document', body: CSV_APR12, lastModified: 'Tue, 12 Apr 2022 02:00:00 GMT' });
    await pollPair(store, server.url(p), () => server.set(p, { kind: 'document', body: CSV_APR14 }));
    const status = await store.getStatus('ofac-sdn');
    expect([status?.listDate, status?.listDateBasis]).toEqual([undefined, undefined]);
    expect(await statusText(store, server.url(p))).toContain('  list date not published');
    await store.close();
  });
});

describe('alerts and statuses stored before the kind of date was recorded', () => {
  it('still parse, and show their date with that caveat', async () => {
    // A real alert as an earlier version stored it: a list date, no word on what kind.
    const { listDateBasis: _, ...stored } = { ...JSON.parse(JSON.stringify(await realLazarusAmendment())), listDate: '2022-04-14T18:48:23.000Z' };
    const alert = AlertSchema.parse(stored);
    expect(renderAlertText(alert)).toContain('list as of 2022-04-14 (kind of date not recorded)');
    expect(alertCard(alert).footer).toContain('list as of 2022-04-14 (kind of date not recorded)');

    const store = await openStore('memory:', `dates-${ns++}`);
    await store.setStatus({ source: 'ofac-sdn', url: 'x', lastAttemptAt: 'y', lastSuccessAt: 'y', listDate: '2023-12-01', warnings: [], documents: [] });
    expect(await statusText(store, 'x')).toContain('  list as of 2023-12-01 (kind of date not recorded)\n');
    await store.close();
  });
});
