/**
 * Small models of what upstream controllers do with the objects the factory
 * writes, written from their sources at the versions in `catalog/`. Tests run
 * our objects through these to check behaviour, not strings.
 */
import { CAPM3_NODE_UUID_LABEL, GPU_OPERATOR_DEPLOY_DRIVER_LABEL } from "../../catalog";
import { capiSyncNodeLabels } from "./clusterApi";

/** A bare-metal host as the Baremetal Operator knows it. */
export interface BareMetalHost {
  readonly uid: string;
  readonly name: string;
}

/** A Node as the API server holds it. */
export interface NodeView {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly taints: readonly { key: string; value?: string; effect: string }[];
  providerID?: string;
}

/**
 * cloud-init's Jinja expansion of `{{ ds.meta_data.<key> }}` with the metadata
 * CAPM3 gives a host by default (no Metal3DataTemplate): its UID and names.
 */
function renderMetadata(text: string, host: BareMetalHost): string {
  const meta: Record<string, string> = { uuid: host.uid, "metal3-name": host.name, local_hostname: host.name };
  return text.replace(/\{\{\s*ds\.meta_data\.([a-z_]+)\s*\}\}/g, (_, key: string) => {
    const value = meta[key];
    if (value === undefined) throw new Error(`no metadata '${key}'`);
    return value;
  });
}

interface NodeRegistration {
  name?: string;
  taints?: { key: string; value?: string; effect: string }[];
  kubeletExtraArgs?: { name: string; value: string }[];
}

/**
 * A host boots from a KubeadmConfigTemplate: kubeadm joins it under
 * `nodeRegistration.name` (else the host name), and the kubelet registers the
 * Node with its `--node-labels` (comma-separated `key=value`) and taints.
 */
export function joinNode(template: { spec: Record<string, unknown> }, host: BareMetalHost, hostname: string): NodeView {
  const spec = (template.spec as { template: { spec: { joinConfiguration: { nodeRegistration: NodeRegistration } } } })
    .template.spec.joinConfiguration.nodeRegistration;
  const labels: Record<string, string> = {};
  for (const arg of spec.kubeletExtraArgs ?? []) {
    if (arg.name !== "node-labels") continue;
    for (const pair of renderMetadata(arg.value, host).split(",")) {
      const [key, value] = pair.split("=");
      labels[key!] = value ?? "";
    }
  }
  const name = spec.name === undefined ? hostname : renderMetadata(spec.name, host);
  return { name, labels, taints: spec.taints ?? [] };
}

/**
 * CAPM3's providerID assignment (v1.13.2, label path): it looks for the Node
 * that carries `metal3.io/uuid` equal to the host's UID. Without such a Node
 * the Metal3Machine has no providerID, so the Machine never gets a nodeRef.
 */
export function capm3AssignProviderId(nodes: NodeView[], host: BareMetalHost): NodeView | undefined {
  const node = nodes.find((n) => n.labels[CAPM3_NODE_UUID_LABEL] === host.uid);
  if (node) node.providerID = `metal3://capi/${host.name}/${host.name}`;
  return node;
}

/**
 * Cluster API's label sync (v1.14.0) for a Machine's Node: nothing until the
 * Machine has a nodeRef (CAPM3 set the providerID), then the sync modelled
 * once in `clusterApi.ts`.
 */
export function capiSyncMachineLabels(node: NodeView | undefined, machineLabels: Record<string, string>): void {
  if (node?.providerID === undefined) return;
  capiSyncNodeLabels({ labels: node.labels, annotations: {} }, machineLabels);
}

/**
 * The GPU operator's node labelling (v25.10.0, `addGPUStateLabels`): every
 * deploy label it wants is set to "true" unless the node already has it; a
 * DaemonSet runs where its deploy label is "true".
 */
export function gpuOperatorLabelNode(labels: Record<string, string>): Record<string, string> {
  const out = { ...labels };
  for (const key of [GPU_OPERATOR_DEPLOY_DRIVER_LABEL, "nvidia.com/gpu.deploy.device-plugin"]) {
    if (!(key in out)) out[key] = "true";
  }
  return out;
}

/** Whether the operator's driver DaemonSet (node selector `nvidia.com/gpu.deploy.driver: "true"`) runs on a node. */
export function operatorDriverRunsOn(labels: Record<string, string>): boolean {
  return labels[GPU_OPERATOR_DEPLOY_DRIVER_LABEL] === "true";
}

/** A taint on a Node. */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** A pod's toleration. */
export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

/** Whether a toleration tolerates a taint (Kubernetes 1.34 `core/v1` `Toleration.ToleratesTaint`). */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== "" && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== "" && t.key !== taint.key) return false;
  if ((t.key === undefined || t.key === "") && t.operator !== "Exists") return false;
  if (t.operator === "Exists") return true;
  return (t.value ?? "") === (taint.value ?? "");
}

/** Whether a pod with these tolerations may be scheduled on a node with these taints (NoSchedule and NoExecute). */
export function schedulableOn(tolerations: readonly Toleration[], taints: readonly Taint[]): boolean {
  return taints.filter((t) => t.effect !== "PreferNoSchedule").every((taint) => tolerations.some((t) => tolerates(t, taint)));
}
