import { SOURCE_LABELS } from '../../core/alerts.js';
import { fetchEdition } from '../documents.js';
import { fetchDocument } from '../fetcher.js';
import { listSource, type ListSource } from '../list-source.js';
import { describeSniffed, sniffFormat } from '../sniff.js';
import { SourceError } from '../source.js';
import { JP_MOF_DEFAULT_CRON } from './config.js';
import { workbookLinkOf } from './page.js';
import { parseJpMofWorkbook } from './workbook.js';

/** A URL naming the workbook itself (`…/shisantouketsu20220509.xls`, a mirror's `.xlsx.gz`), not the list page. */
const WORKBOOK_URL = /\.xlsx?(\.gz)?$/i;

/**
 * Japan's Ministry of Finance asset-freeze list (all programmes; DPRK is sheets 13–17). JP_MOF_URL
 * is either the workbook or MOF's list page: the page is read on every poll for its newest
 * `shisantouketsu*.xls(x)` link, and the workbook it names is fetched with a conditional GET.
 */
export function jpMofSource(url: string, o: { cron?: string } = {}): ListSource {
  const direct = WORKBOOK_URL.test(new URL(url).pathname);
  const source = listSource({
    id: 'jp-mof',
    label: SOURCE_LABELS['jp-mof'],
    url,
    cron: o.cron ?? JP_MOF_DEFAULT_CRON,
    documents: [{ url }],
    parse(bodies) {
      const body = [...bodies.values()][0];
      if (!body) throw new SourceError(`${url} was not fetched`);
      const format = sniffFormat(body);
      if (format === 'xls') return parseJpMofWorkbook(body, 'jp-mof-xls');
      if (format === 'xlsx') return parseJpMofWorkbook(body, 'jp-mof-xlsx');
      if (format === 'ofac-xml' || format === 'ofac-csv')
        throw new SourceError('JP_MOF_URL points at an OFAC list, not the Japan MOF asset-freeze list');
      if (format === 'un-xml') throw new SourceError('JP_MOF_URL points at the UN consolidated list, not the Japan MOF asset-freeze list');
      throw new SourceError(describeSniffed(format));
    },
  });
  if (direct) return source;
  return {
    ...source,
    async fetch(ctx, validators) {
      const page = await fetchDocument(url, ctx.fetch);
      if (page.status !== 'ok') throw new SourceError(`${url} sent no page`);
      if (sniffFormat(page.body) !== 'html') {
        // Not a page: the URL serves the workbook itself (or something to refuse in parse).
        return fetchEdition([{ url }], validators, ctx.fetch);
      }
      const workbook = workbookLinkOf(page.body.toString('utf8'), url);
      return fetchEdition([{ url: workbook }], validators, ctx.fetch);
    },
  };
}
