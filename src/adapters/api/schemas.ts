/**
 * The JSON shapes the HTTP API answers with, as zod schemas: `/openapi.json` is generated from
 * them, and the API tests check every answer against them. They are the shapes the CLI prints
 * with `--json` (the commands' Reply.data); the type checks at the bottom fail to compile when a
 * command's data and its schema drift apart.
 */
import { z } from 'zod';
import { AlertSchema } from '../../core/alerts.js';
import { DesignationSchema, IDENTIFIER_KINDS, PartyTypeSchema, SourceIdSchema, LIST_IDS } from '../../core/designation.js';
import { ListDateBasisSchema } from '../../core/list-date.js';
import { ORGANISATION_KINDS } from '../../seeds/schema.js';
import type { LookupResult } from '../../search/entity-index.js';
import type { ScreenRow } from '../../screen/engine.js';
import type { AttributionData } from '../../search/attributions.js';
import type { ListEdition } from '../../search/lookup-service.js';
import type { Listing } from '../../search/regimes.js';
import type { PartyContext } from '../../search/context.js';
import type { SourceHealth } from '../../../commands/status.js';
import { VerdictDataSchema } from '../../../commands/verdict.js';

export const ListEditionSchema = z
  .object({
    source: SourceIdSchema,
    listDate: z.string().nullable(),
    listDateBasis: z.enum([...ListDateBasisSchema.options, 'newest-item']).nullable(),
    recordCount: z.number().int(),
    bundled: z.literal(true).optional(),
  })
  .meta({
    id: 'ListEdition',
    description: 'One list (or the bundled seeds) the answer was searched in, with its date and what kind of date it is. `bundled: true`: the list was not polled yet and answered from the bundled snapshot of that date.',
  });

/** A wallet attributed by law enforcement (seeds/attributions/): never a designation. */
export const AttributionDataSchema = z
  .object({
    id: z.string(),
    chain: z.string(),
    address: z.string(),
    attributedBy: z.string(),
    actor: z.string(),
    alsoKnownAs: z.array(z.string()),
    incident: z.string(),
    document: z.string(),
    published: z.string(),
    url: z.string(),
    sanctioned: z.literal(false),
  })
  .meta({ id: 'Attribution', description: 'A wallet attributed by law enforcement to a DPRK actor. Not a designation: `sanctioned` is always false.' });

export const CrossReferenceSchema = z.object({
  source: SourceIdSchema,
  sourceId: z.string(),
  name: z.string(),
  url: z.string(),
  listedOn: z.string().optional(),
});

export const ListingSchema = z.object({
  source: z.enum(LIST_IDS),
  sourceId: z.string(),
  listedOn: z.string().nullable(),
  listDate: z.string().nullable(),
  url: z.string(),
});

export const PartyContextSchema = z.object({
  announcements: z.array(z.object({ agency: z.string(), date: z.string(), action: z.string(), url: z.string().optional() })),
  reports: z.array(z.object({ title: z.string(), date: z.string().optional(), url: z.string() })),
  verdicts: z.array(z.object({ claim: z.string(), rating: z.string(), url: z.string() })),
});

/** One match of `entity`/`lookup --json`: everything of the search result but the full record. */
export const LookupResultSchema = z
  .object({
    source: SourceIdSchema,
    sourceId: z.string(),
    name: z.string(),
    type: PartyTypeSchema,
    matchedOn: z.string(),
    matchKind: z.enum(['name', 'alias', 'identifier']),
    score: z.number(),
    dprk: z.boolean(),
    programs: z.array(z.string()),
    url: z.string(),
    identifier: z.object({ kind: z.enum(IDENTIFIER_KINDS), value: z.string(), asset: z.string().optional() }).optional(),
    crossReferences: z.array(CrossReferenceSchema),
    listedBy: z.array(ListingSchema),
    context: PartyContextSchema.optional(),
  })
  .meta({ id: 'LookupResult' });

/** `dprk-watch lookup "<query>" --json` — and `GET /v1/lookup`. */
export const LookupDataSchema = z
  .object({
    query: z.string(),
    results: z.array(LookupResultSchema),
    attributions: z.array(AttributionDataSchema).optional(),
    organisations: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(ORGANISATION_KINDS), description: z.string() })).optional(),
    editions: z.array(ListEditionSchema),
  })
  .meta({ id: 'LookupData', description: 'What `dprk-watch lookup --json` prints. `organisations` is absent only when no list is stored yet.' });

export const VerdictDataApiSchema = VerdictDataSchema.meta({ id: 'VerdictData', description: 'What `dprk-watch verdict --json` prints; `found: false` is "no fact-check found".' });

