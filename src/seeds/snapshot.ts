import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { DesignationSchema, LIST_IDS } from '../core/designation.js';
import { projectUrl } from '../paths.js';

/**
 * The bundled snapshot (seeds/snapshot/lists.json.gz, built by `npm run build:snapshot` from
 * real published files): each list's DPRK-relevant records as of that file's date, so that a
 * fresh install answers lookups with no network. It is never stored as a list's state: the first
 * successful poll of a list replaces it for lookups and is still a baseline (no alerts).
 */
export const BUNDLED_SNAPSHOT = projectUrl('seeds/snapshot/lists.json.gz');

const BundledListSchema = z.object({
  source: z.enum(LIST_IDS),
  /** The date the file carries (or, for sdn.csv, the day it was published), YYYY-MM-DD. */
  listDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** The published file it was read from, and where that copy came from. */
  file: z.string().min(1),
  provenance: z.string().min(1),
  records: z.array(DesignationSchema),
});
export type BundledList = z.infer<typeof BundledListSchema>;

export const BundledSnapshotSchema = z.object({
  format: z.literal('dprk-watch-bundled-snapshot/1'),
  builtAt: z.string(),
  lists: z.array(BundledListSchema),
});
export type BundledSnapshot = z.infer<typeof BundledSnapshotSchema>;

/** Reads and checks the bundled snapshot; a file that fails its schema is an error naming the path. */
export function loadBundledSnapshot(file: URL | string = BUNDLED_SNAPSHOT): BundledSnapshot {
  const parsed = BundledSnapshotSchema.safeParse(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')));
  if (!parsed.success) throw new Error(`bundled snapshot ${String(file)} is not valid: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

let cached: BundledSnapshot | undefined;

/** The bundled lists, read once per process (only when a lookup needs a list not yet polled). */
export function bundledLists(): BundledList[] {
  cached ??= loadBundledSnapshot();
  return cached.lists;
}

