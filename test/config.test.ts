import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, loadConfig } from '../src/config.js';
import { LIST_IDS } from '../src/core/designation.js';

describe('loadConfig', () => {
  it('runs on the embedded defaults with an empty environment: SQLite, console, every list, DPRK scope', () => {
    const c = loadConfig({});
    expect(c.STORE_URL).toBe('sqlite://./data/dprk-watch.sqlite');
    // Every list in the catalogue (src/core/lists.ts), in its order.
    expect(c.SOURCES).toEqual([...LIST_IDS]);
    expect(c.SOURCES.slice(0, 2)).toEqual(['ofac-sdn', 'un-sc']);
    expect(c.OFAC_SDN_URL).toBe(DEFAULTS.OFAC_SDN_URL);
    expect(c.OFAC_SDN_CRON).toBe('*/30 * * * *');
    expect(c.UN_SC_CRON).toBe('0 * * * *');
    expect(c.AU_DFAT_URL).toBe('https://www.dfat.gov.au/sites/default/files/Australian_Sanctions_Consolidated_List.xlsx');
    expect(c.AU_DFAT_CRON).toBe('30 * * * *');
    expect(c.ALERT_SCOPE).toBe('dprk');
    expect(c.MAX_REMOVAL_SHARE).toBe(0.05);
    expect(c.ALERT_OUTPUTS).toEqual(['console']);
  });

  it('treats empty strings as unset (a copied .env.example with blanks still works)', () => {
    expect(loadConfig({ ALERT_SCOPE: '', STORE_URL: '  ' }).ALERT_SCOPE).toBe('dprk');
  });

  it('accepts file:// mirrors, Redis and a source subset', () => {
    const c = loadConfig({ OFAC_SDN_URL: 'file:///mirror/sdn.csv', STORE_URL: 'redis://127.0.0.1:6379', SOURCES: 'un-sc' });
    expect(c.SOURCES).toEqual(['un-sc']);
  });

  it('keeps deployments sharing one store apart by STORE_NAMESPACE (default dprk-watch, checked)', () => {
    expect(loadConfig({}).STORE_NAMESPACE).toBe('dprk-watch');
    expect(loadConfig({ STORE_NAMESPACE: 'staging' }).STORE_NAMESPACE).toBe('staging');
    expect(() => loadConfig({ STORE_NAMESPACE: 'prod:eu' })).toThrow(/STORE_NAMESPACE.*letters, digits/);
  });

  it('lists every problem at once', () => {
    let err: unknown;
    try {
      loadConfig({ SOURCES: 'ofac-sdn,eu', FETCH_TIMEOUT_MS: 'soon', CRON_TIMEZONE: 'Mars/Olympus', OFAC_SDN_CRON: '61 * * * *' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    for (const name of ['SOURCES', 'FETCH_TIMEOUT_MS', 'CRON_TIMEZONE', 'OFAC_SDN_CRON']) expect(problems).toContain(name);
    expect((err as ConfigError).problems).toHaveLength(4);
  });
});
