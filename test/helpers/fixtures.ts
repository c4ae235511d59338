import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const REAL = path.join(FIXTURES, 'real');

/** Bytes of a fixture under test/fixtures, gunzipped when the name ends in .gz. */
export function fixtureBytes(relative: string): Buffer {
  const raw = readFileSync(path.join(FIXTURES, relative));
  return relative.endsWith('.gz') ? gunzipSync(raw) : raw;
}

/** Text of a fixture (UTF-8), gunzipped when the name ends in .gz. */
export function fixtureText(relative: string): string {
  return fixtureBytes(relative).toString('utf8');
}
