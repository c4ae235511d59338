// Builds the CLI into dist/cli/ with esbuild (the compiler tsx already runs on): our modules in
// a few chunks, every npm package left external. `npm ci` and `npm install` run this as
// `prepare`; bin/dprk-watch.js runs the build only while it is newer than every source file.
// Why: through tsx each start compiles ~250 modules, which cost `dprk-watch lookup` most of its
// second (README, "Start-up"). Type checking stays with `tsc --noEmit` (npm test).
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const outdir = new URL('dist/cli/', root);
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: new URL('.', root).pathname,
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  // Verbs load what they run with import(): each such module becomes a chunk loaded only then.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir: 'dist/cli',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
writeFileSync(new URL('meta.json', outdir), JSON.stringify(result.metafile));
