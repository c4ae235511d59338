import { SOURCE_LABELS } from '../../core/alerts.js';
import { listSource, requireBody, type ListSource } from '../list-source.js';
import { describeSniffed, sniffFormat } from '../sniff.js';
import { SourceError } from '../source.js';
import { UN_SC_DEFAULT_CRON } from './config.js';
import { parseUnXml } from './xml.js';

/** The UN Security Council consolidated list (all regimes; DPRK is the 1718 list). */
export function unScSource(url: string, o: { cron?: string } = {}): ListSource {
  return listSource({
    id: 'un-sc',
    label: SOURCE_LABELS['un-sc'],
    url,
    cron: o.cron ?? UN_SC_DEFAULT_CRON,
    documents: [{ url }],
    parse(bodies) {
      const body = requireBody(bodies, url);
      const format = sniffFormat(body);
      if (format === 'un-xml') return parseUnXml(body.toString('utf8'));
      if (format === 'ofac-xml' || format === 'ofac-csv')
        throw new SourceError('UN_SC_URL points at an OFAC list, not the UN consolidated list');
      throw new SourceError(describeSniffed(format));
    },
  });
}
