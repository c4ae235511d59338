import type { VerdictAlert } from '../../core/verdicts.js';
import type { ParsedReview } from '../../factcheck/review.js';
import { applyReviews } from '../../factcheck/apply.js';
import { ensureIndexed, mergeStates, readAllStates, readSourceState, writeSourceState, type SourceState, type StoredVerdict } from '../../factcheck/state.js';
import { fetchEdition } from '../documents.js';
import type { Fetched, PollContext, PollReportLine, Source } from '../source.js';
import { extractClaimReviews } from './claimreview.js';
import { googleEndpoint, type FactCheckConfig } from './config.js';
import { redactKey, searchGoogle } from './google.js';

export const GOOGLE_SOURCE_ID = 'factcheck:google';
export const GOOGLE_SOURCE_LABEL = 'Google Fact Check Tools';
export const pageSourceId = (url: string): string => `factcheck:page:${url}`;

type Settings = Pick<FactCheckConfig, 'GOOGLE_FACTCHECK_API_KEY' | 'GOOGLE_FACTCHECK_URL' | 'FACTCHECK_QUERIES' | 'FACTCHECK_PAGES' | 'FACTCHECK_LANGUAGE'> &
  Partial<Pick<FactCheckConfig, 'FACTCHECK_MAX_PAGES' | 'FACTCHECK_CRON'>>;

const DEFAULT_CRON = '0 */6 * * *';

interface Reviews {
  reviews: ParsedReview[];
  format: string;
  warnings: string[];
}

/**
 * What every fact-check source shares: its state is the verdicts it published (one stored
 * document per source, indexed for lookups); a new DPRK-related verdict, or a rating that
 * changed, is an alert — unless another source already published the same verdict.
 */
function verdictSource<Raw>(o: {
  id: string;
  label: string;
  url: string;
  cron: string;
  off?: Source['off'];
  trustsValidators?: Source['trustsValidators'];
  fetch(ctx: PollContext, validators: Parameters<Source['fetch']>[1]): Promise<Fetched<Raw>>;
  parse(raw: Raw): Reviews;
}): Source<SourceState, Raw, Reviews, VerdictAlert> {
  const { id, label } = o;
  return {
    id,
    label,
    url: o.url,
    cron: o.cron,
    ...(o.off ? { off: o.off } : {}),
    load: (ctx) => readSourceState(ctx.store, id),
    trustsValidators: o.trustsValidators ?? (() => true),
    fetch: o.fetch,
    parse: (fetched, _state, ctx) => {
      const parsed = o.parse(fetched.raw);
      for (const w of parsed.warnings) ctx.log.warn({ source: id }, w);
      return parsed;
    },
    async compare(prev, { reviews, format, warnings }, ctx) {
      // Verdicts other sources hold already are not news when this one publishes them too.
      const others = (await readAllStates(ctx.store)).filter((s) => s.source !== id);
      const elsewhere = new Map<string, StoredVerdict>(mergeStates(others).map((m) => [m.verdict.id, m]));
      const result = applyReviews(prev, reviews, { source: id, sourceLabel: label, now: ctx.now, elsewhere });
      const changed = !prev || prev.version !== result.next.version;
      const verdicts = result.next.entries.length;
      const dprk = result.next.entries.filter((e) => e.verdict.dprk).length;
      return {
        outcome: result.baseline ? 'baseline' : changed ? 'changed' : 'unchanged',
        alerts: result.alerts,
        next: result.next,
        changed,
        status: { recordCount: verdicts, dprkCount: dprk, format, snapshotVersion: result.next.version },
        warnings,
        report: (recorded): PollReportLine =>
          result.baseline
            ? {
                log: `${id} baseline stored: ${verdicts} fact-checked claim(s), ${dprk} DPRK-related (first poll alerts nothing)`,
                fields: { verdicts, dprk },
                summary: `baseline of ${verdicts} fact-checked claim(s) stored, ${dprk} DPRK-related (no alerts on a first poll)`,
                counts: { verdicts, dprk },
              }
            : changed
              ? {
                  log: `${id}: ${result.added} new claim(s), ${result.changed} rating change(s), ${recorded.length} new alert(s)`,
                  fields: { added: result.added, changed: result.changed, alerts: recorded.length },
                  summary: `${result.added} new claim(s), ${result.changed} rating change(s), ${recorded.length} new alert(s)`,
                  counts: { added: result.added, changed: result.changed, updated: result.updated },
                }
              : { log: `${id} unchanged`, level: 'debug', summary: 'unchanged' },
      };
    },
    // An unchanged state is still indexed: the index may predate it (an upgrade, a lost write).
    save: (ctx, next, changed) => (changed ? writeSourceState(ctx.store, next) : ensureIndexed(ctx.store, next)),
    async unchanged(ctx, state) {
      if (state) await ensureIndexed(ctx.store, state);
    },
  };
}

