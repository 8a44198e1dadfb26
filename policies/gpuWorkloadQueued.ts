/**
 * gpu-workload-queued (advisory; an operator makes it mandatory with the
 * pack's config): a workload that requests GPUs names its tenant's Kueue
 * LocalQueue. A Pod that bypasses the queue bypasses fair sharing: it takes
 * GPUs other tenants are owed. Kueue reads the queue from the
 * `kueue.x-k8s.io/queue-name` label of the object it manages (a Job, JobSet,
 * training job, Deployment or Pod).
 */
import { GPU_RESOURCE } from "./catalog";
import { stringList } from "./lib/config";
import { resourcePolicy } from "./lib/define";
import { gpusRequested, podSpecs } from "./lib/podSpecs";
import { type ResourceView, describe, labelsOf, namespaceOf } from "./lib/resource";

/** The label Kueue reads the LocalQueue from (Kueue v0.19). */
export const QUEUE_NAME_LABEL = "kueue.x-k8s.io/queue-name";

/** Config of gpu-workload-queued. */
export interface GpuQueuedConfig {
  exemptNamespaces: string[];
}

/** Defaults: the platform's own namespaces, where GPU software runs outside any tenant's queue. */
export const GPU_QUEUED_DEFAULTS: GpuQueuedConfig = {
  exemptNamespaces: ["kube-system", "gpu-operator", "kueue-system", "aifactory-system"],
};

/** The finding for one resource, if it requests GPUs outside any queue. */
export function gpuQueuedViolations(r: ResourceView, config: GpuQueuedConfig): string[] {
  const ns = namespaceOf(r);
  if (ns !== undefined && config.exemptNamespaces.includes(ns)) return [];
  const requests = podSpecs(r.props).some(({ containers }) => containers.some((c) => gpusRequested(c, GPU_RESOURCE) > 0));
  if (!requests) return [];
  const queue = labelsOf(r)[QUEUE_NAME_LABEL];
  if (queue !== undefined && queue.trim() !== "") return [];
  return [`${describe(r)}: requests GPUs but names no LocalQueue (metadata.labels["${QUEUE_NAME_LABEL}"]), so it bypasses its tenant's queue and fair sharing`];
}

/** The policy. */
export const gpuWorkloadQueued = resourcePolicy({
  name: "gpu-workload-queued",
  description: "GPU workloads name their tenant's Kueue LocalQueue, so fair sharing holds.",
  enforcementLevel: "advisory",
  severity: "medium",
  remediationSteps: 'Label the workload with `kueue.x-k8s.io/queue-name: gpu` (the LocalQueue every tenant namespace has), and a `kueue.x-k8s.io/priority-class`.',
  configSchema: {
    properties: {
      exemptNamespaces: stringList("Namespaces whose GPU workloads need no queue (the platform's own).", GPU_QUEUED_DEFAULTS.exemptNamespaces),
    },
  },
  defaults: GPU_QUEUED_DEFAULTS,
  violations: gpuQueuedViolations,
});
