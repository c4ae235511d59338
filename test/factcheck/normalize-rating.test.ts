import { describe, expect, it } from 'vitest';
import { classifyRating, normalizeRating } from '../../src/factcheck/rating.js';

describe('normalizeRating maps publishers’ wordings onto one scale', () => {
  it.each([
    // English wordings used by PolitiFact, AFP, Reuters, Snopes, USA Today, The Washington Post…
    ['True', 'true'],
    ['Correct', 'true'],
    ['Accurate', 'true'],
    ['Correct Attribution', 'true'],
    ['Geppetto Checkmark', 'true'],
    ['Mostly True', 'mostly-true'],
    ['Largely accurate', 'mostly-true'],
    ['True, but needs context', 'mostly-true'],
    ['One Pinocchio', 'mostly-true'],
    ['Half True', 'mixed'],
    ['Half-true', 'mixed'],
    ['Partly false', 'mixed'],
    ['Partly true', 'mixed'],
    ['Mixture', 'mixed'],
    ['Missing context', 'mixed'],
    ['Two Pinocchios', 'mixed'],
    ['Misleading', 'mostly-false'],
    ['Mostly False', 'mostly-false'],
    ['Exaggerated', 'mostly-false'],
    ['Exaggerates the number', 'mostly-false'],
    ['Out of context', 'mostly-false'],
    ['Three Pinocchios', 'mostly-false'],
    ['False', 'false'],
    ['FALSE', 'false'],
    ['Incorrect', 'false'],
    ['Pants on Fire', 'false'],
    ['Pants on Fire!', 'false'],
    ['Four Pinocchios', 'false'],
    ['Bottomless Pinocchio', 'false'],
    ['Not true', 'false'],
    ['Fake', 'false'],
    ['Altered', 'false'],
    ['Wrong, for the umpteenth time', 'false'],
    ['False and misleading', 'false'],
    ['Miscaptioned', 'false'],
    ['Unproven', 'unproven'],
    ['Unsupported', 'unproven'],
    ['Unverified', 'unproven'],
    ['No evidence', 'unproven'],
    ['Insufficient evidence', 'unproven'],
    // Real wordings from the Google samples in test/fixtures/real/factcheck (tr, el, pt, hr, de).
    ['Yanlış', 'false'],
    ['Ψευδοεπιστήμη', 'false'],
    ['Falso', 'false'],
    ['Tvrdnja je netočna. Cjepivo nije sto posto učinkovito, ali dostupni podaci pokazuju da ipak pruža znatnu zaštitu.', 'false'],
    ['Größtenteils falsch. Die meisten Covid-19-Fälle auf Intensivstationen haben keinen vollständigen Impfschutz.', 'mostly-false'],
    ['Engañoso', 'mostly-false'],
    ['Faux', 'false'],
    ['Vrai', 'true'],
  ] as const)('%s → %s', (text, expected) => {
    expect(normalizeRating(text)).toBe(expected);
  });

  it('reads the leading verdict, not words in the explanation after it', () => {
    expect(normalizeRating('Mostly false. The report is true about the numbers but not the dates.')).toBe('mostly-false');
    expect(normalizeRating('Misleading: the photo is real but from 2017')).toBe('mostly-false');
  });

  it.each([
    [{ value: 5, best: 5, worst: 1 }, 'true'],
    [{ value: 4, best: 5, worst: 1 }, 'mostly-true'],
    [{ value: 3, best: 5, worst: 1 }, 'mixed'],
    [{ value: 2, best: 5, worst: 1 }, 'mostly-false'],
    [{ value: 1, best: 5, worst: 1 }, 'false'],
    [{ value: '2' }, 'mostly-false'], // schema.org defaults: bestRating 5, worstRating 1
    [{ value: '0', best: '6', worst: '0' }, 'false'],
    [{ value: '6', best: '6', worst: '0' }, 'true'],
  ] as const)('falls back to the numeric rating %j → %s', (numeric, expected) => {
    expect(classifyRating(undefined, numeric)).toEqual({ normalized: expected, basis: 'numeric' });
  });

  it('prefers the wording to the number, and says when neither is usable', () => {
    expect(classifyRating('False', { value: 5, best: 5, worst: 1 })).toEqual({ normalized: 'false', basis: 'text' });
    expect(classifyRating('Satire', { value: 4 })).toEqual({ normalized: 'mostly-true', basis: 'numeric' });
    expect(classifyRating('Satire')).toEqual({ normalized: 'unproven', basis: 'none' });
    expect(classifyRating('Explainer', { value: -1 })).toEqual({ normalized: 'unproven', basis: 'none' });
    expect(classifyRating('')).toEqual({ normalized: 'unproven', basis: 'none' });
  });
});