export const SourceHealthSchema = z.object({
  source: z.string(),
  url: z.string(),
  state: z.enum(['ok', 'degraded', 'never-polled']),
  lastAttemptAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastChangeAt: z.string().nullable(),
  recordCount: z.number().int().nullable(),
  dprkCount: z.number().int().nullable(),
  listDate: z.string().nullable(),
  listDateBasis: z.enum([...ListDateBasisSchema.options, 'newest-item']).nullable(),
  format: z.string().nullable(),
  degradedReason: z.string().nullable(),
  degradedSince: z.string().nullable(),
  warnings: z.array(z.string()),
});

/** `dprk-watch status --json` — and `GET /v1/status`. */
export const StatusDataSchema = z.object({ sources: z.array(SourceHealthSchema) }).meta({ id: 'StatusData', description: 'What `dprk-watch status --json` prints.' });

export const AlertApiSchema = AlertSchema.meta({ id: 'Alert', description: 'An alert as stored and delivered (what `dprk-watch latest --json` lists).' });

/** `GET /v1/alerts`: `latest --json`'s shape (`kind`, `alerts`), with the other filters echoed. */
export const AlertsDataSchema = z
  .object({
    kind: z.string(),
    since: z.string().nullable(),
    source: z.string().nullable(),
    alerts: z.array(AlertApiSchema),
  })
  .meta({ id: 'AlertsData' });

/** `GET /v1/entities/{source}/{id}`: one record, who else lists the party, and the list it came from. */
export const EntityDataSchema = z
  .object({
    result: LookupResultSchema.omit({ context: true, listedBy: true }),
    listedBy: z.array(ListingSchema),
    record: DesignationSchema.meta({ id: 'Designation' }),
    edition: ListEditionSchema.nullable(),
  })
  .meta({ id: 'EntityData' });

/** RFC 9457 problem details: every 4xx and 5xx answer. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ parameter: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (content type application/problem+json).' });
export type Problem = z.infer<typeof ProblemSchema>;

// The schemas above and the types the commands build their data from must describe the same
// values: each must be assignable to the other, or this file does not compile. (ListEdition's
// type also admits an undefined date basis, which LookupService never builds: one way only.)
export const typeChecks = [
  (x: z.infer<typeof ListEditionSchema>): ListEdition => x,
  (x: z.infer<typeof AttributionDataSchema>): AttributionData => x,
  (x: AttributionData): z.infer<typeof AttributionDataSchema> => x,
  (x: z.infer<typeof ListingSchema>): Listing => x,
  (x: Listing): z.infer<typeof ListingSchema> => x,
  (x: z.infer<typeof PartyContextSchema>): PartyContext => x,
  (x: PartyContext): z.infer<typeof PartyContextSchema> => x,
  (x: z.infer<typeof SourceHealthSchema>): SourceHealth => x,
  (x: SourceHealth): z.infer<typeof SourceHealthSchema> => x,
  (x: Omit<z.infer<typeof LookupResultSchema>, 'listedBy' | 'context'>): Omit<LookupResult, 'record'> => x,
  (x: Omit<LookupResult, 'record'>): Omit<z.infer<typeof LookupResultSchema>, 'listedBy' | 'context'> => x,
];

/** One screened value (`dprk-watch screen --json`, one line each; `POST /v1/screen`, `rows`). */
export const ScreenRowSchema = z
  .object({
    line: z.number().int().describe('The line of the CSV, or the position (from 1) in a JSON array'),
    input: z.string(),
    kind: z.enum(['address', 'name', 'empty']),
    match: z
      .object({
        name: z.string(),
        source: SourceIdSchema,
        sourceId: z.string(),
        score: z.number(),
        matchedOn: z.string(),
        matchKind: z.enum(['name', 'alias', 'identifier']),
        dprk: z.boolean(),
        programs: z.array(z.string()),
        url: z.string(),
      })
      .nullable(),
    lists: z.array(z.string()),
    attributions: z.array(AttributionDataSchema),
    hit: z.boolean(),
  })
  .meta({ id: 'ScreenRow' });

export const ScreenDataSchema = z
  .object({
    rows: z.array(ScreenRowSchema),
    summary: z.object({ rows: z.number().int(), matched: z.number().int(), attributed: z.number().int() }),
    editions: z.array(ListEditionSchema),
  })
  .meta({ id: 'ScreenData', description: 'One row per value sent, in order (the engine `dprk-watch screen` uses), and the list editions searched.' });

export const screenTypeChecks = [(x: z.infer<typeof ScreenRowSchema>): ScreenRow => x, (x: ScreenRow): z.infer<typeof ScreenRowSchema> => x];
