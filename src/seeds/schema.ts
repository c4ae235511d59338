import { z } from 'zod';
import { DesignationSchema } from '../core/designation.js';

/**
 * Schemas for the bundled seed data in `seeds/` (reports.json, parties.json,
 * organisations.json): facts curated by hand from the five source documents the product
 * was conceived from, restated in our own words with their source and date.
 * `seeds/verdicts.json` (fact-checked claims) has its own schema and loader.
 */

/** Stable kebab-case id, shared namespace across reports, parties and organisations. */
export const SeedIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a kebab-case id (a-z, 0-9, single dashes)');

/** ISO 8601 calendar date at year, month or day precision: 2025, 2025-10, 2025-10-22. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$/, 'must be an ISO date: YYYY, YYYY-MM or YYYY-MM-DD')
  .refine(isRealDay, { message: 'is not a real calendar date' });

/** 2025-02-30 matches the pattern but is no day; year and month precision need no check. */
function isRealDay(s: string): boolean {
  if (s.length < 10) return true;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** A source document under /work/shared/seeds/, e.g. "004_d586e6893700b362.txt". */
export const DocumentFileSchema = z.string().regex(/^\d{3}_[0-9a-f]{16}\.txt$/, 'must name a source document file (NNN_<16 hex>.txt)');

/** How we know a date or address that the document text itself does not spell out. */
export const BasisSchema = z.enum([
  /** Written in the document itself. */
  'document',
  /** Worked out from the document (e.g. "three months after the report" + a stated date). */
  'inferred',
  /** Not in the document; taken from a public copy or contemporaneous reports (see the note). */
  'external',
]);
export type Basis = z.infer<typeof BasisSchema>;

/** Own-words text: not blank, single spaces, no leftover markup. */
const ownWords = (max?: number) => {
  let s = z.string().trim().min(1);
  if (max !== undefined) s = s.max(max, `must be at most ${max} characters`);
  return s.refine((t) => !/[<>]|\s{2,}/.test(t), { message: 'must be plain single-spaced text' });
};

// ---------------------------------------------------------------------------------------
// Source documents (the registry in reports.json)

export const SourceDocumentSchema = z
  .object({
    file: DocumentFileSchema,
    /** The page's headline as published (a title, not prose), or a description when it has none. */
    title: z.string().min(1),
    kind: z.enum(['fact-check', 'news', 'news-summary', 'guide']),
    publisher: z.string().min(1),
    /** When the page was published, at the precision known. */
    published: IsoDateSchema.optional(),
    publishedBasis: BasisSchema.optional(),
    /** Address of the public page the text came from. */
    url: z.string().url(),
    /** 'document' when the text gives it; 'external' when identified by matching the text to a stored public copy. */
    urlBasis: BasisSchema,
    notes: ownWords().optional(),
  })
  .strict()
  .refine((d) => (d.published === undefined) === (d.publishedBasis === undefined), {
    message: 'published and publishedBasis go together',
    path: ['publishedBasis'],
  });
export type SourceDocument = z.infer<typeof SourceDocumentSchema>;

// ---------------------------------------------------------------------------------------
// Reports and the figures they state

export const FIGURE_UNITS = [
  'USD',
  'percent',
  'pages',
  'countries',
  'member-states',
  'companies',
  'people',
  'users',
  'hours',
] as const;

export const RangeSchema = z
  .object({ min: z.number(), max: z.number() })
  .strict()
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max' });

export const PeriodSchema = z
  .object({
    from: IsoDateSchema.optional(),
    to: IsoDateSchema.optional(),
    /** The period in words, as precise as the document is ("the three years before the report"). */
    label: ownWords(),
  })
  .strict()
  .refine((p) => p.from === undefined || p.to === undefined || p.from <= p.to, { message: 'from must not be after to' });

export const FigureSchema = z
  .object({
    /** Unique within its report, e.g. "crypto-stolen-2024-2025". */
    id: SeedIdSchema,
    /** What the figure says, in our own words. */
    statement: ownWords(240),
    value: z.union([z.number(), RangeSchema]),
    unit: z.enum(FIGURE_UNITS),
    /** How the document qualifies the number ("at least", "about", "over", "up to"). */
    qualifier: z.enum(['exact', 'about', 'at-least', 'more-than', 'up-to']),
    period: PeriodSchema.optional(),
    /** When the figure was stated or held true. */
    asOf: IsoDateSchema.optional(),
    /** Who states the figure (and through whom, when the document relays it). */
    source: ownWords(200),
    /** Which source document(s) give this figure: a subset of the report's documents. */
    documents: z.array(DocumentFileSchema).min(1),
    /** Caveats: contradictions, figures we could not corroborate, unclear wording. */
    note: ownWords().optional(),
  })
  .strict()
  .refine((f) => f.asOf !== undefined || f.period !== undefined, {
    message: 'a figure needs a date: asOf or period',
    path: ['asOf'],
  });
export type Figure = z.infer<typeof FigureSchema>;

export const SeedReportSchema = z
  .object({
    id: SeedIdSchema,
    title: z.string().min(1),
    kind: z.enum(['report', 'statement', 'press-release', 'article']),
    publisher: z.string().min(1),
    date: IsoDateSchema,
    dateBasis: BasisSchema,
    dateNote: ownWords().optional(),
    url: z.string().url().optional(),
    summary: ownWords(300),
    figures: z.array(FigureSchema),
    /** Party and organisation ids named in connection with this report. */
    mentions: z.array(SeedIdSchema),
    /** Source document file(s) this entry was curated from. */
    documents: z.array(DocumentFileSchema).min(1),
    notes: ownWords().optional(),
  })
  .strict()
  .refine((r) => r.dateBasis === 'document' || r.dateNote !== undefined, {
    message: 'a date not written in the document needs a dateNote saying where it comes from',
    path: ['dateNote'],
  });
export type SeedReport = z.infer<typeof SeedReportSchema>;

export const ReportsFileSchema = z
  .object({
    documents: z.array(SourceDocumentSchema).min(1),
    reports: z.array(SeedReportSchema),
  })
  .strict();
export type ReportsFile = z.infer<typeof ReportsFileSchema>;

// ---------------------------------------------------------------------------------------
// Parties: designations the documents announce

/** A Designation as written in parties.json: no derived fields, source fixed to 'seeds'. */
export const SeedDesignationDraftSchema = DesignationSchema.omit({ dprk: true, dprkReasons: true })
  .extend({
    source: z.literal('seeds'),
    sourceId: z.string().regex(/^seed:[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be "seed:<party id>"'),
    // Lists default to empty so the file only spells out what the documents state.
    programs: z.array(z.string()).default([]),
    aliases: DesignationSchema.shape.aliases.default([]),
    dobs: z.array(z.string()).default([]),
    placesOfBirth: z.array(z.string()).default([]),
    nationalities: z.array(z.string()).default([]),
    addresses: DesignationSchema.shape.addresses.default([]),
    identifiers: DesignationSchema.shape.identifiers.default([]),
  })
  .strict();

export const AnnouncementSchema = z
  .object({
    /** The acting agency as the document names it. */
    agency: z.string().min(1),
    /** The organisation record for that agency. */
    agencyOrg: SeedIdSchema,
    /** What was done, in our own words. */
    action: ownWords(300),
    date: IsoDateSchema,
    dateBasis: BasisSchema,
    dateNote: ownWords().optional(),
    /** The official press release, only when a document gives it. */
    pressRelease: z.object({ title: z.string().min(1).optional(), url: z.string().url() }).strict().optional(),
  })
  .strict()
  .refine((a) => a.dateBasis === 'document' || a.dateNote !== undefined, {
    message: 'a date not written in the document needs a dateNote saying where it comes from',
    path: ['dateNote'],
  });
export type Announcement = z.infer<typeof AnnouncementSchema>;

export const SeedPartySchema = z
  .object({
    id: SeedIdSchema,
    designation: SeedDesignationDraftSchema,
    /**
     * Extra search forms that are not published aliases (e.g. a name without the
     * patronymic, as the documents refer to the person). Indexed as weak a.k.a.s.
     */
    searchNames: z.array(z.object({ name: z.string().min(1), why: ownWords() }).strict()).default([]),
    announcement: AnnouncementSchema,
    documents: z.array(DocumentFileSchema).min(1),
  })
  .strict()
  .refine((p) => p.designation.sourceId === `seed:${p.id}`, {
    message: 'designation.sourceId must be "seed:" + id',
    path: ['designation', 'sourceId'],
  });
export type SeedParty = z.infer<typeof SeedPartySchema>;

export const PartiesFileSchema = z.object({ parties: z.array(SeedPartySchema) }).strict();
export type PartiesFile = z.infer<typeof PartiesFileSchema>;

// ---------------------------------------------------------------------------------------
// Organisations and groups

export const ORGANISATION_KINDS = ['threat-group', 'government-body', 'multilateral', 'company', 'other'] as const;

export const OrganisationSchema = z
  .object({
    id: SeedIdSchema,
    name: z.string().min(1),
    /** Other names as the documents give them. */
    aliases: z.array(z.string().min(1)),
    kind: z.enum(ORGANISATION_KINDS),
    description: ownWords(400),
    /** Member states, when the documents list them (MSMT). */
    members: z.array(z.string().min(1)).optional(),
    related: z.array(SeedIdSchema),
    documents: z.array(DocumentFileSchema).min(1),
    notes: ownWords().optional(),
  })
  .strict();
export type Organisation = z.infer<typeof OrganisationSchema>;

export const OrganisationsFileSchema = z.object({ organisations: z.array(OrganisationSchema) }).strict();
export type OrganisationsFile = z.infer<typeof OrganisationsFileSchema>;

// ---------------------------------------------------------------------------------------
// Attributions (seeds/attributions/*.json): wallets a law-enforcement or government body
// publicly attributes to a DPRK actor. Not designations: an attributed wallet is not
// sanctioned, and nothing built from these files may say it is.

/** Chains whose addresses are EVM hex (0x + 40 hex digits, letter case only a checksum). */
export const EVM_CHAINS = ['ethereum', 'bsc', 'polygon', 'arbitrum', 'optimism', 'base', 'avalanche'] as const;
export const ATTRIBUTION_CHAINS = [...EVM_CHAINS, 'bitcoin', 'tron', 'litecoin', 'solana', 'monero'] as const;
export type AttributionChain = (typeof ATTRIBUTION_CHAINS)[number];

export const AttributedAddressSchema = z
  .object({
    chain: z.enum(ATTRIBUTION_CHAINS),
    /** As published (EIP-55 mixed case kept; matching ignores case where the chain does). */
    address: z.string().regex(/^[0-9A-Za-z]{20,120}$/, 'must be a wallet address: 20–120 letters and digits'),
  })
  .strict()
  .refine((a) => !(EVM_CHAINS as readonly string[]).includes(a.chain) || /^0x[0-9a-fA-F]{40}$/.test(a.address), {
    message: 'an EVM-chain address is 0x followed by 40 hex digits',
    path: ['address'],
  });
export type AttributedAddress = z.infer<typeof AttributedAddressSchema>;

export const AttributionFileSchema = z
  .object({
    /** Kebab-case, unique across the attribution files; by convention the file's name. */
    id: SeedIdSchema,
    /** Who attributes: `short` is how an answer names it ("the FBI"). */
    attributedBy: z.object({ name: z.string().min(1), short: z.string().min(1) }).strict(),
    /** The publication: its kind as answers name it ("PSA", "press release", "advisory") and reference. */
    document: z.object({ kind: z.string().min(1), reference: z.string().min(1).optional(), title: z.string().min(1).optional() }).strict(),
    published: IsoDateSchema,
    /** The publication's own public page. */
    url: z.string().url(),
    actor: z
      .object({
        name: z.string().min(1),
        /** Other names the publication gives the actor ("Lazarus Group"). */
        alsoKnownAs: z.array(z.string().min(1)).default([]),
        /** ISO 3166 alpha-2 of the state the actor is attributed to. */
        country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code'),
      })
      .strict(),
    /** The incident in a few words ("Bybit theft"). */
    incident: ownWords(120),
    /** Where the addresses were copied from, when not from an official data file. */
    provenance: ownWords().optional(),
    addresses: z.array(AttributedAddressSchema).min(1, 'an attribution lists at least one address'),
  })
  .strict();
export type Attribution = z.infer<typeof AttributionFileSchema>;
