/**
 * GPU tenancy with Kueue: the controller, then flavors, the cohort, each
 * tenant's queues, priorities and topologies. Each tenant's ResourceQuota
 * stays the hard ceiling on GPUs; Kueue decides, under it, whose workload
 * runs when, lending idle GPUs across the cohort.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MirrorsConfig, TenantConfig } from "../../config";
import { childName } from "../naming";
import { gateGuardBindingSpec, gateGuardPolicySpec } from "./gateGuard";
import { kueueReleaseArgs } from "./kueue";
import {
  type QueueContext,
  clusterQueueSpec,
  cohortSpec,
  defaultLocalQueueSpec,
  localQueueSpec,
  resourceFlavorSpec,
  topologySpec,
  workloadPriorityClassSpecs,
} from "./queues";
import { withGuardRails } from "../guardRails";

/** Inputs of the site's GPU queues. */
export interface GpuQueuesArgs extends QueueContext {
  /** Where Kueue's chart and image come from. */
  readonly mirrors: MirrorsConfig;
  /**
   * The caller declares each tenant's queues itself, with
   * `declareTenantQueues` (the factory steps through a large site's tenants).
   * @default false: the constructor declares every tenant's queues
   */
  readonly tenantsByCaller?: boolean;
}

/** Kueue and the site's queues. */
export class GpuQueues extends pulumi.ComponentResource {
  /** What every queued workload waits for: Kueue itself, flavors, cohort, priorities, topologies. */
  public readonly shared: readonly pulumi.Resource[];
  /** Each tenant's ClusterQueue and LocalQueues, by tenant name. */
  public readonly tenantQueues: ReadonlyMap<string, readonly pulumi.Resource[]>;
  private readonly queuesByTenant = new Map<string, readonly pulumi.Resource[]>();
  /** How `declareTenantQueues` declares a tenant's queues. */
  private readonly declareQueue: (role: string, spec: k8s.apiextensions.CustomResourceArgs) => pulumi.Resource;
  private readonly args: GpuQueuesArgs;

  constructor(name: string, args: GpuQueuesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sovereign-ai-factory:queues:GpuQueues", name, {}, withGuardRails(opts));
    const release = new k8s.helm.v3.Release(childName(name, "kueue"), kueueReleaseArgs(args.cluster.kueue, args.mirrors, args.tenants.map((t) => t.name)), { parent: this });
    // Kueue's CRDs come with the release: every queue object waits for it.
    const after = { parent: this, dependsOn: [release] };
    const custom = (role: string, spec: k8s.apiextensions.CustomResourceArgs) =>
      new k8s.apiextensions.CustomResource(childName(name, role), spec, after);
    const shared: pulumi.Resource[] = [release];
    for (const pool of args.pools.filter((p) => p.topology !== undefined)) shared.push(custom(`topology-${pool.name}`, topologySpec(args, pool)));
    for (const flavor of args.flavors) shared.push(custom(`flavor-${flavor.name}`, resourceFlavorSpec(args, flavor)));
    shared.push(custom("cohort", cohortSpec(args)));
    for (const wpc of workloadPriorityClassSpecs(args)) shared.push(custom(`priority-${wpc.metadata.name}`, wpc));
    // Only Kueue lifts its gates from a tenant's pod.
    const tenantNamespaces = args.tenants.map((t) => t.name);
    const guard = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(childName(name, "gate-guard"), gateGuardPolicySpec(args.site, args.cluster.kueue), { parent: this });
    new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(childName(name, "gate-guard-binding"), gateGuardBindingSpec(args.site, tenantNamespaces), {
      parent: this,
      dependsOn: [guard],
    });
    this.shared = shared;
    this.tenantQueues = this.queuesByTenant;
    this.declareQueue = custom;
    this.args = args;
    if (args.tenantsByCaller !== true) for (const tenant of args.tenants) this.declareTenantQueues(tenant);
    this.registerOutputs({});
  }

  /** A tenant's ClusterQueue, its LocalQueue and its `default` LocalQueue (the constructor declares every tenant's unless `tenantsByCaller`). */
  declareTenantQueues(tenant: TenantConfig): readonly pulumi.Resource[] {
    const queues = [
      this.declareQueue(`cluster-queue-${tenant.name}`, clusterQueueSpec(this.args, tenant)),
      this.declareQueue(`local-queue-${tenant.name}`, localQueueSpec(this.args, tenant)),
      this.declareQueue(`default-queue-${tenant.name}`, defaultLocalQueueSpec(this.args, tenant)),
    ];
    this.queuesByTenant.set(tenant.name, queues);
    return queues;
  }
}
