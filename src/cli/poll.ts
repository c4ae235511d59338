import { buildServices } from '../services.js';
import { dryRunStore } from '../store/overlay.js';
import { chatOutputs, createApp, outputsFor, reportUnreachable, runtime } from './runtime.js';

/** `dprk-watch poll --once`: poll every source once, deliver, and exit (2 when a source could not be used). */
export async function pollOnce(opts: { json?: boolean; dryRun?: boolean }): Promise<void> {
  const rt = await runtime();
  const { config, log, store: real, services } = rt;
  // --json changes only how alerts are printed; --dry-run is the one that keeps them off the chats.
  const store = opts.dryRun ? dryRunStore(real) : real;
  const outputs = outputsFor(config, opts.json ?? false);
  if (!opts.dryRun) outputs.push(...(await chatOutputs(config, services, log)));
  else process.stderr.write('dry run: the stored state is read, nothing is stored or delivered.\n');
  // The watch check reads the lists through this store (the dry-run overlay included).
  const watching = opts.dryRun ? buildServices(config, store) : services;
  const app = createApp(rt, { store, outputs, watching });
  try {
    await app.deliver();
    const reports = await app.pollAll();
    reportUnreachable(reports);
    process.exitCode = reports.some((r) => r.result.outcome === 'degraded') ? 2 : 0;
  } finally {
    await store.close();
  }
}
