/**
 * A list's fetched bodies (the Swiss file is 40 MB) are needed by its parser only: the poll lets
 * them go before the diff and the save, which then hold the records alone. Proved with a weak
 * reference to the body: collectable by the time the new snapshot is saved.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/ops/collect.js';
import { chSecoSource } from '../../src/sources/ch-seco/source.js';
import type { ListSource } from '../../src/sources/list-source.js';
import { openStore } from '../../src/store/open.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { poll } from '../helpers/pipeline.js';

describe('the poll of a list', () => {
  it('lets the fetched body go once it is parsed, before the save', async () => {
    const source = chSecoSource(pathToFileURL(path.join(FIXTURES, 'built/ch_seco_xml/seco_dprk_built.xml')).href);
    let body: WeakRef<Buffer> | undefined;
    let aliveAtSave: boolean | undefined;
    const watched: ListSource = {
      ...source,
      async fetch(ctx, validators) {
        const fetched = await source.fetch(ctx, validators);
        if (!fetched.unchanged) body = new WeakRef([...fetched.raw.values()][0]!);
        return fetched;
      },
      async save(ctx, next, changed) {
        // A weak reference keeps its target until the task that made or read it ends: end it first.
        await new Promise((resolve) => setImmediate(resolve));
        collectGarbage();
        aliveAtSave = body?.deref() !== undefined;
        await source.save(ctx, next, changed);
      },
    };
    const store = await openStore('memory:', 'body-let-go');
    const r = await poll(watched, store);
    expect(r.outcome).toBe('baseline');
    expect(body).toBeDefined();
    expect(aliveAtSave).toBe(false);
    expect((await store.getSnapshot('ch-seco'))?.entries.size).toBeGreaterThan(4);
  });
});
