/** The plain-text rendering (terminal, `poll --once`) gets the same neutral cleaning as chat. */
import { describe, expect, it } from 'vitest';
import type { ReportAlert } from '../../src/core/reports.js';
import { renderAlertText } from '../../src/render/text.js';

const report = (title: string, summary: string): ReportAlert => ({
  id: 'r1',
  kind: 'report.published',
  source: 'feed:treasury',
  sourceLabel: 'U.S. Treasury press releases',
  dprk: true,
  detectedAt: '2024-01-01T00:00:00Z',
  url: 'https://home.treasury.gov/news/press-releases/jy0731',
  summary: 'x',
  report: { id: 'x', feed: 'treasury', feedTitle: 'Press Releases', title, link: 'https://home.treasury.gov/news/press-releases/jy0731', summary, matchedTerms: [], entities: [] },
});

describe('renderAlertText', () => {
  it('lets no terminal escape sequence, control or bidi override through from source text', () => {
    const text = renderAlertText(report('Lazarus\u001b]0;owned\u0007\u001b[2J wallet\u202e', 'line one\rline two\ttabbed'));
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/);
    expect(text).toContain('📰 REPORT · U.S. Treasury press releases · Lazarus]0;owned[2J wallet');
    expect(text).toContain('   line one\nline two tabbed');
  });
});
