import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { configuredSources } from '../../../src/sources/registry.js';

describe('au-dfat settings and registry', () => {
  it('is polled by default from DFAT\'s .xlsx at minute 30, and AU_DFAT_URL / AU_DFAT_CRON override it', () => {
    const dfat = configuredSources(loadConfig({})).find((s) => s.id === 'au-dfat');
    expect(dfat).toMatchObject({
      id: 'au-dfat',
      label: 'Australia DFAT',
      url: 'https://www.dfat.gov.au/sites/default/files/Australian_Sanctions_Consolidated_List.xlsx',
      cron: '30 * * * *',
    });
    const mirrored = configuredSources(
      loadConfig({ SOURCES: 'au-dfat', AU_DFAT_URL: 'file:///mirror/dfat.xlsx', AU_DFAT_CRON: '0 */6 * * *' }),
    ).filter((s) => !s.id.includes(':'));
    expect(mirrored.map((s) => [s.id, s.url, s.cron])).toEqual([['au-dfat', 'file:///mirror/dfat.xlsx', '0 */6 * * *']]);
  });
});