/** Google Fact Check Tools: every query, every page up to the cap. Off (status says why) without an API key. */
export function googleFactCheckSource(config: Settings): Source<SourceState, Reviews, Reviews, VerdictAlert> {
  const endpoint = googleEndpoint(config.GOOGLE_FACTCHECK_URL);
  const key = config.GOOGLE_FACTCHECK_API_KEY;
  return verdictSource<Reviews>({
    id: GOOGLE_SOURCE_ID,
    label: GOOGLE_SOURCE_LABEL,
    url: endpoint,
    cron: config.FACTCHECK_CRON ?? DEFAULT_CRON,
    ...(key
      ? {}
      : {
          off: {
            reason: 'skipped: GOOGLE_FACTCHECK_API_KEY is not set (get a key for the Fact Check Tools API to enable this source)',
            format: 'skipped (no API key)',
          },
        }),
    async fetch(ctx) {
      try {
        const found = await searchGoogle({
          endpoint,
          apiKey: key ?? '',
          queries: config.FACTCHECK_QUERIES,
          maxPages: config.FACTCHECK_MAX_PAGES ?? 5,
          fetch: ctx.fetch,
          ...(config.FACTCHECK_LANGUAGE ? { language: config.FACTCHECK_LANGUAGE } : {}),
        });
        // The API answers searches, not documents: there is nothing to revalidate.
        return { unchanged: false, raw: { reviews: found.reviews, format: `claims:search (${found.requests} request(s))`, warnings: [] }, documents: [], warnings: found.warnings };
      } catch (e) {
        throw new Error(redactKey((e as Error).message, key ?? ''));
      }
    },
    parse: (raw) => raw,
  });
}

/** One fact-check article whose page carries ClaimReview JSON-LD (conditional GET: unchanged pages cost a 304). */
export function claimReviewPageSource(url: string, cron: string = DEFAULT_CRON): Source<SourceState, ReadonlyMap<string, Buffer>, Reviews, VerdictAlert> {
  return verdictSource<ReadonlyMap<string, Buffer>>({
    id: pageSourceId(url),
    label: pageLabel(url),
    url,
    cron,
    // After a failure the page is fetched in full, so a fixed page is read again even if it answers 304.
    trustsValidators: (previous) => !previous.degraded,
    fetch: (ctx, validators) => fetchEdition([{ url }], validators, ctx.fetch),
    parse(bodies) {
      const body = bodies.get(url);
      if (!body || body.length === 0) throw new Error(`${url} answered an empty body`);
      const page = extractClaimReviews(body.toString('utf8'), url);
      if (page.reviews.length === 0) {
        const why =
          page.blocks === 0
            ? 'the page has no JSON-LD'
            : page.broken > 0
              ? `no ClaimReview could be read (${page.warnings.join('; ')})`
              : `no usable ClaimReview in ${page.blocks} JSON-LD block(s)${page.warnings.length ? ` (${page.warnings.join('; ')})` : ''}`;
        throw new Error(`${url}: ${why}; kept the previous verdicts`);
      }
      return { reviews: page.reviews, format: 'ClaimReview JSON-LD', warnings: page.warnings };
    },
  });
}

/** Every fact-check source configuration enables: Google (off without a key), then each page. */
export function factCheckSources(config: Settings): Source[] {
  const cron = config.FACTCHECK_CRON ?? DEFAULT_CRON;
  return [googleFactCheckSource(config), ...config.FACTCHECK_PAGES.map((url) => claimReviewPageSource(url, cron))] as Source[];
}

function pageLabel(url: string): string {
  try {
    return `ClaimReview page ${new URL(url).hostname.replace(/^www\./, '') || url}`;
  } catch {
    return `ClaimReview page ${url}`;
  }
}
