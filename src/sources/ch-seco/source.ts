import { SOURCE_LABELS } from '../../core/alerts.js';
import { listSource, requireBody, type ListSource } from '../list-source.js';
import { describeSniffed, sniffFormat } from '../sniff.js';
import { SourceError } from '../source.js';
import { CH_SECO_DEFAULT_CRON } from './config.js';
import { parseChSecoXml } from './xml.js';

/** The Swiss SECO consolidated sanctions list (all Swiss ordinances; DPRK is the North Korea ordinance). */
export function chSecoSource(url: string, o: { cron?: string } = {}): ListSource {
  return listSource({
    id: 'ch-seco',
    label: SOURCE_LABELS['ch-seco'],
    url,
    cron: o.cron ?? CH_SECO_DEFAULT_CRON,
    documents: [{ url }],
    parse(bodies) {
      const body = requireBody(bodies, url);
      const format = sniffFormat(body);
      if (format === 'ch-seco-xml') return parseChSecoXml(body);
      if (format === 'ofac-xml' || format === 'ofac-csv')
        throw new SourceError('CH_SECO_URL points at an OFAC list, not the Swiss SECO sanctions list');
      if (format === 'un-xml')
        throw new SourceError('CH_SECO_URL points at the UN consolidated list, not the Swiss SECO sanctions list');
      if (format === 'eu-fsf-xml')
        throw new SourceError('CH_SECO_URL points at the EU Financial Sanctions Files list, not the Swiss SECO sanctions list');
      throw new SourceError(describeSniffed(format));
    },
  });
}
