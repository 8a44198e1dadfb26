/**
 * The GPU flavors a site's pools offer to Kueue: one per pool, or one per MIG
 * profile of a pool cut into MIG slices under the operator's `mixed`
 * strategy, each with the resource it counts and how many exist. Derived
 * from config and the GPU catalogue, so config can check queue quotas
 * against them and components build the same flavors.
 */
import { GPU_RESOURCE, MIG_CONFIG_DISABLED, MIG_SLICES, migResource } from "../catalog";
import type { GpuPoolConfig } from "./schema";

/** One flavor. */
export interface GpuFlavor {
  /** Flavor (and ResourceFlavor object) name: the pool, or `<pool>-<profile>`. */
  readonly name: string;
  readonly pool: string;
  /** The resource workloads request on it: `nvidia.com/gpu` or `nvidia.com/mig-<profile>`. */
  readonly resource: string;
  /** How many of that resource the pool has at its largest size. */
  readonly physical: number;
}

function largest(pool: GpuPoolConfig): number {
  if (pool.provisioning === "static") return pool.nodeNames?.length ?? 0;
  const nodes = pool.nodes ?? 0;
  return typeof nodes === "number" ? nodes : nodes.max;
}

/** The flavors of a set of pools, in pool order. */
export function gpuFlavors(pools: readonly GpuPoolConfig[], migStrategy: "single" | "mixed"): GpuFlavor[] {
  return pools.flatMap((pool) => {
    const gpus = largest(pool) * pool.gpusPerNode;
    const layout = pool.mig === undefined || pool.mig === MIG_CONFIG_DISABLED ? undefined : MIG_SLICES[pool.gpuModel]?.[pool.mig];
    if (layout === undefined) return [{ name: pool.name, pool: pool.name, resource: GPU_RESOURCE, physical: gpus }];
    const profiles = Object.entries(layout);
    if (migStrategy === "single") {
      // Under `single` every slice is advertised as nvidia.com/gpu.
      const slices = profiles.reduce((n, [, count]) => n + count, 0);
      return [{ name: pool.name, pool: pool.name, resource: GPU_RESOURCE, physical: gpus * slices }];
    }
    return profiles.map(([profile, count]) => ({ name: `${pool.name}-${profile}`, pool: pool.name, resource: migResource(profile), physical: gpus * count }));
  });
}
