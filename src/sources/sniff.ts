import type { ListFormat } from '../core/designation.js';

/** Spreadsheet containers, told apart by their magic bytes; which list a workbook is, its parser says. */
export type Workbook = 'xls' | 'xlsx';

export type Sniffed = ListFormat | Workbook | 'empty' | 'html' | 'unknown-xml' | 'unknown';

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * What a fetched document is, judged from its first bytes rather than its URL: servers
 * answer errors with 200 and an HTML page, and mirrors rename files.
 */
export function sniffFormat(body: Buffer): Sniffed {
  if (body.subarray(0, 8).equals(OLE_MAGIC)) return 'xls'; // BIFF in an OLE compound file
  if (body.subarray(0, 4).equals(ZIP_MAGIC)) return 'xlsx'; // Office Open XML (a zip)
  const head = body.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (head.replace(/\u001a/g, '').trim() === '') return 'empty';
  if (/^<!doctype html|^<html[\s>]|<head[\s>]|<body[\s>]/i.test(head)) return 'html';
  if (head.startsWith('<')) {
    if (/<(\w+:)?sdnList[\s>]/.test(head)) return 'ofac-xml';
    if (/<CONSOLIDATED_LIST[\s>]/.test(head)) return 'un-xml';
    if (/<(\w+:)?export\s[^>]*xmlns(:\w+)?="http:\/\/eu\.europa\.ec\/fpi\/fsd\/export"/.test(head)) return 'eu-fsf-xml';
    if (/<Designations[\s>]/.test(head)) return 'uk-xml';
    if (/<swiss-sanctions-list[\s>]/.test(head)) return 'ch-seco-xml';
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
    case 'unknown':
      return 'the document is in no format dprk-watch knows';
    case 'xls':
    case 'xlsx':
      return `the document is an Excel .${s} workbook, not a format this list is published in`;
    default:
      return `the document is ${s}`;
  }
}
