/**
 * A tenant's GPU entitlement: per flavor, what its ClusterQueue may admit
 * (nominal plus what it may borrow of what the rest of the cohort lends),
 * and per resource the sum, which its ResourceQuota must let run. Kueue
 * never reads ResourceQuota (read against Kueue v0.19.2,
 * `pkg/cache/scheduler/resource_node.go`: a ClusterQueue's potential
 * capacity is min(nominal + borrowingLimit, local quota + what the cohort
 * holds)), so a queue that may admit more than the quota lets run admits
 * workloads whose pods the quota controller refuses.
 */
import { gpuFlavors } from "./flavors";
import type { ConfigProblem } from "./problems";
import type { GpuPoolConfig, TenantConfig } from "./schema";

/** Classifications that never borrow onto pools other classifications use (as `components/queues`). */
const PROTECTED: readonly string[] = ["sensitive", "restricted"];

/** What one tenant may be admitted on one flavor. */
export interface FlavorEntitlement {
  readonly flavor: string;
  readonly resource: string;
  readonly nominal: number;
  /** What it may borrow beyond nominal, capped by what the others lend. */
  readonly borrowing: number;
  /** nominal + borrowing: the most Kueue can ever admit it there. */
  readonly admissible: number;
}

/** Inputs of the entitlement model. */
export interface EntitlementInputs {
  readonly tenants: readonly TenantConfig[];
  readonly gpuPools: readonly GpuPoolConfig[];
  readonly migStrategy: "single" | "mixed";
}

const lendable = (t: TenantConfig, flavor: string): number => {
  const nominal = t.queue?.nominal[flavor] ?? 0;
  const limit = t.queue?.lendingLimit;
  return limit === undefined ? nominal : Math.min(limit, nominal);
};

/** Per flavor of the site, what `tenant` may be admitted. */
export function flavorEntitlements(inputs: EntitlementInputs, tenant: TenantConfig): FlavorEntitlement[] {
  const flavors = gpuFlavors(inputs.gpuPools, inputs.migStrategy);
  return flavors.map((f) => {
    const nominal = tenant.queue?.nominal[f.name] ?? 0;
    const others = inputs.tenants.filter((t) => t.name !== tenant.name);
    const pool = inputs.gpuPools.find((p) => p.name === f.pool);
    const sharedByOthers = others.some((o) => !PROTECTED.includes(o.dataClassification) && (o.queue?.nominal[f.name] ?? 0) > 0);
    const blocked = PROTECTED.includes(tenant.dataClassification) && pool?.sharedWithSensitive !== true && sharedByOthers;
    const offered = others.reduce((n, o) => n + lendable(o, f.name), 0);
    const borrowing = blocked ? 0 : Math.min(tenant.queue?.borrowingLimit ?? offered, offered);
    return { flavor: f.name, resource: f.resource, nominal, borrowing, admissible: nominal + borrowing };
  });
}

/** The most Kueue can admit `tenant` per resource (`nvidia.com/gpu`, `nvidia.com/mig-<profile>`). */
export function resourceEntitlements(inputs: EntitlementInputs, tenant: TenantConfig): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of flavorEntitlements(inputs, tenant)) out.set(f.resource, (out.get(f.resource) ?? 0) + f.admissible);
  return out;
}

/** Config whose queue may admit more whole GPUs than the tenant's quota lets run: an error naming both keys. */
export function entitlementProblems(inputs: EntitlementInputs): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  inputs.tenants.forEach((tenant, i) => {
    if (!tenant.queue) return;
    const gpus = resourceEntitlements(inputs, tenant).get("nvidia.com/gpu") ?? 0;
    if (gpus > tenant.quotas.gpus) {
      problems.push({
        path: `tenants[${i}].quotas.gpus`,
        message: `${tenant.quotas.gpus} is less than the ${gpus} whole GPUs tenants[${i}].queue (nominal plus borrowingLimit on each flavor) lets Kueue admit; raise tenants[${i}].quotas.gpus or lower tenants[${i}].queue.borrowingLimit`,
      });
    }
  });
  return problems;
}
