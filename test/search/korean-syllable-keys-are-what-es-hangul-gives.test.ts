import { describe, expect, it } from 'vitest';
import { koreanSyllableKeys } from '../../src/search/korean.js';
import { KOREAN_SYLLABLE_KEYS } from '../../src/search/korean-syllable-keys.js';

describe('the precomputed Korean syllable keys', () => {
  it('are exactly the keys of every Hangul syllable as es-hangul romanizes them today (else: npm run build:korean-syllables)', () => {
    expect(KOREAN_SYLLABLE_KEYS.split(' ')).toEqual(koreanSyllableKeys());
  });
});
