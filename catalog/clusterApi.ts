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
