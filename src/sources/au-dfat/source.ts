import { SOURCE_LABELS } from '../../core/alerts.js';
import { listSource, requireBody, type ListSource } from '../list-source.js';
import { describeSniffed, sniffFormat } from '../sniff.js';
import { SourceError } from '../source.js';
import { AU_DFAT_DEFAULT_CRON } from './config.js';
import { parseDfatWorkbook } from './spreadsheet.js';

/** Australia's DFAT Consolidated List (every Australian sanctions regime; DPRK: 1718 and Autonomous). */
export function auDfatSource(url: string, o: { cron?: string } = {}): ListSource {
  return listSource({
    id: 'au-dfat',
    label: SOURCE_LABELS['au-dfat'],
    url,
    cron: o.cron ?? AU_DFAT_DEFAULT_CRON,
    documents: [{ url }],
    parse(bodies) {
      const body = requireBody(bodies, url);
      const format = sniffFormat(body);
      if (format === 'xls' || format === 'xlsx') return parseDfatWorkbook(body, format);
      if (format === 'ofac-xml' || format === 'ofac-csv')
        throw new SourceError('AU_DFAT_URL points at an OFAC list, not the DFAT Consolidated List');
      if (format === 'un-xml') throw new SourceError('AU_DFAT_URL points at the UN consolidated list, not the DFAT Consolidated List');
      throw new SourceError(`AU_DFAT_URL: ${describeSniffed(format)}`);
    },
  });
}
