import type { AlertFieldChange } from '../core/alerts.js';

/**
 * An amendment as one line per change, the same on a card and in plain text: "+ aliases: X",
 * "− aliases: Y", "~ type: a → b". Remarks only say they were edited: they run to paragraphs.
 */
export function changeLines(changes: readonly AlertFieldChange[]): string[] {
  return changes.flatMap((c) =>
    'added' in c
      ? [...c.added.map((a) => `+ ${c.field}: ${a}`), ...c.removed.map((x) => `− ${c.field}: ${x}`)]
      : [c.field === 'remarks' ? '~ remarks edited' : `~ ${c.field}: ${c.from ?? '∅'} → ${c.to ?? '∅'}`],
  );
}
