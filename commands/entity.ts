import { z } from 'zod';
import { SOURCE_LABELS } from '../src/core/alerts.js';
import { resultData, type LookupResult } from '../src/search/entity-index.js';
import { anyListStored, bundledNotice, describeEditions, type LookupService } from '../src/search/lookup-service.js';
import { attributionData, describeAttribution, type AttributionHit, type AttributionIndex } from '../src/search/attributions.js';
import { regimeLine, regimeRows, type RegimeRow } from '../src/search/regimes.js';
import { defineCommand } from '../src/commands/command.js';
import type { Alert } from '../src/core/alerts.js';
import type { Verdict } from '../src/core/verdicts.js';
import { designationFields } from '../src/render/card.js';
import { partyContext, type PartyContext } from '../src/search/context.js';
import type { Card, Reply } from '../src/reply.js';

export const definition = {
  name: 'entity',
  description: 'Is this name, alias, wallet or identifier sanctioned (or a wallet attributed to the DPRK)?',
  options: [
    { name: 'query', type: 'string', description: 'A name, alias, wallet address, SWIFT/BIC, IMO, passport, website or e-mail', required: true, autocomplete: true },
    { name: 'limit', type: 'integer', description: 'How many results (1–25, default 5)', required: false },
  ],
  permission: 'everyone',
} as const;

export const ArgsSchema = z.object({
  query: z
    .string()
    .trim()
    .min(2, 'type at least 2 characters')
    .max(200, 'a query is at most 200 characters'),
  limit: z.coerce.number().int().min(1).max(25).default(5),
});
export type EntityArgs = z.input<typeof ArgsSchema>;

export interface EntityContext {
  lookup: LookupService;
  /** What else is known about a party (reports naming it, fact-checks, announcements). */
  context?: (r: LookupResult) => Promise<PartyContext>;
  /** Wallets attributed by law enforcement (not designations). */
  attributions?: AttributionIndex;
}

function describe(r: LookupResult, n: number, rows: readonly RegimeRow[]): string {
  const lines = [
    `${n}. ${r.name} — ${SOURCE_LABELS[r.source]} ${r.sourceId} · ${r.type}${r.programs.length ? ` · ${r.programs.join(', ')}` : ''} · ${r.dprk ? 'DPRK-related' : 'not DPRK-related'} · score ${r.score.toFixed(2)}`,
    `   matched on ${r.matchKind === 'identifier' ? '' : `${r.matchKind} `}“${r.matchedOn}”${r.identifier?.asset ? ` (${r.identifier.asset} address)` : ''}`,
  ];
  // Who lists it is worth a line once more than one regime's list was searched.
  if (rows.length > 1) lines.push(`   listed by: ${regimeLine(rows)}`);
  for (const x of r.crossReferences) lines.push(`   also listed: ${SOURCE_LABELS[x.source]} ${x.sourceId} (${x.name}) ${x.url}`);
  lines.push(`   ${r.url}`);
  return lines.join('\n');
}

function contextFields(c: PartyContext | undefined): Card['fields'] {
  if (!c) return [];
  const f: Card['fields'] = [];
  if (c.announcements.length > 0)
    f.push({ name: 'Announced', value: c.announcements.map((a) => `${a.date} · ${a.agency}: ${a.action}${a.url ? ` ${a.url}` : ''}`).join('\n') });
  if (c.reports.length > 0)
    f.push({ name: 'Named in reports', value: c.reports.map((x) => `${x.date ? `published ${x.date.slice(0, 10)} · ` : ''}${x.title} ${x.url}`).join('\n') });
  if (c.verdicts.length > 0)
    f.push({ name: 'Related fact-checks', value: c.verdicts.map((v) => `${v.rating} — “${v.claim}” ${v.url}`).join('\n') });
  return f;
}

/** The entity card: the product's signature answer, one per matching party. */
export function entityCard(r: LookupResult, asOf: string, context?: PartyContext, rows: readonly RegimeRow[] = []): Card {
  return {
    title: `${r.dprk ? '🔴' : '🟡'} ${r.name}`,
    url: r.url,
    severity: r.dprk ? 'critical' : 'high',
    description: `Matched ${r.matchKind === 'identifier' ? '' : `${r.matchKind} `}“${r.matchedOn}” · score ${r.score.toFixed(2)}`,
    fields: [
      ...designationFields(r.record),
      ...(rows.length > 1 ? [{ name: 'Who lists it', value: regimeLine(rows) }] : []),
      ...(r.crossReferences.length > 0
        ? [{ name: 'Also listed', value: r.crossReferences.map((x) => `${SOURCE_LABELS[x.source]} ${x.sourceId} — ${x.url}`).join('\n') }]
        : []),
      ...contextFields(context),
    ],
    footer: asOf,
  };
}

