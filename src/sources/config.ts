import { csvListField } from '../config-fields.js';
import { LIST_IDS } from '../core/designation.js';
import { FactCheckConfigShape } from './factcheck/config.js';
import { FeedsConfigSchema } from './feeds/config.js';
import { chSecoConfig } from './ch-seco/config.js';
import { euFsfConfig } from './eu-fsf/config.js';
import { jpMofConfig } from './jp-mof/config.js';
import { ofacConfig } from './ofac/config.js';
import { unConfig } from './un/config.js';
import { ukSanctionsConfig } from './uk-sanctions/config.js';
import { auDfatConfig } from './au-dfat/config.js';

/**
 * Every source's settings, each declared in its own folder; `src/config.ts` spreads these into
 * the one configuration schema. A new list adds its fragment to LIST_SETTINGS.
 */
export const LIST_SETTINGS = {
  /** Which sanctions lists are polled (comma-separated ids; default: all). */
  SOURCES: csvListField(LIST_IDS).default([...LIST_IDS]),
  ...ofacConfig,
  ...unConfig,
  ...euFsfConfig,
  ...ukSanctionsConfig,
  ...jpMofConfig,
  ...auDfatConfig,
  ...chSecoConfig,
};

/** Report feeds and fact-check sources. */
export const REPORT_SETTINGS = {
  ...FeedsConfigSchema.shape,
  ...FactCheckConfigShape,
};
