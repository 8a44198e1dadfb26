/**
 * The labels, taint and toleration of a GPU pool's nodes. Placement labels are
 * in the node-restriction domain, which a kubelet cannot write, so only the
 * pool's provisioning can put a node into a pool, a site or a region.
 */
import {
  ExternalKeys,
  GPU_OPERATOR_DEPLOY_DRIVER_LABEL,
  GPU_TAINT,
  Labels,
  MIG_CONFIG_DISABLED,
  NodeLabels,
  WellKnownLabels,
  isRenewableSource,
} from "../../catalog";
import type { GpuPoolConfig, SiteConfig } from "../../config";
import type { LabelMap } from "../labels";

/** A pool and the site it is at. */
export interface PoolContext {
  /** The site's validated config. */
  readonly site: SiteConfig;
  /** The pool's validated config. */
  readonly pool: GpuPoolConfig;
}

/** Labels that decide placement; set only by provisioning, never by the kubelet. */
export function nodeSelectionLabels({ site, pool }: PoolContext): LabelMap {
  return {
    [NodeLabels.gpuPool]: pool.name,
    [NodeLabels.site]: site.name,
    [NodeLabels.region]: site.region,
    [NodeLabels.zone]: pool.zone,
    [NodeLabels.renewable]: String(isRenewableSource(site.power.source)),
  };
}

/**
 * Descriptive node labels: GPU model, MIG layout, topology. Nothing selects
 * nodes by these, so it does not matter that a kubelet could set them.
 */
export function nodeInfoLabels({ site, pool }: PoolContext): LabelMap {
  return {
    [Labels.gpuModel]: pool.gpuModel,
    [ExternalKeys.migConfig]: pool.mig ?? MIG_CONFIG_DISABLED,
    [WellKnownLabels.topologyRegion]: site.region,
    [WellKnownLabels.topologyZone]: pool.zone,
  };
}

/** Who installs the pool's NVIDIA driver: as configured, else the host for static pools and the operator otherwise. */
export function poolDriver(pool: GpuPoolConfig): "operator" | "preinstalled" {
  return pool.driver ?? (pool.provisioning === "static" ? "preinstalled" : "operator");
}

/**
 * Labels the GPU operator reads on a node. For a host-installed driver, the
 * operator's per-node deploy label set to "false" keeps its driver DaemonSet
 * off the node (the operator never overwrites a deploy label a node already
 * has). Nothing for an operator-installed driver: the operator labels the node.
 */
export function gpuOperatorNodeLabels(pool: GpuPoolConfig): LabelMap {
  return poolDriver(pool) === "preinstalled" ? { [GPU_OPERATOR_DEPLOY_DRIVER_LABEL]: "false" } : {};
}

/** The node selector a workload uses to run on a pool. */
export function poolNodeSelector(poolName: string): Record<string, string> {
  return { [NodeLabels.gpuPool]: poolName };
}

/** The toleration a workload needs for the GPU taint. */
export function gpuToleration(): { key: string; operator: "Equal"; value: string; effect: string } {
  return { key: GPU_TAINT.key, operator: "Equal", value: GPU_TAINT.value, effect: GPU_TAINT.effect };
}
