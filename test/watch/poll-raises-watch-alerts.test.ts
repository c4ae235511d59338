/**
 * The hook as the bot runs it: App.poll stores the real 2022-04-14 edition of OFAC's DPRK subset,
 * checks the watchlists, and its delivery hands the one watch alert to the outputs; the next
 * poll hands none.
 */
import { describe, expect, it } from 'vitest';
import watch from '../../commands/watch.js';
import { App } from '../../src/app.js';
import type { Services } from '../../src/commands/context.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { loadConfig } from '../../src/config.js';
import type { Alert } from '../../src/core/alerts.js';
import { AttributionIndex } from '../../src/search/attributions.js';
import { LookupService } from '../../src/search/lookup-service.js';
import { bundledAttributions } from '../../src/seeds/attributions.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import { checkWatchlists } from '../../src/watch/match.js';
import { realFileUrl, recordingLog } from '../helpers/pipeline.js';

describe('App.poll and watchlists', () => {
  it('a new edition that designates a watched wallet delivers one watch alert, once', async () => {
    const store = await openStore('memory:', 'watch-app');
    const config = loadConfig({ STORE_URL: 'memory:', REPORT_FEEDS: 'none', ALERT_SCOPE: 'dprk' });
    const lookup = new LookupService(store, ['ofac-sdn']);
    const attributions = new AttributionIndex(bundledAttributions());
    const delivered: Alert[] = [];
    const app = new App({
      config,
      store,
      log: recordingLog(),
      outputs: [{ name: 'test', deliver: async (a) => void delivered.push(a) }],
      sources: [],
      afterListStored: () => checkWatchlists({ store, lookup, attributions }),
    });
    expect((await app.poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv')))).result.outcome).toBe('baseline');
    const services = { store, lookup, attributions } as unknown as Services;
    await runCommand(watch, { services, invoker: { platform: 'slack', workspaceId: 'T1', channelId: 'C1', canManageChannel: true } }, { action: 'add', item: '0x098B716B8AAF21512996DC57EB0615E2383E2F96' });

    const after = ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv'));
    expect((await app.poll(after)).result.outcome).toBe('changed');
    const watchAlerts = delivered.filter((a) => a.kind === 'watch.matched');
    expect(watchAlerts).toHaveLength(1);
    expect(watchAlerts[0]).toMatchObject({ destination: { platform: 'slack', workspaceId: 'T1', channelId: 'C1' }, match: { name: 'LAZARUS GROUP', score: 1 } });
    expect(await store.pendingAlerts()).toEqual([]);

    delivered.length = 0;
    expect((await app.poll(after)).result.outcome).toBe('unchanged');
    expect(delivered).toEqual([]);
    await app.close();
    await store.close();
  });
});
