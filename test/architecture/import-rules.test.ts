/**
 * The import rules in .dependency-cruiser.cjs (run by `npm test` as `npm run lint:deps`) hold on
 * this code, and they do catch what they are for: a cycle, one made of type-only imports, a core
 * module that reaches outside src/core, a handler importing another, config importing an adapter.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseConfig from 'dependency-cruiser/config-utl/extract-depcruise-config';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function check(baseDir: string): Promise<Array<{ rule: string; from: string; to: string }>> {
  const config = await extractDepcruiseConfig(path.join(ROOT, '.dependency-cruiser.cjs'));
  const tsConfig = extractTSConfig(path.join(ROOT, 'tsconfig.json'));
  const { tsConfig: _file, ...options } = config.options ?? {};
  const dirs = ['src', 'commands', 'bin'].filter((d) => existsSync(path.join(baseDir, d)));
  const reported = await cruise(dirs, { ...options, baseDir, validate: true, ruleSet: config }, {}, { tsConfig });
  const output = reported.output as ICruiseResult;
  return (output.summary.violations ?? []).map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A throwaway project laid out like ours, with the given files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'import-rules-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('import rules (dependency-cruiser)', () => {
  it('hold on this code: no cycle (types included), a pure core, no handler importing another, config without adapters', async () => {
    expect(await check(ROOT)).toEqual([]);
  }, 120_000);

  it('catch a cycle, a type-only cycle, a core import from outside, a handler importing a handler and config importing an adapter', async () => {
    const dir = project({
      'src/feeds/parse.ts': "import { pages } from './page.js';\nexport const parse = () => pages();\n",
      'src/feeds/page.ts': "import { parse } from './parse.js';\nexport const pages = () => typeof parse;\n",
      'src/feeds/item.ts': "import type { Page } from './kind.js';\nexport interface Item { page: Page }\n",
      'src/feeds/kind.ts': "import type { Item } from './item.js';\nexport interface Page { items: Item[] }\n",
      'src/core/diff.ts': "import { log } from '../log.js';\nexport const diff = () => log;\n",
      'src/log.ts': 'export const log = 1;\n',
      'commands/entity.ts': "import { verdicts } from './verdict.js';\nexport const entity = verdicts;\n",
      'commands/verdict.ts': 'export const verdicts = 1;\n',
      'src/config.ts': "import { token } from './adapters/discord.js';\nexport const config = token;\n",
      'src/adapters/discord.ts': 'export const token = 1;\n',
    });
    const found = (await check(dir)).map((v) => `${v.rule}: ${v.from} → ${v.to}`).sort();
    expect(found).toEqual([
      'config-imports-no-adapter: src/config.ts → src/adapters/discord.ts',
      'core-is-pure: src/core/diff.ts → src/log.ts',
      'no-circular: src/feeds/item.ts → src/feeds/kind.ts',
      'no-circular: src/feeds/page.ts → src/feeds/parse.ts',
      'no-handler-imports-another: commands/entity.ts → commands/verdict.ts',
    ]);
  }, 120_000);
});
