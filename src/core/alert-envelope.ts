import { z } from 'zod';

/** The fields every non-designation alert carries (each kind extends it with its payload). */
export const AlertEnvelopeSchema = z.object({
  id: z.string(),
  source: z.string(),
  sourceLabel: z.string(),
  dprk: z.boolean(),
  detectedAt: z.string(),
  url: z.string(),
  summary: z.string(),
});
