import type { ListFormat } from '../core/designation.js';

/** `xls` / `xlsx`: an Excel workbook (BIFF in an OLE2 container / Office Open XML in a zip), read by the list's own parser. */
export type Sniffed = ListFormat | 'xls' | 'xlsx' | 'empty' | 'html' | 'unknown-xml' | 'unknown';

const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * What a fetched document is, judged from its first bytes rather than its URL: servers
 * answer errors with 200 and an HTML page, and mirrors rename files.
 */
export function sniffFormat(body: Buffer): Sniffed {
  if (body.subarray(0, 8).equals(OLE2)) return 'xls';
  if (body.subarray(0, 4).equals(ZIP)) return 'xlsx';
  const head = body.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (head.replace(/\u001a/g, '').trim() === '') return 'empty';
  if (/^<!doctype html|^<html[\s>]|<head[\s>]|<body[\s>]/i.test(head)) return 'html';
  if (head.startsWith('<')) {
    if (/<(\w+:)?sdnList[\s>]/.test(head)) return 'ofac-xml';
    if (/<CONSOLIDATED_LIST[\s>]/.test(head)) return 'un-xml';
    return 'unknown-xml';
  }
  if (/^\d+,"/.test(head)) return 'ofac-csv';
  return 'unknown';
}

export function describeSniffed(s: Sniffed): string {
  switch (s) {
    case 'empty':
      return 'the document is empty';
    case 'html':
      return 'the server returned an HTML page (likely an error or maintenance page) instead of the list';
    case 'unknown-xml':
      return 'the document is XML but not a list format dprk-watch knows';
    case 'xls':
    case 'xlsx':
      return `the document is an Excel workbook (.${s}), not this list's format`;
    case 'unknown':
      return 'the document is in no format dprk-watch knows';
    default:
      return `the document is ${s}`;
  }
}
