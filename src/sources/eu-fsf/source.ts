import { SOURCE_LABELS } from '../../core/alerts.js';
import { listSource, requireBody, type ListSource } from '../list-source.js';
import { describeSniffed, sniffFormat } from '../sniff.js';
import { SourceError } from '../source.js';
import { EU_FSF_DEFAULT_CRON } from './config.js';
import { parseEuFsfXml } from './xml.js';

/** The EU Financial Sanctions Files consolidated list (all EU regimes; DPRK is programme PRK). */
export function euFsfSource(url: string, o: { cron?: string } = {}): ListSource {
  return listSource({
    id: 'eu-fsf',
    label: SOURCE_LABELS['eu-fsf'],
    url,
    cron: o.cron ?? EU_FSF_DEFAULT_CRON,
    documents: [{ url }],
    // The FSF endpoint builds the ~25 MB file on request and can take over a minute to start answering.
    minTimeoutMs: 180_000,
    parse(bodies) {
      const body = requireBody(bodies, url);
      const format = sniffFormat(body);
      if (format === 'eu-fsf-xml') return parseEuFsfXml(body);
      if (format === 'ofac-xml' || format === 'ofac-csv')
        throw new SourceError('EU_FSF_URL points at an OFAC list, not the EU Financial Sanctions Files list');
      if (format === 'un-xml')
        throw new SourceError('EU_FSF_URL points at the UN consolidated list, not the EU Financial Sanctions Files list');
      // The FSF endpoint answers an expired token or an outage with a short JSON error and 200.
      const head = body.subarray(0, 300).toString('utf8').trim();
      if (format === 'unknown' && /^[{[]/.test(head))
        throw new SourceError(`EU_FSF_URL answered a JSON document (${body.length} bytes), not the list: ${head.slice(0, 200)}`);
      throw new SourceError(describeSniffed(format));
    },
  });
}
