import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The package's root (where package.json, seeds/ and bin/ live), found by walking up from this
 * module. A path relative to import.meta.url would differ between the sources run through tsx
 * (src/…) and the built CLI (dist/cli/…, see scripts/build.mjs); the root is the same for both.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`dprk-watch: no package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A file or folder of the package, by its path from the root ("seeds/verdicts.json"). */
export const projectPath = (relative: string): string => path.join(PROJECT_ROOT, relative);

/** The same, as a file: URL (for readers that take URLs). */
export const projectUrl = (relative: string): URL => pathToFileURL(projectPath(relative) + (relative.endsWith('/') ? '/' : ''));
