/**
 * The one place that owns every label and annotation key the factory writes
 * or reads. Components and the policy pack import from here, so a key is
 * never spelled twice.
 */

/** Prefix of every label and annotation the factory owns. */
export const LABEL_PREFIX = "aifactory.no";

/**
 * Domain for node labels that decide placement. The NodeRestriction admission
 * plugin refuses to let a kubelet set labels in `node-restriction.kubernetes.io`
 * on its own Node, so a compromised node cannot move itself into a GPU pool,
 * a site or Norway. Only provisioning (Cluster API, a node patch) sets them.
 */
export const NODE_RESTRICTED_PREFIX = "aifactory.no.node-restriction.kubernetes.io";

/**
 * Domain for node labels that come from the host inventory (where a server
 * stands: block, rack). Also under `node-restriction.kubernetes.io`, so a
 * kubelet cannot set them, but a prefix of its own: CAPM3 copies labels under
 * it from each BareMetalHost to its Node and deletes those the host lacks
 * (the Metal3Cluster's label-sync prefix), and no Machine carries a label under
 * it, so Cluster API's own Machine-to-Node sync never writes the same keys.
 */
export const NODE_INVENTORY_PREFIX = "inventory.aifactory.no.node-restriction.kubernetes.io";

/** Label keys on every resource placed at a site, and on tenant resources. */
export const Labels = {
  site: `${LABEL_PREFIX}/site`,
  region: `${LABEL_PREFIX}/region`,
  zone: `${LABEL_PREFIX}/zone`,
  powerSource: `${LABEL_PREFIX}/power-source`,
  renewable: `${LABEL_PREFIX}/renewable`,
  guaranteeOfOrigin: `${LABEL_PREFIX}/guarantee-of-origin`,
  heatReuse: `${LABEL_PREFIX}/heat-reuse`,
  tenant: `${LABEL_PREFIX}/tenant`,
  dataClassification: `${LABEL_PREFIX}/data-classification`,
  gpuPool: `${LABEL_PREFIX}/gpu-pool`,
  gpuModel: `${LABEL_PREFIX}/gpu-model`,
  /** Marks the ConfigMap that declares a site to policies and tools. */
  siteDeclaration: `${LABEL_PREFIX}/site-declaration`,
  /** Marks the ConfigMap that declares a GPU pool, with its power estimate. */
  poolDeclaration: `${LABEL_PREFIX}/pool-declaration`,
  /** What a volume or bucket holds: models, datasets or scratch. */
  dataPurpose: `${LABEL_PREFIX}/data-purpose`,
  /** GPUs per server; on bare-metal hosts, for Cluster API host selection. */
  gpuCount: `${LABEL_PREFIX}/gpu-count`,
  /** On bare-metal hosts: what the host is for (`control-plane` hosts run the Cluster API control plane). */
  hostRole: `${LABEL_PREFIX}/host-role`,
  /** On a fleet's Stack: `staging` lets it follow a branch; anything else (or none) is production. */
  stage: `${LABEL_PREFIX}/stage`,
  /** On a fleet's Stack and its ServiceAccount: the site stack it deploys. */
  siteStack: `${LABEL_PREFIX}/site-stack`,
} as const;

/** Node labels a kubelet cannot set on itself; workloads select nodes by these. */
export const NodeLabels = {
  site: `${NODE_RESTRICTED_PREFIX}/site`,
  region: `${NODE_RESTRICTED_PREFIX}/region`,
  zone: `${NODE_RESTRICTED_PREFIX}/zone`,
  renewable: `${NODE_RESTRICTED_PREFIX}/renewable`,
  gpuPool: `${NODE_RESTRICTED_PREFIX}/gpu-pool`,
  /** Topology levels for Kueue's topology-aware scheduling: the block (spine) and rack of a node, from the host inventory. */
  block: `${NODE_INVENTORY_PREFIX}/block`,
  rack: `${NODE_INVENTORY_PREFIX}/rack`,
} as const;

