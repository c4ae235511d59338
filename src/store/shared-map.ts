import type { z } from 'zod';

/**
 * A named map of members to string values, shared by every process on one store, where each
 * operation is one atomic step of the backend (a single SQLite statement, a Redis Lua script,
 * a synchronous Map operation). Members keep the order they were first added in; replacing a
 * value keeps its place. State that several requests or processes change at once (subscriptions,
 * queues, delivery records, indexes) lives in these, one member per thing, so no write ever
 * replaces a whole document another writer changed meanwhile.
 */
export interface SharedMap {
  readonly name: string;
  get(member: string): Promise<string | undefined>;
  /** Members and values, oldest first; `last` keeps only the newest n. */
  entries(opts?: { last?: number }): Promise<Array<[string, string]>>;
  size(): Promise<number>;
  /** Add the members not present yet, at the end and in order; resolves to the members added. */
  add(entries: ReadonlyArray<readonly [string, string]>): Promise<string[]>;
  /** Insert or replace. */
  set(member: string, value: string): Promise<void>;
  /**
   * Replace `member`'s value with `next` only if it is `expected` right now; `undefined` means
   * absent on either side (so this also inserts-if-absent and deletes-if-unchanged).
   */
  compareAndSet(member: string, expected: string | undefined, next: string | undefined): Promise<boolean>;
  /** Resolves to how many of the members were present. */
  delete(members: readonly string[]): Promise<number>;
  /** Drop the oldest members beyond the newest `keep`. */
  trim(keep: number): Promise<void>;
  clear(): Promise<void>;
}

/** A SharedMap whose values are JSON documents checked by a zod schema on the way out. */
export class TypedMap<T> {
  constructor(
    readonly raw: SharedMap,
    private readonly schema: z.ZodType<T>,
  ) {}

  private parse(member: string, text: string): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`stored ${this.raw.name}[${member}] is not JSON`);
    }
    const parsed = this.schema.safeParse(json);
    if (!parsed.success) throw new Error(`stored ${this.raw.name}[${member}] is corrupt: ${parsed.error.message}`);
    return parsed.data;
  }

  async get(member: string): Promise<T | undefined> {
    const text = await this.raw.get(member);
    return text === undefined ? undefined : this.parse(member, text);
  }

  async entries(opts?: { last?: number }): Promise<Array<[string, T]>> {
    return (await this.raw.entries(opts)).map(([m, v]) => [m, this.parse(m, v)]);
  }

  async values(): Promise<T[]> {
    return (await this.entries()).map(([, v]) => v);
  }

  set(member: string, value: T): Promise<void> {
    return this.raw.set(member, JSON.stringify(value));
  }

  add(entries: ReadonlyArray<readonly [string, T]>): Promise<string[]> {
    return this.raw.add(entries.map(([m, v]) => [m, JSON.stringify(v)] as const));
  }

  async delete(member: string): Promise<boolean> {
    return (await this.raw.delete([member])) > 0;
  }

  /**
   * Change one member atomically: `change` sees the current value (undefined when absent) and
   * returns the new one (undefined deletes it). Optimistic: if another writer changed the member
   * in between, `change` runs again on the fresh value, so it must be a pure function of its
   * input. Resolves to the value before and after.
   */
  async update(member: string, change: (current: T | undefined) => T | undefined): Promise<{ before: T | undefined; after: T | undefined }> {
    for (let attempt = 0; ; attempt++) {
      const text = await this.raw.get(member);
      const before = text === undefined ? undefined : this.parse(member, text);
      const after = change(before);
      const next = after === undefined ? undefined : JSON.stringify(after);
      if (next === text) return { before, after };
      if (await this.raw.compareAndSet(member, text, next)) return { before, after };
      if (attempt >= 200) throw new Error(`could not update ${this.raw.name}[${member}]: it kept changing under 200 attempts`);
      // Back off a little, with jitter, so writers racing on one member do not keep colliding.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 1 + attempt * 2)));
    }
  }
}
