import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScreenRow } from '../../src/screen/engine.js';
import { parseOfacCsv } from '../../src/sources/ofac/csv.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { unScSource } from '../../src/sources/un/source.js';
import { openStore } from '../../src/store/open.js';
import { spawnChild } from '../helpers/children.js';
import { PROCESS_TEST_TIMEOUT_MS, runCli, type CliResult } from '../helpers/cli.js';
import { fixtureText } from '../helpers/fixtures.js';
import { poll, realFileUrl } from '../helpers/pipeline.js';

/**
 * `dprk-watch screen` driven as a user drives it: the real bin, a store holding the real OFAC
 * SDN DPRK subset (2022-04-14) and the real UN DPRK list (2026-02-27), and input rows built
 * from those lists' own names and wallets and from the real FBI attribution file.
 */
const BIN = fileURLToPath(new URL('../../bin/dprk-watch.js', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'dprk-screen-'));
const env = { STORE_URL: `sqlite://${path.join(dir, 'state.sqlite')}`, SOURCES: 'ofac-sdn,un-sc' };
const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

const SUBSET = 'ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv';
const ofac = parseOfacCsv({ sdn: fixtureText(`real/${SUBSET}`) }).records;
/** Real list names: the subset's first 30 entities and individuals, as the list writes them. */
const NAMES = ofac.slice(0, 30).map((r) => r.name);
const FBI = fixtureText('real/fbi_attributed_addresses/fbi_psa250226_tradertraitor_eth_addresses.csv').trim().split('\n').slice(1);
const OFAC_LAZARUS_WALLET = '0x098B716B8Aaf21512996dC57EB0615e2383E2f96';
/** Names no list carries (checked below: each screens as no match). */
const CLEAN = ['Northwind Traders Pty Ltd', 'Maria Gonzalez Fernandez', 'Blue Harbour Bakery'];

/** The bin with `stdin` piped in (runCli has no standard input). */
function runWithStdin(args: string[], stdin: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REPORT_FEEDS: 'none', HEALTH_PORT: '0', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin!.end(stdin);
  });
}

const jsonRows = (r: CliResult): ScreenRow[] => r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ScreenRow);

