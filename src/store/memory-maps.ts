import type { SharedMap } from './shared-map.js';

/**
 * SharedMaps in this process's memory (the `memory:` store, dry runs). Every method does its
 * work synchronously before its first await, so each is atomic in a single-threaded process.
 * A JS Map keeps insertion order and keeps a replaced key's place: exactly SharedMap's order.
 */
export class MemoryMaps {
  private readonly maps = new Map<string, Map<string, string>>();

  map(name: string): SharedMap {
    const data = (): Map<string, string> => {
      let m = this.maps.get(name);
      if (!m) this.maps.set(name, (m = new Map()));
      return m;
    };
    return {
      name,
      get: async (member) => data().get(member),
      entries: async (opts) => {
        const all = [...data()];
        return opts?.last === undefined ? all : opts.last <= 0 ? [] : all.slice(-opts.last);
      },
      size: async () => data().size,
      add: async (entries) => {
        const m = data();
        const added: string[] = [];
        for (const [member, value] of entries)
          if (!m.has(member)) {
            m.set(member, value);
            added.push(member);
          }
        return added;
      },
      set: async (member, value) => void data().set(member, value),
      compareAndSet: async (member, expected, next) => {
        const m = data();
        if (m.get(member) !== expected) return false;
        if (next === undefined) m.delete(member);
        else m.set(member, next);
        return true;
      },
      delete: async (members) => {
        const m = data();
        let n = 0;
        for (const member of members) if (m.delete(member)) n++;
        return n;
      },
      trim: async (keep) => {
        const m = data();
        let excess = m.size - Math.max(0, keep);
        for (const member of m.keys()) {
          if (excess-- <= 0) break;
          m.delete(member);
        }
      },
      clear: async () => void this.maps.delete(name),
    };
  }

  /** Every map's contents (the dry-run overlay copies them on first touch). */
  snapshot(name: string): Array<[string, string]> {
    return [...(this.maps.get(name) ?? [])];
  }

  has(name: string): boolean {
    return this.maps.has(name);
  }
}