/** The card for an attributed wallet: says what it is (attributed) and what it is not (sanctioned). */
export function attributionCard(h: AttributionHit, sanctioned: boolean): Card {
  const a = h.attribution;
  return {
    title: `🟠 ${h.address.address}`,
    url: a.url,
    severity: 'high',
    description: `${sanctioned ? 'Also' : 'Not on any sanctions list searched, but'} ${describeAttribution(a)}`,
    fields: [
      { name: 'Attributed by', value: `${a.attributedBy.name} — ${[a.document.kind, a.document.reference].filter(Boolean).join(' ')} of ${a.published}` },
      { name: 'Actor', value: [a.actor.name, ...a.actor.alsoKnownAs].join(' · ') },
      { name: 'Incident', value: a.incident },
      { name: 'Chain', value: h.address.chain },
      { name: 'Source', value: a.url },
    ],
    footer: 'Attribution, not a designation: no sanctions list names this wallet unless a sanctions match is shown beside it.',
  };
}

export async function entityReply(ctx: EntityContext, args: z.output<typeof ArgsSchema>): Promise<Reply> {
  const { query, limit } = args;
  const { index, editions } = await ctx.lookup.current();
  if (editions.length === 0)
    return {
      text: 'No list has been stored yet, so there is nothing to search. Run `dprk-watch poll --once` (or wait for the first scheduled poll).',
      data: { query, results: [], editions },
      ephemeral: true,
    };
  const results = index.lookup(query, { limit });
  const asOf = describeEditions(editions);
  const rows = results.map((r) => regimeRows(r, editions));
  const orgs = ctx.lookup.organisationsNamed(query);
  const known = orgs.map((o) => `ℹ️ Known to dprk-watch (not a designation): ${o.name} — ${o.description}`);
  const attributed = ctx.attributions?.forAddress(query) ?? [];
  const sanctioned = results.length > 0;
  const text = [
    !sanctioned && attributed.length > 0
      ? `“${query}” is not on any sanctions list searched (${asOf}).`
      : !sanctioned
        ? `No match for “${query}” on the lists searched (${asOf}). Not on these lists is not the same as cleared: check spelling variants and other lists.`
        : `Matches for “${query}” (${asOf}):\n${results.map((r, i) => describe(r, i + 1, rows[i]!)).join('\n')}`,
    // Apart from the designations, and worded so that it can never read as one.
    ...attributed.map((h) => `ℹ️ ${sanctioned ? 'Also ' : 'It is '}${describeAttribution(h.attribution)}: ${h.attribution.url}`),
    ...known,
    ...(anyListStored(editions) ? [] : ['⚠️ No sanctions list has been stored yet.']),
    ...(bundledNotice(editions) ? [`📦 ${bundledNotice(editions)}`] : []),
  ].join('\n');
  const shown = results.slice(0, 3);
  const contexts = ctx.context ? await Promise.all(shown.map((r) => ctx.context!(r))) : [];
  return {
    text,
    data: {
      query,
      results: results.map((r, i) => ({
        ...resultData(r),
        // Every regime whose list has the party, with its key, its list's date and the record.
        listedBy: rows[i]!.flatMap((row) => (row.listing ? [row.listing] : [])),
        ...(contexts[i] ? { context: contexts[i] } : {}),
      })),
      attributions: attributed.map(attributionData),
      organisations: orgs.map((o) => ({ id: o.id, name: o.name, kind: o.kind, description: o.description })),
      editions,
    },
    cards: [...shown.map((r, i) => entityCard(r, asOf, contexts[i], rows[i])), ...attributed.map((h) => attributionCard(h, sanctioned))],
  };
}

export default defineCommand({
  definition,
  ArgsSchema,
  handler: (ctx, args) => {
    // Loaded once per answer, and only when there is a party to describe.
    let known: Promise<[Alert[], Verdict[]]> | undefined;
    const context = async (r: LookupResult) => {
      known ??= Promise.all([ctx.services.store.recentAlerts(1000), ctx.services.verdicts.all()]);
      const [recent, verdicts] = await known;
      return partyContext(r.record, recent, verdicts);
    };
    return entityReply({ lookup: ctx.services.lookup, context, attributions: ctx.services.attributions }, args);
  },
  async autocomplete(ctx, _option, partial) {
    const { index } = await ctx.services.lookup.current();
    return index.suggest(partial, 25).map((s) => ({ name: s.name.slice(0, 100), value: s.name.slice(0, 100) }));
  },
});
