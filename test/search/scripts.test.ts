/**
 * The conversions lookup relies on, pinned to published examples: BGN/PCGN and ICAO Doc 9303
 * romanizations of Russian names as OFAC and passports print them, pinyin of Chinese names as
 * OFAC writes them, the script key that makes a pasted katakana name meet MOF's, and the
 * given-name groups.
 */
import { describe, expect, it } from 'vitest';
import { givenNameKey } from '../../src/search/given-names.js';
import { tokenize } from '../../src/search/normalize.js';
import { hanPersonalName, romanizeCyrillic, romanizeHan, scriptKey } from '../../src/search/scripts.js';

describe('romanizeCyrillic', () => {
  it('gives BGN/PCGN first, then ICAO Doc 9303 and Wikipedia spellings', () => {
    // BGN/PCGN: е → ye at the start and after vowels and ь, й → y, х → kh; OFAC prints these
    // (e.g. SDN 35757 GAYEVOY, Aleksandr Andreyevich). ICAO (passports since 2013): е → e, й → i, ю → iu.
    const [bgn, icao] = romanizeCyrillic('Гаевой Александр Андреевич');
    expect(bgn).toBe('Gayevoy Aleksandr Andreyevich');
    expect(icao).toBe('Gaevoi Aleksandr Andreevich');
    expect(romanizeCyrillic('Юрьевич')).toEqual(['Yur’yevich', 'Iurevich', 'Yuryevich']);
    expect(romanizeCyrillic('Хабаров')[0]).toBe('Khabarov');
    expect(romanizeCyrillic('Евгений')).toEqual(['Yevgeniy', 'Evgenii', 'Yevgeny']);
  });

  it('prints BGN/PCGN ё as e, as the lists do (Семёнов → SEMENOV)', () => {
    expect(romanizeCyrillic('Семёнов')[0]).toBe('Semenov');
    expect(tokenize('Семёнов Роман')).toEqual(['semenov', 'roman']);
  });

  it('leaves text without Cyrillic alone', () => {
    expect(romanizeCyrillic('KOZLOV, Sergey')).toEqual(['KOZLOV, Sergey']);
  });
});

describe('Chinese characters', () => {
  it('become toneless pinyin, a syllable a character', () => {
    expect(tokenize('马晓红')).toEqual(['ma', 'xiao', 'hong']);
    expect(romanizeHan('ABC')).toBe('ABC');
  });

  it('read as a personal name: surname, then the given name in one word (OFAC "MA, Xiaohong")', () => {
    expect(hanPersonalName('马晓红')).toBe('ma xiaohong');
    expect(hanPersonalName('金铁三')).toBe('jin tiesan');
    expect(hanPersonalName('長安海連技術有限公司')).toBeUndefined();
  });

  it('are not read as pinyin among Japanese kana (they are Japanese then)', () => {
    expect(tokenize('バルカ州')).toEqual([]);
  });
});

describe('scriptKey', () => {
  it('makes a pasted katakana name meet the one MOF publishes, with or without its middle dot', () => {
    expect(scriptKey('ユン・ホジン')).toBe(scriptKey('ユンホジン'));
    expect(scriptKey('ユン ホジン')).toBe(scriptKey('ユン・ホジン'));
    expect(scriptKey('ﾕﾝ･ﾎｼﾞﾝ')).toBe(scriptKey('ユン・ホジン'));
  });

  it('is undefined for a Latin-only name', () => {
    expect(scriptKey('KIM, Jong Un')).toBeUndefined();
    expect(scriptKey('Ch’oe Sŏk-min')).toBeUndefined();
  });
});

describe('givenNameKey', () => {
  it('folds spellings of one given name together and leaves other names alone', () => {
    expect(givenNameKey('alexander')).toBe(givenNameKey('aleksandr'));
    expect(givenNameKey('yury')).toBe(givenNameKey('iurii'));
    expect(givenNameKey('michael')).toBe(givenNameKey('mikhail'));
    expect(givenNameKey('ivan')).toBe('ivan');
    expect(givenNameKey('john')).toBe('john');
  });
});
