import type { Designation, DesignationDraft } from '../../src/core/designation.js';
import { finalizeDesignation } from '../../src/core/finalize.js';

/** A minimal valid designation for tests; override what the test is about. */
export function party(over: Partial<DesignationDraft> & Pick<DesignationDraft, 'sourceId' | 'name'>): Designation {
  return finalizeDesignation({
    source: 'ofac-sdn',
    type: 'entity',
    programs: ['DPRK3'],
    aliases: [],
    dobs: [],
    placesOfBirth: [],
    nationalities: [],
    addresses: [],
    identifiers: [],
    url: `https://sanctionssearch.ofac.treas.gov/Details.aspx?id=${over.sourceId}`,
    ...over,
  });
}
