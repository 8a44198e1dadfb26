/**
 * Kueue objects as plain specs: one ResourceFlavor per GPU flavor (a pool, or
 * a MIG profile of a pool), a Cohort for the site, a ClusterQueue and a
 * LocalQueue per tenant, WorkloadPriorityClasses that mirror the
 * PriorityClasses, and a Topology for pools that declare one.
 */
import { Annotations, KUEUE_API_VERSION, KUEUE_DEFAULT_LOCAL_QUEUE, NodeLabels, WellKnownLabels } from "../../catalog";
import {
  type ClusterConfig,
  type EntitlementInputs,
  type FlavorEntitlement,
  type GpuFlavor,
  type GpuPoolConfig,
  type SiteConfig,
  type TenantConfig,
  flavorEntitlements,
} from "../../config";
import { PRIORITY_CLASSES } from "../gpuOperator";
import { gpuToleration, poolNodeSelector } from "../gpuPool";
import { siteMetadata, tenantLabels } from "../labels";
import type { CustomObjectSpec } from "../spec";

/** The LocalQueue every tenant namespace has; workloads name it in `kueue.x-k8s.io/queue-name`. */
export const LOCAL_QUEUE_NAME = "gpu";

/** Data classifications whose workloads never borrow onto pools other classifications use (the entitlement model's). */
export { PROTECTED_CLASSIFICATIONS } from "../../config";

/** Everything the queue objects are built from. */
export interface QueueContext {
  readonly site: SiteConfig;
  readonly cluster: ClusterConfig;
  readonly tenants: readonly TenantConfig[];
  readonly pools: readonly GpuPoolConfig[];
  readonly flavors: readonly GpuFlavor[];
}

const poolOf = (ctx: QueueContext, flavor: GpuFlavor) => ctx.pools.find((p) => p.name === flavor.pool);

/** The entitlement model's inputs from a queue context. */
export function entitlementInputs(ctx: QueueContext): EntitlementInputs {
  return { tenants: ctx.tenants, gpuPools: ctx.pools, migStrategy: ctx.cluster.gpuOperator.migStrategy };
}

/** The node label for a topology level: block and rack in the node-restriction domain, then the host. */
export function topologyLevelLabels(pool: GpuPoolConfig): string[] {
  const levels = pool.topology?.levels ?? [];
  return [...levels.map((l) => (l === "block" ? NodeLabels.block : NodeLabels.rack)), "kubernetes.io/hostname"];
}

/** A Topology for a pool that declares levels. */
export function topologySpec(ctx: QueueContext, pool: GpuPoolConfig): CustomObjectSpec {
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "Topology",
    metadata: siteMetadata(ctx.site, pool.name, { component: "queues" }),
    spec: { levels: topologyLevelLabels(pool).map((nodeLabel) => ({ nodeLabel })) },
  };
}

/** A flavor: only the pool's nodes (by the label only provisioning sets), tolerating the GPU taint. */
export function resourceFlavorSpec(ctx: QueueContext, flavor: GpuFlavor): CustomObjectSpec {
  const pool = poolOf(ctx, flavor);
  const shared = pool?.sharedWithSensitive === true;
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "ResourceFlavor",
    metadata: siteMetadata(ctx.site, flavor.name, {
      component: "queues",
      ...(shared ? { annotations: { [Annotations.sensitiveSharing]: "allowed" } } : {}),
    }),
    spec: {
      nodeLabels: poolNodeSelector(flavor.pool),
      tolerations: [gpuToleration()],
      ...(pool?.topology === undefined ? {} : { topologyName: pool.name }),
    },
  };
}

/** The site's Cohort: every tenant's ClusterQueue lends unused quota to the others. */
export function cohortSpec(ctx: QueueContext): CustomObjectSpec {
  return { apiVersion: KUEUE_API_VERSION, kind: "Cohort", metadata: siteMetadata(ctx.site, ctx.site.name, { component: "queues" }), spec: {} };
}

/**
 * A flavor's quota as the ClusterQueue holds it, from the entitlement model:
 * borrowingLimit always stated (what the model lets it borrow, 0 for a
 * protected tenant on a shared pool), so Kueue can never admit the tenant
 * more than the model, and so its ResourceQuota, allows.
 */
function flavorQuota(e: FlavorEntitlement) {
  return {
    name: e.resource,
    nominalQuota: e.nominal,
    borrowingLimit: e.borrowing,
    ...(e.lending === undefined ? {} : { lendingLimit: e.lending }),
  };
}

/** A tenant's ClusterQueue: every flavor, grouped by the resource it counts, in the site's cohort. */
export function clusterQueueSpec(ctx: QueueContext, tenant: TenantConfig): CustomObjectSpec {
  const resources = [...new Set(ctx.flavors.map((f) => f.resource))];
  const entitlements = flavorEntitlements(entitlementInputs(ctx), tenant);
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "ClusterQueue",
    metadata: siteMetadata(ctx.site, tenant.name, { component: "queues", labels: tenantLabels(tenant) }),
    spec: {
      cohortName: ctx.site.name,
      namespaceSelector: { matchLabels: { [WellKnownLabels.namespaceName]: tenant.name } },
      resourceGroups: resources.map((resource) => ({
        coveredResources: [resource],
        flavors: entitlements
          .filter((e) => e.resource === resource)
          .map((e) => ({ name: e.flavor, resources: [flavorQuota(e)] })),
      })),
      // Take lent quota back from borrowers, and within the queue let higher priority go first.
      preemption: { reclaimWithinCohort: "Any", withinClusterQueue: "LowerPriority" },
      ...(tenant.queue?.weight === undefined ? {} : { fairSharing: { weight: String(tenant.queue.weight) } }),
    },
  };
}

/** The tenant's LocalQueue, in its namespace (`name` defaults to the one workloads name). */
export function localQueueSpec(ctx: QueueContext, tenant: TenantConfig, name: string = LOCAL_QUEUE_NAME): CustomObjectSpec {
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: "LocalQueue",
    metadata: siteMetadata(ctx.site, name, { namespace: tenant.name, component: "queues", labels: tenantLabels(tenant) }),
    spec: { clusterQueue: tenant.name },
  };
}

/**
 * The LocalQueue `default`, which Kueue's webhooks give a workload that names
 * no queue (LocalQueueDefaulting, GA since Kueue v0.17): into the same
 * ClusterQueue, so it is admitted under the tenant's quota or not at all.
 */
export function defaultLocalQueueSpec(ctx: QueueContext, tenant: TenantConfig): CustomObjectSpec {
  return localQueueSpec(ctx, tenant, KUEUE_DEFAULT_LOCAL_QUEUE);
}

/** A WorkloadPriorityClass: its value and description sit beside metadata, with no spec. */
export interface WorkloadPriorityClassSpec extends Omit<CustomObjectSpec, "spec"> {
  value: number;
  description: string;
}

/** WorkloadPriorityClasses with the same names and values as the PriorityClasses. */
export function workloadPriorityClassSpecs(ctx: QueueContext): WorkloadPriorityClassSpec[] {
  return PRIORITY_CLASSES.map((def) => ({
    apiVersion: KUEUE_API_VERSION,
    kind: "WorkloadPriorityClass",
    metadata: siteMetadata(ctx.site, def.name, { component: "queues" }),
    value: def.value,
    description: def.description,
  }));
}
