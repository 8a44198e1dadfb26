/**
 * Models of what Cluster API (v1.14.0), CAPM3 (v1.13.2) and the
 * cluster-autoscaler's clusterapi provider (1.34.2) do with the site's
 * cluster objects, written from their sources. Tests run our objects through
 * them to check behaviour, not strings.
 */
import {
  CAPI_LABELS_FROM_MACHINE_ANNOTATION,
  CAPI_SYNCED_NODE_LABEL_DOMAINS,
  CAPM3_LABEL_SYNC_PREFIXES_ANNOTATION,
  ExternalKeys,
} from "../../catalog";

/** A Node's labels and annotations. */
export interface NodeMeta {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The part of a label key before `/` ("" when it has none). */
function prefixOf(key: string): string {
  const slash = key.indexOf("/");
  return slash < 0 ? "" : key.slice(0, slash);
}

/** Whether Cluster API copies a Machine label to the Node (v1.14.0 `util/labels` `GetManagedLabels`). */
export function capiManagesLabel(key: string): boolean {
  const domain = prefixOf(key) || key;
  if ((CAPI_SYNCED_NODE_LABEL_DOMAINS.exact as readonly string[]).includes(domain)) return true;
  return CAPI_SYNCED_NODE_LABEL_DOMAINS.withSubdomains.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/**
 * One reconcile of Cluster API's Machine-to-Node label sync (v1.14.0,
 * `machine_controller_noderef.go` `patchNode`): sets the managed Machine
 * labels, removes those it set last time that the Machine no longer has, and
 * records what it set in the Node annotation.
 */
export function capiSyncNodeLabels(node: NodeMeta, machineLabels: Record<string, string>): void {
  const managed = Object.fromEntries(Object.entries(machineLabels).filter(([k]) => capiManagesLabel(k)));
  const before = (node.annotations[CAPI_LABELS_FROM_MACHINE_ANNOTATION] ?? "").split(",").filter((k) => k !== "");
  for (const [k, v] of Object.entries(managed)) node.labels[k] = v;
  for (const k of before) if (!(k in managed)) Reflect.deleteProperty(node.labels, k);
  node.annotations[CAPI_LABELS_FROM_MACHINE_ANNOTATION] = Object.keys(managed).sort().join(",");
}

/**
 * One reconcile of CAPM3's label sync (v1.13.2, `metal3labelsync_controller.go`):
 * with the Metal3Cluster's prefix annotation, every Node label whose prefix is
 * exactly a listed one is made equal to the host's: deleted when the host
 * lacks it, set from the host otherwise. Without the annotation, nothing.
 */
export function capm3SyncHostLabels(
  node: NodeMeta,
  hostLabels: Record<string, string>,
  metal3ClusterAnnotations: Record<string, string>,
): void {
  const value = metal3ClusterAnnotations[CAPM3_LABEL_SYNC_PREFIXES_ANNOTATION];
  if (value === undefined) return;
  const prefixes = new Set(value.split(",").map((p) => p.trim()).filter((p) => p !== ""));
  const synced = (labels: Record<string, string>) =>
    Object.fromEntries(Object.entries(labels).filter(([k]) => prefixes.has(prefixOf(k)) && k.slice(prefixOf(k).length + 1) !== ""));
  const fromHost = synced(hostLabels);
  for (const k of Object.keys(synced(node.labels))) if (!(k in fromHost)) Reflect.deleteProperty(node.labels, k);
  for (const [k, v] of Object.entries(fromHost)) node.labels[k] = v;
}

/** Whether CAPM3 sets a Node's providerID from its `metal3.io/uuid` label (v1.13.2 `CloudProviderEnabled` false or unset). */
export function capm3MatchesNodesByLabel(metal3ClusterSpec: Record<string, unknown>): boolean {
  return metal3ClusterSpec["cloudProviderEnabled"] !== true;
}

/**
 * The MachineDeployment defaulting webhook's `replicas` (v1.14.0,
 * `core/webhooks/admission/machinedeployment.go` `calculateMachineDeploymentReplicas`).
 */
export function capiDefaultReplicas(
  requested: number | undefined,
  annotations: Record<string, string>,
  old: { replicas: number | undefined } | undefined,
): number {
  if (requested !== undefined) return requested;
  const min = annotations[ExternalKeys.autoscalerMinSize];
  const max = annotations[ExternalKeys.autoscalerMaxSize];
  if (min === undefined || max === undefined) return 1;
  if (old === undefined || old.replicas === undefined || old.replicas < Number(min)) return Number(min);
  return old.replicas > Number(max) ? Number(max) : old.replicas;
}

/** A MachineDeployment as the autoscaler sees it. */
export interface ScalableResource {
  readonly namespace: string;
  readonly clusterName: string;
  readonly name: string;
  readonly annotations: Record<string, string>;
}

/**
 * The clusterapi provider's node groups (1.34.2, `clusterapi_controller.go`
 * with `--node-group-auto-discovery=clusterapi:clusterName=<c>,namespace=<ns>`):
 * MachineDeployments of that cluster in that namespace with both size
 * annotations, each a group scaled between them.
 */
export function autoscalerNodeGroups(
  discovery: { clusterName: string; namespace: string },
  resources: readonly ScalableResource[],
): { name: string; min: number; max: number }[] {
  return resources
    .filter((r) => r.namespace === discovery.namespace && r.clusterName === discovery.clusterName)
    .filter((r) => ExternalKeys.autoscalerMinSize in r.annotations && ExternalKeys.autoscalerMaxSize in r.annotations)
    .map((r) => ({ name: r.name, min: Number(r.annotations[ExternalKeys.autoscalerMinSize]), max: Number(r.annotations[ExternalKeys.autoscalerMaxSize]) }));
}
