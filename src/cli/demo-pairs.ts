// The pairs' names are read when the CLI defines `demo --pair`; the replay itself (demo.ts) loads only when run.

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
