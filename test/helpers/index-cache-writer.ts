/**
 * A process that persists one index under one key again and again (argv: cache directory, key,
 * OFAC fixture, rounds): test/search/the-persisted-index-is-keyed-and-rebuilt.test.ts runs
 * several at once to prove concurrent writers leave a whole file.
 */
import { EntityIndex } from '../../src/search/entity-index.js';
import { IndexCache } from '../../src/search/index-cache.js';
import { parseOfacCsv } from '../../src/sources/ofac/csv.js';
import { fixtureText } from './fixtures.js';

const [dir, key, fixture, rounds] = process.argv.slice(2) as [string, string, string, string];
const index = EntityIndex.build(parseOfacCsv({ sdn: fixtureText(fixture) }).records);
const cache = new IndexCache(dir, (m) => {
  throw new Error(m);
});
for (let i = 0; i < Number(rounds); i++) await cache.write(key, index, [{ writer: process.pid, round: i }]);
