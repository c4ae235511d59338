import { fixtureText } from '../../helpers/fixtures.js';

/*
 * No real SECO XML is available (test/fixtures/real/SOURCES.md). BUILT is a document written in
 * the structure of the SESAM XML export (as read by open-source parsers of the real file), whose
 * five records are real UN-listed parties copied from the real UN consolidated list of 2026-02-27:
 * see test/fixtures/built/ch_seco_xml/PROVENANCE.md. Every variant the tests use is DERIVED from it.
 */
export const BUILT_FILE = 'built/ch_seco_xml/seco_dprk_built.xml';
export const BUILT = fixtureText(BUILT_FILE);

/** The `<target ssid="…">…</target>\n` block of one target, byte for byte. */
export function targetBlock(xml: string, ssid: string): string {
  const start = xml.indexOf(`  <target ssid="${ssid}">`);
  const end = xml.indexOf('</target>\n', start) + '</target>\n'.length;
  if (start < 0 || end < start) throw new Error(`no target ${ssid}`);
  return xml.slice(start, end);
}

/**
 * DERIVED: `xml` with a `de-listed` modification (effective `date`) added after the target's
 * `listed` one — what SECO does to a de-listed target, which stays in the file.
 */
export function withDelisting(xml: string, ssid: string, date: string, before = false): string {
  const block = targetBlock(xml, ssid);
  const listed = block.split('\n').find((l) => l.includes('modification-type="listed"'))!;
  const delisted = listed
    .replace(/ssid="\d+"/, `ssid="${ssid}9"`)
    .replace('"listed"', '"de-listed"')
    .replace(/(date=)"[\d-]+"/g, `$1"${date}"`);
  return xml.replace(block, block.replace(listed, before ? `${delisted}\n${listed}` : `${listed}\n${delisted}`));
}
