import { fileURLToPath, pathToFileURL } from 'node:url';
import { App } from '../app.js';
import type { Config } from '../config.js';
import type { AlertOutput } from '../delivery/output.js';
import type { Log } from '../log.js';
import { listJob } from '../jobs.js';
import { ofacSdnSource } from '../sources/ofac/source.js';
import { openStore } from '../store/open.js';

const REAL = new URL('../../test/fixtures/real/', import.meta.url);

/** Real published list pairs bundled with the project (provenance: test/fixtures/real/SOURCES.md). */
export const DEMO_PAIRS = {
  kimsuky: {
    title: 'OFAC sdn.csv 2023-11-30 → 2023-12-01: Treasury designates Kimsuky and DPRK agents (press release jy1938)',
    before: 'ofac_sdn_csv/sdn_2023-11-30.csv.gz',
    after: 'ofac_sdn_csv/sdn_2023-12-01.csv.gz',
  },
  lazarus: {
    title: 'OFAC sdn.csv DPRK subset 2022-04-12 → 2022-04-14: an Ethereum address added to LAZARUS GROUP (Ronin bridge hack)',
    before: 'ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv',
    after: 'ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv',
  },
  delisting: {
    title: 'OFAC CONSOLIDATED.XML 2025-10-22 → 2025-12-18: one delisting (non-DPRK; use --scope all to see it)',
    before: 'ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-18_pub-2025-10-22.XML.gz',
    after: 'ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-19_pub-2025-12-18.XML.gz',
  },
} as const;

export interface DemoOptions {
  config: Config;
  pair: keyof typeof DEMO_PAIRS;
  outputs: AlertOutput[];
  log: Log;
}

/**
 * Replay a real pair through the real pipeline (file fetch → parse → diff → alerts →
 * outputs) on an in-memory store: the first file is the baseline, the second the change.
 */
export async function runDemo(o: DemoOptions): Promise<number> {
  const pair = DEMO_PAIRS[o.pair];
  const store = await openStore('memory:', `demo-${Date.now()}`);
  const say = (s: string) => process.stderr.write(`${s}\n`);
  say(`▶ ${pair.title}`);
  say(`  alert scope: ${o.config.ALERT_SCOPE} · files: ${fileURLToPath(REAL)}`);
  let alerts = 0;
  for (const [step, file] of [
    ['baseline', pair.before],
    ['update', pair.after],
  ] as const) {
    const url = pathToFileURL(fileURLToPath(new URL(file, REAL))).href;
    const app = new App({
      config: o.config,
      store,
      outputs: o.outputs,
      log: o.log,
      jobs: [listJob(ofacSdnSource(url), '* * * * *', { config: o.config, store, log: o.log })],
    });
    const started = performance.now();
    const [report] = await app.pollAll();
    const ms = Math.round(performance.now() - started);
    const r = report!.result;
    if (r.outcome === 'degraded') {
      say(`✗ ${step}: ${r.summary}`);
      await store.close();
      return 1;
    }
    alerts += r.alerts.length;
    say(`  ${step}: ${file} → ${r.summary} in ${ms} ms${r.outcome === 'changed' ? '\n' : ''}`);
  }
  say(`■ ${alerts} alert(s) delivered. Run \`dprk-watch demo --scope all\` to see changes outside DPRK scope.`);
  await store.close();
  return 0;
}
