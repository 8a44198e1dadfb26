/**
 * A tenant's Kueue queue (`tenants[].queue`), as a zod schema of its own: the
 * inputs of the GPU entitlement model (`config/entitlement.ts`), from which
 * the tenant's ClusterQueue, ResourceQuota and report are derived.
 */
import { z } from "zod";

const count = z.number().int().nonnegative();

/** Nominal GPUs per flavor, borrowing and lending limits (per flavor in `borrowingLimits`, `lendingLimits`), fair-sharing weight. */
export const tenantQueueSchema = z.strictObject({
  /** GPUs (or MIG slices) per flavor: a pool, or `<pool>-<profile>` under the `mixed` MIG strategy. */
  nominal: z.record(z.string(), count).default({}),
  /** What the queue may borrow beyond nominal on each flavor. @default what the other tenants lend */
  borrowingLimit: count.optional(),
  /** What the queue lends of its nominal on each flavor. @default all of it */
  lendingLimit: count.optional(),
  /** Per flavor, overriding borrowingLimit there (`{dgx-h200: 0}`). */
  borrowingLimits: z.record(z.string(), count).optional(),
  /** Per flavor, overriding lendingLimit there. */
  lendingLimits: z.record(z.string(), count).optional(),
  /** Fair-sharing weight. @default 1 */
  weight: z.number().positive().optional(),
});
