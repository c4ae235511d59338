import { SOURCE_LABELS } from '../../src/core/alerts.js';
import { buildWatchAlert, type WatchAlert } from '../../src/core/watch.js';
import { parseOfacCsv } from '../../src/sources/ofac/csv.js';
import { fixtureText } from './fixtures.js';

/**
 * A watch.matched alert from real data: the ETH address OFAC added to LAZARUS GROUP in the
 * 2022-04-14 DPRK subset of sdn.csv, watched (in lower case) by one Discord channel. Only the
 * channel ids and the times are made up.
 */
export function realWatchAlert(detectedAt = '2022-04-14T18:48:23.000Z'): WatchAlert {
  const ronin = '0x098b716b8aaf21512996dc57eb0615e2383e2f96';
  const records = parseOfacCsv({ sdn: fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv') }).records;
  const record = records.find((r) => r.identifiers.some((i) => i.value.toLowerCase() === ronin))!;
  const id = record.identifiers.find((i) => i.value.toLowerCase() === ronin)!;
  return buildWatchAlert(
    { platform: 'discord', workspaceId: '111111111111111111', channelId: '222222222222222222' },
    { key: `address:${ronin}`, input: ronin, kind: 'address', addedAt: '2022-04-13T09:00:00.000Z' },
    {
      type: 'designation',
      source: record.source,
      sourceId: record.sourceId,
      name: record.name,
      matchedOn: `${id.label ?? 'crypto'} ${id.value}`,
      matchKind: 'identifier',
      score: 1,
      partyType: record.type,
      dprk: record.dprk,
      programs: record.programs,
      lists: [SOURCE_LABELS[record.source]],
      url: record.url,
    },
    { sourceLabel: SOURCE_LABELS[record.source], detectedAt, dprk: record.dprk },
  );
}
