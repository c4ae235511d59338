import { SOURCE_LABELS } from '../../core/alerts.js';
import { listSource, requireBody, type ListSource } from '../list-source.js';
import { describeSniffed, sniffFormat } from '../sniff.js';
import { SourceError } from '../source.js';
import { UK_SANCTIONS_DEFAULT_CRON } from './config.js';
import { parseUkXml } from './xml.js';
import { parseOfsiXlsx } from './xlsx.js';

/**
 * The UK Sanctions List (all regimes; DPRK is "The Democratic People's Republic of Korea
 * (Sanctions) (EU Exit) Regulations 2019"). The format is read from the content: the FCDO
 * UK-Sanctions-List.xml, or the older OFSI ConList.xlsx (same keys, UK Sanctions List Ref).
 */
export function ukSanctionsSource(url: string, o: { cron?: string } = {}): ListSource {
  return listSource({
    id: 'uk-sanctions',
    label: SOURCE_LABELS['uk-sanctions'],
    url,
    cron: o.cron ?? UK_SANCTIONS_DEFAULT_CRON,
    documents: [{ url }],
    parse(bodies) {
      const body = requireBody(bodies, url);
      const format = sniffFormat(body);
      if (format === 'uk-xml') return parseUkXml(body);
      if (format === 'xlsx') return parseOfsiXlsx(body);
      if (format === 'ofac-xml' || format === 'ofac-csv')
        throw new SourceError('UK_SANCTIONS_URL points at an OFAC list, not the UK Sanctions List');
      if (format === 'un-xml') throw new SourceError('UK_SANCTIONS_URL points at the UN consolidated list, not the UK Sanctions List');
      throw new SourceError(describeSniffed(format));
    },
  });
}
