import type { Designation } from '../../../src/core/designation.js';
import type { FeedKind } from '../../../src/sources/feeds/config.js';
import type { ReportAlert } from '../../../src/core/reports.js';
import { pollSource, type PollDeps, type PollResult } from '../../../src/pipeline/poll.js';
import { feedSource, type PollableFeed } from '../../../src/sources/feeds/source.js';
import type { Log } from '../../../src/log.js';
import { parseOfacCsv } from '../../../src/sources/ofac/csv.js';
import type { Store } from '../../../src/store/store.js';
import { fixtureText } from '../../helpers/fixtures.js';
import { recordingLog } from '../../helpers/pipeline.js';

/** Text of a feed fixture under test/fixtures/feeds. */
export const feedFixture = (name: string): string => fixtureText(`feeds/${name}`);

let parties: Designation[] | undefined;
/** The real OFAC DPRK subset of 2022-04-14 (529 records, all DPRK-related), parsed once. */
export function realParties(): Designation[] {
  parties ??= parseOfacCsv({ sdn: fixtureText('real/ofac_sdn_csv/sdn_dprk_subset_2022-04-14.csv') }).records;
  return parties;
}

const BLOCK = { item: /<item[\s>][\s\S]*?<\/item>\s*/g, entry: /<entry[\s>][\s\S]*?<\/entry>\s*/g };

/** The item (or Atom entry) blocks of a feed, in order. */
export function blocks(xml: string, tag: 'item' | 'entry' = 'item'): string[] {
  return [...xml.matchAll(BLOCK[tag])].map((m) => m[0]);
}

/** Rebuild a feed with other item blocks, keeping its channel/feed head and tail. */
export function withBlocks(xml: string, items: readonly string[], tag: 'item' | 'entry' = 'item'): string {
  const all = blocks(xml, tag);
  const start = xml.indexOf(all[0]!);
  const last = all[all.length - 1]!;
  const end = xml.lastIndexOf(last) + last.length;
  return xml.slice(0, start) + items.join('') + xml.slice(end);
}

/** The feed without its first (newest) `count` items: what it looked like before they were published. */
export function withoutNewest(xml: string, count: number, tag: 'item' | 'entry' = 'item'): string {
  return withBlocks(xml, blocks(xml, tag).slice(count), tag);
}

/** Every pubDate rewritten (as some CMSs do on each rebuild) and the items in reverse order. */
export function rewriteDatesAndReorder(xml: string, day: number): string {
  let n = 0;
  const rewritten = xml.replace(/<pubDate>[^<]*<\/pubDate>/g, () => {
    const minute = String(n++ % 60).padStart(2, '0');
    return `<pubDate>Sat, ${String(day).padStart(2, '0')} Aug 2025 09:${minute}:00 +0000</pubDate>`;
  });
  return withBlocks(rewritten, blocks(rewritten).reverse());
}

/**
 * An FBI-shaped feed of `filler` irrelevant releases (cloned from the fixture's filler item)
 * under the first `fresh` DPRK items of the fixture — a window like the real feed's, large.
 */
export function fbiFeed(fresh: number, filler: number, firstFiller = 0): string {
  const xml = feedFixture('fbi_national_press_releases.xml');
  const all = blocks(xml);
  const dprk = all.slice(0, 3).slice(0, fresh);
  const template = all[3]!;
  const fillers = Array.from({ length: filler }, (_, i) => {
    const n = String(firstFiller + i).padStart(3, '0');
    const day = String((i % 28) + 1).padStart(2, '0');
    return template
      .replaceAll('test-filler-release-000', `test-filler-release-${n}`)
      .replace('Test Filler Release 000', `Test Filler Release ${n}`)
      .replace(/<pubDate>[^<]*<\/pubDate>/, `<pubDate>Mon, ${day} May 2025 10:00:00 -0400</pubDate>`);
  });
  return withBlocks(xml, [...dprk, ...fillers]);
}

export const FETCH = { timeoutMs: 1500, maxBytes: 8 * 1024 * 1024, userAgent: 'dprk-watch-test' };

/** What a feed poll needs in these tests: the poll's deps and the parties to match. */
export type FeedDeps = PollDeps & { parties: () => Promise<Designation[]> | Designation[] };

export function feedDeps(store: Store, log: Log = recordingLog(), parties: () => Designation[] = realParties): FeedDeps {
  return { store, log, fetch: FETCH, scope: 'dprk', maxRemovalShare: 0.05, parties };
}

/** One poll of one feed through the generic poll, as these tests read it: outcome, new alerts, reason. */
export async function pollFeed(
  feed: PollableFeed,
  { parties, ...deps }: FeedDeps,
): Promise<{ outcome: PollResult['outcome']; alerts: ReportAlert[]; reason?: string }> {
  const r = await pollSource(feedSource(feed, { parties: () => parties() }), deps);
  return { outcome: r.outcome, alerts: r.alerts, ...(r.reason !== undefined ? { reason: r.reason } : {}) };
}

export function testFeed(id: string, url: string, kind: FeedKind = 'rss', extra: Partial<PollableFeed> = {}): PollableFeed {
  return { id, title: `Test feed ${id}`, url, kind, ...extra };
}
