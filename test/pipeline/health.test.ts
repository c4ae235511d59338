import { describe, expect, it } from 'vitest';
import { checkSourceHealth } from '../../src/pipeline/health.js';
import { openStore } from '../../src/store/open.js';

const HOUR = 3_600_000;

describe('source-health alerts', () => {
  it('say once that a source has been failing too long, and once that it recovered', async () => {
    const store = await openStore('memory:', 'health');
    const since = '2026-11-25T00:00:00.000Z';
    await store.setStatus({ source: 'un-sc', url: 'https://scsanctions.un.org/x.xml', warnings: [], documents: [], degraded: { reason: 'HTTP 503', since } });

    // Not yet: failing for 5 hours, the threshold is 6.
    expect(await checkSourceHealth(store, 'un-sc', 'UN Security Council', 6 * HOUR, new Date(Date.parse(since) + 5 * HOUR))).toEqual([]);
    const [degraded] = await checkSourceHealth(store, 'un-sc', 'UN Security Council', 6 * HOUR, new Date(Date.parse(since) + 7 * HOUR));
    expect(degraded).toMatchObject({ kind: 'source.degraded', source: 'un-sc', reason: 'HTTP 503', since });
    expect(degraded!.summary).toContain('UN Security Council has been failing since');
    // Still failing an hour later: no second alert for the same outage.
    expect(await checkSourceHealth(store, 'un-sc', 'UN Security Council', 6 * HOUR, new Date(Date.parse(since) + 8 * HOUR))).toEqual([]);

    const status = (await store.getStatus('un-sc'))!;
    const { degraded: _, ...healthy } = status;
    await store.setStatus({ ...healthy, lastSuccessAt: '2026-11-25T09:00:00.000Z' });
    const [recovered] = await checkSourceHealth(store, 'un-sc', 'UN Security Council', 6 * HOUR, new Date(Date.parse(since) + 9 * HOUR));
    expect(recovered).toMatchObject({ kind: 'source.recovered', source: 'un-sc', since });
    expect(await checkSourceHealth(store, 'un-sc', 'UN Security Council', 6 * HOUR)).toEqual([]);
    expect((await store.pendingAlerts()).map((a) => a.kind)).toEqual(['source.degraded', 'source.recovered']);
  });
});
