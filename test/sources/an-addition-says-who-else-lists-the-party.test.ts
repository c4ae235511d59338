/**
 * A designation alert says which regimes already list the party and which do not. Checked on
 * real lists: the UN DPRK list (2026-02-27) and the UK's DPR records (2026-03-26) are stored,
 * then the EU's real PRK records (2022-03-18) arrive with one record that both list missing from
 * the first EU copy (that copy is DERIVED in this test by cutting the record's bytes out of the real
 * file; no second dated EU file exists).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { describeRegimes, linkParties } from '../../src/core/parties.js';
import { parseEuFsfXml } from '../../src/sources/eu-fsf/xml.js';
import { parseUkXml } from '../../src/sources/uk-sanctions/xml.js';
import { euFsfSource } from '../../src/sources/eu-fsf/source.js';
import { ukSanctionsSource } from '../../src/sources/uk-sanctions/source.js';
import { unScSource } from '../../src/sources/un/source.js';
import { parseUnXml } from '../../src/sources/un/xml.js';
import { openStore } from '../../src/store/open.js';
import { fixtureText } from '../helpers/fixtures.js';
import { poll, realFileUrl } from '../helpers/pipeline.js';

const EU = fixtureText('real/eu_fsf_xml/eu_fsf_20220318_gfid137925_PRK_only.xml');
const dir = mkdtempSync(path.join(tmpdir(), 'regimes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an addition says who else lists the party', () => {
  it('names the stored regimes that already list it, and only lists that were stored', async () => {
    // An EU PRK record the linker (tested on real lists in test/search) joins to a UN and a UK record.
    const eu = parseEuFsfXml(EU).records;
    const all = [
      ...eu,
      ...parseUnXml(fixtureText('real/un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml')).records,
      ...parseUkXml(fixtureText('real/uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz')).records,
    ];
    const joined = linkParties(all).find((p) => p.some((i) => i < eu.length) && ['un-sc', 'uk-sanctions'].every((s) => p.some((i) => all[i]!.source === s)));
    const party = all[joined!.find((i) => i < eu.length)!]!;
    const start = EU.lastIndexOf('    <sanctionEntity ', EU.indexOf(`euReferenceNumber="${party.sourceId}"`));
    const end = EU.indexOf('</sanctionEntity>\n', start) + '</sanctionEntity>\n'.length;
    const without = path.join(dir, 'eu-without-one.xml');
    writeFileSync(without, EU.slice(0, start) + EU.slice(end));

    const store = await openStore('memory:', 'regimes');
    try {
      expect((await poll(unScSource(realFileUrl('un_consolidated_xml/consolidated_dprk-only_2026-02-27.xml')), store)).outcome).toBe('baseline');
      expect((await poll(ukSanctionsSource(realFileUrl('uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz')), store)).outcome).toBe('baseline');
      expect((await poll(euFsfSource(pathToFileURL(without).href), store)).outcome).toBe('baseline');
      const r = await poll(euFsfSource(realFileUrl('eu_fsf_xml/eu_fsf_20220318_gfid137925_PRK_only.xml')), store, 'dprk');
      expect(r.outcome).toBe('changed');
      expect(r.alerts).toHaveLength(1);
      const [added] = r.alerts;
      expect(added).toMatchObject({ kind: 'designation.added', sourceId: party.sourceId });
      // Both stored lists have the party; OFAC and the others were never stored, so they are not named.
      expect(added!.regimes).toEqual({ listedBy: ['un-sc', 'uk-sanctions'], notListedBy: [] });
      expect(added!.summary).toMatch(/^EU Financial Sanctions added .+; already listed by UN, UK$/);
    } finally {
      await store.close();
    }
  });

  it('says it as "already listed by US, UK, AU; not by UN or EU"', () => {
    expect(describeRegimes(['ofac-sdn', 'uk-sanctions', 'au-dfat'], ['un-sc', 'eu-fsf'])).toBe('already listed by US, UK, AU; not by UN or EU');
    expect(describeRegimes([], ['un-sc', 'eu-fsf', 'jp-mof'])).toBe('not listed by UN, EU or JP');
    expect(describeRegimes(['un-sc'], [])).toBe('already listed by UN');
  });
});
