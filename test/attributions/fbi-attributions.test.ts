import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import address from '../../commands/address.js';
import entity from '../../commands/entity.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { loadConfig } from '../../src/config.js';
import { AttributionIndex } from '../../src/search/attributions.js';
import { bundledAttributions, loadAttributions } from '../../src/seeds/attributions.js';
import { DEFAULT_SEEDS_DIR, SeedError } from '../../src/seeds/load.js';
import { buildServices } from '../../src/services.js';
import { ofacSdnSource } from '../../src/sources/ofac/source.js';
import { openStore } from '../../src/store/open.js';
import { fixtureText } from '../helpers/fixtures.js';
import { poll, realFileUrl } from '../helpers/pipeline.js';

/** The real FBI file (PSA I-022625-PSA, 51 Ethereum addresses), as staged with its provenance. */
const FBI = fixtureText('real/fbi_attributed_addresses/fbi_psa250226_tradertraitor_eth_addresses.csv').trim().split('\n');
const FBI_ADDRESSES = FBI.slice(1);
const PHRASE = 'attributed by the FBI to TraderTraitor (Lazarus Group) — Bybit theft, PSA of 2025-02-26';
const PSA_URL = 'https://www.ic3.gov/PSA/2025/PSA250226';
/** On the OFAC SDN list (Lazarus Group, DPRK3) in the real 2022-04-14 file. */
const OFAC_LAZARUS_WALLET = '0x098B716B8Aaf21512996dC57EB0615e2383E2f96';

describe('the bundled FBI attribution', () => {
  it('holds exactly the 51 addresses of the real FBI file, in order and as published', () => {
    expect(FBI[0]).toBe('address');
    expect(FBI_ADDRESSES).toHaveLength(51);
    const fbi = bundledAttributions().find((a) => a.id === 'fbi-psa-250226-tradertraitor-bybit');
    expect(fbi?.addresses.map((a) => a.address)).toEqual(FBI_ADDRESSES);
    expect(fbi?.addresses.every((a) => a.chain === 'ethereum')).toBe(true);
    expect(fbi?.url).toBe(PSA_URL);
    expect(new AttributionIndex(bundledAttributions()).size).toBe(51);
  });

  it('matches every address in any letter case, and nothing else', () => {
    const index = new AttributionIndex(bundledAttributions());
    for (const a of FBI_ADDRESSES)
      for (const form of [a, a.toLowerCase(), `0x${a.slice(2).toUpperCase()}`, ` ${a} `])
        expect(index.forAddress(form).map((h) => h.address.address)).toEqual([a]);
    expect(index.forAddress(OFAC_LAZARUS_WALLET)).toEqual([]);
    // One hex digit changed is another wallet.
    const a = FBI_ADDRESSES[0]!;
    expect(index.forAddress(a.slice(0, -1) + (a.endsWith('0') ? '1' : '0'))).toEqual([]);
    expect(index.forAddress('TraderTraitor')).toEqual([]);
  });
});

describe('attribution files are validated', () => {
  const withFile = (doc: unknown): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dprk-attr-'));
    cpSync(path.join(DEFAULT_SEEDS_DIR, 'attributions'), path.join(dir, 'attributions'), { recursive: true });
    writeFileSync(path.join(dir, 'attributions', 'extra.json'), JSON.stringify(doc));
    return dir;
  };
  const real = JSON.parse(readFileSync(path.join(DEFAULT_SEEDS_DIR, 'attributions', 'fbi-psa-250226-tradertraitor-bybit.json'), 'utf8'));
  const problems = (dir: string): string[] => {
    try {
      loadAttributions(dir);
    } catch (e) {
      if (e instanceof SeedError) return e.problems;
      throw e;
    }
    return [];
  };

  it('a second publication loads beside the first', () => {
    const dir = withFile({ ...real, id: 'second', addresses: real.addresses.slice(0, 2) });
    expect(loadAttributions(dir).map((a) => a.id)).toEqual(['second', 'fbi-psa-250226-tradertraitor-bybit']);
    // The same wallet attributed twice is answered with both publications.
    expect(new AttributionIndex(loadAttributions(dir)).forAddress(FBI_ADDRESSES[0]!)).toHaveLength(2);
  });

  it('names the file and path of every problem', () => {
    const bad = {
      ...real,
      id: 'fbi-psa-250226-tradertraitor-bybit',
      published: '2025-02-30',
      addresses: [{ chain: 'ethereum', address: '0x1234' }, real.addresses[0], { ...real.addresses[0], address: real.addresses[0].address.toLowerCase() }],
    };
    const p = problems(withFile(bad));
    expect(p.some((x) => /extra\.json: published: is not a real calendar date/.test(x))).toBe(true);
    expect(p.some((x) => /extra\.json: addresses\[0\]\.address: an EVM-chain address is 0x followed by 40 hex digits/.test(x))).toBe(true);
    const dup = problems(withFile({ ...bad, published: '2025-02-26', addresses: bad.addresses.slice(1) }));
    expect(dup).toEqual(expect.arrayContaining([expect.stringMatching(/: id: duplicate id "fbi-psa-250226-tradertraitor-bybit" \(already used in extra\.json\)/), expect.stringMatching(/extra\.json: addresses\[1\]\.address: same address as addresses\[0\]/)]));
    expect(problems(withFile({ ...real, id: 'x', sanctioned: true }))).toEqual([expect.stringMatching(/extra\.json: \(root\): Unrecognized key/)]);
  });
});

