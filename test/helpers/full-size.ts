import { fixtureText } from './fixtures.js';

/**
 * Documents the size of the real full EU, UK and Swiss files, for memory measurements only. No
 * full real copy is kept here: the EU one repeats the real 1,044-record prefix (each copy's
 * euReferenceNumber, logicalId and unitedNationId given a copy suffix so every record is a new
 * party), the UK one the real DPRK subset of the FCDO file (UniqueID, OFSIGroupID and
 * UNReferenceNumber suffixed), the Swiss one the targets of the document built in SECO's
 * structure (ssid offset per copy). Nothing here poses as a real edition: the records are real
 * or built ones, renumbered, and the callers say so. The built Swiss targets are smaller than
 * real ones, so 40 MB of them is more records than the real file holds: a pessimistic figure.
 */
export const EU_FULL_BYTES = 25_000_000;
/** The FCDO file of 2026-03-26 the UK subset was cut from: 20,558,676 characters. */
export const UK_FULL_BYTES = 20_558_676;
export const SECO_FULL_BYTES = 40_000_000;

function repeatBody(xml: string, open: string, closeTag: string, bytes: number, renumber: (part: string, copy: number) => string): string {
  const start = xml.indexOf(open);
  const end = xml.lastIndexOf(closeTag);
  const head = xml.slice(0, start);
  const body = xml.slice(start, end);
  const tail = xml.slice(end);
  const parts: string[] = [head];
  let size = head.length + tail.length;
  for (let copy = 0; size < bytes; copy++) {
    const part = copy === 0 ? body : renumber(body, copy);
    parts.push(part);
    size += part.length;
  }
  parts.push(tail);
  return parts.join('');
}

/** The real DPRK subset of the FCDO UK Sanctions List repeated to the full file's size. */
export function fullSizeUkXml(bytes = UK_FULL_BYTES): string {
  const xml = fixtureText('real/uk_fcdo_xml/uk_dprk_2026-03-26.xml.gz');
  return repeatBody(xml, '<Designation>', '</Designations>', bytes, (body, copy) =>
    body.replace(/<(UniqueID|OFSIGroupID|UNReferenceNumber)>([^<]+)</g, (_m, tag: string, v: string) => `<${tag}>${v}-copy${copy}<`),
  );
}

/** The EU FSF prefix repeated to the full file's ~25 MB. */
export function fullSizeEuXml(bytes = EU_FULL_BYTES): string {
  const xml = fixtureText('real/eu_fsf_xml/eu_fsf_20220318_gfid137925_first1044records.xml.gz');
  return repeatBody(xml, '<sanctionEntity', '</export>', bytes, (body, copy) =>
    body.replace(/(euReferenceNumber|unitedNationId|logicalId)="([^"]+)"/g, (_m, a: string, v: string) => `${a}="${v}-copy${copy}"`),
  );
}

/** The built SECO document's targets repeated to the real file's ~40 MB. */
export function fullSizeSecoXml(bytes = SECO_FULL_BYTES): string {
  const xml = fixtureText('built/ch_seco_xml/seco_dprk_built.xml');
  const firstTarget = xml.indexOf('<target ');
  const afterTargets = xml.lastIndexOf('</target>') + '</target>'.length;
  const head = xml.slice(0, firstTarget);
  const targets = xml.slice(firstTarget, afterTargets);
  const tail = xml.slice(afterTargets);
  const parts: string[] = [head];
  let size = head.length + tail.length;
  for (let copy = 0; size < bytes; copy++) {
    const part = copy === 0 ? targets : targets.replace(/<target ssid="(\d+)"/g, (_m, v: string) => `<target ssid="${Number(v) + copy * 1_000_000}"`);
    parts.push(part);
    size += part.length;
  }
  parts.push(tail);
  return parts.join('');
}
