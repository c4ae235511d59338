import type { AttributedAddress, Attribution } from '../seeds/schema.js';
import { identifierKey } from './identifiers.js';

/** One attributed wallet: the address as published and the publication that attributes it. */
export interface AttributionHit {
  address: AttributedAddress;
  attribution: Attribution;
}

/** What an answer carries for an attributed wallet (JSON output, screening rows). */
export interface AttributionData {
  id: string;
  chain: string;
  address: string;
  attributedBy: string;
  actor: string;
  alsoKnownAs: string[];
  incident: string;
  document: string;
  published: string;
  url: string;
  /** Always false: an attribution is not a designation. Spelled out for machine readers. */
  sanctioned: false;
}

/**
 * Wallets attributed to DPRK actors by law enforcement (seeds/attributions/), by address.
 * Deliberately separate from EntityIndex: an attribution is not a designation, so it never
 * becomes a LookupResult, never counts as a list match and never raises a designation alert.
 * Keys are identifier keys, so an EVM address matches in any letter case.
 */
export class AttributionIndex {
  private readonly byKey = new Map<string, AttributionHit[]>();

  constructor(readonly attributions: readonly Attribution[]) {
    for (const attribution of attributions)
      for (const address of attribution.addresses) {
        const key = identifierKey('crypto', address.address);
        let hits = this.byKey.get(key);
        if (!hits) this.byKey.set(key, (hits = []));
        hits.push({ address, attribution });
      }
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Every attribution of this address (any letter case for EVM and bech32); [] when none. */
  forAddress(query: string): AttributionHit[] {
    const q = query.trim();
    if (q === '') return [];
    return this.byKey.get(identifierKey('crypto', q)) ?? [];
  }
}

/** "attributed by the FBI to TraderTraitor (Lazarus Group) — Bybit theft, PSA of 2025-02-26" */
export function describeAttribution(a: Attribution): string {
  const aka = a.actor.alsoKnownAs.length > 0 ? ` (${a.actor.alsoKnownAs.join(', ')})` : '';
  return `attributed by ${a.attributedBy.short} to ${a.actor.name}${aka} — ${a.incident}, ${a.document.kind} of ${a.published}`;
}

export function attributionData(h: AttributionHit): AttributionData {
  const a = h.attribution;
  return {
    id: a.id,
    chain: h.address.chain,
    address: h.address.address,
    attributedBy: a.attributedBy.name,
    actor: a.actor.name,
    alsoKnownAs: a.actor.alsoKnownAs,
    incident: a.incident,
    document: [a.document.kind, a.document.reference].filter(Boolean).join(' '),
    published: a.published,
    url: a.url,
    sanctioned: false,
  };
}
