/** An amendment's change lines read the same in plain text and on a card (src/render/changes.ts). */
import { describe, expect, it } from 'vitest';
import { buildAlerts, type AlertContext, type AlertFieldChange } from '../../src/core/alerts.js';
import { compareDesignations } from '../../src/core/diff.js';
import { alertCard } from '../../src/render/card.js';
import { changeLines } from '../../src/render/changes.js';
import { renderAlertText } from '../../src/render/text.js';
import { parseOfacCsv } from '../../src/sources/ofac/csv.js';
import { fixtureText } from '../helpers/fixtures.js';

const subset = (day: string) => parseOfacCsv({ sdn: fixtureText(`real/ofac_sdn_csv/sdn_dprk_subset_2022-04-${day}.csv`) }).records;
const lazarus = (day: string) => subset(day).find((r) => r.sourceId === '27307')!;
const ctx: AlertContext = { source: 'ofac-sdn', baseVersion: 'v', listDate: { date: '2022-04-14T00:00:00Z', basis: 'last-modified' }, detectedAt: '2022-04-14T18:48:23Z', scope: 'all' };

const CHANGES: AlertFieldChange[] = [
  { field: 'aliases', added: ['APT38', 'HIDDEN COBRA'], removed: ['GUARDIANS OF PEACE'] },
  { field: 'type', from: 'Entity', to: 'Organization' },
  { field: 'title', from: null, to: 'Group' },
  { field: 'remarks', from: 'a long paragraph', to: 'another long paragraph' },
];
const LINES = [
  '+ aliases: APT38',
  '+ aliases: HIDDEN COBRA',
  '− aliases: GUARDIANS OF PEACE',
  '~ type: Entity → Organization',
  '~ title: ∅ → Group',
  '~ remarks edited',
];

describe('changeLines', () => {
  it('gives one line per added, removed and changed value; remarks only say they were edited', () => {
    expect(changeLines(CHANGES)).toEqual(LINES);
    expect(changeLines([])).toEqual([]);
  });

  it('is what the plain text (indented) and the card (Changes field) show for an amendment', () => {
    const [before, after] = [lazarus('12'), lazarus('14')];
    const [real] = buildAlerts([{ kind: 'amended', before, after, changes: compareDesignations(before, after) }], ctx);
    const alert = { ...real!, changes: CHANGES };
    const text = renderAlertText(alert).split('\n');
    expect(text.slice(2, 2 + LINES.length)).toEqual(LINES.map((l) => `   ${l}`));
    expect(alertCard(alert).fields.find((f) => f.name === 'Changes')?.value).toBe(LINES.join('\n'));
  });
});
