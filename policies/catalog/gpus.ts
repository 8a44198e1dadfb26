/**
 * The GPU catalogue: what each GPU model the factory runs draws, how many of
 * them a server holds, and which MIG layouts it supports. Power figures are
 * maximum draw from vendor data sheets, used for capacity planning against the
 * site's contracted renewable supply, not for billing.
 */

/** One GPU model the factory can schedule on. */
export interface GpuModel {
  /** Catalogue id, used in config and as a label value. */
  readonly id: string;
  /** Vendor product name. */
  readonly displayName: string;
  /** Maximum board power of one GPU, in watts. */
  readonly gpuWatts: number;
  /** Memory of one GPU, in GiB. */
  readonly memoryGiB: number;
  /** GPUs per server that the vendor's server designs come in. */
  readonly gpusPerNode: readonly number[];
  /** Whole-server maximum draw for known designs, by GPU count (e.g. DGX). */
  readonly serverWatts: Readonly<Record<number, number>>;
  /** Host draw (CPUs, memory, NICs, fans) added to GPU draw when no server figure is known. */
  readonly hostWatts: number;
  /** MIG layouts (nvidia mig-parted config names) the model supports. */
  readonly migConfigs: readonly string[];
}

const MIG_DISABLED = "all-disabled";

/** The extended resource name the NVIDIA device plugin advertises. */
export const GPU_RESOURCE = "nvidia.com/gpu";

/** The taint on every GPU node: only pods that tolerate it (GPU workloads) land there. */
export const GPU_TAINT = { key: GPU_RESOURCE, value: "present", effect: "NoSchedule" } as const;

/** The GPU models in service, by catalogue id. */
export const GPU_CATALOGUE = {
  "h100-sxm": {
    id: "h100-sxm",
    displayName: "NVIDIA H100 SXM5 80GB",
    gpuWatts: 700,
    memoryGiB: 80,
    gpusPerNode: [4, 8],
    serverWatts: { 8: 10_200 },
    hostWatts: 2_300,
    migConfigs: [MIG_DISABLED, "all-1g.10gb", "all-1g.20gb", "all-2g.20gb", "all-3g.40gb", "all-7g.80gb", "all-balanced"],
  },
  "h200-sxm": {
    id: "h200-sxm",
    displayName: "NVIDIA H200 SXM 141GB",
    gpuWatts: 700,
    memoryGiB: 141,
    gpusPerNode: [4, 8],
    serverWatts: { 8: 10_200 },
    hostWatts: 2_300,
    migConfigs: [MIG_DISABLED, "all-1g.18gb", "all-1g.35gb", "all-2g.35gb", "all-3g.71gb", "all-7g.141gb", "all-balanced"],
  },
  "a100-80gb": {
    id: "a100-80gb",
    displayName: "NVIDIA A100 80GB SXM4",
    gpuWatts: 400,
    memoryGiB: 80,
    gpusPerNode: [4, 8],
    serverWatts: { 8: 6_500 },
    hostWatts: 1_500,
    migConfigs: [MIG_DISABLED, "all-1g.10gb", "all-2g.20gb", "all-3g.40gb", "all-7g.80gb", "all-balanced"],
  },
  l40s: {
    id: "l40s",
    displayName: "NVIDIA L40S 48GB",
    gpuWatts: 350,
    memoryGiB: 48,
    gpusPerNode: [1, 2, 4, 8],
    serverWatts: {},
    hostWatts: 1_100,
    migConfigs: [MIG_DISABLED],
  },
} as const satisfies Record<string, GpuModel>;

/**
 * MIG slices one GPU is cut into by each layout (the NVIDIA mig-parted
 * default configs the GPU operator's MIG manager applies), by MIG profile.
 */
export const MIG_SLICES: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, number>>>>>> = {
  "h100-sxm": {
    "all-1g.10gb": { "1g.10gb": 7 },
    "all-1g.20gb": { "1g.20gb": 4 },
    "all-2g.20gb": { "2g.20gb": 3 },
    "all-3g.40gb": { "3g.40gb": 2 },
    "all-7g.80gb": { "7g.80gb": 1 },
    "all-balanced": { "1g.10gb": 2, "2g.20gb": 1, "3g.40gb": 1 },
  },
  "h200-sxm": {
    "all-1g.18gb": { "1g.18gb": 7 },
    "all-1g.35gb": { "1g.35gb": 4 },
    "all-2g.35gb": { "2g.35gb": 3 },
    "all-3g.71gb": { "3g.71gb": 2 },
    "all-7g.141gb": { "7g.141gb": 1 },
    "all-balanced": { "1g.18gb": 2, "2g.35gb": 1, "3g.71gb": 1 },
  },
  "a100-80gb": {
    "all-1g.10gb": { "1g.10gb": 7 },
    "all-2g.20gb": { "2g.20gb": 3 },
    "all-3g.40gb": { "3g.40gb": 2 },
    "all-7g.80gb": { "7g.80gb": 1 },
    "all-balanced": { "1g.10gb": 2, "2g.20gb": 1, "3g.40gb": 1 },
  },
};

/** The extended resource a MIG profile is advertised as under the operator's `mixed` strategy. */
export function migResource(profile: string): string {
  return `nvidia.com/mig-${profile}`;
}

/** A GPU model id from the catalogue. */
export type GpuModelId = keyof typeof GPU_CATALOGUE;

/** Every GPU model id in the catalogue. */
export const GPU_MODEL_IDS = Object.keys(GPU_CATALOGUE) as GpuModelId[];

/** The MIG config that leaves MIG off. */
export const MIG_CONFIG_DISABLED = MIG_DISABLED;

/** Looks up a model; undefined for an id not in the catalogue. */
export function gpuModel(id: string): GpuModel | undefined {
  return Object.prototype.hasOwnProperty.call(GPU_CATALOGUE, id) ? GPU_CATALOGUE[id as GpuModelId] : undefined;
}

/**
 * Maximum draw of one server with `gpus` GPUs of `model`, in watts: the
 * vendor's whole-server figure where one is known (8-GPU DGX H100/H200:
 * 10.2 kW), else GPUs at full board power plus the host.
 */
export function nodeWatts(model: GpuModel, gpus: number): number {
  return model.serverWatts[gpus] ?? gpus * model.gpuWatts + model.hostWatts;
}
