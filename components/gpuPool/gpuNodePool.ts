/**
 * A GPU node pool: its record (with the power estimate), and either Cluster
 * API objects that provision bare-metal nodes or patches that label and taint
 * existing nodes.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../naming";
import {
  type ClusterApiConfig,
  kubeadmConfigTemplateSpec,
  machineDeploymentSpec,
  machineHealthCheckSpec,
  metal3MachineTemplateSpec,
} from "./clusterApi";
import type { PoolContext } from "./labels";
import { type PoolPower, poolPower } from "./power";
import { poolRecordSpec } from "./record";
import { nodePatchSpec } from "./static";
import { withGuardRails } from "../guardRails";

/** Inputs of a GPU node pool. */
export interface GpuNodePoolArgs extends PoolContext {
  /** Namespace for the pool record. */
  readonly systemNamespace: string;
  /** Cluster API settings; required for `clusterapi` pools. */
  readonly clusterApi?: ClusterApiConfig;
  /**
   * Provider for the Cluster API management cluster.
   * @default the pool's own provider (a self-managed cluster)
   */
  readonly clusterApiProvider?: k8s.Provider;
}

/** A pool of GPU nodes of one model in one zone. */
export class GpuNodePool extends pulumi.ComponentResource {
  /** The pool's estimated maximum power draw. */
  public readonly power: PoolPower;

  constructor(name: string, args: GpuNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sovereign-ai-factory:gpu:GpuNodePool", name, {}, withGuardRails(opts));
    this.power = poolPower(args.pool);
    new k8s.core.v1.ConfigMap(childName(name, "record"), poolRecordSpec(args, args.systemNamespace), { parent: this });
    if (args.pool.provisioning === "clusterapi") this.provisionWithClusterApi(name, args);
    else this.patchStaticNodes(name, args);
    this.registerOutputs({ power: this.power });
  }

  private provisionWithClusterApi(name: string, args: GpuNodePoolArgs): void {
    if (args.clusterApi === undefined) throw new Error(`pool '${args.pool.name}' needs cluster.clusterApi`);
    const capi = { ...args, clusterApi: args.clusterApi };
    const opts = { parent: this, ...(args.clusterApiProvider ? { provider: args.clusterApiProvider } : {}) };
    const bootstrap = new k8s.apiextensions.CustomResource(
      childName(name, "bootstrap"),
      kubeadmConfigTemplateSpec(capi),
      opts,
    );
    const hosts = new k8s.apiextensions.CustomResource(childName(name, "hosts"), metal3MachineTemplateSpec(capi), opts);
    new k8s.apiextensions.CustomResource(childName(name, "machines"), machineDeploymentSpec(capi), {
      ...opts,
      dependsOn: [bootstrap, hosts],
    });
    new k8s.apiextensions.CustomResource(childName(name, "health"), machineHealthCheckSpec(capi), opts);
  }

  private patchStaticNodes(name: string, args: GpuNodePoolArgs): void {
    for (const node of args.pool.nodeNames ?? []) {
      new k8s.core.v1.NodePatch(childName(name, node), nodePatchSpec(args, node), { parent: this });
    }
  }
}
