/**
 * A fresh install answers lookups with no network: each list not yet polled answers from the
 * bundled snapshot (seeds/snapshot/lists.json.gz, built by scripts/build-snapshot.ts from real
 * published files), and every such answer says so with the snapshot's date. The first successful
 * poll of a list replaces it — and is still a baseline: no alerts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import entity from '../../commands/entity.js';
import address from '../../commands/address.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { loadConfig } from '../../src/config.js';
import type { ListEdition } from '../../src/search/lookup-service.js';
import { loadBundledSnapshot } from '../../src/seeds/snapshot.js';
import { buildServices } from '../../src/services.js';
import { parseDfatWorkbook } from '../../src/sources/au-dfat/spreadsheet.js';
import { parseEuFsfXml } from '../../src/sources/eu-fsf/xml.js';
import { parseJpMofWorkbook } from '../../src/sources/jp-mof/workbook.js';
import { parseOfacCsv } from '../../src/sources/ofac/csv.js';
import { parseUkXml } from '../../src/sources/uk-sanctions/xml.js';
import { unScSource } from '../../src/sources/un/source.js';
import { parseUnXml } from '../../src/sources/un/xml.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { PROCESS_TEST_TIMEOUT_MS, runCli } from '../helpers/cli.js';
import { fixtureBytes, fixtureText } from '../helpers/fixtures.js';
import { poll, realFileUrl } from '../helpers/pipeline.js';

const snapshot = loadBundledSnapshot();
const cli = { platform: 'cli' as const, canManageChannel: true };
const answer = async (store: Store, query: string) =>
  runCommand(entity, { services: buildServices(loadConfig({}), store), invoker: cli }, { query });

describe('the bundled snapshot', () => {
  it('holds the DPRK-relevant records of six lists, each exactly what our parser reads from the real file it names', () => {
    const parsers: Record<string, () => { records: Array<{ dprk: boolean }> }> = {
      'real/ofac_sdn_csv/sdn_2023-12-01.csv.gz': () => parseOfacCsv({ sdn: fixtureText('real/ofac_sdn_csv/sdn_2023-12-01.csv.gz') }),
      'real/un_consolidated_xml/consolidated_2026-02-27.xml.gz': () => parseUnXml(fixtureText('real/un_consolidated_xml/consolidated_2026-02-27.xml.gz')),
      'real/eu_fsf_xml/eu_fsf_20220318_gfid137925_PRK_only.xml': () => parseEuFsfXml(fixtureText('real/eu_fsf_xml/eu_fsf_20220318_gfid137925_PRK_only.xml')),
      'real/uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz': () => parseUkXml(fixtureText('real/uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz')),
      'real/jp_mof_xls/mof_shisantouketsu_saved2022-05-09.xls.gz': () => parseJpMofWorkbook(fixtureBytes('real/jp_mof_xls/mof_shisantouketsu_saved2022-05-09.xls.gz'), 'jp-mof-xls'),
      'real/au_dfat/dfat_regulation8_consolidated_2024-11-11.xlsx.gz': () => parseDfatWorkbook(fixtureBytes('real/au_dfat/dfat_regulation8_consolidated_2024-11-11.xlsx.gz'), 'xlsx'),
    };
    // Switzerland is absent: no real SECO file exists here, and a built one must not pose as the list.
    expect(snapshot.lists.map((l) => [l.source, l.listDate, l.records.length])).toEqual([
      ['ofac-sdn', '2023-12-01', 587],
      ['un-sc', '2026-02-27', 155],
      ['eu-fsf', '2022-03-18', 46],
      ['uk-sanctions', '2026-03-26', 261],
      ['jp-mof', '2022-05-09', 302],
      ['au-dfat', '2024-11-11', 211],
    ]);
    for (const list of snapshot.lists) {
      const parse = parsers[list.file];
      expect(parse, list.file).toBeDefined();
      expect(list.records, list.source).toEqual(parse!().records.filter((r) => r.dprk));
      expect(list.provenance).toMatch(/PROVENANCE\.md|SOURCES\.md/);
    }
  });
});

describe('a fresh install, nothing polled', () => {
  it('answers a lookup from the snapshot and says so, with each list and its date', async () => {
    const store = await openStore('memory:', 'bundled-fresh');
    const reply = await answer(store, 'Kim Jong Un');
    const data = reply.data as { results: Array<{ source: string; sourceId: string }>; editions: ListEdition[] };
    expect(data.results[0]).toMatchObject({ source: 'ofac-sdn', sourceId: '20157' });
    expect(data.editions.filter((e) => e.bundled).map((e) => e.source)).toEqual(['ofac-sdn', 'un-sc', 'eu-fsf', 'uk-sanctions', 'jp-mof', 'au-dfat']);
    expect(reply.text).toContain('OFAC SDN from the bundled snapshot of 2023-12-01');
    expect(reply.text).toMatch(/📦 Answered from the bundled snapshot of 2022-03-18, 2022-05-09, 2023-12-01, 2024-11-11, 2026-02-27, 2026-03-26; run a poll for today's lists/);
    // The address command says it too.
    const wallet = await runCommand(address, { services: buildServices(loadConfig({}), store), invoker: cli }, { wallet: '0x098B716B8Aaf21512996dC57EB0615e2383E2f96' });
    expect(wallet.text).toMatch(/SANCTIONED — LAZARUS GROUP · OFAC SDN 27307/);
    expect(wallet.text).toMatch(/📦 Answered from the bundled snapshot of/);
    await store.close();
  });

  it('the first poll of a list replaces its snapshot, raises no alert, and the answer names what was polled', async () => {
    const store = await openStore('memory:', 'bundled-then-polled');
    const first = await poll(unScSource(realFileUrl('un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml')), store);
    expect(first.outcome).toBe('baseline');
    expect(first.alerts).toEqual([]);
    expect(await store.pendingAlerts()).toEqual([]);
    const reply = await answer(store, 'Korea Mining Development Trading Corporation');
    const editions = (reply.data as { editions: ListEdition[] }).editions;
    const un = editions.find((e) => e.source === 'un-sc')!;
    expect(un.bundled).toBeUndefined();
    expect(un.recordCount).toBe(155);
    expect(editions.filter((e) => e.bundled).map((e) => e.source)).toEqual(['ofac-sdn', 'eu-fsf', 'uk-sanctions', 'jp-mof', 'au-dfat']);
    expect(reply.text).toMatch(/📦 OFAC SDN, EU Financial Sanctions, UK Sanctions List, Japan MOF, Australia DFAT answered from the bundled snapshot of/);
    expect(reply.text).not.toMatch(/No sanctions list has been stored yet/);
    await store.close();
  });
});

describe('through the real CLI with no network', () => {
  it(
    '`dprk-watch lookup "Kim Jong Un"` on a fresh store answers from the snapshot',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'bundled-cli-'));
      try {
        const r = await runCli(['lookup', 'Kim Jong Un'], { STORE_URL: `sqlite://${path.join(dir, 's.sqlite')}` });
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/KIM, Jong Un — OFAC SDN 20157/);
        expect(r.stdout).toMatch(/run a poll for today's lists/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
