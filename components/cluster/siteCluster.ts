/**
 * The site's Cluster API cluster as a component: Cluster, Metal3Cluster,
 * control plane and its machine template, all protected and retained (deleting
 * a Cluster deletes every Machine of it, control plane included), and the
 * cluster-autoscaler when a pool scales.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { GpuPoolConfig } from "../../config";
import { DATA_BEARING } from "../dataProtection";
import { withGuardRails } from "../guardRails";
import { childName } from "../naming";
import { autoscalerReleaseArgs, needsAutoscaler } from "./autoscaler";
import {
  type SiteClusterContext,
  clusterSpec,
  controlPlaneMachineTemplateSpec,
  kubeadmControlPlaneSpec,
  metal3ClusterSpec,
} from "./specs";

/** Inputs of the site's Cluster API cluster. */
export interface SiteClusterArgs extends SiteClusterContext {
  /** The site's pools; a `{min, max}` Cluster API pool brings the cluster-autoscaler. */
  readonly pools: readonly GpuPoolConfig[];
  /**
   * Provider for the Cluster API management cluster, where these objects live.
   * @default the component's provider (a self-managed cluster)
   */
  readonly managementProvider?: k8s.Provider;
}

/** The Cluster API objects every pool's MachineDeployment belongs to. */
export class SiteCluster extends pulumi.ComponentResource {
  /** The Cluster object; pools' Cluster API objects wait for it. */
  public readonly cluster: k8s.apiextensions.CustomResource;

  constructor(name: string, args: SiteClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sovereign-ai-factory:cluster:SiteCluster", name, {}, withGuardRails(opts));
    const kept = { parent: this, ...DATA_BEARING, ...(args.managementProvider ? { provider: args.managementProvider } : {}) };
    const infra = new k8s.apiextensions.CustomResource(childName(name, "metal3"), metal3ClusterSpec(args), kept);
    const hosts = new k8s.apiextensions.CustomResource(childName(name, "control-plane-hosts"), controlPlaneMachineTemplateSpec(args), kept);
    const controlPlane = new k8s.apiextensions.CustomResource(childName(name, "control-plane"), kubeadmControlPlaneSpec(args), {
      ...kept,
      dependsOn: [hosts],
    });
    this.cluster = new k8s.apiextensions.CustomResource(childName(name, "cluster"), clusterSpec(args), {
      ...kept,
      dependsOn: [infra, controlPlane],
    });
    if (needsAutoscaler(args.pools)) {
      const release = autoscalerReleaseArgs(args);
      const where = { parent: this, ...(args.managementProvider ? { provider: args.managementProvider } : {}) };
      new k8s.helm.v3.Release(childName(name, "autoscaler"), release, { ...where, dependsOn: [this.cluster] });
    }
    this.registerOutputs({});
  }
}
