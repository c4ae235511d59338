import { z } from 'zod';
import { LISTS } from './lists.js';

/** The sanctions lists dprk-watch polls (src/core/lists.ts). Each id is stable and appears in alerts and lookups. */
export type ListId = keyof typeof LISTS;
export const LIST_IDS = Object.keys(LISTS) as [ListId, ...ListId[]];
/**
 * Where a designation record comes from: a polled list, or the bundled seeds (designations
 * announced in the documents the product ships with, e.g. a Treasury press release).
 */
export const SOURCE_IDS: [ListId | 'seeds', ...Array<ListId | 'seeds'>] = [...LIST_IDS, 'seeds'];
export const SourceIdSchema = z.enum(SOURCE_IDS);
export type SourceId = z.infer<typeof SourceIdSchema>;

export const PartyTypeSchema = z.enum(['individual', 'entity', 'vessel', 'aircraft']);
export type PartyType = z.infer<typeof PartyTypeSchema>;

export const AliasSchema = z.object({
  name: z.string().min(1),
  /** a.k.a. / f.k.a. / n.k.a. as the list publishes it. */
  kind: z.enum(['aka', 'fka', 'nka']),
  /** OFAC "strong"/"weak" (UN "Good"/"Low") — weak aliases are too broad to screen on alone. */
  quality: z.enum(['strong', 'weak']).optional(),
});
export type Alias = z.infer<typeof AliasSchema>;

export const IDENTIFIER_KINDS = [
  'crypto',
  'passport',
  'national-id',
  'swift-bic',
  'imo',
  'website',
  'email',
  'phone',
  'registration',
  'tax-id',
  'other',
] as const;
export const IdentifierSchema = z.object({
  kind: z.enum(IDENTIFIER_KINDS),
  /** The label exactly as published, e.g. "Digital Currency Address - ETH", "Passport". */
  label: z.string().min(1),
  value: z.string().min(1),
  /** Crypto asset ticker as OFAC writes it (XBT, ETH, USDT, …); only for kind "crypto". */
  asset: z.string().optional(),
  country: z.string().optional(),
  note: z.string().optional(),
});
export type Identifier = z.infer<typeof IdentifierSchema>;

export const AddressSchema = z.object({
  /** One-line rendering of the whole address, for display and matching. */
  text: z.string().min(1),
  country: z.string().optional(),
});
export type Address = z.infer<typeof AddressSchema>;

export const VesselSchema = z.object({
  callSign: z.string().optional(),
  vesselType: z.string().optional(),
  tonnage: z.string().optional(),
  grossRegisteredTonnage: z.string().optional(),
  flag: z.string().optional(),
  owner: z.string().optional(),
});
export type Vessel = z.infer<typeof VesselSchema>;

/**
 * One designated party as one list publishes it, in a shape shared by every list.
 * Arrays are kept sorted and de-duplicated (see `finalizeDesignation`) so that two
 * serializations of the same record compare equal whatever order the source used.
 */
export const DesignationSchema = z.object({
  source: SourceIdSchema,
  /** OFAC ent_num/uid; UN REFERENCE_NUMBER (e.g. KPi.033). */
  sourceId: z.string().min(1),
  /** The UN reference (e.g. KPi.033) of a record another regime took over from the UN list (EU unitedNationId): links the regimes. */
  unReference: z.string().min(1).optional(),
  name: z.string().min(1),
  type: PartyTypeSchema,
  programs: z.array(z.string()),
  aliases: z.array(AliasSchema),
  title: z.string().optional(),
  dobs: z.array(z.string()),
  placesOfBirth: z.array(z.string()),
  nationalities: z.array(z.string()),
  addresses: z.array(AddressSchema),
  identifiers: z.array(IdentifierSchema),
  vessel: VesselSchema.optional(),
  remarks: z.string().optional(),
  /** ISO date (YYYY-MM-DD) the party was listed, when the list says. */
  listedOn: z.string().optional(),
  /** Link to the official record (or the official list page when records have no page). */
  url: z.string().url(),
  /** Whether this record concerns North Korea, and why (see relevance.ts). */
  dprk: z.boolean(),
  dprkReasons: z.array(z.string()),
});
export type Designation = z.infer<typeof DesignationSchema>;

/** What a parser produces: everything but the derived relevance fields. */
export type DesignationDraft = Omit<Designation, 'dprk' | 'dprkReasons'>;

export type ListFormat =
  | 'ofac-csv'
  | 'ofac-xml'
  | 'un-xml'
  | 'uk-xml'
  | 'ofsi-xlsx'
  | 'eu-fsf-xml'
  | 'jp-mof-xls'
  | 'jp-mof-xlsx'
  | 'dfat-xls'
  | 'dfat-xlsx'
  | 'ch-seco-xml';

/** A whole list as parsed from one fetch. */
export interface ParsedList {
  source: SourceId;
  format: ListFormat;
  /** ISO date-time the publisher stamped on the list, if it carries one. */
  publishedAt?: string;
  /** Record count the publisher declares (OFAC XML Record_Count), used as a sanity check. */
  declaredCount?: number;
  records: Designation[];
  /** Non-fatal problems met while parsing (skipped rows, missing companions…). */
  warnings: string[];
  /**
   * Per record id, a digest of the published rows the record was built from (and of the
   * parser's revision). Stored with the snapshot, it lets the next parse take an unchanged
   * record over from the stored snapshot instead of normalizing it again.
   */
  rowDigests?: ReadonlyMap<string, string>;
}
