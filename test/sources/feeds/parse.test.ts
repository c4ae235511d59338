import { describe, expect, it } from 'vitest';
import { extractPublications, findDate } from '../../../src/sources/feeds/html-page.js';
import { FeedFormatError, parseFeedDocument, repairXml } from '../../../src/sources/feeds/parse.js';
import { htmlToText, truncate } from '../../../src/sources/feeds/text.js';
import { feedFixture, rewriteDatesAndReorder } from './helpers.js';

const doc = (s: string) => Buffer.from(s, 'utf8');
const rss = (items: string, attrs = 'version="2.0"') => `<?xml version="1.0" encoding="UTF-8"?><rss ${attrs}><channel><title>T</title><link>https://example.gov/</link>${items}</channel></rss>`;

async function failure(body: string, kind: 'rss' | 'html' = 'rss'): Promise<string> {
  try {
    await parseFeedDocument(doc(body), kind, 'https://example.gov/feed');
  } catch (e) {
    expect(e).toBeInstanceOf(FeedFormatError);
    return (e as Error).message;
  }
  throw new Error('expected a FeedFormatError');
}

describe('parseFeedDocument', () => {
  it('refuses what is not a feed, saying why: empty, HTML in place of the feed, other XML, malformed XML, no items', async () => {
    expect(await failure('')).toMatch(/empty/);
    expect(await failure(' \n\t ')).toMatch(/empty/);
    expect(await failure('<!DOCTYPE html><html><body>Request Rejected</body></html>')).toMatch(/HTML page/);
    expect(await failure('<html><head><title>Error</title></head><body>503</body></html>')).toMatch(/HTML page/);
    expect(await failure('<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>')).toMatch(/XML \(<Error>\) but not an RSS or Atom feed/);
    expect(await failure('{"error":"gone"}')).toMatch(/not an RSS or Atom feed/);
    expect(await failure(rss('<item><title>Cut off'))).toMatch(/not well-formed XML/);
    expect(await failure(rss(''))).toMatch(/no items/);
    expect(await failure(feedFixture('state_press_releases.xml'), 'html')).toMatch(/RSS feed, not an HTML page/);
    expect(await failure('<!DOCTYPE html><html><body><p>Nothing to see</p></body></html>', 'html')).toMatch(/no publication links/);
  });

  it('identifies items by guid, else link, else a hash of the title — never by date', async () => {
    const feed = (date: string) =>
      rss(`<item><title>With guid</title><link>https://example.gov/a</link><guid isPermaLink="false">g-1</guid><pubDate>${date}</pubDate></item>
<item><title>Link only</title><link>/b</link><pubDate>${date}</pubDate></item>
<item><title>Neither</title><description>No link, no guid</description><pubDate>${date}</pubDate></item>`);
    const a = await parseFeedDocument(doc(feed('Mon, 07 Jul 2025 10:00:00 GMT')), 'rss', 'https://example.gov/feed');
    const b = await parseFeedDocument(doc(feed('Fri, 01 Aug 2025 23:59:00 GMT')), 'rss', 'https://example.gov/feed');
    expect(a.items.map((i) => i.id)).toEqual(['g-1', 'https://example.gov/b', expect.stringMatching(/^title:[0-9a-f]{32}$/)]);
    expect(b.items.map((i) => i.id)).toEqual(a.items.map((i) => i.id));
    expect(a.items[1]!.link).toBe('https://example.gov/b');
  });

  it('keeps ids stable when a real-shaped feed rewrites its dates and reorders (State Department fixture)', async () => {
    const xml = feedFixture('state_press_releases.xml');
    const before = await parseFeedDocument(doc(xml), 'rss', 'https://www.state.gov/rss-feed/press-releases/feed/');
    const after = await parseFeedDocument(doc(rewriteDatesAndReorder(xml, 2)), 'rss', 'https://www.state.gov/rss-feed/press-releases/feed/');
    expect(new Set(after.items.map((i) => i.id))).toEqual(new Set(before.items.map((i) => i.id)));
    expect(after.items.map((i) => i.publishedAt)).not.toEqual(before.items.map((i) => i.publishedAt));
  });

  it('reads RSS without a version attribute, and feeds with HTML entities or bare ampersands XML does not allow', async () => {
    const sloppy = rss('<item><title>Kim &amp; Lee &mdash; R&D&nbsp;update</title><link>https://example.gov/x?a=1&b=2</link></item>', '');
    const parsed = await parseFeedDocument(doc(sloppy), 'rss', 'https://example.gov/feed');
    expect(parsed.items[0]).toMatchObject({ title: 'Kim & Lee — R&D update', link: 'https://example.gov/x?a=1&b=2' });
    expect(repairXml('<a>&nbsp;&amp;&bogus;<![CDATA[&raw]]></a>')).toBe('<a>&#160;&amp;&amp;bogus;<![CDATA[&raw]]></a>');
  });

  it('reads RSS 1.0 (RDF) feeds, items known by rdf:about', async () => {
    const rdf = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://example.gov/rss"><title>Notices</title><link>https://example.gov/</link></channel>
<item rdf:about="https://example.gov/n/1"><title>DPRK notice</title><link>https://example.gov/n/1</link><dc:date>2025-07-01T10:00:00Z</dc:date></item>
</rdf:RDF>`;
    const parsed = await parseFeedDocument(doc(rdf), 'rss', 'https://example.gov/rss');
    expect(parsed.format).toBe('rdf');
    expect(parsed.items).toEqual([
      { id: 'https://example.gov/n/1', title: 'DPRK notice', link: 'https://example.gov/n/1', publishedAt: '2025-07-01T10:00:00.000Z', summaryText: '', bodyText: '' },
    ]);
  });

  it('decodes a feed in its declared encoding (ISO-8859-1)', async () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>T</title><item><title>Caf\u00e9 Pyongyang</title><guid>1</guid></item></channel></rss>', 'latin1');
    expect((await parseFeedDocument(latin1, 'rss', 'https://example.gov/feed')).items[0]!.title).toBe('Café Pyongyang');
  });

  it('strips double-escaped HTML down to plain text', () => {
    expect(htmlToText('&lt;p&gt;North Korea&amp;#8217;s &lt;b&gt;missiles&lt;/b&gt;&lt;/p&gt;')).toBe('North Korea’s missiles');
    expect(htmlToText('<p>One</p><p>Two&nbsp;&amp; three</p><script>x()</script><style>p{}</style>')).toBe('One Two & three');
  });

  it('truncates summaries at a word boundary with an ellipsis', () => {
    const long = 'word '.repeat(200).trim();
    const cut = truncate(long, 500);
    expect(cut.length).toBeLessThanOrEqual(500);
    expect(cut.endsWith('word…')).toBe(true);
    expect(truncate('short', 500)).toBe('short');
  });
});

describe('extractPublications (html pages, no site-specific selectors)', () => {
  it('finds exactly the five releases on the Treasury-shaped listing: no menus, categories, pager or footer; dates from <time>', () => {
    const items = extractPublications(feedFixture('treasury_press_releases.html'), 'https://home.treasury.gov/news/press-releases');
    expect(items.map((i) => [i.link, i.publishedAt])).toEqual([
      ['https://home.treasury.gov/news/press-releases/sb0171', '2025-07-08T16:00:00.000Z'],
      ['https://home.treasury.gov/news/press-releases/sb0170', '2025-07-08T14:30:00.000Z'],
      ['https://home.treasury.gov/news/press-releases/sb0169', '2025-07-07T18:00:00.000Z'],
      ['https://home.treasury.gov/news/press-releases/sb0168', '2025-07-03T20:00:00.000Z'],
      ['https://home.treasury.gov/news/press-releases/sb0167', '2025-07-02T13:00:00.000Z'],
    ]);
    expect(items[1]!.title).toBe('Readout: Secretary Bessent’s Meeting with the Governor of the Bank of Japan');
    expect(items.every((i) => i.id === i.link)).toBe(true);
  });

  it('finds the publications on the MSMT-like page: titles without category or date, dates written 2025.10.22, no download or footer links', () => {
    const items = extractPublications(feedFixture('msmt_home.html'), 'https://msmt.info/');
    expect(items.map((i) => [i.title, i.publishedAt, i.link])).toEqual([
      [
        'The DPRK’s Violation and Evasion of UN Sanctions through Cyber and Information Technology Worker Activities',
        '2025-10-22',
        'https://msmt.info/Publications/detail/MSMT%20Report/4221',
      ],
      ['Joint Statement of the Participating States on the Second MSMT Report', '2025-10-22', 'https://msmt.info/Publications/detail/Press%20Release/4222'],
      [
        'Unlawful Military Cooperation including Arms Transfers between the DPRK and the Russian Federation',
        '2025-05-29',
        'https://msmt.info/Publications/detail/MSMT%20Report/4101',
      ],
    ]);
  });

  it('takes the row text as the summary when a row has one, and stays on the page’s site', () => {
    const html = `<html><body><main><ul>
      <li><h2><a href="/reports/2025/sanctions-evasion-at-sea">Sanctions Evasion at Sea: Ship-to-Ship Transfers</a></h2>
          <p>Published 3 March 2025</p><p>How tankers moved refined petroleum to North Korean ports in the first quarter.</p></li>
      <li><h2><a href="https://elsewhere.example/story">An Article on Another Website Entirely</a></h2></li>
    </ul></main></body></html>`;
    const items = extractPublications(html, 'https://www.example.org/reports');
    expect(items).toEqual([
      {
        id: 'https://www.example.org/reports/2025/sanctions-evasion-at-sea',
        title: 'Sanctions Evasion at Sea: Ship-to-Ship Transfers',
        link: 'https://www.example.org/reports/2025/sanctions-evasion-at-sea',
        publishedAt: '2025-03-03',
        summaryText: 'Published How tankers moved refined petroleum to North Korean ports in the first quarter.',
        bodyText: '',
      },
    ]);
  });

  it('reads dates as pages write them', () => {
    expect(findDate('Posted 2025.10.22 by staff')?.iso).toBe('2025-10-22');
    expect(findDate('October 22, 2025')?.iso).toBe('2025-10-22');
    expect(findDate('Sept. 3, 2024')?.iso).toBe('2024-09-03');
    expect(findDate('22 Oct 2025')?.iso).toBe('2025-10-22');
    expect(findDate('2025-02-30')).toBeUndefined();
    expect(findDate('no date here')).toBeUndefined();
  });
});
