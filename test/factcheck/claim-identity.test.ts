import { describe, expect, it } from 'vitest';
import { assignIds, canonicalUrl, claimFragmentId, hashId, normalizeClaim } from '../../src/factcheck/identity.js';

const URL_A = 'https://www.politifact.com/article/2021/jan/20/one-last-time-president-fact-checking-donald-trump/';
const TAX = '"We also got tax cuts — the largest tax cut and reform in the history of our country, by far."';
const JUDGES = '"One of the things we\'re very, very proud of is the selection of almost 300 federal judges and 3 great Supreme Court justices."';

describe('claim identity', () => {
  it('is the review URL, in one spelling (case of host, fragment, tracking parameters)', () => {
    expect(canonicalUrl('HTTPS://Factdesk.Example.org/a/b/?utm_source=x&id=3#top')).toBe('https://factdesk.example.org/a/b/?id=3');
    expect(canonicalUrl('  https://factcheck.afp.com/http%253A%252F%252Fdoc.afp.com%252F9PK92K-1 ')).toBe(
      'https://factcheck.afp.com/http%253A%252F%252Fdoc.afp.com%252F9PK92K-1',
    );
    expect(canonicalUrl('not a url')).toBeUndefined();
    expect(canonicalUrl('javascript:alert(1)')).toBeUndefined();
    expect(assignIds([{ url: 'https://a.example.org/x#frag', publisher: 'P', claim: 'c one two' }], new Map())).toEqual(['https://a.example.org/x']);
  });

  it('without a URL, is a hash of publisher + normalized claim text (case, punctuation, spacing do not matter)', () => {
    const a = hashId('Example Fact Desk', 'North Korea’s IT workers are in China.');
    expect(a).toMatch(/^claim:[0-9a-f]{16}$/);
    expect(hashId('example fact desk', '  north korea’s IT workers   are in china ')).toBe(a);
    expect(hashId('Another Desk', 'North Korea’s IT workers are in China.')).not.toBe(a);
    expect(normalizeClaim('Ψευδής ισχυρισμός')).toBe('ψευδής ισχυρισμός'); // scripts tokenize drops are kept, folded
  });

  it('splits a round-up URL that carries several claims (real case: two PolitiFact claims under one URL)', () => {
    const ids = assignIds(
      [
        { url: URL_A, publisher: 'PolitiFact', claim: TAX },
        { url: URL_A, publisher: 'PolitiFact', claim: JUDGES },
      ],
      new Map(),
    );
    expect(ids).toEqual([claimFragmentId(URL_A, TAX), claimFragmentId(URL_A, JUDGES)]);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('keeps the bare-URL id for the claim stored under it when a second claim appears at that URL', () => {
    const known = new Map([[URL_A, { claim: TAX, url: URL_A }]]);
    expect(assignIds([{ url: URL_A, publisher: 'PolitiFact', claim: TAX }, { url: URL_A, publisher: 'PolitiFact', claim: JUDGES }], known)).toEqual([
      URL_A,
      claimFragmentId(URL_A, JUDGES),
    ]);
    // …and when a later result shows only the other claim, it is not mistaken for an edit.
    expect(assignIds([{ url: URL_A, publisher: 'PolitiFact', claim: JUDGES }], known)).toEqual([claimFragmentId(URL_A, JUDGES)]);
  });

  it('keeps the id when the publisher edits the claim wording (that is why the URL is the key)', () => {
    const url = 'https://factdesk.example.org/factchecks/2025/may/06/kim-crypto-3-billion-month/';
    const known = new Map([[url, { claim: "Kim Jong Un's regime earned $3 billion from crypto thefts in a single month.", url }]]);
    expect(assignIds([{ url, publisher: 'P', claim: "Kim Jong Un's regime earned $3 billion from crypto theft in one single month" }], known)).toEqual([url]);
  });
});
