/**
 * The sanctions lists dprk-watch knows, one line each: the stable id (alerts, lookups, the
 * SOURCES setting), the label people see, and the regime's short name for "who lists whom"
 * rows ("US ✓ 2019 · UN ✗ · EU ✓"). The core names lists here without importing
 * src/sources; each list's folder there (src/sources/<id>/) says how to fetch and read it, and
 * src/sources/registry.ts must have one entry per id (the compiler says when one is missing).
 */
export const LISTS = {
  'ofac-sdn': { regime: 'US', label: 'OFAC SDN' },
  'un-sc': { regime: 'UN', label: 'UN Security Council' },
  'eu-fsf': { regime: 'EU', label: 'EU Financial Sanctions' },
  'uk-sanctions': { regime: 'UK', label: 'UK Sanctions List' },
  'jp-mof': { regime: 'JP', label: 'Japan MOF' },
  'au-dfat': { regime: 'AU', label: 'Australia DFAT' },
  'ch-seco': { regime: 'CH', label: 'Switzerland SECO' },
} as const satisfies Record<string, { regime: string; label: string }>;