/** Annotation keys the factory writes for people and policies to read. */
export const Annotations = {
  /** Why a sensitive or restricted tenant's service admits callers of a lower classification (`inference[].allowFromReason`). */
  allowFromReason: `${LABEL_PREFIX}/allow-from-reason`,
  /** Estimated IT power draw of a GPU pool at its maximum size, in watts. */
  powerEstimateWatts: `${LABEL_PREFIX}/power-estimate-watts`,
  /** Human-readable description of the site or tenant. */
  description: `${LABEL_PREFIX}/description`,
  /** Who takes the site's waste heat. */
  heatReuseConsumer: `${LABEL_PREFIX}/heat-reuse-consumer`,
  /** On a Kueue ResourceFlavor: sensitive tenants may borrow it although other classifications use its pool. */
  sensitiveSharing: `${LABEL_PREFIX}/sensitive-sharing`,
  /** On a Job or CronJob: the ObjectBucketClaim (same namespace) whose bucket it gives a default encryption. */
  bucketEncryptionOf: `${LABEL_PREFIX}/bucket-encryption-of`,
} as const;

/** Kubernetes well-known and recommended keys the factory also sets. */
export const WellKnownLabels = {
  topologyRegion: "topology.kubernetes.io/region",
  topologyZone: "topology.kubernetes.io/zone",
  managedBy: "app.kubernetes.io/managed-by",
  partOf: "app.kubernetes.io/part-of",
  name: "app.kubernetes.io/name",
  component: "app.kubernetes.io/component",
  instance: "app.kubernetes.io/instance",
  namespaceName: "kubernetes.io/metadata.name",
} as const;

/** Cluster API and NVIDIA keys the factory sets on objects it does not own the schema of. */
export const ExternalKeys = {
  capiClusterName: "cluster.x-k8s.io/cluster-name",
  autoscalerMinSize: "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size",
  autoscalerMaxSize: "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size",
  /** cluster-autoscaler 1.34 (clusterapi provider): per-group `--max-node-provision-time`, a Go duration. */
  autoscalerMaxNodeProvisionTime: "cluster.x-k8s.io/autoscaling-options-maxnodeprovisiontime",
  /** Read by the GPU operator's MIG manager to partition a node's GPUs. */
  migConfig: "nvidia.com/mig.config",
} as const;

/** Pod Security Admission namespace labels. */
export const PodSecurityLabels = {
  enforce: "pod-security.kubernetes.io/enforce",
  enforceVersion: "pod-security.kubernetes.io/enforce-version",
  audit: "pod-security.kubernetes.io/audit",
  warn: "pod-security.kubernetes.io/warn",
} as const;

/** Value of `app.kubernetes.io/part-of` on everything the factory declares. */
export const PART_OF = "sovereign-ai-factory";

/** Value of `app.kubernetes.io/managed-by` on everything the factory declares. */
export const MANAGED_BY = "pulumi";

/** Labels in these Kubernetes domains a kubelet may still set on its own Node. */
const KUBELET_ALLOWED_KUBE_LABELS: ReadonlySet<string> = new Set([
  "kubernetes.io/hostname",
  "kubernetes.io/arch",
  "kubernetes.io/os",
  "beta.kubernetes.io/arch",
  "beta.kubernetes.io/os",
  "beta.kubernetes.io/instance-type",
  "node.kubernetes.io/instance-type",
  "failure-domain.beta.kubernetes.io/region",
  "failure-domain.beta.kubernetes.io/zone",
  "topology.kubernetes.io/region",
  "topology.kubernetes.io/zone",
]);

function isUnderDomain(domain: string, parent: string): boolean {
  return domain === parent || domain.endsWith(`.${parent}`);
}

/**
 * Whether the NodeRestriction admission plugin lets a kubelet set this label
 * on its own Node. Placement must never depend on a label for which this is
 * true: a compromised node could otherwise claim a pool, a site or a region.
 */
export function isKubeletSettableNodeLabel(key: string): boolean {
  const slash = key.indexOf("/");
  if (slash < 0) return true;
  const domain = key.slice(0, slash);
  if (isUnderDomain(domain, "node-restriction.kubernetes.io")) return false;
  if (isUnderDomain(domain, "kubernetes.io") || isUnderDomain(domain, "k8s.io")) {
    return (
      KUBELET_ALLOWED_KUBE_LABELS.has(key) ||
      isUnderDomain(domain, "kubelet.kubernetes.io") ||
      isUnderDomain(domain, "node.kubernetes.io")
    );
  }
  return true;
}
