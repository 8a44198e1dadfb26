/**
 * A tenant's GPU entitlement: the one model the ClusterQueue, the
 * ResourceQuota and the report are all derived from. Per flavor, what its
 * ClusterQueue holds (nominal), may borrow of what the rest of the cohort
 * lends, and lends itself; per resource (`nvidia.com/gpu`,
 * `nvidia.com/mig-<profile>`) the most Kueue can admit it, which its
 * ResourceQuota must let run.
 *
 * Kueue never reads ResourceQuota. Read against Kueue v0.19.2,
 * `pkg/cache/scheduler/resource_node.go` (`potentialAvailable`): a
 * ClusterQueue in a flat cohort can reach its local quota (nominal minus
 * lendingLimit) plus the cohort's subtree quota (every member's nominal, each
 * capped by its lendingLimit), capped by its own nominal plus borrowingLimit.
 * That is nominal + min(borrowingLimit, what the others lend). A queue that
 * may admit more than the quota lets run admits workloads whose pods the
 * quota controller refuses, while they hold cohort quota.
 */
import { GPU_RESOURCE } from "../catalog";
import { gpuFlavors } from "./flavors";
import type { ConfigProblem } from "./problems";
import type { GpuPoolConfig, TenantConfig } from "./schema";

/** Data classifications whose workloads never borrow onto pools other classifications use. */
export const PROTECTED_CLASSIFICATIONS: readonly string[] = ["sensitive", "restricted"];

/** The resource prefix of MIG slices under the operator's `mixed` strategy. */
const MIG_PREFIX = "nvidia.com/mig-";

/** What one tenant holds and may be admitted on one flavor. */
export interface FlavorEntitlement {
  readonly flavor: string;
  readonly resource: string;
  /** The ClusterQueue's nominalQuota there. */
  readonly nominal: number;
  /** What it may borrow beyond nominal: its ClusterQueue's borrowingLimit, capped by what the others lend. */
  readonly borrowing: number;
  /** Its ClusterQueue's lendingLimit there (at most nominal), or undefined when it lends all of it. */
  readonly lending: number | undefined;
  /** nominal + borrowing: the most Kueue can ever admit it there. */
  readonly admissible: number;
}

/** Inputs of the entitlement model. */
export interface EntitlementInputs {
  readonly tenants: readonly TenantConfig[];
  readonly gpuPools: readonly GpuPoolConfig[];
  readonly migStrategy: "single" | "mixed";
}

/** The model's inputs from a site's config. */
export function entitlementInputsOf(config: {
  readonly tenants: readonly TenantConfig[];
  readonly gpuPools: readonly GpuPoolConfig[];
  readonly cluster: { readonly gpuOperator: { readonly migStrategy: "single" | "mixed" } };
}): EntitlementInputs {
  return { tenants: config.tenants, gpuPools: config.gpuPools, migStrategy: config.cluster.gpuOperator.migStrategy };
}

/** What `t` lends the cohort on a flavor (its nominal, capped by lendingLimit). */
const lendable = (t: TenantConfig, flavor: string): number => {
  const nominal = t.queue?.nominal[flavor] ?? 0;
  const limit = lendingLimitOf(t, flavor);
  return limit === undefined ? nominal : Math.min(limit, nominal);
};

/** A queue's lendingLimit on a flavor: the flavor's own (`lendingLimits`), else the queue's. */
const lendingLimitOf = (t: TenantConfig, flavor: string): number | undefined => t.queue?.lendingLimits?.[flavor] ?? t.queue?.lendingLimit;

/** Per flavor of the site, what `tenant` holds, lends and may be admitted. */
export function flavorEntitlements(inputs: EntitlementInputs, tenant: TenantConfig): FlavorEntitlement[] {
  const flavors = gpuFlavors(inputs.gpuPools, inputs.migStrategy);
  const others = inputs.tenants.filter((t) => t.name !== tenant.name);
  return flavors.map((f) => {
    const nominal = tenant.queue?.nominal[f.name] ?? 0;
    const pool = inputs.gpuPools.find((p) => p.name === f.pool);
    // A protected tenant never borrows on a pool tenants of other classifications hold quota on, unless the pool allows it.
    const sharedByOthers = others.some((o) => !PROTECTED_CLASSIFICATIONS.includes(o.dataClassification) && (o.queue?.nominal[f.name] ?? 0) > 0);
    const blocked = PROTECTED_CLASSIFICATIONS.includes(tenant.dataClassification) && pool?.sharedWithSensitive !== true && sharedByOthers;
    const offered = others.reduce((n, o) => n + lendable(o, f.name), 0);
    // A tenant without a queue section borrows nothing: nothing in its config says it may.
    const limit = tenant.queue === undefined ? 0 : (tenant.queue.borrowingLimits?.[f.name] ?? tenant.queue.borrowingLimit ?? offered);
    const borrowing = blocked ? 0 : Math.min(limit, offered);
    const lendingLimit = lendingLimitOf(tenant, f.name);
    const lending = lendingLimit === undefined ? undefined : Math.min(lendingLimit, nominal);
    return { flavor: f.name, resource: f.resource, nominal, borrowing, lending, admissible: nominal + borrowing };
  });
}

/** The most Kueue can admit `tenant` per resource (`nvidia.com/gpu`, `nvidia.com/mig-<profile>`). */
export function resourceEntitlements(inputs: EntitlementInputs, tenant: TenantConfig): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of flavorEntitlements(inputs, tenant)) out.set(f.resource, (out.get(f.resource) ?? 0) + f.admissible);
  return out;
}

