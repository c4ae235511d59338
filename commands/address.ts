import { z } from 'zod';
import { SOURCE_LABELS } from '../src/core/alerts.js';
import { defineCommand } from '../src/commands/command.js';
import type { Reply } from '../src/reply.js';
import { resultData } from '../src/search/entity-index.js';
import { bundledNotice, describeEditions } from '../src/search/lookup-service.js';
import { addressFormat } from '../src/search/address-format.js';
import { attributionData, describeAttribution } from '../src/search/attributions.js';

export const ArgsSchema = z.object({
  wallet: z
    .string()
    .trim()
    .min(20, 'a wallet address is at least 20 characters')
    .max(120, 'a wallet address is at most 120 characters')
    .regex(/^[0-9A-Za-z]+$/, 'a wallet address has only letters and digits (no spaces or punctuation)'),
});

export const definition = {
  name: 'address',
  description: 'Is this wallet sanctioned, or attributed to the DPRK by law enforcement? Any letter case.',
  options: [{ name: 'wallet', type: 'string', description: 'The address, e.g. 0x098B…2f96', required: true, maxLength: 120 }],
  permission: 'everyone',
} as const;

export default defineCommand({
  definition,
  ArgsSchema,
  async handler(ctx, { wallet }): Promise<Reply> {
    const { index, editions } = await ctx.services.lookup.current();
    const asOf = describeEditions(editions);
    const format = addressFormat(wallet);
    const hits = index.lookup(wallet, { limit: 10 }).filter((r) => r.matchKind === 'identifier' && r.identifier?.kind === 'crypto');
    // Attributions are told apart from designations in every line: attributed is not sanctioned.
    const attributed = ctx.services.attributions.forAddress(wallet);
    const attributionLines = attributed.map((h) => `ℹ️ ${describeAttribution(h.attribution)}\n   ${h.attribution.url}`);
    const data = { wallet, format: format ?? null, results: hits.map(resultData), attributions: attributed.map(attributionData), editions };
    const head = `${wallet} (${format ?? 'unrecognised format'})`;
    // Answers before a list was polled say so, with the snapshot's date.
    const notice = bundledNotice(editions);
    const withNotice = (text: string) => (notice ? `${text}\n📦 ${notice}` : text);
    if (hits.length === 0 && attributed.length > 0)
      return {
        text: withNotice([`${head} is not on any sanctions list searched (${asOf}); it is:`, ...attributionLines].join('\n')),
        data,
      };
    if (hits.length === 0)
      return {
        text: withNotice(`${head} is not on the lists searched (${asOf}) and no bundled attribution names it. Absence from these lists is not clearance: check exposure through clustering tools too.`),
        data,
      };
    const lines = hits.map(
      (r) =>
        `⚠️ SANCTIONED — ${r.name} · ${SOURCE_LABELS[r.source]} ${r.sourceId} · ${r.programs.join(', ')}${r.dprk ? ' · DPRK-related' : ''}\n   listed as ${r.identifier?.asset ?? 'crypto'} address ${r.identifier?.value}\n   ${r.url}`,
    );
    return {
      text: withNotice([`${head} matches (${asOf}):`, ...lines, ...(attributionLines.length > 0 ? ['Also, apart from the lists:', ...attributionLines] : [])].join('\n')),
      data,
    };
  },
});
