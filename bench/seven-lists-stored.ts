/**
 * The seven lists as a user's store holds them after a first `dprk-watch poll`: each list in its
 * default format, the EU, UK and Swiss files at their real full sizes (test/helpers/full-size.ts
 * says how they are made from the real subsets and the built Swiss document), polled by the real
 * CLI into a SQLite store. For benchmarks that measure what a user with seven lists sees.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FIXTURES } from '../test/helpers/fixtures.js';
import { fullSizeEuXml, fullSizeSecoXml, fullSizeUkXml } from '../test/helpers/full-size.js';

export const BIN = fileURLToPath(new URL('../bin/dprk-watch.js', import.meta.url));
const fixture = (relative: string) => pathToFileURL(path.join(FIXTURES, relative)).href;

/** Writes the full-size EU, UK and Swiss documents into `dir`; returns each list's URL by id. */
export function sevenListUrls(dir: string): Record<string, string> {
  const files = { eu: path.join(dir, 'eu.xml'), uk: path.join(dir, 'uk.xml'), seco: path.join(dir, 'seco.xml') };
  writeFileSync(files.eu, fullSizeEuXml());
  writeFileSync(files.uk, fullSizeUkXml());
  writeFileSync(files.seco, fullSizeSecoXml());
  const at = (f: string) => pathToFileURL(f).href;
  return {
    'ofac-sdn': fixture('real/ofac_sdn_csv/sdn_2023-12-01.csv.gz'),
    'un-sc': fixture('real/un_consolidated_xml/consolidated_2026-02-27.xml.gz'),
    'eu-fsf': at(files.eu),
    'uk-sanctions': at(files.uk),
    'jp-mof': fixture('real/jp_mof_xls/mof_shisantouketsu_saved2022-05-09.xls.gz'),
    'au-dfat': fixture('real/au_dfat/dfat_regulation8_consolidated_2024-11-11.xlsx.gz'),
    'ch-seco': at(files.seco),
  };
}

/** The environment a CLI run over these lists and this store gets (nothing else from the caller's). */
export function listEnv(lists: Record<string, string>, storeFile: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: path.dirname(storeFile),
    SOURCES: Object.keys(lists).join(','),
    ...Object.fromEntries(Object.entries(lists).map(([id, url]) => [`${id.toUpperCase().replace(/-/g, '_')}_URL`, url])),
    STORE_URL: `sqlite://${storeFile}`,
    LOG_LEVEL: 'warn',
    REPORT_FEEDS: 'none',
    ...extra,
  };
}

/** Runs `node [nodeArgs] bin/dprk-watch.js args` and resolves with its output, or rejects with its stderr. */
export function runBin(args: string[], env: Record<string, string>, nodeArgs: string[] = []): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [...nodeArgs, BIN, ...args], { env, maxBuffer: 64 << 20 }, (e, stdout, stderr) =>
      e ? reject(new Error(`dprk-watch ${args.join(' ')} failed: ${e.message}\n${stderr}`)) : resolve({ stdout, stderr }),
    ),
  );
}
