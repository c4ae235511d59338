import { mkdtempSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PAIRS } from '../../src/cli/demo.js';
import { DesignationAlertSchema } from '../../src/core/alerts.js';
import { PROCESS_TEST_TIMEOUT_MS, runCli } from '../helpers/cli.js';
import { REAL } from '../helpers/fixtures.js';
import { realFileUrl } from '../helpers/pipeline.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const storeUrl = () => `sqlite://${path.join(mkdtempSync(path.join(tmpdir(), 'dprk-cli-')), 'state.sqlite')}`;

describe('dprk-watch demo', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('replays the real Kimsuky pair into the console with no network and no tokens', async () => {
    const r = await runCli(['demo']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/baseline: .* records stored/);
    const added = r.stdout.match(/🔴 ADDED · OFAC SDN · /g) ?? [];
    expect(added.length).toBeGreaterThanOrEqual(8);
    expect(r.stdout).toContain('KIMSUKY');
    expect(r.stdout).toContain('https://sanctionssearch.ofac.treas.gov/Details.aspx?id=45430');
  });
});

describe('dprk-watch demo dates each list by the list or its archive, never by this machine', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  // The bundled copies get a fresh mtime (restored after): the date the demo once showed as the list's.
  const files = Object.values(DEMO_PAIRS).flatMap((p) => [p.before.path, p.after.path]).map((f) => path.join(REAL, f));
  const times = files.map((f) => statSync(f));
  beforeAll(() => {
    const now = new Date();
    for (const f of files) utimesSync(f, now, now);
  });
  afterAll(() => files.forEach((f, i) => utimesSync(f, times[i]!.atime, times[i]!.mtime)));

  const cases: Array<[keyof typeof DEMO_PAIRS, string, string]> = [
    ['kimsuky', "list fetched 2023-11-30 (archive's fetch time)", "list fetched 2023-12-01 (archive's fetch time)"],
    ['lazarus', "list fetched 2022-04-12 (archive's fetch time)", "list fetched 2022-04-14 (archive's fetch time)"],
    ['delisting', 'list published 2025-10-22', 'list published 2025-12-18'],
  ];
  for (const [pair, before, after] of cases) {
    it(`${pair}: ${before} → ${after}`, async () => {
      const day = new Date().toISOString().slice(0, 10);
      const r = await runCli(['demo', '--pair', pair, '--scope', 'all']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`  baseline: \\S+ · ${escape(before)} → baseline of \\d+ records stored`));
      expect(r.stderr).toMatch(new RegExp(`  update: \\S+ · ${escape(after)} → \\d+ change`));
      // Every alert carries the later list's date, saying what kind of date it is.
      const footers = r.stdout.split('\n').filter((l) => / · alert [0-9a-f]{24}$/.test(l));
      expect(footers.length).toBeGreaterThan(0);
      for (const l of footers) expect(l.startsWith(`   ${after} · `)).toBe(true);
      for (const text of [r.stdout, r.stderr]) {
        expect(text).not.toContain(day);
        expect(text).not.toContain(new Date().toISOString().slice(0, 10));
        expect(text).not.toContain('list as of');
      }
    });
  }
});

