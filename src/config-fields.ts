import { validateDetailed } from 'node-cron';
import { z } from 'zod';

/** A cron expression node-cron accepts (5 or 6 fields), with node-cron's own explanation when not. */
export const cronField = z
  .string()
  .trim()
  .superRefine((expr, ctx) => {
    const v = validateDetailed(expr);
    if (!v.valid)
      ctx.addIssue({
        code: 'custom',
        message: `is not a valid cron expression (${v.errors.map((e) => `${e.field}: ${e.message}`).join('; ')})`,
      });
  });

/** Where a source is fetched from: a web address, or a local copy (`file://`). */
export const sourceUrlField = z
  .string()
  .trim()
  .refine((u) => /^(https?|file):\/\/\S+$/.test(u), 'must be an http://, https:// or file:// URL');

/** A comma-separated list of allowed values, at least one. */
export const csvListField = <const T extends readonly [string, ...string[]]>(allowed: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(allowed)).min(1, 'must name at least one'));
