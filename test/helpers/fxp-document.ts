import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { checkRoot, notWellFormed, type DocumentReader, type XmlNode } from '../../src/sources/xml.js';

/**
 * The document reader dprk-watch used before src/sources/xml-reader.ts: fast-xml-parser's
 * validator, then its parser with the options the list parsers relied on. Kept as the
 * reference the new reader is compared with (tests) and timed against (bench).
 */
export const parseDocumentWithFxp: DocumentReader = (xml, root, label, repeating) => {
  checkRoot(xml, root, label);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw notWellFormed(label, line, col, msg, !xml.trimEnd().endsWith('>') || /^Invalid '\[|^Unclosed tag/.test(msg));
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false, // ids such as 0x…, "KPe.041 " and leading zeros stay strings
    parseAttributeValue: false,
    htmlEntities: true, // numeric character references (&#233;) too
    jPath: false,
    isArray: (name, _path, _isLeaf, isAttribute) => !isAttribute && repeating.has(name),
  });
  const doc: unknown = parser.parse(xml);
  if (!doc || typeof doc !== 'object' || !(root in doc)) throw new Error(`${label}: no <${root}> element after parsing`);
  return doc as XmlNode;
};
