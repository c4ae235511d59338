import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ZodError, type z } from 'zod';
import type { Designation } from '../core/designation.js';
import { finalizeDesignation } from '../core/finalize.js';
import {
  OrganisationsFileSchema,
  PartiesFileSchema,
  ReportsFileSchema,
  type Organisation,
  type SeedParty,
  type SeedReport,
  type SourceDocument,
} from './schema.js';
import { projectPath } from '../paths.js';

/** The repository's seeds/ directory, found from this module (not from the working directory). */
export const DEFAULT_SEEDS_DIR = projectPath('seeds/');

/** The seed files this loader owns (seeds/verdicts.json has its own loader). */
export const SEED_FILES = {
  reports: 'reports.json',
  parties: 'parties.json',
  organisations: 'organisations.json',
} as const;

/** A party as loaded: the curated entry plus its Designation, built through finalizeDesignation. */
export type LoadedParty = SeedParty & { record: Designation };

export interface Seeds {
  dir: string;
  /** The source documents the entries were curated from. */
  documents: SourceDocument[];
  reports: SeedReport[];
  parties: LoadedParty[];
  organisations: Organisation[];
}

/** Every problem found in the seed files, each as "<file>: <path>: <message>". */
export class SeedError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid seed data (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.join('\n  ')}`);
    this.name = 'SeedError';
  }
}

/** reports[3].figures[0].value */
export function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) out += typeof k === 'number' ? `[${k}]` : out === '' ? String(k) : `.${String(k)}`;
  return out === '' ? '(root)' : out;
}

function readJson(file: string, problems: string[]): unknown {
  if (!existsSync(file)) {
    problems.push(`${file}: (root): file is missing`);
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    problems.push(`${file}: (root): not valid JSON: ${(e as Error).message}`);
    return undefined;
  }
}

export function parseFile<S extends z.ZodType>(file: string, schema: S, problems: string[]): z.output<S> | undefined {
  const raw = readJson(file, problems);
  if (raw === undefined) return undefined;
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) problems.push(`${file}: ${formatPath(issue.path)}: ${issue.message}`);
  return undefined;
}

/** The Designation for a seed party: its draft plus its search names (as weak a.k.a.s), finalized. */
export function buildDesignation(party: SeedParty): Designation {
  return finalizeDesignation({
    ...party.designation,
    aliases: [
      ...party.designation.aliases,
      ...party.searchNames.map((n) => ({ name: n.name, kind: 'aka' as const, quality: 'weak' as const })),
    ],
  });
}

/**
 * Read and validate seeds/reports.json, parties.json and organisations.json: each against its
 * zod schema, then across files (ids unique, every mention / related / agency id and every
 * document reference resolves, each party builds a valid Designation). Throws a SeedError
 * naming the file and the path of every problem.
 */
export function loadSeeds(dir: string = DEFAULT_SEEDS_DIR): Seeds {
  const problems: string[] = [];
  const fileOf = (name: string) => path.join(dir, name);
  const reportsFile = fileOf(SEED_FILES.reports);
  const partiesFile = fileOf(SEED_FILES.parties);
  const orgsFile = fileOf(SEED_FILES.organisations);

  const reports = parseFile(reportsFile, ReportsFileSchema, problems);
  const parties = parseFile(partiesFile, PartiesFileSchema, problems);
  const orgs = parseFile(orgsFile, OrganisationsFileSchema, problems);
  if (!reports || !parties || !orgs) throw new SeedError(problems);

  const at = (file: string, p: readonly PropertyKey[], message: string) => problems.push(`${file}: ${formatPath(p)}: ${message}`);

  // Source documents.
  const documentFiles = new Set<string>();
  reports.documents.forEach((d, i) => {
    if (documentFiles.has(d.file)) at(reportsFile, ['documents', i, 'file'], `duplicate document "${d.file}"`);
    documentFiles.add(d.file);
  });
  const checkDocs = (file: string, p: PropertyKey[], docs: readonly string[]) =>
    docs.forEach((d, i) => {
      if (!documentFiles.has(d)) at(file, [...p, i], `unknown source document "${d}" (not in ${SEED_FILES.reports} documents)`);
    });

  // Ids: one namespace for reports, parties and organisations.
  const seen = new Map<string, string>();
  const claim = (file: string, p: PropertyKey[], id: string) => {
    const prev = seen.get(id);
    if (prev !== undefined) at(file, p, `duplicate id "${id}" (already used at ${prev})`);
    else seen.set(id, `${path.basename(file)} ${formatPath(p)}`);
  };
  reports.reports.forEach((r, i) => claim(reportsFile, ['reports', i, 'id'], r.id));
  parties.parties.forEach((p, i) => claim(partiesFile, ['parties', i, 'id'], p.id));
  orgs.organisations.forEach((o, i) => claim(orgsFile, ['organisations', i, 'id'], o.id));

  const partyIds = new Set(parties.parties.map((p) => p.id));
  const orgIds = new Set(orgs.organisations.map((o) => o.id));
  const checkRefs = (file: string, p: PropertyKey[], ids: readonly string[], self?: string) =>
    ids.forEach((id, i) => {
      if (id === self) at(file, [...p, i], `"${id}" refers to itself`);
      else if (!partyIds.has(id) && !orgIds.has(id)) at(file, [...p, i], `unknown party or organisation id "${id}"`);
    });

  reports.reports.forEach((r, i) => {
    checkRefs(reportsFile, ['reports', i, 'mentions'], r.mentions);
    checkDocs(reportsFile, ['reports', i, 'documents'], r.documents);
    const figureIds = new Set<string>();
    r.figures.forEach((f, j) => {
      if (figureIds.has(f.id)) at(reportsFile, ['reports', i, 'figures', j, 'id'], `duplicate figure id "${f.id}" in report "${r.id}"`);
      figureIds.add(f.id);
      f.documents.forEach((d, k) => {
        if (!r.documents.includes(d))
          at(reportsFile, ['reports', i, 'figures', j, 'documents', k], `document "${d}" is not among the report's documents`);
      });
    });
  });

  orgs.organisations.forEach((o, i) => {
    checkRefs(orgsFile, ['organisations', i, 'related'], o.related, o.id);
    checkDocs(orgsFile, ['organisations', i, 'documents'], o.documents);
  });

  const sourceIds = new Set<string>();
  const loaded: LoadedParty[] = [];
  parties.parties.forEach((p, i) => {
    checkDocs(partiesFile, ['parties', i, 'documents'], p.documents);
    if (!orgIds.has(p.announcement.agencyOrg))
      at(partiesFile, ['parties', i, 'announcement', 'agencyOrg'], `unknown organisation id "${p.announcement.agencyOrg}"`);
    if (sourceIds.has(p.designation.sourceId))
      at(partiesFile, ['parties', i, 'designation', 'sourceId'], `duplicate sourceId "${p.designation.sourceId}"`);
    sourceIds.add(p.designation.sourceId);
    try {
      loaded.push({ ...p, record: buildDesignation(p) });
    } catch (e) {
      if (!(e instanceof ZodError)) throw e;
      for (const issue of e.issues) at(partiesFile, ['parties', i, 'designation', ...issue.path], issue.message);
    }
  });

  if (problems.length > 0) throw new SeedError(problems);
  return { dir, documents: reports.documents, reports: reports.reports, parties: loaded, organisations: orgs.organisations };
}

let bundled: Seeds | undefined;

/** The bundled seeds, loaded and validated once. */
export function bundledSeeds(): Seeds {
  return (bundled ??= loadSeeds());
}

/** The parties the documents announce, as Designations (source 'seeds') for the lookup index. */
export function seedDesignations(): Designation[] {
  return bundledSeeds().parties.map((p) => p.record);
}

/** The parties with their announcements (agency, date, action) and source documents. */
export function seedParties(): LoadedParty[] {
  return bundledSeeds().parties;
}

export function seedReports(): SeedReport[] {
  return bundledSeeds().reports;
}

export function seedOrganisations(): Organisation[] {
  return bundledSeeds().organisations;
}

export function seedDocuments(): SourceDocument[] {
  return bundledSeeds().documents;
}
