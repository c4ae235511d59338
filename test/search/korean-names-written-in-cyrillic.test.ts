/**
 * Korean names as Russian media and registers write them (Ким Чен Ын, Чхве Рён Хэ, Ким Ё Чжон)
 * find the listed person: iuliia reads them as Russian ("Kim Chen Yn") and found nothing, so
 * src/search/korean-cyrillic.ts reads them back as Korean. Russian names keep their own reading
 * only, and unlisted Koreans written in Cyrillic — South Korea's presidents, a UN Secretary-
 * General, a figure skater — still return nothing. Index: the seven lists' real fixtures.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EntityIndex } from '../../src/search/entity-index.js';
import { readKoreanCyrillic } from '../../src/search/korean-cyrillic.js';
import { loadSevenLists } from '../helpers/seven-lists.js';

let index: EntityIndex;
beforeAll(() => {
  index = EntityIndex.build(loadSevenLists());
}, 120_000);

describe('a Korean name written in Cyrillic', () => {
  it.each([
    // The older spelling Russian media use (Чен for 정), Kontsevich's (Чжон, Чхве), and Ли for 리.
    ['Ким Чен Ын', 'KIM, Jong Un', '20157'],
    ['Ким Чон Ын', 'KIM, Jong Un', '20157'],
    ['Ким Ё Чжон', 'KIM, Yo Jong', '21444'],
    ['Чхве Рён Хэ', 'CHOE, Ryong Hae', '23213'],
    ['Ли Пён Чхоль', 'RI, Pyong Chol', '23215'],
  ])('%s finds %s (OFAC SDN %s) first', (query, name, sourceId) => {
    const [top] = index.lookup(query);
    expect(top, query).toBeDefined();
    expect([top!.source, top!.sourceId, top!.name]).toEqual(['ofac-sdn', sourceId, name]);
    expect(top!.score).toBeGreaterThanOrEqual(0.95);
  });

  it('finds nothing for well-known unlisted Koreans or Russian names written in Cyrillic', () => {
    for (const q of ['Мун Чжэ Ин', 'Пан Ги Мун', 'Юн Сок Ёль', 'Ли Чжэ Мён', 'Ким Ён А', 'Иван Петров', 'Сергей Смирнов', 'Алексей Кузнецов'])
      expect(index.lookup(q).map((r) => `${r.name} ${r.score}`), q).toEqual([]);
  });
});

describe('readKoreanCyrillic', () => {
  it('reads each word as one or two Korean syllables, the final н as ng or n, the older е as o', () => {
    expect(readKoreanCyrillic('Ким Чен Ын')).toContain('kim chong un');
    expect(readKoreanCyrillic('Ли Сон Гвон')).toContain('ri son gwon');
    expect(readKoreanCyrillic('Ким Ир Сен')).toContain('kim il song');
    expect(readKoreanCyrillic('Ким Чен Ын').length).toBeLessThanOrEqual(8);
  });

  it('leaves Russian names (not Korean syllables) and mixed scripts alone', () => {
    for (const q of ['Сергей Миронов', 'Иван Петров', 'Алексей Кузнецов', 'Kim Чен', '']) expect(readKoreanCyrillic(q), q).toEqual([]);
  });
});