/** The MIG profile a `nvidia.com/mig-<profile>` resource counts, or undefined for whole GPUs. */
export function migProfileOf(resource: string): string | undefined {
  return resource.startsWith(MIG_PREFIX) ? resource.slice(MIG_PREFIX.length) : undefined;
}

/**
 * The tenant's GPU ceilings per resource, for its ResourceQuota: whole GPUs
 * from `quotas.gpus`; every MIG resource of the site from `quotas.mig`, or,
 * where that names no profile, exactly what its queue may admit (0 when it
 * may admit none, so a pod past Kueue cannot take a slice either).
 */
export function gpuQuotas(inputs: EntitlementInputs, tenant: TenantConfig): Map<string, number> {
  const out = new Map<string, number>([[GPU_RESOURCE, tenant.quotas.gpus]]);
  for (const [resource, admissible] of resourceEntitlements(inputs, tenant)) {
    const profile = migProfileOf(resource);
    if (profile !== undefined) out.set(resource, tenant.quotas.mig?.[profile] ?? admissible);
  }
  return out;
}

function quotaKey(i: number, resource: string): string {
  const profile = migProfileOf(resource);
  return profile === undefined ? `tenants[${i}].quotas.gpus` : `tenants[${i}].quotas.mig.${profile}`;
}

/** Config whose queue may admit more of a GPU resource than the tenant's quota lets run, or a MIG quota on no profile of the site. */
export function entitlementProblems(inputs: EntitlementInputs): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const siteMig = [...new Set(gpuFlavors(inputs.gpuPools, inputs.migStrategy).map((f) => migProfileOf(f.resource)))].filter((p) => p !== undefined);
  const flavorNames = gpuFlavors(inputs.gpuPools, inputs.migStrategy).map((f) => f.name);
  inputs.tenants.forEach((tenant, i) => {
    for (const key of ["borrowingLimits", "lendingLimits"] as const) {
      for (const flavor of Object.keys(tenant.queue?.[key] ?? {})) {
        if (!flavorNames.includes(flavor)) problems.push({ path: `tenants[${i}].queue.${key}.${flavor}`, message: `must name a GPU pool or MIG flavor of the site: ${flavorNames.join(", ") || "(none)"}` });
      }
    }
    for (const profile of Object.keys(tenant.quotas.mig ?? {})) {
      if (!siteMig.includes(profile)) {
        const allowed = siteMig.length === 0 ? "none: the site has no MIG flavors (MIG pools under cluster.gpuOperator.migStrategy mixed)" : siteMig.join(", ");
        problems.push({ path: `tenants[${i}].quotas.mig.${profile}`, message: `must name a MIG profile the site's queues count: ${allowed}` });
      }
    }
    const quotas = gpuQuotas(inputs, tenant);
    for (const [resource, admissible] of resourceEntitlements(inputs, tenant)) {
      const quota = quotas.get(resource) ?? 0;
      if (admissible <= quota) continue;
      const key = quotaKey(i, resource);
      const what = resource === GPU_RESOURCE ? "whole GPUs" : `${resource} slices`;
      problems.push({
        path: key,
        message: `${quota} is less than the ${admissible} ${what} tenants[${i}].queue (nominal plus borrowingLimit on each flavor) lets Kueue admit; raise ${key} or lower tenants[${i}].queue.borrowingLimit (or borrowingLimits) or tenants[${i}].queue.nominal`,
      });
    }
  });
  return problems;
}

/** One inference server as the serving check reads it. */
export interface QueuedServer {
  readonly tenant: string;
  readonly gpuPool: string;
  readonly gpusPerReplica: number;
  /** Its largest replica count. */
  readonly maxReplicas: number;
}

/**
 * A queued inference server's pods are created first and wait gated for
 * Kueue, and the quota controller counts them while they wait. Within its
 * tenant's nominal quota on its pool, at the highest priority, Kueue always
 * admits them (reclaiming what was lent, preempting the tenant's own lower
 * priorities), so they never sit in the quota while the tenant's admitted
 * Jobs need it. A server that could wait on borrowing could: config refuses
 * servers whose tenant's nominal on the pool does not cover them at their
 * largest.
 */
export function servingProblems(inputs: EntitlementInputs, servers: readonly QueuedServer[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const flavors = gpuFlavors(inputs.gpuPools, inputs.migStrategy);
  const need = new Map<string, number>();
  servers.forEach((svc, i) => {
    const t = inputs.tenants.findIndex((x) => x.name === svc.tenant);
    const flavor = flavors.find((f) => f.name === svc.gpuPool && f.resource === GPU_RESOURCE);
    if (t < 0 || flavor === undefined) return;
    const key = `${svc.tenant}/${flavor.name}`;
    const total = (need.get(key) ?? 0) + svc.maxReplicas * svc.gpusPerReplica;
    need.set(key, total);
    const nominal = inputs.tenants[t]?.queue?.nominal[flavor.name] ?? 0;
    if (total <= nominal) return;
    problems.push({
      path: `inference[${i}].replicas`,
      message: `${svc.maxReplicas} replicas x ${svc.gpusPerReplica} GPUs bring tenant '${svc.tenant}' to ${total} GPUs on '${flavor.name}', more than its nominal quota there (tenants[${t}].queue.nominal.${flavor.name}: ${nominal}); a queued server's pods count against tenants[${t}].quotas.gpus while they wait, so they must fit the nominal quota Kueue always gives back`,
    });
  });
  return problems;
}
