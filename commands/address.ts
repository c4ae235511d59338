import { z } from 'zod';
import { SOURCE_LABELS } from '../src/core/alerts.js';
import { defineCommand } from '../src/commands/command.js';
import type { Reply } from '../src/reply.js';
import { resultData } from '../src/search/entity-index.js';
import { describeEditions } from '../src/search/lookup-service.js';

/** Address shapes by chain family: used to say what was pasted, not to gatekeep. */
const FORMATS: ReadonlyArray<[string, RegExp]> = [
  ['EVM (ETH, USDT-ERC20, BSC…)', /^0x[0-9a-fA-F]{40}$/],
  ['Bitcoin', /^(bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})$/],
  ['TRON', /^T[1-9A-HJ-NP-Za-km-z]{33}$/],
  ['Litecoin', /^(ltc1[02-9ac-hj-np-z]{11,71}|[LM][1-9A-HJ-NP-Za-km-z]{26,33})$/],
  ['Monero', /^[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}$/],
];

export function addressFormat(address: string): string | undefined {
  return FORMATS.find(([, re]) => re.test(address))?.[0];
}

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
  description: 'Is this wallet address on the OFAC or UN lists? Exact match; EVM addresses in any letter case.',
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
    if (hits.length === 0)
      return {
        text: `${wallet} (${format ?? 'unrecognised format'}) is not on the lists searched (${asOf}). Absence from these lists is not clearance: check exposure through clustering tools too.`,
        data: { wallet, format: format ?? null, results: [], editions },
      };
    const lines = hits.map(
      (r) =>
        `⚠️ SANCTIONED — ${r.name} · ${SOURCE_LABELS[r.source]} ${r.sourceId} · ${r.programs.join(', ')}${r.dprk ? ' · DPRK-related' : ''}\n   listed as ${r.identifier?.asset ?? 'crypto'} address ${r.identifier?.value}\n   ${r.url}`,
    );
    return {
      text: `${wallet} (${format ?? 'unrecognised format'}) matches (${asOf}):\n${lines.join('\n')}`,
      data: { wallet, format: format ?? null, results: hits.map(resultData), editions },
    };
  },
});
