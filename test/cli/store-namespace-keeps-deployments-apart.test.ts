import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROCESS_TEST_TIMEOUT_MS, runCli } from '../helpers/cli.js';
import { realFileUrl } from '../helpers/pipeline.js';

const dir = mkdtempSync(path.join(tmpdir(), 'dprk-ns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('STORE_NAMESPACE', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('two deployments on one store file see only their own state', async () => {
    const env = { STORE_URL: `sqlite://${path.join(dir, 'shared.sqlite')}`, SOURCES: 'ofac-sdn', OFAC_SDN_URL: realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv') };
    expect((await runCli(['poll', '--once'], { ...env, STORE_NAMESPACE: 'staging' })).code).toBe(0);
    const status = async (ns: string) => JSON.parse((await runCli(['status', '--json'], { ...env, STORE_NAMESPACE: ns })).stdout).sources[0];
    expect(await status('staging')).toMatchObject({ source: 'ofac-sdn', state: 'ok', recordCount: 529 });
    expect((await status('production')).recordCount ?? null).toBeNull();
  });
});
