/**
 * The cluster-autoscaler with its Cluster API provider, for sites with a
 * `{min, max}` Cluster API pool. Without it such a pool stays at its minimum:
 * the MachineDeployment webhook sets `replicas` to the min-size annotation on
 * create (Cluster API v1.14.0, `calculateMachineDeploymentReplicas`) and
 * nothing else moves it.
 */
import type * as k8s from "@pulumi/kubernetes";
import {
  CLUSTER_AUTOSCALER_CHART,
  CLUSTER_AUTOSCALER_MODES,
  capiKubeconfigSecretName,
} from "../../catalog";
import type { ClusterConfig, GpuPoolConfig, MirrorsConfig } from "../../config";
import { chartSource, mirroredRepository } from "../gpuOperator";
import type { Spec } from "../spec";

/** Inputs of the cluster-autoscaler's release. */
export interface AutoscalerArgs {
  /** The site's Cluster API settings. */
  readonly clusterApi: NonNullable<ClusterConfig["clusterApi"]>;
  /** Where the chart and image come from. */
  readonly mirrors: MirrorsConfig;
}

/** Whether any Cluster API pool scales between a minimum and a maximum, and so needs the autoscaler. */
export function needsAutoscaler(pools: readonly GpuPoolConfig[]): boolean {
  return pools.some((p) => p.provisioning === "clusterapi" && typeof p.nodes === "object");
}

/**
 * How the autoscaler reaches the two clusters. Self-managed (no
 * `managementKubeContext`): it runs in the site's cluster and its
 * ServiceAccount reads both Nodes and Machines. With a separate management
 * cluster it runs there, beside the Machines, and reads the site's Nodes
 * through Cluster API's kubeconfig Secret of the cluster.
 */
export function autoscalerMode(args: AutoscalerArgs): (typeof CLUSTER_AUTOSCALER_MODES)[keyof typeof CLUSTER_AUTOSCALER_MODES] {
  return args.clusterApi.managementKubeContext === undefined
    ? CLUSTER_AUTOSCALER_MODES.selfManaged
    : CLUSTER_AUTOSCALER_MODES.separateManagement;
}

/**
 * The Helm release (chart 9.53.0 value paths, catalog
 * `CLUSTER_AUTOSCALER_VALUE_PATHS`): the clusterapi provider, auto-discovery
 * of this cluster's MachineDeployments in its namespace (only those with both
 * size annotations are scaled), image from the mirror at a pinned tag. It is
 * installed in the Cluster API namespace, where the kubeconfig Secret lives.
 */
export function autoscalerReleaseArgs(args: AutoscalerArgs): Spec<k8s.helm.v3.ReleaseArgs> {
  const mode = autoscalerMode(args);
  const { clusterName, namespace, autoscaler } = args.clusterApi;
  return {
    name: CLUSTER_AUTOSCALER_CHART.name,
    namespace,
    version: autoscaler.chartVersion,
    ...chartSource(args.mirrors.chartRepository, CLUSTER_AUTOSCALER_CHART.name),
    values: {
      cloudProvider: "clusterapi",
      clusterAPIMode: mode,
      ...(mode === CLUSTER_AUTOSCALER_MODES.separateManagement ? { clusterAPIKubeconfigSecret: capiKubeconfigSecretName(clusterName) } : {}),
      autoDiscovery: { clusterName, namespace },
      image: {
        repository: mirroredRepository(args.mirrors.imageRegistry, CLUSTER_AUTOSCALER_CHART.imageRepository),
        tag: autoscaler.imageTag,
      },
    },
  };
}