describe('dprk-watch poll --once --json and status', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('stores a baseline, then prints one JSON alert per line for the real change, logs on stderr', async () => {
    const env = { STORE_URL: storeUrl(), SOURCES: 'ofac-sdn', ALERT_SCOPE: 'all' };
    const first = await runCli(['poll', '--once', '--json'], { ...env, OFAC_SDN_URL: realFileUrl('ofac_sdn_csv/sdn_2023-11-30.csv.gz') });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(/ofac-sdn: baseline of \d+ records stored/);

    const second = await runCli(['poll', '--once', '--json'], { ...env, OFAC_SDN_URL: realFileUrl('ofac_sdn_csv/sdn_2023-12-01.csv.gz') });
    expect(second.code).toBe(0);
    const alerts = second.stdout.trim().split('\n').map((l) => DesignationAlertSchema.parse(JSON.parse(l)));
    expect(alerts.map((a) => a.sourceId)).toEqual(['37656', '37657', '37658', '45430', '46129', '46130', '46131', '46448', '46449']);
    expect(second.stderr).toMatch(/9 change\(s\), 9 new alert\(s\)/);

    // A third run has nothing new to say: alerts were delivered exactly once.
    const third = await runCli(['poll', '--once', '--json'], { ...env, OFAC_SDN_URL: realFileUrl('ofac_sdn_csv/sdn_2023-12-01.csv.gz') });
    expect(third.stdout).toBe('');

    // Lookups answer from the stored list, with no network.
    const lookup = await runCli(['lookup', 'Kim Jong-un', '--json'], env);
    const found = JSON.parse(lookup.stdout);
    expect(found.query).toBe('Kim Jong-un');
    expect(found.results[0]).toMatchObject({ source: 'ofac-sdn', sourceId: '20157', name: 'KIM, Jong Un', score: 1, dprk: true });
    const none = await runCli(['lookup', 'Acme Widgets LLC'], env);
    expect(none.stdout).toMatch(/No match for “Acme Widgets LLC”/);

    const status = await runCli(['status', '--json'], { ...env, OFAC_SDN_URL: realFileUrl('ofac_sdn_csv/sdn_2023-12-01.csv.gz') });
    const [ofac] = JSON.parse(status.stdout).sources;
    expect(ofac).toMatchObject({ source: 'ofac-sdn', state: 'ok', format: 'ofac-csv', degradedReason: null });
    expect(ofac.recordCount).toBeGreaterThan(10_000);
    expect(ofac.dprkCount).toBeGreaterThan(400);
  });

  it('says which source it could not reach, exits 2, and status shows the reason', async () => {
    const env = {
      STORE_URL: storeUrl(),
      SOURCES: 'ofac-sdn,un-sc', // the lists this test serves; no other list is fetched from its real publisher
      OFAC_SDN_URL: realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv'),
      UN_SC_URL: 'http://127.0.0.1:1/consolidated.xml',
      AU_DFAT_URL: 'http://127.0.0.1:1/Australian_Sanctions_Consolidated_List.xlsx',
    };
    const r = await runCli(['poll', '--once'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/✓ ofac-sdn: baseline/);
    expect(r.stderr).toMatch(/✗ un-sc: could not use the source — http:\/\/127\.0\.0\.1:1\/consolidated\.xml could not be reached/);
    const status = await runCli(['status'], env);
    expect(status.stdout).toMatch(/UN Security Council \(un-sc\): ⚠️ degraded/);
    expect(status.stdout).toMatch(/could not be reached/);
  });
});

describe('dprk-watch start', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('polls at once, names the source it could not reach, keeps running, and stops cleanly on SIGTERM', async () => {
    const env = {
      STORE_URL: storeUrl(),
      SOURCES: 'ofac-sdn,un-sc', // the lists this test serves; no other list is fetched from its real publisher
      OFAC_SDN_URL: realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv'),
      UN_SC_URL: 'http://127.0.0.1:1/consolidated.xml',
      AU_DFAT_URL: 'http://127.0.0.1:1/Australian_Sanctions_Consolidated_List.xlsx',
    };
    const r = await runCli(['start'], env, /dprk-watch is running/);
    expect(r.stderr).toMatch(/scheduled ofac-sdn/);
    expect(r.stderr).toMatch(/✓ ofac-sdn: baseline/);
    expect(r.stderr).toMatch(/✗ un-sc: could not use the source/);
    expect(r.stderr).toMatch(/stopping/);
    expect(r.code).toBe(0);
  });
});

describe('configuration', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('exits 78 listing every invalid setting at once', async () => {
    const r = await runCli(['poll', '--once'], {
      OFAC_SDN_URL: 'ftp://example.org/sdn.csv',
      ALERT_SCOPE: 'everything',
      MAX_REMOVAL_SHARE: '2',
      UN_SC_CRON: 'every hour',
      STORE_URL: 'postgres://x',
    });
    expect(r.code).toBe(78);
    for (const name of ['OFAC_SDN_URL', 'ALERT_SCOPE', 'MAX_REMOVAL_SHARE', 'UN_SC_CRON', 'STORE_URL']) expect(r.stderr).toContain(name);
  });
});
