import { hostname } from 'node:os';
import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Operations settings, to spread into ConfigSchema (`...OpsConfigShape`). loadConfig reads
 * exactly the keys of ConfigSchema.shape, so spreading is all the wiring they need.
 */
export const OpsConfigShape = {
  /** Port of the /healthz, /readyz and /metrics server; 0 disables it. */
  HEALTH_PORT: int(0, 65_535).default(9464),
  /** How long the Redis leader lease lives without a renewal (renewed every third of it). */
  LEASE_TTL_MS: int(1_000, 600_000).default(60_000),
  /** This process's name in the lease and in logs; hostname-pid unless set. */
  INSTANCE_ID: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .default(() => `${hostname()}-${process.pid}`),
};

export const OpsConfigSchema = z.object(OpsConfigShape);
export type OpsConfig = z.infer<typeof OpsConfigSchema>;
