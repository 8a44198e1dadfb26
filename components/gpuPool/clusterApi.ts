/**
 * Cluster API objects for a bare-metal GPU pool: a MachineDeployment, its
 * kubeadm bootstrap template (with the GPU taint), a Metal3 machine template
 * that picks hosts of the pool's GPU model at the site, and a health check.
 */
import {
  AUTOSCALER_GPU_LABEL,
  CAPM3_METADATA,
  CAPM3_NODE_UUID_LABEL,
  ExternalKeys,
  GPU_TAINT,
  Labels,
  capiMaxUnhealthy,
} from "../../catalog";
import { type ClusterConfig, capiObjectName as capiName } from "../../config";
import { siteMetadata } from "../labels";
import type { CustomObjectSpec } from "../spec";
import { type PoolContext, gpuOperatorNodeLabels, nodeInfoLabels, nodeSelectionLabels } from "./labels";

/** The Cluster API version every core and bootstrap object uses. */
export const CLUSTER_API_VERSION = "v1beta2";

/** The Metal3 infrastructure provider's API version (served and stored by CAPM3 v1.13; v1beta1 is deprecated). */
export const METAL3_API_VERSION = "infrastructure.cluster.x-k8s.io/v1beta2";

/** How long a bare-metal GPU host may take from Machine creation to a Ready Node (firmware, image, drivers). */
export const NODE_STARTUP_TIMEOUT_SECONDS = 2400;

/** Cluster API settings of the site. */
export type ClusterApiConfig = NonNullable<ClusterConfig["clusterApi"]>;

/** A pool provisioned by Cluster API. */
export interface ClusterApiPoolArgs extends PoolContext {
  /** Where the workload cluster is defined in the management cluster. */
  readonly clusterApi: ClusterApiConfig;
}

/** The name shared by a pool's Cluster API objects: `<site>-<pool>`. */
export function capiObjectName(args: PoolContext): string {
  return capiName(args.site.name, args.pool.name);
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

/**
 * Fixed replicas, or autoscaler bounds. With bounds, `replicas` is left out:
 * Cluster API's webhook sets it to the minimum on create and keeps the
 * autoscaler's value after (v1.14.0 `calculateMachineDeploymentReplicas`),
 * and a server-side apply that omits it never takes it back. The autoscaler
 * waits as long for a new node as the health check does (its default, 15
 * minutes, is shorter than a bare-metal GPU host takes to boot; it would give
 * up on the node and back off the group).
 */
function scaling(args: ClusterApiPoolArgs): { replicas?: number; annotations?: Record<string, string> } {
  const nodes = args.pool.nodes ?? 0;
  if (typeof nodes === "number") return { replicas: nodes };
  return {
    annotations: {
      [ExternalKeys.autoscalerMinSize]: String(nodes.min),
      [ExternalKeys.autoscalerMaxSize]: String(nodes.max),
      [ExternalKeys.autoscalerMaxNodeProvisionTime]: `${NODE_STARTUP_TIMEOUT_SECONDS / 60}m0s`,
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

/**
 * The kubelet's `--node-labels`: CAPM3's node identity label (filled from the
 * host's metadata at first boot; CAPM3 matches the Node to its BareMetalHost by
 * it and sets `providerID`, without which the Machine never gets a nodeRef and
 * the placement labels never reach the Node), the cluster-autoscaler's GPU
 * label (so it counts a booting node's GPUs before the device plugin
 * advertises them and does not scale up twice), the GPU operator's per-node
 * settings, and descriptive labels. All are labels a kubelet may set anyway;
 * placement labels come from the Machine, never from here.
 */
export function kubeletNodeLabels(args: ClusterApiPoolArgs): Record<string, string> {
  return {
    [CAPM3_NODE_UUID_LABEL]: CAPM3_METADATA.uuid,
    [AUTOSCALER_GPU_LABEL]: args.pool.gpuModel,
    ...gpuOperatorNodeLabels(args.pool),
    ...nodeInfoLabels(args),
  };
}

/** The kubeadm join config: registers the node with the GPU taint and CAPM3's identity label. */
export function kubeadmConfigTemplateSpec(args: ClusterApiPoolArgs): CustomObjectSpec {
  const nodeLabels = Object.entries(kubeletNodeLabels(args))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
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
              kubeletExtraArgs: [{ name: "node-labels", value: nodeLabels }],
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
          image: { url: image.url, checksum: image.checksum, checksumType: image.checksumType, diskFormat: image.format },
        },
      },
    },
  };
}

/** Remediate no more than about a third of a pool at once, so re-provisioning never empties it. */
const REMEDIATION_SHARE_PERCENT = 34;

/** The smallest size a pool runs at with at least one machine. */
function smallestRunningSize(args: ClusterApiPoolArgs): number {
  const nodes = args.pool.nodes ?? 0;
  return Math.max(1, typeof nodes === "number" ? nodes : nodes.min);
}

/**
 * The `unhealthyLessThanOrEqualTo` percentage. Cluster API rounds the
 * percentage of the pool's size down, so 34% of a 2-node pool is zero and a
 * single failed machine would never be repaired. The share is raised until it
 * allows one machine at the pool's smallest size; larger sizes then allow at
 * least as many.
 */
export function remediationThreshold(args: ClusterApiPoolArgs): string {
  const smallest = smallestRunningSize(args);
  let percent = REMEDIATION_SHARE_PERCENT;
  while (capiMaxUnhealthy(`${percent}%`, smallest) < 1) percent += 1;
  return `${percent}%`;
}

/**
 * Health check for the pool's Machines. Bare-metal GPU hosts boot slowly
 * (firmware, drivers), and re-provisioning many at once would empty the pool,
 * so remediation stops when more than about a third are unhealthy, but always
 * allows one.
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
        nodeStartupTimeoutSeconds: NODE_STARTUP_TIMEOUT_SECONDS,
        unhealthyNodeConditions: [
          { type: "Ready", status: "False", timeoutSeconds: 600 },
          { type: "Ready", status: "Unknown", timeoutSeconds: 600 },
        ],
      },
      remediation: { triggerIf: { unhealthyLessThanOrEqualTo: remediationThreshold(args) } },
    },
  };
}
