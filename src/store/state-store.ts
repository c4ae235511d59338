import { z } from 'zod';
import { AlertSchema, type Alert } from '../core/alerts.js';
import type { Designation, SourceId } from '../core/designation.js';
import type { EntryHashes, Snapshot, SnapshotEntry, SnapshotHashes } from '../core/snapshot.js';
import type { Backend } from './backend.js';
import { MAPS } from './layout.js';
import type { SharedMap } from './shared-map.js';
import { SourceStatusSchema, type SourceStatus, type Store } from './store.js';

/** How many alert ids `recentAlerts` can reach back. */
const RECENT_LIMIT = 5000;

// Records inside a snapshot were validated by zod when they were parsed from the source;
// re-validating 12,000 records on every changed poll would cost more than the diff itself.
const StoredEntrySchema = z.tuple([z.string(), z.string(), z.custom<Designation>((v) => typeof v === 'object' && v !== null)], z.string());
type StoredEntry = z.infer<typeof StoredEntrySchema>;
const StoredSnapshotSchema = z.union([
  // Chunked (today): the head names the chunks, written before it.
  z.object({ version: z.string(), generation: z.string(), chunks: z.number().int().nonnegative() }),
  // Whole (snapshots stored before chunking): [id, hash, record, rows digest?]; the oldest have no digest.
  z.object({ version: z.string(), entries: z.array(StoredEntrySchema) }),
]);
const StoredChunkSchema = z.array(StoredEntrySchema);

/**
 * Entries per stored chunk. One value per snapshot meant serializing a whole list at once (a
 * 40 MB Swiss file: some 300 MB more peak memory for that one string); a chunk is about 1 MB.
 */
const CHUNK_ENTRIES = 500;

const key = {
  status: (s: string) => `status:${s}`,
  snapshot: (s: SourceId) => `snapshot:${s}`,
  chunk: (s: SourceId, generation: string, n: number) => `snapshot:${s}:${generation}:${n}`,
  alert: (id: string) => `alert:${id}`,
};

/** The Store over a backend (SQLite by default, Redis to scale out, memory for demos and dry runs). */
export class StateStore implements Store {
  private readonly outbox: SharedMap;
  private readonly recent: SharedMap;

  constructor(readonly backend: Backend) {
    this.outbox = backend.map(MAPS.outbox);
    this.recent = backend.map(MAPS.recent);
  }

  get kind(): string {
    return this.backend.kind;
  }

  map(name: string): SharedMap {
    return this.backend.map(name);
  }

  private async read<T>(k: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const raw: unknown = await this.backend.values.get(k);
    if (raw === undefined || raw === null) return undefined;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new Error(`stored value "${k}" is corrupt: ${parsed.error.message}`);
    return parsed.data;
  }

  getStatus(source: string): Promise<SourceStatus | undefined> {
    return this.read(key.status(source), SourceStatusSchema);
  }

  setStatus(status: SourceStatus): Promise<void> {
    return this.backend.values.set(key.status(status.source), status);
  }

  async getSnapshot(source: SourceId): Promise<Snapshot | undefined> {
    let entries = new Map<string, SnapshotEntry>();
    const version = await this.scan(source, () => {
      entries = new Map();
      return ([id, hash, record, rows]) => entries.set(id, rows === undefined ? { hash, record } : { hash, record, rows });
    });
    return version === undefined ? undefined : { version, entries };
  }

  async getSnapshotHashes(source: SourceId): Promise<SnapshotHashes | undefined> {
    let entries = new Map<string, EntryHashes>();
    const version = await this.scan(source, () => {
      entries = new Map();
      return ([id, hash, , rows]) => entries.set(id, rows === undefined ? { hash } : { hash, rows });
    });
    return version === undefined ? undefined : { version, entries };
  }

  async getSnapshotRecords(source: SourceId, version: string, ids: ReadonlySet<string>): Promise<Map<string, SnapshotEntry>> {
    let entries = new Map<string, SnapshotEntry>();
    if (ids.size === 0) return entries;
    const stored = await this.scan(source, () => {
      entries = new Map();
      return ([id, hash, record, rows]) => {
        if (ids.has(id)) entries.set(id, rows === undefined ? { hash, record } : { hash, record, rows });
      };
    });
    if (stored !== version) throw new Error(`stored snapshot of ${source} is edition ${stored ?? 'none'}, not ${version}`);
    return entries;
  }

  async mapSnapshotRecords<T>(source: SourceId, project: (record: Designation) => T): Promise<T[] | undefined> {
    let out: T[] = [];
    const version = await this.scan(source, () => {
      out = [];
      return ([, , record]) => out.push(project(record));
    });
    return version === undefined ? undefined : out;
  }

