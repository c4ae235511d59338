import Keyv from 'keyv';
import { z } from 'zod';
import { AlertSchema, type Alert } from '../core/alerts.js';
import type { Designation, SourceId } from '../core/designation.js';
import type { Snapshot, SnapshotEntry } from '../core/snapshot.js';
import { SourceStatusSchema, type SourceStatus, type Store } from './store.js';

/** How many alert ids `recentAlerts` can reach back. */
const RECENT_LIMIT = 5000;

const IdListSchema = z.array(z.string());
// Records inside a snapshot were validated by zod when they were parsed from the source;
// re-validating 12,000 records on every changed poll would cost more than the diff itself.
const StoredSnapshotSchema = z.object({
  version: z.string(),
  // [id, hash, record, rows digest?]: snapshots stored before row digests existed have three.
  entries: z.array(z.tuple([z.string(), z.string(), z.custom<Designation>((v) => typeof v === 'object' && v !== null)], z.string())),
});

const key = {
  status: (s: string) => `status:${s}`,
  snapshot: (s: SourceId) => `snapshot:${s}`,
  alert: (id: string) => `alert:${id}`,
  outbox: 'outbox',
  recent: 'alerts:recent',
};

/** The Store over any keyv backing (SQLite by default, Redis to scale out, memory for demos). */
export class KeyvStore implements Store {
  // The outbox and the recent list are read-modify-write documents: jobs running in parallel
  // in this process must take turns on them, or one job's queued ids overwrite another's.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly kv: Keyv) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read<T>(k: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const raw: unknown = await this.kv.get(k);
    if (raw === undefined || raw === null) return undefined;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new Error(`stored value "${k}" is corrupt: ${parsed.error.message}`);
    return parsed.data;
  }

  private async write(k: string, value: unknown): Promise<void> {
    const ok = await this.kv.set(k, value);
    if (ok === false) throw new Error(`store refused to write "${k}"`);
  }

  getStatus(source: string): Promise<SourceStatus | undefined> {
    return this.read(key.status(source), SourceStatusSchema);
  }

  setStatus(status: SourceStatus): Promise<void> {
    return this.write(key.status(status.source), status);
  }

  async getSnapshot(source: SourceId): Promise<Snapshot | undefined> {
    const stored = await this.read(key.snapshot(source), StoredSnapshotSchema);
    if (!stored) return undefined;
    const entries = new Map<string, SnapshotEntry>();
    for (const [id, hash, record, rows] of stored.entries) entries.set(id, rows === undefined ? { hash, record } : { hash, record, rows });
    return { version: stored.version, entries };
  }

  setSnapshot(source: SourceId, snapshot: Snapshot): Promise<void> {
    const entries = [...snapshot.entries].map(([id, e]) => (e.rows === undefined ? [id, e.hash, e.record] : [id, e.hash, e.record, e.rows]));
    return this.write(key.snapshot(source), { version: snapshot.version, entries });
  }

  recordAlerts<T extends Alert>(alerts: readonly T[]): Promise<T[]> {
    return this.serial(() => this.recordAlertsNow(alerts));
  }

  private async recordAlertsNow<T extends Alert>(alerts: readonly T[]): Promise<T[]> {
    if (alerts.length === 0) return [];
    const exists = await this.kv.hasMany(alerts.map((a) => key.alert(a.id)));
    const fresh = alerts.filter((_, i) => !exists[i]);
    if (fresh.length === 0) return [];
    // Queue first, then write the alerts: a crash in between leaves ids whose alert is
    // missing, and the re-run (same diff, same ids) writes them; the queue is a set.
    const outbox = (await this.read(key.outbox, IdListSchema)) ?? [];
    const queued = new Set(outbox);
    await this.write(key.outbox, [...outbox, ...fresh.map((a) => a.id).filter((id) => !queued.has(id))]);
    for (const a of fresh) await this.write(key.alert(a.id), a);
    const recent = (await this.read(key.recent, IdListSchema)) ?? [];
    await this.write(key.recent, [...recent, ...fresh.map((a) => a.id)].slice(-RECENT_LIMIT));
    return fresh;
  }

  private async loadAlerts(ids: readonly string[]): Promise<Alert[]> {
    if (ids.length === 0) return [];
    const raw = await this.kv.getMany<unknown>(ids.map(key.alert));
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
    return this.loadAlerts((await this.read(key.outbox, IdListSchema)) ?? []);
  }

  markDelivered(ids: readonly string[]): Promise<void> {
    return this.serial(() => this.markDeliveredNow(ids));
  }

  private async markDeliveredNow(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const done = new Set(ids);
    const outbox = (await this.read(key.outbox, IdListSchema)) ?? [];
    await this.write(key.outbox, outbox.filter((id) => !done.has(id)));
  }

  async recentAlerts(limit: number): Promise<Alert[]> {
    const recent = (await this.read(key.recent, IdListSchema)) ?? [];
    return (await this.loadAlerts(recent.slice(-limit))).reverse();
  }

  getValue<T>(k: string, schema: z.ZodType<T>): Promise<T | undefined> {
    return this.read(`value:${k}`, schema);
  }

  setValue(k: string, value: unknown): Promise<void> {
    return this.write(`value:${k}`, value);
  }

  async close(): Promise<void> {
    await this.kv.disconnect();
  }
}
