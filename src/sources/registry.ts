import type { Config } from '../config.js';
import type { ListId } from '../core/designation.js';
import { chSecoSource } from './ch-seco/source.js';
import { euFsfSource } from './eu-fsf/source.js';
import { factCheckSources } from './factcheck/source.js';
import { configuredFeeds } from './feeds/config.js';
import { storedPartiesOf } from './feeds/parties.js';
import { feedSource } from './feeds/source.js';
import { jpMofSource } from './jp-mof/source.js';
import type { ListSource } from './list-source.js';
import { ofacSdnSource } from './ofac/source.js';
import type { Source } from './source.js';
import { unScSource } from './un/source.js';
import { ukSanctionsSource } from './uk-sanctions/source.js';
import { auDfatSource } from './au-dfat/source.js';

/** Every sanctions list dprk-watch can poll: one line each, built from its settings. */
const LISTS: Record<ListId, (config: Config) => ListSource> = {
  'ofac-sdn': (c) => ofacSdnSource(c.OFAC_SDN_URL, { cron: c.OFAC_SDN_CRON }),
  'un-sc': (c) => unScSource(c.UN_SC_URL, { cron: c.UN_SC_CRON }),
  'eu-fsf': (c) => euFsfSource(c.EU_FSF_URL, { cron: c.EU_FSF_CRON }),
  'uk-sanctions': (c) => ukSanctionsSource(c.UK_SANCTIONS_URL, { cron: c.UK_SANCTIONS_CRON }),
  'jp-mof': (c) => jpMofSource(c.JP_MOF_URL, { cron: c.JP_MOF_CRON }),
  'au-dfat': (c) => auDfatSource(c.AU_DFAT_URL, { cron: c.AU_DFAT_CRON }),
  'ch-seco': (c) => chSecoSource(c.CH_SECO_URL, { cron: c.CH_SECO_CRON }),
};

/**
 * Every source the configuration enables, in the order status lists them: the sanctions lists
 * (SOURCES), the report feeds (REPORT_FEEDS), the fact-check sources. The scheduler, `status`,
 * health and metrics know sources only through this list and the Source contract.
 */
export function configuredSources(config: Config): Source[] {
  // One cached view of the stored lists, shared by every feed's mention matcher.
  const parties = storedPartiesOf(config.SOURCES);
  return [
    ...config.SOURCES.map((id) => LISTS[id](config)),
    ...configuredFeeds(config).map((f) => feedSource(f, { parties, cron: config.REPORT_FEEDS_CRON })),
    ...factCheckSources(config),
  ] as Source[];
}
