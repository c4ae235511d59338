import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ukSanctionsSource } from '../../../src/sources/uk-sanctions/source.js';
import { parseUkXml } from '../../../src/sources/uk-sanctions/xml.js';
import { openStore } from '../../../src/store/open.js';
import { fixtureText } from '../../helpers/fixtures.js';
import { poll } from '../../helpers/pipeline.js';
import { SourceServer } from '../../helpers/source-server.js';

const REAL_XML = fixtureText('real/uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz');

/** The child lists later FCDO releases reorder (PROVENANCE), by wrapper → item element. */
const WRAPPERS: Record<string, string> = {
  Addresses: 'Address',
  DOBs: 'DOB',
  Names: 'Name',
  Nationalities: 'Nationality',
  PhoneNumbers: 'PhoneNumber',
  EmailAddresses: 'EmailAddress',
  Positions: 'Position',
  PreviousFlags: 'PreviousFlag',
  PassportDetails: 'Passport',
};

/**
 * A variant DERIVED in this test from the real 26/03/2026 file, not a publication: inside every
 * record the items of each list above are in reverse order, and the NameType casing "Primary
 * name" / "Primary Name" is swapped. Same records, same content: what a later release that only
 * reorders looks like.
 */
function reordered(xml: string): { xml: string; reversedLists: number } {
  let reversedLists = 0;
  const out = xml.replace(/<(Addresses|DOBs|Names|Nationalities|PhoneNumbers|EmailAddresses|Positions|PreviousFlags|PassportDetails)>([\s\S]*?)(\s*)<\/\1>/g, (_all, wrapper: string, inner: string, tail: string) => {
    const item = WRAPPERS[wrapper]!;
    const items = inner.match(new RegExp(`\\s*<${item}>[\\s\\S]*?</${item}>`, 'g')) ?? [];
    expect(items.join('')).toBe(inner); // nothing between the items is lost
    if (items.length > 1) reversedLists++;
    return `<${wrapper}>${items.reverse().join('')}${tail}</${wrapper}>`;
  });
  const cased = out.replace(/<NameType>Primary (name|Name)<\/NameType>/g, (_m, n: string) => `<NameType>Primary ${n === 'name' ? 'Name' : 'name'}</NameType>`);
  return { xml: cased, reversedLists };
}

describe('FCDO XML: a release that only reorders child elements raises no alert', () => {
  const server = new SourceServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('real file, then the same records with every address/DOB/name/… list reversed and NameType re-cased: no alert in the "all" scope', async () => {
    const variant = reordered(REAL_XML);
    console.info(`reordered variant: ${variant.reversedLists} lists of 2+ items reversed in ${(REAL_XML.match(/<Designation>/g) ?? []).length} records`);
    expect(variant.xml).not.toBe(REAL_XML);
    expect(variant.reversedLists).toBeGreaterThan(100);
    // Parsed alone, the variant gives the very same records.
    expect(parseUkXml(variant.xml).records).toEqual(parseUkXml(REAL_XML).records);

    const store = await openStore('memory:', 'uk-fcdo-reordered');
    server.set('/UK-Sanctions-List.xml', { kind: 'document', body: REAL_XML });
    expect((await poll(ukSanctionsSource(server.url('/UK-Sanctions-List.xml')), store, 'all')).outcome).toBe('baseline');
    const before = await store.getSnapshot('uk-sanctions');
    expect(before?.entries.size).toBe(261);

    server.set('/UK-Sanctions-List.xml', { kind: 'document', body: variant.xml });
    const r = await poll(ukSanctionsSource(server.url('/UK-Sanctions-List.xml')), store, 'all');
    expect(r.outcome).not.toBe('degraded');
    expect(r.alerts).toEqual([]);
    expect((await store.getSnapshot('uk-sanctions'))?.version).toBe(before?.version);
  });
});
