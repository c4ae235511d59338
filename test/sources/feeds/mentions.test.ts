import { describe, expect, it } from 'vitest';
import type { Designation } from '../../../src/core/designation.js';
import { buildSnapshot } from '../../../src/core/snapshot.js';
import { mentionTokens, PartyMatcher } from '../../../src/sources/feeds/mentions.js';
import { storedParties } from '../../../src/sources/feeds/parties.js';
import { openStore } from '../../../src/store/open.js';
import { realParties } from './helpers.js';

const matcher = PartyMatcher.build(realParties());
const ids = (text: string) => matcher.find(text).map((m) => m.sourceId);
const names = (text: string) => matcher.find(text).map((m) => m.name);

function party(over: Partial<Designation> & Pick<Designation, 'sourceId' | 'name'>): Designation {
  return {
    source: 'ofac-sdn',
    type: 'entity',
    programs: ['DPRK3'],
    aliases: [],
    dobs: [],
    placesOfBirth: [],
    nationalities: [],
    addresses: [],
    identifiers: [],
    url: `https://sanctionssearch.ofac.treas.gov/Details.aspx?id=${over.sourceId}`,
    dprk: true,
    dprkReasons: ['program DPRK3'],
    ...over,
  };
}

describe('PartyMatcher on the real OFAC DPRK subset (2022-04-14)', () => {
  it('finds KIM, Jong Un however a press release writes him, possessive included', () => {
    for (const text of ['Kim Jong Un’s weapons programs', "KIM JONG UN's regime", 'leader Kim Jong-un said', 'kim jong un']) {
      expect(ids(text), text).toEqual(['20157']);
    }
    expect(matcher.find('Kim Jong Un')[0]).toEqual({
      source: 'ofac-sdn',
      sourceId: '20157',
      name: 'KIM, Jong Un',
      url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=20157',
    });
  });

  it('finds LAZARUS GROUP and KOREA MINING DEVELOPMENT TRADING CORPORATION (with or without the legal form)', () => {
    expect(names('a theft carried out by the Lazarus Group in 2023')).toEqual(['LAZARUS GROUP']);
    expect(names('Korea Mining Development Trading Corporation (KOMID) agents')).toEqual(['KOREA MINING DEVELOPMENT TRADING CORPORATION']);
    expect(names('agents of Korea Mining Development Trading Corp. in Burma')).toEqual(['KOREA MINING DEVELOPMENT TRADING CORPORATION']);
    expect(names('agents of Korea Mining Development Trading in Burma')).toEqual(['KOREA MINING DEVELOPMENT TRADING CORPORATION']);
  });

  it('normalizes apostrophes and diacritics: Ch’ŏe Sŏk-min, Korean People’s Army', () => {
    expect(ids('officials including Ch’ŏe Sŏk-min and others')).toEqual(['23001']);
    expect(ids("CH'OE So'k-min")).toEqual(['23001']);
    expect(ids('Choe Sok Min')).toEqual(['23001']);
    expect(names('units of the Korean People’s Army')).toEqual(['KOREAN PEOPLE\'S ARMY']);
  });

  it('matches individuals in Western order too (HUSSAIN, Mavungal → Mavungal Hussain)', () => {
    expect(names('a shipping agent, Mavungal Hussain, arranged the transfer')).toEqual(['HUSSAIN, Mavungal']);
  });

  it('lists several parties in order of first mention, each once', () => {
    expect(names('Lazarus Group, then Kim Jong Un, then the Lazarus Group again')).toEqual(['LAZARUS GROUP', 'KIM, Jong Un']);
  });

  it('stays word-bounded and ignores short or generic names: no hit for "Ri", "O", "KOMID", a Patriot missile, Sevastopol, a red dot', () => {
    for (const text of [
      'Ri said O was there',
      'KOMID alone is too short to trust',
      'a Patriot missile battery',
      'ships at Sevastopol',
      'a red dot on the map near Group 77',
      'Lazarusgroup and MEGALAZARUS GROUPIES',
      'Kim Jong',
    ]) {
      expect(ids(text), text).toEqual([]);
    }
  });

  it('uses distinctive weak aliases of 3+ tokens (GUARDIANS OF PEACE → LAZARUS GROUP)', () => {
    expect(names('the group calling itself the Guardians of Peace')).toEqual(['LAZARUS GROUP']);
  });

  it('only indexes DPRK-related records', () => {
    const m = PartyMatcher.build([
      party({ sourceId: '1', name: 'ACME SHIPPING COMPANY', dprk: false, dprkReasons: [] }),
      party({ sourceId: '2', name: 'PYONGYANG TEST TRADING' }),
    ]);
    expect(m.find('Acme Shipping Company and Pyongyang Test Trading').map((x) => x.sourceId)).toEqual(['2']);
  });

  it('normalizes text into word tokens', () => {
    expect(mentionTokens("Ch’ŏe Sŏk-min's KOREAN PEOPLE'S ARMY (KPA)")).toEqual(['choe', 'sok', 'min', 'korean', 'people', 'army', 'kpa']);
  });

  it('finds every mention among 20,000 names in 200 items of 400 words each (the time is printed; targets live in benchmarks)', () => {
    const many: Designation[] = Array.from({ length: 20_000 }, (_, i) =>
      party({ sourceId: String(100_000 + i), name: `SYNTHETIC TRADING ${i.toString(36).toUpperCase()} COMPANY LIMITED`, aliases: [{ name: `Front ${i} Holdings`, kind: 'aka' }] }),
    );
    const started = performance.now();
    const m = PartyMatcher.build([...realParties(), ...many]);
    const filler = Array.from({ length: 400 }, (_, i) => `word${i % 37}`).join(' ');
    let hits = 0;
    for (let i = 0; i < 200; i++) hits += m.find(`${filler} Synthetic Trading ${i.toString(36)} Company Limited and the Lazarus Group ${filler}`).length;
    const elapsed = performance.now() - started;
    expect(hits).toBe(400);
    console.info(`200 long texts against ${many.length} extra parties: ${elapsed.toFixed(0)} ms`);
  });
});

describe('storedParties', () => {
  it('gives pollFeed the DPRK records of the stored lists, the same array until a snapshot changes', async () => {
    const store = await openStore('memory:', 'stored-parties');
    const provider = storedParties(store);
    expect(await provider()).toEqual([]);
    const other = party({ sourceId: '1', name: 'NOT DPRK', dprk: false, dprkReasons: [] });
    await store.setSnapshot('ofac-sdn', buildSnapshot([...realParties(), other]));
    const first = await provider();
    expect(first).toHaveLength(realParties().length);
    expect(await provider()).toBe(first);
    await store.setSnapshot('un-sc', buildSnapshot([party({ source: 'un-sc', sourceId: 'KPe.001', name: 'TEST UN ENTITY' })]));
    expect(await provider()).toHaveLength(realParties().length + 1);
  });
});
