/**
 * The sanctions lists dprk-watch knows, one line each: the stable id (alerts, lookups, the
 * SOURCES setting) and the label people see. The core names lists here without importing
 * src/sources; each list's folder there (src/sources/<id>/) says how to fetch and read it, and
 * src/sources/registry.ts must have one entry per id (the compiler says when one is missing).
 */
export const LISTS = {
  'ofac-sdn': { label: 'OFAC SDN' },
  'un-sc': { label: 'UN Security Council' },
  'eu-fsf': { label: 'EU Financial Sanctions' },
  'ch-seco': { label: 'Switzerland SECO' },
} as const satisfies Record<string, { label: string }>;
