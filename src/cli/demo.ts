import { fileURLToPath, pathToFileURL } from 'node:url';
import { App } from '../app.js';
import type { Config } from '../config.js';
import type { AlertOutput } from '../delivery/output.js';
import type { Log } from '../log.js';
import { describeListDate } from '../render/list-date.js';
import { ofacSdnSource } from '../sources/ofac/source.js';
import { openStore } from '../store/open.js';
import { projectUrl } from '../paths.js';
import { DEMO_PAIRS } from './demo-pairs.js';

const REAL = projectUrl('test/fixtures/real/');

export { DEMO_PAIRS };

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
