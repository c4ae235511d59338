import { describe, expect, it } from 'vitest';
import entity from '../../commands/entity.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { loadConfig } from '../../src/config.js';
import { buildServices } from '../../src/services.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import { poll, realFileUrl } from '../helpers/pipeline.js';

describe('the entity card', () => {
  it('answers from the bundled seeds on a fresh install, with the action that announced the party', async () => {
    const store = await openStore('memory:', 'entity-seeds');
    const reply = await runCommand(entity, { services: buildServices(loadConfig({}), store), invoker: { platform: 'cli', canManageChannel: true } }, { query: 'Vitaliy Andreyev' });
    const card = reply.cards?.[0];
    expect(card?.title).toContain('Vitaliy Sergeyevich Andreyev');
    expect(card?.fields.find((f) => f.name === 'Announced')?.value).toMatch(/U\.S\. Department of the Treasury/);
    expect(card?.footer).toMatch(/bundled seed record/);
  });

  it('shows each list designation with wallets, programs, the list date and a link', async () => {
    const store = await openStore('memory:', 'entity-lists');
    await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv')), store);
    const reply = await runCommand(entity, { services: buildServices(loadConfig({}), store), invoker: { platform: 'discord', canManageChannel: false } }, { query: 'Lazarus Group' });
    const card = reply.cards?.[0];
    expect(card?.url).toBe('https://sanctionssearch.ofac.treas.gov/Details.aspx?id=27307');
    expect(card?.fields.find((f) => f.name === 'Wallets')?.value).toContain('ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96');
    expect(card?.fields.find((f) => f.name === 'Programs')?.value).toBe('DPRK3');
    // sdn.csv carries no date, and a file:// copy no server Last-Modified: no invented date.
    expect(card?.footer).toMatch(/^OFAC SDN list date not published; /);
  });
});

describe('organisations from the seeds', () => {
  it('are shown as known context, never as designations, and a fresh install says no list is stored yet', async () => {
    const store = await openStore('memory:', 'entity-orgs');
    const reply = await runCommand(entity, { services: buildServices(loadConfig({}), store), invoker: { platform: 'cli', canManageChannel: true } }, { query: 'MSMT' });
    const data = reply.data as { results: unknown[]; organisations: Array<{ name: string }> };
    expect(data.results).toEqual([]);
    expect(data.organisations.map((o) => o.name)).toEqual(['Multilateral Sanctions Monitoring Team']);
    expect(reply.text).toMatch(/Known to dprk-watch \(not a designation\): Multilateral Sanctions Monitoring Team/);
    expect(reply.text).toMatch(/No sanctions list has been stored yet/);
  });
});
