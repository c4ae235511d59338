import type { SharedMap } from './shared-map.js';

/** `database.all` as @keyv/sqlite exposes it: one statement, its rows. */
export type SqlQuery = (sql: string, ...params: unknown[]) => Promise<Array<Record<string, unknown>>>;

const TABLE = 'dprk_watch_maps';

/**
 * One table holds every map: a row per member. `seq` is the rowid with AUTOINCREMENT, so it
 * only grows (first-insert order, never reused) and an upsert keeps it. Each SharedMap method
 * is a single statement, which SQLite runs atomically, and processes sharing the file take
 * turns on its write lock (the connection's busy timeout waits for it): no read-modify-write
 * spans two statements, so no transaction is held across an await.
 */
export async function prepareSqliteMaps(query: SqlQuery): Promise<void> {
  // WAL lets readers work while another process writes (commands keep answering during a poll).
  await query('PRAGMA journal_mode = WAL');
  await query(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (seq INTEGER PRIMARY KEY AUTOINCREMENT, map TEXT NOT NULL, member TEXT NOT NULL, value TEXT NOT NULL, UNIQUE (map, member))`,
  );
  await query(`CREATE INDEX IF NOT EXISTS ${TABLE}_order ON ${TABLE} (map, seq)`);
}

export function sqliteMap(query: SqlQuery, namespace: string, name: string): SharedMap {
  const map = `${namespace}:${name}`;
  const T = TABLE;
  return {
    name,
    async get(member) {
      const [row] = await query(`SELECT value FROM ${T} WHERE map = ? AND member = ?`, map, member);
      return row ? String(row.value) : undefined;
    },
    async entries(opts) {
      const rows =
        opts?.last === undefined
          ? await query(`SELECT member, value FROM ${T} WHERE map = ? ORDER BY seq`, map)
          : opts.last <= 0
            ? []
            : await query(`SELECT member, value FROM (SELECT seq, member, value FROM ${T} WHERE map = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`, map, opts.last);
      return rows.map((r) => [String(r.member), String(r.value)]);
    },
    async size() {
      const [row] = await query(`SELECT COUNT(*) AS n FROM ${T} WHERE map = ?`, map);
      return Number(row?.n ?? 0);
    },
    async add(entries) {
      if (entries.length === 0) return [];
      // One statement for the batch; RETURNING names the rows inserted (in no promised order).
      const rows = await query(
        `INSERT INTO ${T} (map, member, value) SELECT ?, json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]') FROM json_each(?) AS e WHERE true ORDER BY e.key ON CONFLICT (map, member) DO NOTHING RETURNING member`,
        map,
        JSON.stringify(entries),
      );
      const added = new Set(rows.map((r) => String(r.member)));
      return entries.map(([m]) => m).filter((m, i, all) => added.has(m) && all.indexOf(m) === i);
    },
    async set(member, value) {
      await query(`INSERT INTO ${T} (map, member, value) VALUES (?, ?, ?) ON CONFLICT (map, member) DO UPDATE SET value = excluded.value`, map, member, value);
    },
    async compareAndSet(member, expected, next) {
      let rows: unknown[];
      if (expected === undefined && next === undefined) rows = (await query(`SELECT 1 FROM ${T} WHERE map = ? AND member = ?`, map, member)).length === 0 ? [1] : [];
      else if (expected === undefined)
        rows = await query(`INSERT INTO ${T} (map, member, value) VALUES (?, ?, ?) ON CONFLICT (map, member) DO NOTHING RETURNING seq`, map, member, next);
      else if (next === undefined) rows = await query(`DELETE FROM ${T} WHERE map = ? AND member = ? AND value = ? RETURNING seq`, map, member, expected);
      else rows = await query(`UPDATE ${T} SET value = ? WHERE map = ? AND member = ? AND value = ? RETURNING seq`, next, map, member, expected);
      return rows.length > 0;
    },
    async delete(members) {
      if (members.length === 0) return 0;
      const rows = await query(`DELETE FROM ${T} WHERE map = ? AND member IN (SELECT value FROM json_each(?)) RETURNING seq`, map, JSON.stringify(members));
      return rows.length;
    },
    async trim(keep) {
      await query(
        `DELETE FROM ${T} WHERE map = ? AND seq <= (SELECT seq FROM ${T} WHERE map = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
        map,
        map,
        Math.max(0, keep),
      );
    },
    async clear() {
      await query(`DELETE FROM ${T} WHERE map = ?`, map);
    },
  };
}
