import { SourceError } from '../source.js';

const WORKBOOK_HREF = /href\s*=\s*["']([^"']*shisantouketsu[^"']*\.xlsx?)["']/gi;

/**
 * The newest workbook MOF's list page links (`shisantouketsuYYYYMMDD.xlsx`, formerly `.xls`),
 * resolved against the page's URL. The newest is the one with the greatest date in its name;
 * of equal dates, .xlsx before .xls. Throws a SourceError when the page links none.
 */
export function workbookLinkOf(html: string, pageUrl: string): string {
  const links: Array<{ url: string; key: string }> = [];
  for (const m of html.matchAll(WORKBOOK_HREF)) {
    const href = m[1]!.replace(/&amp;/g, '&');
    const date = /shisantouketsu[^/]*?(\d{8})/i.exec(href)?.[1] ?? '';
    links.push({ url: new URL(href, pageUrl).href, key: `${date}${href.toLowerCase().endsWith('.xlsx') ? '1' : '0'}` });
  }
  if (links.length === 0)
    throw new SourceError(`JP_MOF_URL: the HTML page ${pageUrl} links no shisantouketsu*.xls(x) workbook (not the MOF list page, or an error page)`);
  links.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  return links[0]!.url;
}
