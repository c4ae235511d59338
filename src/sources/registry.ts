import type { Config } from '../config.js';
import type { ListId } from '../core/designation.js';
import type { ListSource } from './list-source.js';
import { ofacSdnSource } from './ofac/source.js';
import { unScSource } from './un/source.js';

export interface ScheduledSource {
  source: ListSource;
  cron: string;
}

/** The enabled sources with their URLs and schedules, from configuration. */
export function configuredSources(config: Config): ScheduledSource[] {
  const all: Record<ListId, ScheduledSource> = {
    'ofac-sdn': { source: ofacSdnSource(config.OFAC_SDN_URL), cron: config.OFAC_SDN_CRON },
    'un-sc': { source: unScSource(config.UN_SC_URL), cron: config.UN_SC_CRON },
  };
  return config.SOURCES.map((id) => all[id]);
}
