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