describe('lookups answer an attributed wallet as attributed, never as sanctioned', () => {
  const cli = { platform: 'cli' as const, canManageChannel: true };
  async function services(name: string) {
    const store = await openStore('memory:', name);
    // The real OFAC SDN DPRK subset is stored, so "not on any sanctions list" is said against a real list.
    await poll(ofacSdnSource(realFileUrl('ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv')), store);
    return buildServices(loadConfig({}), store);
  }

  it('/dprk address, in any letter case', async () => {
    const s = await services('attr-address');
    for (const wallet of [FBI_ADDRESSES[7]!, FBI_ADDRESSES[7]!.toLowerCase(), `0x${FBI_ADDRESSES[7]!.slice(2).toUpperCase()}`]) {
      const reply = await runCommand(address, { services: s, invoker: cli }, { wallet });
      expect(reply.text).toContain('is not on any sanctions list searched (OFAC SDN');
      expect(reply.text).toContain(PHRASE);
      expect(reply.text).toContain(PSA_URL);
      expect(reply.text).not.toMatch(/SANCTIONED|\bsanctioned\b/);
      const data = reply.data as { results: unknown[]; attributions: Array<{ address: string; sanctioned: boolean }> };
      expect(data.results).toEqual([]);
      expect(data.attributions).toEqual([expect.objectContaining({ address: FBI_ADDRESSES[7], sanctioned: false })]);
    }
  });

  it('/dprk address keeps a sanctioned wallet sanctioned and unattributed', async () => {
    const reply = await runCommand(address, { services: await services('attr-ofac'), invoker: cli }, { wallet: OFAC_LAZARUS_WALLET.toLowerCase() });
    expect(reply.text).toContain('⚠️ SANCTIONED — LAZARUS GROUP');
    expect(reply.text).not.toContain('attributed by');
    expect((reply.data as { attributions: unknown[] }).attributions).toEqual([]);
  });

  it('/dprk entity (CLI lookup) and its card', async () => {
    const reply = await runCommand(entity, { services: await services('attr-entity'), invoker: cli }, { query: FBI_ADDRESSES[50]!.toLowerCase() });
    expect(reply.text).toMatch(/is not on any sanctions list searched \(OFAC SDN /);
    expect(reply.text).toContain(`It is ${PHRASE}: ${PSA_URL}`);
    expect(reply.text).not.toMatch(/SANCTIONED|\bsanctioned\b/);
    const data = reply.data as { results: unknown[]; attributions: Array<{ actor: string }> };
    expect(data.results).toEqual([]);
    expect(data.attributions.map((a) => a.actor)).toEqual(['TraderTraitor']);
    expect(reply.cards).toHaveLength(1);
    const card = reply.cards![0]!;
    expect(card.title).toBe(`🟠 ${FBI_ADDRESSES[50]}`);
    expect(card.url).toBe(PSA_URL);
    expect(card.description).toBe(`Not on any sanctions list searched, but ${PHRASE}`);
    expect(card.fields.find((f) => f.name === 'Attributed by')?.value).toBe('Federal Bureau of Investigation — PSA I-022625-PSA of 2025-02-26');
    expect(card.footer).toMatch(/^Attribution, not a designation/);
  });
});
