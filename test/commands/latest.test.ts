import { describe, expect, it } from 'vitest';
import latest from '../../commands/latest.js';
import { loadConfig } from '../../src/config.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { buildServices } from '../../src/services.js';
import type { Store } from '../../src/store/store.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import { poll, realFileUrl } from '../helpers/pipeline.js';

const run = (store: Store, args: Record<string, unknown>) =>
  runCommand(latest, { services: buildServices(loadConfig({}), store), invoker: { platform: 'cli', canManageChannel: true } }, args);

describe('latest', () => {
  it('lists the newest designation alerts first, filtered by kind, and validates its arguments', async () => {
    const store = await openStore('memory:', 'latest-cmd');
    await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_2023-11-30.csv.gz')), store);
    await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_2023-12-01.csv.gz')), store);

    const reply = await run(store, { kind: 'designations', limit: 3 });
    const alerts = (reply.data as { alerts: Array<{ kind: string; summary: string }> }).alerts;
    expect(alerts).toHaveLength(3);
    expect(alerts.every((a) => a.kind === 'designation.added')).toBe(true);
    expect(alerts[0]!.summary).toContain('CHOE, Un Hyok'); // the last of the nine recorded
    expect(reply.text).toMatch(/^Latest designations:/);
    // The date on each line is when dprk-watch detected the change, and says so.
    expect(reply.text.split('\n').filter((l) => l.startsWith('🔴 ADDED'))).toHaveLength(3);
    for (const l of reply.text.split('\n').filter((x) => x.startsWith('🔴 ADDED'))) expect(l).toMatch(/ · detected \d{4}-\d\d-\d\d$/);

    expect((await run(store, { kind: 'verdicts' })).text).toBe('No verdicts yet.');
    const bad = await run(store, { kind: 'everything' as never, limit: 99 });
    expect(bad.ephemeral).toBe(true);
    expect(bad.text).toMatch(/kind: kind must be one of: designations, reports, verdicts, all; limit: limit is at most 25\. Try dprk-watch help latest\./);
  });
});
