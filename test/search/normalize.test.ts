import { describe, expect, it } from 'vitest';
import { identifierKey, queryIdentifierKeys } from '../../src/search/identifiers.js';
import { koreanKey } from '../../src/search/korean.js';
import { romanizeHangul, tokenize } from '../../src/search/normalize.js';

const key = (s: string) => tokenize(s).map(koreanKey).join(' ');

describe('tokenize', () => {
  it('drops case, punctuation, diacritics and every kind of apostrophe', () => {
    expect(tokenize("Ch'oe Ch'un-sik")).toEqual(['choe', 'chun', 'sik']);
    expect(tokenize('CH’OE CH’UN SIK')).toEqual(['choe', 'chun', 'sik']);
    expect(tokenize('Ch’ŏe Ch’ŭn-sik')).toEqual(['choe', 'chun', 'sik']);
    expect(tokenize('KOREA RYONBONG GENERAL CORPORATION.')).toEqual(['korea', 'ryonbong', 'general', 'corporation']);
  });

  it('romanizes Hangul syllable by syllable (es-hangul, Revised Romanization)', () => {
    expect(romanizeHangul('김정은').trim()).toBe('gim jeong eun');
    expect(tokenize('조선광선은행')).toEqual(['jo', 'seon', 'gwang', 'seon', 'eun', 'haeng']);
  });
});

describe('koreanKey', () => {
  it.each([
    ['Ri', 'Rhee', 'Lee', 'Yi'],
    ['Pak', 'Park'],
    ['Choe', 'Choi'],
    ['Jon', 'Jeon', 'Chon'],
    ['O', 'Oh'],
    ['Kim', 'Gim'],
    ['Jong', 'Jeong', 'Chong'],
    ['Phyong', 'Pyeong', 'Pyong'],
    ['Chol', 'Cheol'],
  ])('makes %s spellings meet', (...spellings) => {
    const keys = new Set(spellings.map(key));
    expect(keys.size).toBe(1);
  });

  it('keeps different names apart', () => {
    expect(key('Kim')).not.toBe(key('Kang'));
    expect(key('Pak')).not.toBe(key('Paek'));
    expect(key('Ri')).not.toBe(key('Ro'));
  });
});

describe('identifier keys', () => {
  it('matches EVM addresses case-insensitively but base58 addresses exactly', () => {
    expect(identifierKey('crypto', '0x098B716B8Aaf21512996dC57EB0615e2383E2f96')).toBe('0x098b716b8aaf21512996dc57eb0615e2383e2f96');
    expect(identifierKey('crypto', '1AjZPMsnmpdK2Rv9KQNfMurTXinscVro9V')).toBe('1AjZPMsnmpdK2Rv9KQNfMurTXinscVro9V');
    expect(queryIdentifierKeys('0x098b716b8aaf21512996dc57eb0615e2383e2f96')).toContain('0x098b716b8aaf21512996dc57eb0615e2383e2f96');
  });

  it('normalizes websites, e-mails, IMO numbers and SWIFT codes the way users type them', () => {
    expect(identifierKey('website', 'http://www.kkbc.com.kp/')).toBe('kkbc.com.kp');
    expect(queryIdentifierKeys('https://kkbc.com.kp')).toContain('kkbc.com.kp');
    expect(identifierKey('imo', '9114555')).toBe('9114555');
    expect(queryIdentifierKeys('IMO 9114555')).toContain('9114555');
    expect(identifierKey('swift-bic', 'kkbc kp py')).toBe('KKBCKPPY');
    expect(queryIdentifierKeys('Ding Zhi Hua Kim Jong Un Smith')).toEqual([]);
  });
});
