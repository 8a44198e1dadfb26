/**
 * Facts about Cluster API and its Metal3 provider that the factory relies on,
 * each read from the upstream source at the version named here. One bump of a
 * pinned version is one edit in this file.
 */

/** Versions the Cluster API objects were checked against. */
export const CLUSTER_API_VERSIONS = {
  /** Cluster API core and the kubeadm bootstrap provider (v1beta2 objects). */
  clusterApi: "v1.14.0",
  /** Cluster API Provider Metal3 (v1beta2 objects, served and stored since v1.12). */
  capm3: "v1.13.2",
} as const;

/**
 * Node label CAPM3 looks for to match a Node to its BareMetalHost and set
 * `spec.providerID` (CAPM3 v1.13.2, `baremetal/metal3machine_manager.go`,
 * `ProviderLabelPrefix`). Without it, Machines never get a nodeRef, and Cluster
 * API never syncs Machine labels to the Node.
 */
export const CAPM3_NODE_UUID_LABEL = "metal3.io/uuid";

/**
 * cloud-init (Jinja) expressions filled from the metadata CAPM3 gives every
 * host by default (CAPM3 v1.13.2 `docs/api.md`, `docs/deployment_workflow.md`):
 * `uuid` is the BareMetalHost's UID. The kubeadm bootstrap provider renders
 * cloud-init with `## template: jinja`, so this is expanded on the host at
 * first boot. (`name` is not among the defaults; it needs a Metal3DataTemplate,
 * which the factory does not declare, so the node keeps its host name.)
 */
export const CAPM3_METADATA = {
  uuid: "{{ ds.meta_data.uuid }}",
} as const;

/**
 * How Cluster API turns `remediation.triggerIf.unhealthyLessThanOrEqualTo`
 * into a machine count (v1.14.0, `core/reconcilers/machinehealthcheck`,
 * `getMaxUnhealthy`): `intstr.GetScaledValueFromIntOrPercent(value, expected,
 * roundUp=false)`, so a percentage rounds down. Remediation runs only while the
 * unhealthy count is at most this.
 */
export function capiMaxUnhealthy(value: number | string, expectedMachines: number): number {
  if (typeof value === "number") return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) throw new Error(`'${value}' is neither a count nor a percentage`);
  return Math.floor((Number(match[1]) * expectedMachines) / 100);
}

/**
 * Label domains Cluster API copies from a Machine to its Node (v1.14.0,
 * `util/labels/helpers.go` `GetManagedLabels`): the prefix
 * `node-role.kubernetes.io` exactly, and `node-restriction.kubernetes.io` or
 * `node.cluster.x-k8s.io` and their subdomains. It copies only labels the
 * Machine carries, and removes from the Node only keys it copied before
 * (it records them in the Node annotation `cluster.x-k8s.io/labels-from-machine`,
 * `core/reconcilers/machine/machine_controller_noderef.go`).
 */
export const CAPI_SYNCED_NODE_LABEL_DOMAINS = {
  exact: ["node-role.kubernetes.io"],
  withSubdomains: ["node-restriction.kubernetes.io", "node.cluster.x-k8s.io"],
} as const;

/** The Node annotation in which Cluster API records the labels it copied from the Machine (v1.14.0). */
export const CAPI_LABELS_FROM_MACHINE_ANNOTATION = "cluster.x-k8s.io/labels-from-machine";

/**
 * CAPM3's label sync (v1.13.2, `controllers/metal3labelsync_controller.go`):
 * the Metal3Cluster annotation listing label prefixes (comma-separated, each
 * a DNS-1123 subdomain) to keep equal between every BareMetalHost and its
 * Node. Every 60 s it deletes Node labels under a listed prefix that the host
 * does not carry and copies the host's. A prefix matches a key's part before
 * the `/` exactly (subdomains are not included).
 */
export const CAPM3_LABEL_SYNC_PREFIXES_ANNOTATION = "metal3.io/metal3-label-sync-prefixes";

/** How often CAPM3 v1.13.2 re-syncs host labels to Nodes (`bmhSyncInterval`). */
export const CAPM3_LABEL_SYNC_INTERVAL_SECONDS = 60;

/**
 * The API groups and kinds of the site's Cluster API cluster (Cluster API
 * v1.14.0 and CAPM3 v1.13.2 CRDs). v1beta2 references name `apiGroup`, `kind`
 * and `name`, never an apiVersion.
 */
export const ClusterApiKinds = {
  cluster: { apiGroup: "cluster.x-k8s.io", kind: "Cluster" },
  controlPlane: { apiGroup: "controlplane.cluster.x-k8s.io", kind: "KubeadmControlPlane" },
  metal3Cluster: { apiGroup: "infrastructure.cluster.x-k8s.io", kind: "Metal3Cluster" },
  metal3MachineTemplate: { apiGroup: "infrastructure.cluster.x-k8s.io", kind: "Metal3MachineTemplate" },
} as const;
