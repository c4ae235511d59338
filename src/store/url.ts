/** The file a `sqlite://<file>` STORE_URL names, as written; undefined for any other store. */
export function sqliteFileOf(url: string): string | undefined {
  return url.startsWith('sqlite://') ? url.slice('sqlite://'.length) : undefined;
}
