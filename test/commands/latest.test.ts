import { describe, expect, it } from 'vitest';
import { handler } from '../../commands/latest.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import { poll, realFileUrl } from '../helpers/pipeline.js';

describe('latest', () => {
  it('lists the newest designation alerts first, filtered by kind, and validates its arguments', async () => {
    const store = await openStore('memory:', 'latest-cmd');
    await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_2023-11-30.csv.gz')), store);
    await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_2023-12-01.csv.gz')), store);

    const reply = await handler({ store }, { kind: 'designations', limit: 3 });
    const alerts = (reply.data as { alerts: Array<{ kind: string; summary: string }> }).alerts;
    expect(alerts).toHaveLength(3);
    expect(alerts.every((a) => a.kind === 'designation.added')).toBe(true);
    expect(alerts[0]!.summary).toContain('CHOE, Un Hyok'); // the last of the nine recorded
    expect(reply.text).toMatch(/^Latest designations:/);

    expect((await handler({ store }, { kind: 'verdicts' })).text).toBe('No verdicts yet.');
    const bad = await handler({ store }, { kind: 'everything' as never, limit: 99 });
    expect(bad.ephemeral).toBe(true);
    expect(bad.text).toMatch(/kind must be one of: designations, reports, verdicts, all; limit is at most 25/);
  });
});
