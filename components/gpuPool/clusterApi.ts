/**
 * Cluster API objects for a bare-metal GPU pool: a MachineDeployment, its
 * kubeadm bootstrap template (with the GPU taint), a Metal3 machine template
 * that picks hosts of the pool's GPU model at the site, and a health check.
 */
import { ExternalKeys, GPU_TAINT, Labels } from "../../catalog";
import type { ClusterConfig } from "../../config";
import { siteMetadata } from "../labels";
import type { CustomObjectSpec } from "../spec";
import { type PoolContext, nodeInfoLabels, nodeSelectionLabels } from "./labels";

/** The Cluster API version every core and bootstrap object uses. */
export const CLUSTER_API_VERSION = "v1beta2";

/** The Metal3 infrastructure provider's API version. */
export const METAL3_API_VERSION = "infrastructure.cluster.x-k8s.io/v1beta1";

/** Cluster API settings of the site. */
export type ClusterApiConfig = NonNullable<ClusterConfig["clusterApi"]>;

/** A pool provisioned by Cluster API. */
export interface ClusterApiPoolArgs extends PoolContext {
  /** Where the workload cluster is defined in the management cluster. */
  readonly clusterApi: ClusterApiConfig;
}

/** The name shared by a pool's Cluster API objects: `<site>-<pool>`. */
export function capiObjectName(args: PoolContext): string {
  return `${args.site.name}-${args.pool.name}`;
}

function capiMetadata(args: ClusterApiPoolArgs, name: string = capiObjectName(args)) {
  return siteMetadata(args.site, name, {
    namespace: args.clusterApi.namespace,
    component: "gpu-pool",
    labels: {
      [Labels.gpuPool]: args.pool.name,
      [Labels.gpuModel]: args.pool.gpuModel,
      [Labels.zone]: args.pool.zone,
      [ExternalKeys.capiClusterName]: args.clusterApi.clusterName,
    },
  });
}

/** Labels selecting this pool's Machines. */
function machineSelector(args: ClusterApiPoolArgs): Record<string, string> {
  const selection = nodeSelectionLabels(args);
  return { [ExternalKeys.capiClusterName]: args.clusterApi.clusterName, ...selection };
}

/** Fixed replicas, or autoscaler bounds (the autoscaler then owns `replicas`). */
function scaling(args: ClusterApiPoolArgs): { replicas?: number; annotations?: Record<string, string> } {
  const nodes = args.pool.nodes ?? 0;
  if (typeof nodes === "number") return { replicas: nodes };
  return {
    annotations: {
      [ExternalKeys.autoscalerMinSize]: String(nodes.min),
      [ExternalKeys.autoscalerMaxSize]: String(nodes.max),
    },
  };
}

/** The MachineDeployment: Machines carry the placement labels, which Cluster API syncs to their Nodes. */
export function machineDeploymentSpec(args: ClusterApiPoolArgs): CustomObjectSpec {
  const name = capiObjectName(args);
  const { replicas, annotations } = scaling(args);
  const metadata = capiMetadata(args);
  return {
    apiVersion: `cluster.x-k8s.io/${CLUSTER_API_VERSION}`,
    kind: "MachineDeployment",
    metadata: annotations === undefined ? metadata : { ...metadata, annotations: { ...metadata.annotations, ...annotations } },
    spec: {
      clusterName: args.clusterApi.clusterName,
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: machineSelector(args) },
      template: {
        metadata: { labels: machineSelector(args) },
        spec: {
          clusterName: args.clusterApi.clusterName,
          version: args.clusterApi.kubernetesVersion,
          failureDomain: args.pool.zone,
          bootstrap: {
            configRef: { apiGroup: "bootstrap.cluster.x-k8s.io", kind: "KubeadmConfigTemplate", name },
          },
          infrastructureRef: { apiGroup: "infrastructure.cluster.x-k8s.io", kind: "Metal3MachineTemplate", name },
          // GPU jobs checkpoint slowly; give them time to drain before a node goes.
          deletion: { nodeDrainTimeoutSeconds: 1800 },
        },
      },
    },
  };
}

/** `--node-labels` value: descriptive labels only (the kubelet may set these anyway). */
function kubeletNodeLabels(args: ClusterApiPoolArgs): string {
  return Object.entries(nodeInfoLabels(args))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/** The kubeadm join config: registers the node with the GPU taint. */
export function kubeadmConfigTemplateSpec(args: ClusterApiPoolArgs): CustomObjectSpec {
  return {
    apiVersion: `bootstrap.cluster.x-k8s.io/${CLUSTER_API_VERSION}`,
    kind: "KubeadmConfigTemplate",
    metadata: capiMetadata(args),
    spec: {
      template: {
        spec: {
          joinConfiguration: {
            nodeRegistration: {
              taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: GPU_TAINT.effect }],
              kubeletExtraArgs: [{ name: "node-labels", value: kubeletNodeLabels(args) }],
            },
          },
        },
      },
    },
  };
}

/** Host labels a bare-metal host of this pool carries in the site's inventory. */
export function hostSelectorLabels(args: PoolContext): Record<string, string> {
  return {
    [Labels.site]: args.site.name,
    [Labels.zone]: args.pool.zone,
    [Labels.gpuModel]: args.pool.gpuModel,
    [Labels.gpuCount]: String(args.pool.gpusPerNode),
  };
}

/** The Metal3 machine template: which hosts to use and which OS image to write. */
export function metal3MachineTemplateSpec(args: ClusterApiPoolArgs): CustomObjectSpec {
  const image = args.clusterApi.hostImage;
  return {
    apiVersion: METAL3_API_VERSION,
    kind: "Metal3MachineTemplate",
    metadata: capiMetadata(args),
    spec: {
      template: {
        spec: {
          hostSelector: { matchLabels: hostSelectorLabels(args) },
          image: { url: image.url, checksum: image.checksum, checksumType: image.checksumType, format: image.format },
        },
      },
    },
  };
}

/**
 * Health check for the pool's Machines. Bare-metal GPU hosts boot slowly
 * (firmware, drivers), and re-provisioning many at once would empty the pool,
 * so remediation stops when more than a third are unhealthy.
 */
export function machineHealthCheckSpec(args: ClusterApiPoolArgs): CustomObjectSpec {
  return {
    apiVersion: `cluster.x-k8s.io/${CLUSTER_API_VERSION}`,
    kind: "MachineHealthCheck",
    metadata: capiMetadata(args, `${capiObjectName(args)}-gpu-health`),
    spec: {
      clusterName: args.clusterApi.clusterName,
      selector: { matchLabels: machineSelector(args) },
      checks: {
        nodeStartupTimeoutSeconds: 2400,
        unhealthyNodeConditions: [
          { type: "Ready", status: "False", timeoutSeconds: 600 },
          { type: "Ready", status: "Unknown", timeoutSeconds: 600 },
        ],
      },
      remediation: { triggerIf: { unhealthyLessThanOrEqualTo: "34%" } },
    },
  };
}
