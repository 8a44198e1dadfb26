/**
 * gpu-workload-placement (advisory): a pod that asks for GPUs should say which
 * GPU pool it runs on (by the pool label a kubelet cannot set) and tolerate
 * the GPU taint; otherwise it lands wherever the scheduler finds a GPU, or
 * never schedules.
 */
import { GPU_RESOURCE, GPU_TAINT, NodeLabels } from "./catalog";
import { resourcePolicy } from "./lib/define";
import { gpusRequested, podSpecs } from "./lib/podSpecs";
import { type ResourceView, describe } from "./lib/resource";
import { findObjects, isRecord } from "./lib/walk";

/** Config of gpu-workload-placement. */
export interface GpuPlacementConfig {
  gpuResource: string;
  poolLabel: string;
  taintKey: string;
}

/** Defaults: the GPU catalogue's resource and taint, the restricted pool label. */
export const GPU_PLACEMENT_DEFAULTS: GpuPlacementConfig = {
  gpuResource: GPU_RESOURCE,
  poolLabel: NodeLabels.gpuPool,
  taintKey: GPU_TAINT.key,
};

function selectsPool(spec: Record<string, unknown>, poolLabel: string): boolean {
  const selector = spec["nodeSelector"];
  if (isRecord(selector) && typeof selector[poolLabel] === "string") return true;
  const affinity = isRecord(spec["affinity"]) ? spec["affinity"]["nodeAffinity"] : undefined;
  const required = isRecord(affinity) ? affinity["requiredDuringSchedulingIgnoredDuringExecution"] : undefined;
  const terms = isRecord(required) && Array.isArray(required["nodeSelectorTerms"]) ? required["nodeSelectorTerms"] : [];
  // Every term must pin the pool, or one unpinned term lets the pod go anywhere.
  return (
    terms.length > 0 &&
    terms.every(
      (term) =>
        findObjects(term, (o): o is Record<string, unknown> => o["key"] === poolLabel && o["operator"] === "In").length > 0,
    )
  );
}

function toleratesTaint(spec: Record<string, unknown>, taintKey: string): boolean {
  const tolerations = Array.isArray(spec["tolerations"]) ? spec["tolerations"] : [];
  return tolerations.some(
    (t) =>
      isRecord(t) &&
      (t["key"] === taintKey || (t["key"] === undefined && t["operator"] === "Exists")) &&
      (t["effect"] === undefined || t["effect"] === "" || t["effect"] === "NoSchedule"),
  );
}

/** Violations of one resource. */
export function gpuPlacementViolations(r: ResourceView, config: GpuPlacementConfig): string[] {
  return podSpecs(r.props).flatMap(({ path, spec, containers }) => {
    if (!containers.some((c) => gpusRequested(c, config.gpuResource) > 0)) return [];
    const where = `${describe(r)}: ${path || "spec"}`;
    const out: string[] = [];
    if (!selectsPool(spec, config.poolLabel)) out.push(`${where} requests GPUs but does not select a GPU pool by ${config.poolLabel}`);
    if (!toleratesTaint(spec, config.taintKey)) out.push(`${where} requests GPUs but does not tolerate the ${config.taintKey} taint`);
    return out;
  });
}


/** The policy. */
export const gpuWorkloadPlacement = resourcePolicy({
  name: "gpu-workload-placement",
  description: "A pod that requests GPUs should select a GPU pool and tolerate its taint.",
  enforcementLevel: "advisory",
  severity: "medium",
  remediationSteps: "Select a GPU pool with `aifactory.no.node-restriction.kubernetes.io/gpu-pool` and tolerate the `nvidia.com/gpu` taint.",
  configSchema: {
    properties: {
      gpuResource: { type: "string", default: GPU_PLACEMENT_DEFAULTS.gpuResource, description: "Extended resource name of a GPU." },
      poolLabel: { type: "string", default: GPU_PLACEMENT_DEFAULTS.poolLabel, description: "Node label that names a GPU pool." },
      taintKey: { type: "string", default: GPU_PLACEMENT_DEFAULTS.taintKey, description: "Key of the taint on GPU nodes." },
    },
  },
  defaults: GPU_PLACEMENT_DEFAULTS,
  violations: gpuPlacementViolations,
});
