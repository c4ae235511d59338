import { fileURLToPath, pathToFileURL } from 'node:url';
import { App } from '../app.js';
import type { Config } from '../config.js';
import type { AlertOutput } from '../delivery/output.js';
import type { Log } from '../log.js';
import { describeListDate } from '../render/list-date.js';
import { ofacSdnSource } from '../sources/ofac/source.js';
import { openStore } from '../store/open.js';

const REAL = new URL('../../test/fixtures/real/', import.meta.url);

/**
 * A bundled copy of a published list. `fetchedAt` is when the archive it comes from fetched it
 * from the publisher (test/fixtures/real/SOURCES.md): the copies' own file dates on this
 * machine say nothing about the list, and a date the list carries (XML Publish_Date) comes first.
 */
interface DemoFile {
  path: string;
  fetchedAt: string;
}

interface DemoPair {
  title: string;
  before: DemoFile;
  after: DemoFile;
}

/** Real published list pairs bundled with the project (provenance: test/fixtures/real/SOURCES.md). */
export const DEMO_PAIRS = {
  kimsuky: {
    title: 'OFAC sdn.csv 2023-11-30 → 2023-12-01: Treasury designates Kimsuky and DPRK agents (press release jy1938)',
    before: { path: 'ofac_sdn_csv/sdn_2023-11-30.csv.gz', fetchedAt: '2023-11-30T18:43:24Z' },
    after: { path: 'ofac_sdn_csv/sdn_2023-12-01.csv.gz', fetchedAt: '2023-12-01T01:47:04Z' },
  },
  lazarus: {
    title: 'OFAC sdn.csv DPRK subset 2022-04-12 → 2022-04-14: an Ethereum address added to LAZARUS GROUP (Ronin bridge hack)',
    before: { path: 'ofac_sdn_csv/sdn_dprk_subset_2022-04-12.csv', fetchedAt: '2022-04-12T02:21:39Z' },
    after: { path: 'ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv', fetchedAt: '2022-04-14T18:48:23Z' },
  },
  delisting: {
    title: 'OFAC CONSOLIDATED.XML 2025-10-22 → 2025-12-18: one delisting (non-DPRK; use --scope all to see it)',
    before: { path: 'ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-18_pub-2025-10-22.XML.gz', fetchedAt: '2025-12-18T06:28:00Z' },
    after: { path: 'ofac_consolidated_xml/CONSOLIDATED_fetched-2025-12-19_pub-2025-12-18.XML.gz', fetchedAt: '2025-12-19T06:30:00Z' },
  },
} as const satisfies Record<string, DemoPair>;

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
  say("  list dates: the list's own publish date when the file carries one, else the archive's fetch time (SOURCES.md)");
  let alerts = 0;
  for (const [step, file] of [
    ['baseline', pair.before],
    ['update', pair.after],
  ] as const) {
    const url = pathToFileURL(fileURLToPath(new URL(file.path, REAL))).href;
    const source = ofacSdnSource(url, { fetchedAt: file.fetchedAt });
    const app = new App({
      config: o.config,
      store,
      outputs: o.outputs,
      log: o.log,
      sources: [source],
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
    const status = await store.getStatus(source.id);
    const date = describeListDate(status?.listDate, status?.listDateBasis);
    say(`  ${step}: ${file.path} · ${date} → ${r.summary} in ${ms} ms${r.outcome === 'changed' ? '\n' : ''}`);
  }
  say(`■ ${alerts} alert(s) delivered. Run \`dprk-watch demo --scope all\` to see changes outside DPRK scope.`);
  await store.close();
  return 0;
}
