import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configuredFeeds, DEFAULT_REPORT_FEEDS, FeedsConfigSchema, parseReportFeeds } from '../../../src/sources/feeds/config.js';

describe('REPORT_FEEDS / REPORT_FEEDS_CRON', () => {
  it('defaults to Treasury, State, CISA, FBI, 38 North and MSMT, polled every 15 minutes', () => {
    const c = FeedsConfigSchema.parse({});
    expect(c.REPORT_FEEDS_CRON).toBe('*/15 * * * *');
    expect(configuredFeeds(c)).toEqual([
      { id: 'treasury', title: 'U.S. Treasury press releases', url: 'https://home.treasury.gov/news/press-releases', kind: 'html', dprkDedicated: false },
      { id: 'state', title: 'U.S. State Department press releases', url: 'https://www.state.gov/rss-feed/press-releases/feed/', kind: 'rss', dprkDedicated: false },
      { id: 'cisa', title: 'CISA cybersecurity advisories', url: 'https://www.cisa.gov/cybersecurity-advisories/all.xml', kind: 'rss', dprkDedicated: false },
      { id: 'fbi', title: 'FBI national press releases', url: 'https://www.fbi.gov/feeds/national-press-releases/rss.xml', kind: 'rss', dprkDedicated: false },
      { id: '38north', title: '38 North', url: 'https://www.38north.org/feed/', kind: 'rss', dprkDedicated: false },
      { id: 'msmt', title: 'MSMT publications', url: 'https://msmt.info/', kind: 'html', dprkDedicated: true },
    ]);
    expect(FeedsConfigSchema.parse({ REPORT_FEEDS: DEFAULT_REPORT_FEEDS }).REPORT_FEEDS).toEqual(c.REPORT_FEEDS);
  });

  it('reads id=url pairs with |html and |dprk suffixes; unknown ids are labelled by id and host', () => {
    const c = FeedsConfigSchema.parse({
      REPORT_FEEDS: ' cisa=https://www.cisa.gov/cybersecurity-advisories/all.xml , nkpro=https://example.org/reports|html|dprk,mirror=file:///srv/feeds/state.xml ',
      REPORT_FEEDS_CRON: '0 * * * *',
    });
    expect(configuredFeeds(c)).toEqual([
      { id: 'cisa', title: 'CISA cybersecurity advisories', url: 'https://www.cisa.gov/cybersecurity-advisories/all.xml', kind: 'rss', dprkDedicated: false },
      { id: 'nkpro', title: 'nkpro (example.org)', url: 'https://example.org/reports', kind: 'html', dprkDedicated: true },
      { id: 'mirror', title: 'mirror (file:///srv/feeds/state.xml)', url: 'file:///srv/feeds/state.xml', kind: 'rss', dprkDedicated: false },
    ]);
  });

  it('names every invalid entry in its own issue', () => {
    const r = FeedsConfigSchema.safeParse({
      REPORT_FEEDS: 'nourl,bad id!=https://x.example/feed,ftp=ftp://x.example/feed,ok=https://x.example/a|pdf,ok2=https://x.example/b,ok2=https://x.example/c',
      REPORT_FEEDS_CRON: '61 * * * *',
    });
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    expect(issues).toHaveLength(6);
    expect(issues[0]).toMatch(/^REPORT_FEEDS entry "nourl" is not id=url/);
    expect(issues[1]).toMatch(/^REPORT_FEEDS entry "bad id!=https:\/\/x.example\/feed": id "bad id!"/);
    expect(issues[2]).toMatch(/^REPORT_FEEDS entry "ftp=ftp:\/\/x.example\/feed": "ftp:\/\/x.example\/feed" is not an http/);
    expect(issues[3]).toMatch(/^REPORT_FEEDS entry "ok=https:\/\/x.example\/a\|pdf": unknown flag\(s\) "\|pdf"/);
    expect(issues[4]).toMatch(/^REPORT_FEEDS entry "ok2=https:\/\/x.example\/c": id "ok2" is used twice/);
    expect(issues[5]).toMatch(/^REPORT_FEEDS_CRON is not a valid cron expression/);
    expect(parseReportFeeds(' , ')).toEqual({ ok: false, problems: ['must name at least one feed as id=url, or "none"'] });
  });

  it('merges into the main config schema as a plain shape', () => {
    const Merged = z.object({ OTHER: z.string().default('x'), ...FeedsConfigSchema.shape });
    const c = Merged.parse({ REPORT_FEEDS: 'a=https://a.example/feed' });
    expect(c.REPORT_FEEDS).toEqual([{ id: 'a', url: 'https://a.example/feed', kind: 'rss', dprkDedicated: false }]);
    expect(c.REPORT_FEEDS_CRON).toBe('*/15 * * * *');
  });
});
