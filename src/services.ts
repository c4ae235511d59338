import path from 'node:path';
import type { Services } from './commands/context.js';
import type { Config } from './config.js';
import { AttributionIndex } from './search/attributions.js';
import { IndexCache } from './search/index-cache.js';
import { LookupService } from './search/lookup-service.js';
import { bundledLists } from './seeds/snapshot.js';
import { bundledAttributions } from './seeds/attributions.js';
import { seedDesignations, seedOrganisations } from './seeds/load.js';
import { VerdictService } from './factcheck/service.js';
import { configuredSources } from './sources/registry.js';
import type { Store } from './store/store.js';
import { SubscriptionStore } from './subscriptions/store.js';
import { sqliteFileOf } from './store/url.js';

/** The services commands answer from, built once per process. */
export function buildServices(config: Config, store: Store): Services {
  return {
    config,
    store,
    // Loads the bundled seed verdicts before its first answer, so a fresh install answers from them.
    verdicts: new VerdictService(store, { loadSeeds: true }),
    subscriptions: new SubscriptionStore(store),
    // Lists not polled yet answer from the bundled snapshot, so a fresh install answers offline.
    lookup: new LookupService(store, config.SOURCES, seedDesignations, seedOrganisations, bundledLists, indexCacheFor(config)),
    // Law-enforcement wallet attributions: bundled, apart from the sanctions lists.
    attributions: new AttributionIndex(bundledAttributions()),
    sources: configuredSources(config).map((s) => ({ id: s.id, url: s.url })),
  };
}

/**
 * Where the lookup index is persisted between processes: beside a SQLite file
 * (`<file>.lookup-index/<namespace>/`), so a CLI lookup does not rebuild it. Redis and memory
 * stores persist none: a Redis deployment answers from long-running processes that build once,
 * and 60 MB per list version is not what a shared Redis is for.
 */
function indexCacheFor(config: Config): IndexCache | undefined {
  const file = sqliteFileOf(config.STORE_URL);
  if (file === undefined || file === ':memory:' || file === '') return undefined;
  return new IndexCache(path.join(`${path.resolve(file)}.lookup-index`, config.STORE_NAMESPACE));
}