  /**
   * Hands every stored entry of the current edition to the visitor `begin` returns, one chunk at
   * a time (each chunk is parsed and let go), and returns the edition's version (undefined: none
   * stored). `begin` is called again when a writer replaced the edition meanwhile and the scan
   * starts over: what the visitor kept of the replaced edition must be dropped there.
   */
  private async scan(source: SourceId, begin: () => (e: StoredEntry) => void): Promise<string | undefined> {
    // A writer deletes the chunks of the edition it replaced: a reader that read the old head
    // just before finds them gone, and reads the new head.
    for (let attempt = 0; ; attempt++) {
      const head = await this.read(key.snapshot(source), StoredSnapshotSchema);
      if (!head) return undefined;
      const visit = begin();
      if ('entries' in head) {
        head.entries.forEach(visit);
        return head.version;
      }
      const complete = await this.readChunks(source, head.generation, head.chunks, visit);
      if (complete) return head.version;
      if (attempt === 4) throw new Error(`stored snapshot of ${source} is missing chunks of edition ${head.generation}`);
    }
  }

  /** Reads the chunks one at a time (each is parsed and let go); false if one is missing. */
  private async readChunks(source: SourceId, generation: string, chunks: number, add: (e: StoredEntry) => void): Promise<boolean> {
    for (let n = 0; n < chunks; n++) {
      const chunk = await this.read(key.chunk(source, generation, n), StoredChunkSchema);
      if (!chunk) return false;
      chunk.forEach(add);
    }
    return true;
  }

  /**
   * Chunks first, then the head that names them, then the replaced edition's chunks: a crash at
   * any point leaves the stored head naming complete chunks. One writer per source (the poll
   * holds the source's lock); a new generation per write keeps a rewrite of the same version
   * from deleting what its head names.
   */
  async setSnapshot(source: SourceId, snapshot: Snapshot): Promise<void> {
    const before = await this.read(key.snapshot(source), StoredSnapshotSchema).catch(() => undefined);
    const generation = `${snapshot.version.slice(0, 12)}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    let chunk: StoredEntry[] = [];
    let chunks = 0;
    const flush = async () => {
      await this.backend.values.set(key.chunk(source, generation, chunks++), chunk);
      chunk = [];
    };
    for (const [id, e] of snapshot.entries) {
      chunk.push(e.rows === undefined ? [id, e.hash, e.record] : [id, e.hash, e.record, e.rows]);
      if (chunk.length === CHUNK_ENTRIES) await flush();
    }
    if (chunk.length > 0) await flush();
    await this.backend.values.set(key.snapshot(source), { version: snapshot.version, generation, chunks });
    if (before && 'generation' in before)
      for (let n = 0; n < before.chunks; n++) await this.backend.values.delete(key.chunk(source, before.generation, n));
  }

  /**
   * Queue first, then write the alerts, then list them as recent: a crash in between leaves
   * queued ids whose alert is missing (skipped by pendingAlerts), and the re-run — same diff,
   * same ids — finds them unwritten and writes them; queueing is idempotent. An alert whose
   * body exists was recorded before (and may be delivered and off the queue): never again.
   * The recent list's add decides which alerts this call recorded, so two calls recording
   * one alert at once return it once.
   */
  async recordAlerts<T extends Alert>(alerts: readonly T[]): Promise<T[]> {
    if (alerts.length === 0) return [];
    const exists = await this.backend.values.hasMany(alerts.map((a) => key.alert(a.id)));
    const fresh = alerts.filter((_, i) => !exists[i]);
    if (fresh.length === 0) return [];
    await this.outbox.add(fresh.map((a) => [a.id, ''] as const));
    for (const a of fresh) await this.backend.values.set(key.alert(a.id), a);
    const added = new Set(await this.recent.add(fresh.map((a) => [a.id, ''] as const)));
    await this.recent.trim(RECENT_LIMIT);
    return fresh.filter((a) => added.has(a.id));
  }

  private async loadAlerts(ids: readonly string[]): Promise<Alert[]> {
    if (ids.length === 0) return [];
    const raw = await this.backend.values.getMany(ids.map(key.alert));
    const out: Alert[] = [];
    raw.forEach((value, i) => {
      if (value === undefined || value === null) return;
      const parsed = AlertSchema.safeParse(value);
      if (!parsed.success) throw new Error(`stored alert ${ids[i]} is corrupt: ${parsed.error.message}`);
      out.push(parsed.data);
    });
    return out;
  }

  getAlerts(ids: readonly string[]): Promise<Alert[]> {
    return this.loadAlerts(ids);
  }

  async pendingAlerts(): Promise<Alert[]> {
    return this.loadAlerts((await this.outbox.entries()).map(([id]) => id));
  }

  async markDelivered(ids: readonly string[]): Promise<void> {
    await this.outbox.delete(ids);
  }

  async recentAlerts(limit: number): Promise<Alert[]> {
    const ids = (await this.recent.entries({ last: limit })).map(([id]) => id);
    return (await this.loadAlerts(ids)).reverse();
  }

  getValue<T>(k: string, schema: z.ZodType<T>): Promise<T | undefined> {
    return this.read(`value:${k}`, schema);
  }

  setValue(k: string, value: unknown): Promise<void> {
    return this.backend.values.set(`value:${k}`, value);
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}
