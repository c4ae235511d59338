/**
 * The web page in a real browser: Debian's Chromium driven by playwright-core loads GET / from
 * the loopback server (real UN DPRK list 2026-02-27 and OFAC DPRK subset 2022-04-12 → 04-14
 * stored), types the API key and a lookup, reads the answer from the DOM, and takes a screenshot
 * into the test's temp dir (UPDATE_DOCS_SCREENSHOT=1 also copies it to docs/page.png for the
 * README). Without /usr/bin/chromium (or CHROMIUM_PATH) it skips and says why.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, startApiServer, type ApiServer } from '../../src/adapters/api/server.js';
import { loadConfig } from '../../src/config.js';
import { buildServices } from '../../src/services.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { unScSource } from '../../src/sources/un/source.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { poll, realFileUrl, recordingLog } from '../helpers/pipeline.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM)
  console.warn(`[web page browser test] no Chromium at ${CHROMIUM}: skipping (apt-get install -y chromium, as .ci/run does, or set CHROMIUM_PATH)`);

const KEY = 'browser-key-0123456789abcdef';
let store: Store;
let closed: ApiServer;
let open: ApiServer;
let browser: Browser | undefined;
let tmp: string;

/** A fresh page that records its script errors and CSP refusals, which must stay empty. */
async function newPage(errors: string[]): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(`console: ${m.text()}`)));
  return page;
}

describe.skipIf(!HAVE_CHROMIUM)('web page in Chromium', () => {
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'dprk-page-'));
    const ofac = realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv');
    const un = realFileUrl('un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml');
    const env = { STORE_URL: 'memory:', SOURCES: 'ofac-sdn,un-sc', OFAC_SDN_URL: ofac, UN_SC_URL: un, REPORT_FEEDS: 'none', API_KEYS: KEY };
    store = await openStore('memory:', 'page-browser-test');
    await poll(ofacSdnSource(ofac), store);
    await poll(unScSource(un), store);
    await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv')), store);
    const off = loadConfig(env);
    const services = buildServices(off, store);
    closed = await startApiServer({ port: 0, host: '127.0.0.1', handle: createApi({ services, log: recordingLog(), settings: off }).handle });
    const on = loadConfig({ ...env, PUBLIC_PAGE: 'on' });
    open = await startApiServer({ port: 0, host: '127.0.0.1', handle: createApi({ services, log: recordingLog(), settings: on }).handle });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await closed?.close();
    await open?.close();
    await store?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('PUBLIC_PAGE off: asks for the key, keeps it in sessionStorage only, then shows the data and answers a lookup', async () => {
    const errors: string[] = [];
    const page = await newPage(errors);
    try {
      await page.goto(`http://127.0.0.1:${closed.port}/`);
      expect(await page.locator('#sources').count()).toBe(0);
      // A wrong key: the server's refusal is shown and no data appears.
      await page.fill('#key', 'wrong-key-0123456789abcdef');
      await page.click('#key-form button:has-text("Use key")');
      await page.locator('#key-state', { hasText: 'The API key is not valid.' }).waitFor();
      expect(await page.locator('#sources').count()).toBe(0);
      await page.fill('#key', KEY);
      await page.click('#key-form button:has-text("Use key")');
      await page.locator('#sources table').waitFor();
      expect(await page.locator('#sources td', { hasText: 'un-sc' }).count()).toBe(1);
      expect(await page.locator('#alerts li').first().textContent()).toMatch(/designation\.amended.*LAZARUS GROUP/);
      expect(await page.locator('#chart .bar').count()).toBeGreaterThan(10);
      expect(await page.evaluate("sessionStorage.getItem('dprk-watch-key')")).toBe(KEY);
      expect(await page.evaluate('localStorage.length')).toBe(0);
      expect(await page.content()).not.toContain(KEY);

      await page.fill('#lookup-q', 'Lazarus Group');
      await page.click('#lookup-form button');
      const first = page.locator('#lookup-out li.result').first();
      await first.waitFor();
      expect(await first.textContent()).toMatch(/^LAZARUS GROUP — ofac-sdn \d+, entity, name/);
      expect(await first.locator('a').getAttribute('href')).toMatch(/^https:\/\//);

      await page.fill('#verdict-q', 'North Korea');
      await page.click('#verdict-form button');
      await page.locator('#verdict-out p:not(.muted)').waitFor();
      expect(await page.locator('#verdict-out').textContent()).toMatch(/No fact-check found|—/);

      const shot = path.join(tmp, 'page.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect((await stat(shot)).size).toBeGreaterThan(10_000);
      console.log(`[web page browser test] screenshot: ${shot}`);
      if (process.env.UPDATE_DOCS_SCREENSHOT === '1') await copyFile(shot, path.join(import.meta.dirname, '../../docs/page.png'));
      // The one refused fetch is the wrong key's; nothing else failed.
      expect(errors).toEqual(['console: Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
    } finally {
      await page.close();
    }
  });

  it('PUBLIC_PAGE on: the data is in the page and a lookup answers without a key', async () => {
    const errors: string[] = [];
    const page = await newPage(errors);
    try {
      await page.goto(`http://127.0.0.1:${open.port}/`);
      expect(await page.locator('#key-form').count()).toBe(0);
      expect(await page.locator('#sources td', { hasText: 'ofac-sdn' }).count()).toBe(1);
      await page.fill('#lookup-q', 'Korea Kwangson Banking');
      await page.click('#lookup-form button');
      await page.locator('#lookup-out li.result').first().waitFor();
      expect(await page.locator('#lookup-out li.result').first().textContent()).toMatch(/KOREA KWANGSON BANKING/i);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
