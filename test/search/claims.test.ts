import { describe, expect, it } from 'vitest';
import { ClaimIndex } from '../../src/search/claim-index.js';

// Claims written for this test, on real DPRK topics; the index must tell them apart.
const CLAIMS = [
  { id: 'bybit', text: 'North Korean hackers stole about $1.5 billion in cryptocurrency from the Bybit exchange in February 2025.' },
  { id: 'ronin', text: 'The Lazarus Group was responsible for the $620 million Ronin bridge hack of Axie Infinity.' },
  { id: 'itworkers', text: 'North Korean IT workers posing as remote freelancers send their earnings to fund weapons programs.' },
  { id: 'kimdead', text: 'Kim Jong Un died in April 2020 after heart surgery.' },
  { id: 'icbm', text: 'North Korea launched a solid-fuel intercontinental ballistic missile in 2023.' },
  { id: 'sanctions-crypto', text: 'Cryptocurrency theft provides up to half of North Korea’s foreign currency income.' },
];
const index = new ClaimIndex(CLAIMS, (c) => c.text);

describe('ClaimIndex', () => {
  it.each([
    ['Did North Korea steal 1.5 billion dollars from Bybit?', 'bybit'],
    ['bybit hack north korean hackers', 'bybit'],
    ['Was Lazarus behind the Ronin hack?', 'ronin'],
    ['Axie Infinity Ronin bridge stolen by Lazarus', 'ronin'],
    ['north korean remote IT workers funding weapons', 'itworkers'],
    ['Is Kim Jong Un dead?', 'kimdead'],
    ['kim jong un died after surgery', 'kimdead'],
    ['NK fired a solid fuel ICBM', 'icbm'],
  ])('matches a paraphrase: %s', (query, id) => {
    expect(index.best(query)?.item.id).toBe(id);
  });

  it.each([
    'North Korea tested a nuclear bomb in 2017',
    'South Korea elected a new president',
    'Russia sanctions oil tanker',
    'the',
    '',
  ])('answers "none" rather than an unrelated claim: %s', (query) => {
    expect(index.best(query)).toBeUndefined();
  });

  it('explains a match by the content words it shares, and ranks best first', () => {
    const results = index.search('Lazarus Ronin bridge hack', { limit: 3 });
    expect(results[0]!.item.id).toBe('ronin');
    expect(results[0]!.shared).toEqual(expect.arrayContaining(['lazaru', 'ronin', 'bridg']));
    for (let i = 1; i < results.length; i++) expect(results[i - 1]!.score).toBeGreaterThanOrEqual(results[i]!.score);
  });
});
