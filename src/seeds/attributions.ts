import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { identifierKey } from '../search/identifiers.js';
import { DEFAULT_SEEDS_DIR, formatPath, parseFile, SeedError } from './load.js';
import { AttributionFileSchema, type Attribution } from './schema.js';

/** Where attribution files live under seeds/: one JSON file per publication. */
export const ATTRIBUTIONS_DIR = 'attributions';

/**
 * Read and validate every seeds/attributions/*.json: each against AttributionFileSchema, then
 * across files (ids unique, no address twice within one file, in any letter case). An address
 * may appear in two files: two agencies may attribute the same wallet. Throws a SeedError
 * naming the file and path of every problem.
 */
export function loadAttributions(dir: string = DEFAULT_SEEDS_DIR): Attribution[] {
  const folder = path.join(dir, ATTRIBUTIONS_DIR);
  if (!existsSync(folder)) return [];
  const problems: string[] = [];
  const out: Attribution[] = [];
  const ids = new Map<string, string>();
  for (const name of readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
    const file = path.join(folder, name);
    const a = parseFile(file, AttributionFileSchema, problems);
    if (!a) continue;
    const prev = ids.get(a.id);
    if (prev) problems.push(`${file}: id: duplicate id "${a.id}" (already used in ${prev})`);
    ids.set(a.id, name);
    const seen = new Map<string, number>();
    a.addresses.forEach((x, i) => {
      const key = identifierKey('crypto', x.address);
      const first = seen.get(key);
      if (first !== undefined) problems.push(`${file}: ${formatPath(['addresses', i, 'address'])}: same address as addresses[${first}]`);
      else seen.set(key, i);
    });
    out.push(a);
  }
  if (problems.length > 0) throw new SeedError(problems);
  return out;
}

let bundled: Attribution[] | undefined;

/** The bundled attributions, loaded and validated once. */
export function bundledAttributions(): Attribution[] {
  return (bundled ??= loadAttributions());
}
