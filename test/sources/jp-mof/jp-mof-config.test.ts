import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { configuredSources } from '../../../src/sources/registry.js';

describe('jp-mof settings', () => {
  it('defaults to MOF’s list page, polled at minute 25, and is one of the default SOURCES', () => {
    const c = loadConfig({});
    expect(c.JP_MOF_URL).toBe('https://www.mof.go.jp/policy/international_policy/gaitame_kawase/gaitame/economic_sanctions/list.html');
    expect(c.JP_MOF_CRON).toBe('25 * * * *');
    const jp = configuredSources(c).find((s) => s.id === 'jp-mof');
    expect(jp).toMatchObject({ label: 'Japan MOF', url: c.JP_MOF_URL, cron: '25 * * * *' });
  });

  it('takes a workbook URL and a cron from the environment', () => {
    const c = loadConfig({ SOURCES: 'jp-mof', JP_MOF_URL: 'file:///mirror/shisantouketsu20220509.xlsx', JP_MOF_CRON: '*/10 * * * *' });
    expect(configuredSources(c).filter((s) => !s.id.includes(':')).map((s) => [s.id, s.url, s.cron])).toEqual([['jp-mof', 'file:///mirror/shisantouketsu20220509.xlsx', '*/10 * * * *']]);
  });
});
