import { z } from 'zod';
import type { Alert } from '../core/alerts.js';
import type { Designation, SourceId } from '../core/designation.js';
import { LIST_DATE_BASES } from '../core/list-date.js';
import type { Snapshot, SnapshotEntry, SnapshotHashes } from '../core/snapshot.js';
import type { SharedMap } from './shared-map.js';

/** Conditional-GET validators and content hash of one fetched document. */
export const DocumentStateSchema = z.object({
  url: z.string(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  hash: z.string().optional(),
});
export type DocumentState = z.infer<typeof DocumentStateSchema>;

/** What `status` shows for a source; also carries what the next poll needs to be cheap. */
export const SourceStatusSchema = z.object({
  /** A list id (ofac-sdn, un-sc) or another source's id (feed:treasury, factcheck:google…). */
  source: z.string().min(1),
  url: z.string(),
  lastAttemptAt: z.string().optional(),
  lastSuccessAt: z.string().optional(),
  /** Last time the list's content changed (or was first stored). */
  lastChangeAt: z.string().optional(),
  recordCount: z.number().int().optional(),
  dprkCount: z.number().int().optional(),
  /** The list's date (lists) or the newest item's publication date (feeds). */
  listDate: z.string().optional(),
  /** What kind of date `listDate` is; absent on statuses stored before it was recorded. */
  listDateBasis: z.enum([...LIST_DATE_BASES, 'newest-item']).optional(),
  format: z.string().optional(),
  snapshotVersion: z.string().optional(),
  degraded: z.object({ reason: z.string(), since: z.string() }).optional(),
  /** Start of the outage a source.degraded alert was sent for (cleared by source.recovered). */
  healthAlertedSince: z.string().optional(),
  warnings: z.array(z.string()).default([]),
  documents: z.array(DocumentStateSchema).default([]),
});
export type SourceStatus = z.infer<typeof SourceStatusSchema>;

/**
 * Everything dprk-watch keeps between runs. Implementations must make each method
 * durable before it resolves; the pipeline orders its calls so that a crash at any
 * point neither loses nor duplicates an alert.
 *
 * Concurrency: state that several requests or processes change at once lives in shared maps
 * (`map`), one member per thing, changed by atomic operations of the backend; whole values
 * (status, snapshot, `setValue`) are written only by their one owner (a source's poll, which
 * holds that source's lock — see lock.ts).
 */
export interface Store {
  /** "sqlite", "redis" or "memory". */
  readonly kind: string;
  getStatus(source: string): Promise<SourceStatus | undefined>;
  setStatus(status: SourceStatus): Promise<void>;
  getSnapshot(source: SourceId): Promise<Snapshot | undefined>;
  setSnapshot(source: SourceId, snapshot: Snapshot): Promise<void>;
  /**
   * The stored edition's ids with their record hashes and rows digests, without the records: what
   * a changed poll's diff needs of every record (the Swiss list's 29,155 records as objects are
   * some 45 MB of heap; their hashes a few MB).
   */
  getSnapshotHashes(source: SourceId): Promise<SnapshotHashes | undefined>;
  /** The stored entries of these ids only, read chunk by chunk; throws unless the stored edition is `version`. */
  getSnapshotRecords(source: SourceId, version: string, ids: ReadonlySet<string>): Promise<Map<string, SnapshotEntry>>;
  /** What `project` keeps of each stored record, read chunk by chunk (the records themselves are let go); undefined: none stored. */
  mapSnapshotRecords<T>(source: SourceId, project: (record: Designation) => T): Promise<T[] | undefined>;
  /** Persist alerts not seen before and queue them for delivery; returns only the new ones, in order. */
  recordAlerts<T extends Alert>(alerts: readonly T[]): Promise<T[]>;
  /** Alerts queued and not yet delivered, oldest first. */
  pendingAlerts(): Promise<Alert[]>;
  markDelivered(ids: readonly string[]): Promise<void>;
  /** Alerts by id, in the order asked (unknown ids are skipped). */
  getAlerts(ids: readonly string[]): Promise<Alert[]>;
  /** Most recent alerts, newest first. */
  recentAlerts(limit: number): Promise<Alert[]>;
  /**
   * Any other durable state (feed items seen, verdict timelines, subscriptions…), validated
   * by the caller's schema on the way out. Keys are namespaced by the caller ("feeds:…").
   */
  getValue<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined>;
  setValue(key: string, value: unknown): Promise<void>;
  /** A map shared by every process on this store, changed only by atomic operations (shared-map.ts). */
  map(name: string): SharedMap;
  close(): Promise<void>;
}
