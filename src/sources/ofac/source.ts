import { SOURCE_LABELS } from '../../core/alerts.js';
import type { ParsedList } from '../../core/designation.js';
import { listSource, requireBody, type ListSource } from '../list-source.js';
import { SourceError } from '../source.js';
import { describeSniffed, sniffFormat } from '../sniff.js';
import { parseOfacCsv } from './csv.js';
import { OFAC_SDN_DEFAULT_CRON } from './config.js';
import { parseOfacXml } from './xml.js';

const COMPANIONS = ['add.csv', 'alt.csv', 'sdn_comments.csv'] as const;

/** The legacy CSV bundle's companion files, beside sdn.csv, in the same letter case. */
export function companionUrls(url: string): { add: string; alt: string; comments: string } | undefined {
  const base = new URL(url).pathname.split('/').pop() ?? '';
  if (!/^sdn\.csv$/i.test(base)) return undefined;
  const upper = base === base.toUpperCase();
  const [add, alt, comments] = COMPANIONS.map((f) => new URL(upper ? f.toUpperCase() : f, url).href) as [
    string,
    string,
    string,
  ];
  return { add, alt, comments };
}

/**
 * OFAC's SDN list. The format is read from the content: SDN.XML (or CONSOLIDATED.XML)
 * from the Sanctions List Service, or the legacy sdn.csv joined with its companions.
 */
export function ofacSdnSource(url: string, o: { cron?: string; fetchedAt?: string } = {}): ListSource {
  const companions = companionUrls(url);
  return listSource({
    id: 'ofac-sdn',
    label: SOURCE_LABELS['ofac-sdn'],
    url,
    cron: o.cron ?? OFAC_SDN_DEFAULT_CRON,
    ...(o.fetchedAt ? { fetchedAt: o.fetchedAt } : {}),
    documents: [{ url }, ...(companions ? Object.values(companions).map((u) => ({ url: u, optional: true })) : [])],
    takesOverRecords: true,
    parse(bodies, prior): ParsedList {
      const body = requireBody(bodies, url);
      const format = sniffFormat(body);
      const text = (u: string | undefined) => (u ? bodies.get(u)?.toString('utf8') : undefined);
      switch (format) {
        case 'ofac-xml':
          return parseOfacXml(body.toString('utf8'));
        case 'ofac-csv': {
          const add = text(companions?.add);
          const alt = text(companions?.alt);
          const comments = text(companions?.comments);
          return parseOfacCsv({
            sdn: body.toString('utf8'),
            ...(add !== undefined ? { add } : {}),
            ...(alt !== undefined ? { alt } : {}),
            ...(comments !== undefined ? { comments } : {}),
          }, prior);
        }
        case 'un-xml':
          throw new SourceError('OFAC_SDN_URL points at the UN consolidated list, not an OFAC list');
        default:
          throw new SourceError(describeSniffed(format));
      }
    },
  });
}
