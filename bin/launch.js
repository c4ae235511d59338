// Which entry the bin runs: the built CLI (dist/cli/main.js, made by scripts/build.mjs) while it
// is newer than every file it was built from, else the TypeScript sources through tsx, so an
// edited checkout never runs stale code. Checking ~300 files' times costs a few milliseconds.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The folders the build reads, and what in them counts as a source. */
const SOURCE_DIRS = ['src', 'commands'];
const SOURCE_FILE = /\.(ts|js|json)$/;

function newestSource(root) {
  let newest = 0;
  for (const dir of SOURCE_DIRS) {
    const base = path.join(root, dir);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { recursive: true, withFileTypes: true }))
      if (entry.isFile() && SOURCE_FILE.test(entry.name))
        newest = Math.max(newest, statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * `{ kind: 'built', file }` when dist/cli/main.js exists and no source under src/ or commands/
 * was changed after it was built; otherwise `{ kind: 'source', file: src/cli/main.ts, reason }`.
 */
export function chooseEntry(root) {
  const built = path.join(root, 'dist', 'cli', 'main.js');
  const source = path.join(root, 'src', 'cli', 'main.ts');
  if (process.env.DPRK_WATCH_FROM_SOURCE === '1') return { kind: 'source', file: source, reason: 'DPRK_WATCH_FROM_SOURCE=1' };
  if (!existsSync(built)) return { kind: 'source', file: source, reason: 'not built (npm run build)' };
  if (newestSource(root) > statSync(built).mtimeMs) return { kind: 'source', file: source, reason: 'a source is newer than the build' };
  return { kind: 'built', file: built };
}