beforeAll(async () => {
  const store = await openStore(env.STORE_URL, 'dprk-watch');
  await poll(ofacSdnSource(realFileUrl(SUBSET)), store);
  await poll(unScSource(realFileUrl('un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml')), store);
  await store.close();
}, PROCESS_TEST_TIMEOUT_MS);
// The 200 MB file and the store go with the test.
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dprk-watch screen', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('answers one row per input row: names fuzzily, wallets exactly in any case, attributions apart; exit 1 on a hit', async () => {
    const rows = [
      ['name', 'note'],
      ...NAMES.map((n) => [n, 'list name']),
      [NAMES[0]!.toLowerCase().replace(/ /g, '  '), 'case and spacing'],
      [OFAC_LAZARUS_WALLET.toLowerCase(), 'OFAC wallet, lower case'],
      ...FBI.slice(0, 5).map((a, i) => [i % 2 ? a.toLowerCase() : `0X${a.slice(2).toUpperCase()}`, 'FBI wallet']),
      ...CLEAN.map((n) => [n, 'nobody']),
      ['', 'empty cell'],
    ];
    const csv = rows.map((r) => r.map((c) => `"${c}"`).join(',')).join('\r\n');
    const r = await runCli(['screen', file('mixed.csv', csv), '--column', 'name', '--json'], env);
    expect(r.stderr).not.toContain('\r'); // no progress bar when stderr is not a terminal
    expect(r.code).toBe(1);
    const out = jsonRows(r);
    // Every row answered, in order, with its line number (the header is line 1).
    expect(out.map((o) => o.line)).toEqual(rows.slice(1).map((_, i) => i + 2));
    const names = out.slice(0, NAMES.length);
    for (const [i, o] of names.entries()) {
      expect(o.kind).toBe('name');
      expect(o.match?.score).toBe(1);
      expect(o.lists.length).toBeGreaterThan(0);
      if (o.match?.source === 'ofac-sdn') expect(o.match.name).toBe(NAMES[i]);
    }
    // Names are matched after legal forms are set aside, so "HESONG TRADING CORPORATION" may find
    // the UN's "HESONG TRADING COMPANY" first; nearly every row still finds its OFAC record.
    expect(names.filter((o) => o.lists.includes('OFAC SDN')).length).toBeGreaterThanOrEqual(NAMES.length - 2);
    // Parties both lists carry say so.
    expect(names.some((o) => o.lists.length === 2)).toBe(true);
    const rest = out.slice(NAMES.length);
    expect(rest[0]!.match?.name).toBe(NAMES[0]);
    expect(rest[1]).toMatchObject({ kind: 'address', match: { name: 'LAZARUS GROUP', sourceId: '27307', matchKind: 'identifier', score: 1 }, attributions: [] });
    for (const o of rest.slice(2, 7)) {
      expect(o).toMatchObject({ kind: 'address', match: null, lists: [], hit: true });
      expect(o.attributions).toEqual([expect.objectContaining({ attributedBy: 'Federal Bureau of Investigation', actor: 'TraderTraitor', sanctioned: false, url: 'https://www.ic3.gov/PSA/2025/PSA250226' })]);
    }
    for (const o of rest.slice(7, 10)) expect(o).toMatchObject({ kind: 'name', match: null, attributions: [], hit: false });
    expect(rest[10]).toMatchObject({ kind: 'empty', input: '', hit: false });
    expect(r.stderr).toContain(`screened ${rows.length - 1} row(s): ${NAMES.length + 2} on a sanctions list, 5 attributed wallet(s)`);
  });

  it('exits 0 when nothing matches; reads standard input; --csv and the text form', async () => {
    const input = `${CLEAN.join('\n')}\n`;
    const csv = await runWithStdin(['screen', '-', '--csv'], input);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('line,input,kind,match,score,source,source_id,dprk,lists,url,attributed_by,attribution,attribution_url');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(CLEAN.map((n, i) => `${i + 1},${n},name`));
    const text = await runWithStdin(['screen', '-'], `address\n${FBI[10]!.toLowerCase()}\n`);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe(
      `line 2 · address · "${FBI[10]!.toLowerCase()}" → not on any sanctions list; attributed by Federal Bureau of Investigation: TraderTraitor (Lazarus Group) — Bybit theft, PSA I-022625-PSA of 2025-02-26 https://www.ic3.gov/PSA/2025/PSA250226\n`,
    );
  });

  it('--min-score decides what a near name counts as', async () => {
    const typo = NAMES.find((n) => n.length > 20)!.replace(/A/, 'E');
    const strict = await runWithStdin(['screen', '-', '--json', '--min-score', '0.999'], `${typo}\n`);
    expect(strict.code).toBe(0);
    expect(jsonRows(strict)[0]!.match).toBeNull();
    const loose = await runWithStdin(['screen', '-', '--json', '--min-score', '0.8'], `${typo}\n`);
    expect(loose.code).toBe(1);
    expect(jsonRows(loose)[0]!.match!.score).toBeLessThan(1);
    const bad = await runWithStdin(['screen', '-', '--min-score', 'high'], 'x\n');
    expect(bad.code).toBe(64);
  });

  describe('bad input is an error with its line and exit 2, never a crash or a dropped row', () => {
    const cases: Array<[string, () => string, RegExp]> = [
      ['UTF-16', () => file('utf16.csv', Buffer.from(`\ufeffname\n${NAMES[0]}\n`, 'utf16le')), /line 1: the input is UTF-16 .*save it as UTF-8/],
      ['UTF-16 without a byte-order mark', () => file('utf16-nobom.csv', Buffer.from(`name\n${NAMES[0]}\n`, 'utf16le')), /line 1: a NUL byte: the input is not UTF-8 text/],
      ['invalid UTF-8', () => file('latin1.csv', Buffer.concat([Buffer.from(`name\n${NAMES[0]}\n${NAMES[1]}\n`), Buffer.from('Kang Song-h\xe9\n', 'latin1')])), /line 4: invalid UTF-8 \(byte 0xe9\)/],
      ['a missing column', () => file('nocol.csv', `wallet,note\n${FBI[0]},x\n`), /line 1: no column "name" in the header \(columns: "wallet", "note"\)/],
      ['a short row', () => file('short.csv', `name,note\n${NAMES[0]},x\n${NAMES[1]}\n`), /line 3: 1 field\(s\) where the header has 2/],
      ['an unclosed quote', () => file('quote.csv', `name,note\n${NAMES[0]},x\n"${NAMES[1]},x\n`), /line \d+: a quoted value is never closed/],
    ];
    for (const [what, make, message] of cases)
      it(what, async () => {
        const r = await runCli(['screen', make(), '--column', 'name', '--json'], env);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      });

    it('a 200 MB line: refused at the row limit, reading on in constant memory', async () => {
      const p = path.join(dir, 'huge.csv');
      const fd = openSync(p, 'w');
      writeSync(fd, `name\n${NAMES[0]}\n`);
      const mb = Buffer.alloc(1024 * 1024, 'A');
      for (let i = 0; i < 200; i++) writeSync(fd, mb);
      writeSync(fd, `\n${NAMES[1]}\n`);
      closeSync(fd);
      const r = await runCli(['screen', p, '--json'], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/huge\.csv: line 3: a row longer than the limit of 1048576 bytes.*stopped after 1 row\(s\)/);
      // The row before the bad one was answered, not dropped.
      expect(jsonRows(r).map((o) => o.match?.name)).toEqual([NAMES[0]]);
    });

    it('a file that is not there', async () => {
      const r = await runCli(['screen', path.join(dir, 'missing.csv')], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/cannot read .*missing\.csv: ENOENT/);
    });
  });

  it('100,000 rows stream through, each answered once', async () => {
    const p = path.join(dir, 'many.csv');
    const fd = openSync(p, 'w');
    writeSync(fd, 'name\n');
    const pool = [...NAMES, ...CLEAN, ...FBI, OFAC_LAZARUS_WALLET];
    let chunk = '';
    for (let i = 0; i < 100_000; i++) {
      chunk += `${pool[i % pool.length]}\n`;
      if (chunk.length > 1 << 16) (writeSync(fd, chunk), (chunk = ''));
    }
    writeSync(fd, chunk);
    closeSync(fd);
    const r = await runCli(['screen', p, '--csv'], env);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n').filter(Boolean).slice(1);
    expect(lines).toHaveLength(100_000);
    expect(lines.at(-1)!.startsWith('100001,')).toBe(true);
    expect(r.stderr).toMatch(/screened 100000 row\(s\)/);
  });

  // util-linux `script` gives the bin a terminal; without it there is no terminal to test on.
  it.skipIf(!existsSync('/usr/bin/script'))('draws a progress bar on stderr when it is a terminal, and keeps stdout clean', async () => {
    const p = file('tty.csv', `name\n${Array.from({ length: 300 }, (_, i) => NAMES[i % NAMES.length]).join('\n')}\n`);
    const out = path.join(dir, 'tty.out');
    const r = await new Promise<CliResult>((resolve, reject) => {
      const child = spawnChild('/usr/bin/script', ['-qec', `"${process.execPath}" "${BIN}" screen "${p}" --csv > "${out}"`, '/dev/null'], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REPORT_FEEDS: 'none', HEALTH_PORT: '0', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr: '' }));
    });
    expect(r.code).toBe(1);
    // What the terminal showed: the bar, redrawn in place, ending full.
    expect(r.stdout).toMatch(/\r\[#{30}\] 100% 300 rows screened/);
    const csv = readFileSync(out, 'utf8');
    expect(csv).not.toContain('rows screened');
    expect(csv.trim().split('\n')).toHaveLength(301);
  });

  it('warns when no list is stored yet, and still answers the attributions', async () => {
    const fresh = { STORE_URL: `sqlite://${path.join(dir, 'fresh.sqlite')}` };
    const r = await runCli(['screen', file('fresh.csv', `address\n${FBI[3]}\n`), '--json'], fresh);
    expect(r.stderr).toMatch(/warning: no sanctions list has been stored yet/);
    expect(r.code).toBe(1);
    expect(jsonRows(r)[0]!.attributions).toHaveLength(1);
  });

  it('`lookup` names an FBI-attributed wallet typed in capitals as attributed, not sanctioned', async () => {
    const r = await runCli(['lookup', `0x${FBI[20]!.slice(2).toUpperCase()}`], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/is not on any sanctions list searched \(OFAC SDN .*UN Security Council/);
    expect(r.stdout).toContain('It is attributed by the FBI to TraderTraitor (Lazarus Group) — Bybit theft, PSA of 2025-02-26: https://www.ic3.gov/PSA/2025/PSA250226');
    expect(r.stdout).not.toMatch(/SANCTIONED|\bsanctioned\b/);
  });
});
