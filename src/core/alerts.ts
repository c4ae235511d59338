import { z } from 'zod';
import { AlertEnvelopeSchema } from './alert-envelope.js';
import { DesignationSchema, SourceIdSchema, type Designation, type ListId, type SourceId } from './designation.js';
import { LISTS } from './lists.js';
import { idOf, type DesignationChange } from './diff.js';
import { ListDateBasisSchema, type ListDate } from './list-date.js';
import { ReportAlertSchema } from './reports.js';
import { recordHash, sha256 } from './snapshot.js';
import { VerdictAlertSchema } from './verdicts.js';
import { WatchAlertSchema } from './watch.js';

export const DESIGNATION_ALERT_KINDS = ['designation.added', 'designation.removed', 'designation.amended'] as const;
export type DesignationAlertKind = (typeof DESIGNATION_ALERT_KINDS)[number];

const FieldChangeSchema = z.union([
  z.object({ field: z.string(), added: z.array(z.string()), removed: z.array(z.string()) }),
  z.object({ field: z.string(), from: z.string().nullable(), to: z.string().nullable() }),
]);
/** A field change as an alert carries it (the diff's FieldChange, as stored). */
export type AlertFieldChange = z.infer<typeof FieldChangeSchema>;

/** A change to a designation on a sanctions list. */
export const DesignationAlertSchema = z.object({
  id: z.string(),
  kind: z.enum(DESIGNATION_ALERT_KINDS),
  source: SourceIdSchema,
  sourceId: z.string(),
  name: z.string(),
  type: z.string(),
  programs: z.array(z.string()),
  dprk: z.boolean(),
  /** The list's date, when it has one; `listDateBasis` says what kind (see core/list-date.ts). */
  listDate: z.string().optional(),
  /** Absent on alerts stored before the basis was recorded. */
  listDateBasis: ListDateBasisSchema.optional(),
  detectedAt: z.string(),
  url: z.string(),
  summary: z.string(),
  changes: z.array(FieldChangeSchema).optional(),
  /** Who else lists the party (additions only): the other stored lists that do, and those that do not. */
  regimes: z.object({ listedBy: z.array(SourceIdSchema), notListedBy: z.array(SourceIdSchema) }).optional(),
  record: DesignationSchema,
});
export type DesignationAlert = z.infer<typeof DesignationAlertSchema>;

/** Source health, raised when a source stays degraded too long and when it recovers. */
export const SourceHealthAlertSchema = AlertEnvelopeSchema.extend({
  kind: z.enum(['source.degraded', 'source.recovered']),
  reason: z.string().optional(),
  since: z.string().optional(),
});
export type SourceHealthAlert = z.infer<typeof SourceHealthAlertSchema>;

/** Every alert as persisted and delivered; each output renders from these shapes. */
export const AlertSchema = z.union([DesignationAlertSchema, ReportAlertSchema, VerdictAlertSchema, SourceHealthAlertSchema, WatchAlertSchema]);
export type Alert = z.infer<typeof AlertSchema>;
export type AlertKind = Alert['kind'];

export const SOURCE_LABELS: Record<SourceId, string> = {
  ...(Object.fromEntries(Object.entries(LISTS).map(([id, list]) => [id, list.label])) as Record<ListId, string>),
  seeds: 'dprk-watch seeds',
};

/** Human label of any alert's source (lists have fixed labels; feeds carry their own). */
export function sourceLabel(alert: Alert): string {
  return 'sourceLabel' in alert ? alert.sourceLabel : SOURCE_LABELS[alert.source];
}

export type AlertScope = 'dprk' | 'all';

export interface AlertContext {
  source: SourceId;
  /** Version of the stored snapshot the changes were computed against. */
  baseVersion: string;
  listDate?: ListDate;
  detectedAt: string;
  scope: AlertScope;
}

const KIND: Record<DesignationChange['kind'], DesignationAlertKind> = {
  added: 'designation.added',
  removed: 'designation.removed',
  amended: 'designation.amended',
};

/**
 * A change is in DPRK scope when either side of it is DPRK-related, so a record that
 * stops being DPRK-related (or a DPRK delisting) is still reported.
 */
export function inScope(change: DesignationChange, scope: AlertScope): boolean {
  if (scope === 'all') return true;
  if (change.kind === 'added') return change.after.dprk;
  if (change.kind === 'removed') return change.before.dprk;
  return change.before.dprk || change.after.dprk;
}

/**
 * Alert id: a hash of what changed and the state it changed from. Re-running the same
 * diff (after a crash, or on another instance) yields the same ids, so persisting is
 * idempotent; a party delisted and later relisted gets a new id because the base differs.
 */
export function alertId(change: DesignationChange, source: SourceId, baseVersion: string): string {
  const before = change.kind === 'added' ? '' : recordHash(change.before);
  const after = change.kind === 'removed' ? '' : recordHash(change.after);
  return sha256([source, change.kind, idOf(change), before, after, baseVersion].join('|')).slice(0, 24);
}

function describeType(d: Designation): string {
  const programs = d.programs.length > 0 ? `; ${d.programs.join(', ')}` : '';
  return `${d.type}${programs}`;
}

export function summarizeChanges(changes: readonly AlertFieldChange[]): string {
  return changes
    .map((c) => {
      if ('added' in c) {
        const parts = [...c.added.map((a) => `+${a}`), ...c.removed.map((r) => `−${r}`)];
        return `${c.field} ${parts.join(', ')}`;
      }
      if (c.field === 'remarks') return 'remarks edited';
      return `${c.field}: ${c.from ?? '∅'} → ${c.to ?? '∅'}`;
    })
    .join('; ');
}

export function buildAlerts(changes: readonly DesignationChange[], ctx: AlertContext): DesignationAlert[] {
  const label = SOURCE_LABELS[ctx.source];
  return changes
    .filter((c) => inScope(c, ctx.scope))
    .map((change) => {
      const record = change.kind === 'removed' ? change.before : change.after;
      const base = {
        id: alertId(change, ctx.source, ctx.baseVersion),
        kind: KIND[change.kind],
        source: ctx.source,
        sourceId: record.sourceId,
        name: record.name,
        type: record.type,
        programs: record.programs,
        dprk: change.kind === 'amended' ? change.before.dprk || change.after.dprk : record.dprk,
        detectedAt: ctx.detectedAt,
        url: record.url,
        record,
        ...(ctx.listDate ? { listDate: ctx.listDate.date, listDateBasis: ctx.listDate.basis } : {}),
      };
      switch (change.kind) {
        case 'added':
          return { ...base, summary: `${label} added ${record.name} (${describeType(record)})` };
        case 'removed':
          return { ...base, summary: `${label} removed ${record.name} (${describeType(record)}) — delisted` };
        case 'amended':
          return {
            ...base,
            summary: `${label} amended ${record.name}: ${summarizeChanges(change.changes)}`,
            changes: change.changes,
          };
      }
    });
}
