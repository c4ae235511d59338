/**
 * A poll parses the new sdn.csv against the stored snapshot: a record whose published rows
 * (sdn.csv row, Remarks continuation, alt.csv and add.csv rows) are unchanged is taken over
 * from the snapshot instead of being normalized again. These tests prove the result is the
 * same as a full parse, on the real files, and that a change anywhere in a record's rows, or
 * a different release, makes it parsed again.
 */
import { describe, expect, it } from 'vitest';
import { diffLists } from '../../../src/core/diff.js';
import { buildSnapshot, type SnapshotEntry } from '../../../src/core/snapshot.js';
import { parseOfacCsv, type OfacCsvDocs } from '../../../src/sources/ofac/csv.js';
import { fixtureText } from '../../helpers/fixtures.js';

const BEFORE = 'real/ofac_sdn_csv/sdn_2023-11-30.csv.gz';
const AFTER = 'real/ofac_sdn_csv/sdn_2023-12-01.csv.gz';

/** What the store holds after a poll of `docs`: entries with their row digests. */
function stored(docs: OfacCsvDocs): Map<string, SnapshotEntry> {
  const list = parseOfacCsv(docs);
  return buildSnapshot(list.records, list.rowDigests).entries;
}

const taken = (records: readonly { sourceId: string }[], prior: ReadonlyMap<string, SnapshotEntry>) =>
  records.filter((r) => prior.get(r.sourceId)?.record === r).map((r) => r.sourceId);

describe('sdn.csv parsed against the stored snapshot', () => {
  const before = stored({ sdn: fixtureText(BEFORE) });
  const after = fixtureText(AFTER);

  it('gives the same records, snapshot version, warnings and diff as a full parse (real 2023-11-30 → 12-01)', () => {
    const full = parseOfacCsv({ sdn: after });
    const reused = parseOfacCsv({ sdn: after }, before);
    expect(reused.records).toEqual(full.records);
    expect(reused.warnings).toEqual(full.warnings);
    expect(reused.rowDigests).toEqual(full.rowDigests);
    const a = buildSnapshot(full.records, full.rowDigests);
    const b = buildSnapshot(reused.records, reused.rowDigests, before);
    expect(b.version).toBe(a.version);
    const changes = diffLists({ before, after: b.entries });
    expect(changes).toEqual(diffLists({ before, after: a.entries }));
    expect(changes.map((c) => c.kind)).toEqual(Array(9).fill('added'));
    // Every record of 11-30 that 12-01 publishes unchanged was taken over; the 9 new ones were parsed.
    const kept = taken(reused.records, before);
    expect(kept).toHaveLength(reused.records.length - 9);
    expect(taken(full.records, before)).toHaveLength(0);
    // A taken-over record keeps its stored hash: nothing is hashed again.
    for (const id of kept.slice(0, 50)) expect(b.entries.get(id)!.hash).toBe(before.get(id)!.hash);
  });

  it('parses a record again when its sdn.csv row, alt.csv, add.csv or Remarks continuation changed', () => {
    const sdn = fixtureText(BEFORE);
    const line = sdn.split('\n').find((l) => l.startsWith('27307,'))!; // LAZARUS GROUP
    const docs: OfacCsvDocs = {
      sdn,
      alt: '27307,1,"a.k.a.","HIDDEN COBRA",-0- \r\n',
      add: '27307,1,"Potonggang District","Pyongyang","Korea, North",-0- \r\n',
    };
    const prior = stored(docs);
    // The companion rows were read (so a change in them has something to change).
    expect(prior.get('27307')!.record.aliases.map((a) => a.name)).toContain('HIDDEN COBRA');
    expect(prior.get('27307')!.record.addresses.map((a) => a.text)).toContain('Potonggang District, Pyongyang, Korea, North');
    const variants: Record<string, OfacCsvDocs> = {
      'sdn.csv row': { ...docs, sdn: sdn.replace(line, line.replace('LAZARUS GROUP', 'LAZARUS GROUP (RENAMED)')) },
      'alt.csv': { ...docs, alt: `${docs.alt}27307,2,"a.k.a.","GUARDIANS OF PEACE",-0- \r\n` },
      'add.csv': { ...docs, add: '27307,1,"Central District","Pyongyang","Korea, North",-0- \r\n' },
      'sdn_comments.csv': { ...docs, comments: '27307," Further remarks."\r\n' },
    };
    for (const [what, variant] of Object.entries(variants)) {
      const list = parseOfacCsv(variant, prior);
      const lazarus = list.records.find((r) => r.sourceId === '27307')!;
      expect(prior.get('27307')!.record === lazarus, what).toBe(false);
      expect(lazarus, what).toEqual(parseOfacCsv(variant).records.find((r) => r.sourceId === '27307'));
      // Everything else was untouched and taken over.
      expect(taken(list.records, prior), what).toHaveLength(list.records.length - 1);
    }
  });

  it('never takes over a record stored without a digest, or with another one (an older release)', () => {
    const sdn = fixtureText(BEFORE);
    const withDigests = stored({ sdn });
    const legacy = new Map([...withDigests].map(([id, e]) => [id, { hash: e.hash, record: e.record }]));
    const otherRelease = new Map([...withDigests].map(([id, e]) => [id, { ...e, rows: `x${e.rows}` }]));
    expect(taken(parseOfacCsv({ sdn }, legacy).records, legacy)).toHaveLength(0);
    expect(taken(parseOfacCsv({ sdn }, otherRelease).records, otherRelease)).toHaveLength(0);
  });
});
