import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { EntityIndex, INDEX_IMAGE_FORMAT, type IndexImage } from './entity-index.js';

/** What a cache file's v8 part holds: the key it was written for, what the caller keeps beside the index (LookupService: the editions) and the index. */
interface CacheFile {
  key: string;
  meta: unknown;
  index: IndexImage;
}

// A file is: MAGIC, the v8 part's length (uint32 LE), padding to HEADER bytes; the v8 part; then
// the records' JSON, which is read a record at a time as answers show them: reading all of it
// (56 MB at seven-list scale) was most of the time of reading the file.
const MAGIC = 'dprkidx1';
const HEADER = 16;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// A read index keeps its file open for its records; closed once the index is let go.
const openFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

/**
 * The lookup index persisted for the next process: a CLI lookup reads it (~0.3 s) instead of
 * reading seven lists from the store and indexing them (several seconds at seven-list scale).
 *
 * Derived data: safe to delete, never the source of truth. One file per key, named by the
 * key's hash, and the key says everything the index was made from — the stored list versions,
 * the bundled seeds and snapshot (LookupService), and the code that made it (codeFingerprint)
 * — so a stale index is never read: a new list version is another file name. Written to a
 * temporary file and renamed, so a reader sees a whole file or none, and concurrent writers of
 * one key each rename a whole file (the same index) into place. A file that cannot be read or
 * does not hold an index of its own key is ignored (and the index rebuilt), said once.
 */
export class IndexCache {
  private warned = false;

  constructor(
    /** The directory the files live in (created on the first write). */
    private readonly dir: string,
    private readonly warn: (message: string) => void = (m) => process.emitWarning(m),
  ) {}

  /** The index persisted for `key` and what was kept beside it, or undefined (none, or unreadable: then it is rebuilt). */
  read(key: string): { index: EntityIndex; meta: unknown } | undefined {
    const file = this.fileFor(key);
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return undefined;
    }
    try {
      const size = fstatSync(fd).size;
      const header = readExactly(fd, 0, HEADER);
      if (header.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('it is not an index file');
      const v8Length = header.readUInt32LE(MAGIC.length);
      const stored = deserialize(readExactly(fd, HEADER, v8Length)) as CacheFile;
      if (stored?.key !== key) throw new Error('it was written for other list versions');
      const recordsAt = HEADER + v8Length;
      const starts = stored.index?.records?.starts;
      if (!(starts instanceof Float64Array) || recordsAt + starts[starts.length - 1]! !== size) throw new Error('its records are cut short');
      const index = EntityIndex.fromImage(stored.index, (start, length) => readExactly(fd, recordsAt + start, length));
      openFiles.register(index, fd);
      return { index, meta: stored.meta };
    } catch (e) {
      closeSync(fd);
      this.once(`lookup index cache ${file} is unreadable (${(e as Error).message}); rebuilding the index`);
      return undefined;
    }
  }

  /**
   * Persists the index for `key` and removes the files of other keys; a failure is said once
   * and is harmless. The image is made in slices with `pause()` awaited between them (one turn
   * of the event loop by default); serializing and writing the file are one step (~0.25 s at
   * seven-list scale).
   */
  async write(key: string, index: EntityIndex, meta: unknown, pause: () => Promise<void> = nextTurn): Promise<void> {
    const file = this.fileFor(key);
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      const steps = index.imageSteps();
      let step = steps.next();
      while (!step.done) {
        await pause();
        step = steps.next();
      }
      const image = step.value;
      const json = image.records.json!;
      const stored: CacheFile = { key, meta, index: { ...image, records: { ...image.records, json: undefined } } };
      const v8Part = serialize(stored);
      const header = Buffer.alloc(HEADER);
      header.write(MAGIC, 'latin1');
      header.writeUInt32LE(v8Part.length, MAGIC.length);
      // Three writes, not one concatenated copy of ~100 MB.
      const fd = openSync(temp, 'w');
      try {
        for (const part of [header, v8Part, json]) for (let done = 0; done < part.length; ) done += writeSync(fd, part, done);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, file);
    } catch (e) {
      rmSync(temp, { force: true });
      this.once(`lookup index cache could not be written to ${file} (${(e as Error).message}); lookups in new processes rebuild the index`);
      return;
    }
    this.removeOthers(path.basename(file));
  }

  private fileFor(key: string): string {
    return path.join(this.dir, `index-${createHash('sha256').update(key).digest('hex').slice(0, 32)}.v8`);
  }

  /** Old keys' files (another process may still be reading one: on POSIX it keeps it open). */
  private removeOthers(keep: string): void {
    try {
      for (const name of readdirSync(this.dir))
        if (name !== keep && name.startsWith('index-') && name.endsWith('.v8')) rmSync(path.join(this.dir, name), { force: true });
    } catch {
      // Cleaning up is best effort: the next write tries again.
    }
  }

  private once(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.warn(message);
  }
}

/**
 * What the code that builds the index is, as far as a cache key needs it: the index image
 * format and the name, size and modification time of every file of the code directory this
 * module was loaded from (src/ through tsx, dist/ when built). A new build or an edited source
 * changes it, so an index made by other code is never read. Stats only: ~300 files, a few ms.
 */
export function codeFingerprint(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // src/search/ → src/; dist/cli/ → dist/.
  const root = path.dirname(here);
  const hash = createHash('sha256').update(`format ${INDEX_IMAGE_FORMAT}\n`);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|js|mjs)$/.test(entry.name)) {
        const st = statSync(full);
        hash.update(`${path.relative(root, full)} ${st.size} ${st.mtimeMs}\n`);
      }
    }
  };
  walk(root);
  return hash.digest('hex').slice(0, 16);
}

function readExactly(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) throw new Error('the file ends early');
    done += n;
  }
  return buffer;
}
