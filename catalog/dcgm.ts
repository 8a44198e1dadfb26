/**
 * The NVIDIA DCGM exporter as the pinned GPU operator deploys it: chart
 * v25.10.0 runs `dcgm-exporter:4.4.1-4.6.0-distroless` with
 * `DCGM_EXPORTER_COLLECTORS=/etc/dcgm-exporter/dcp-metrics-included.csv` and
 * `DCGM_EXPORTER_KUBERNETES=true` (operator `assets/state-dcgm-exporter`),
 * behind the Service below. Metric names are that CSV's at the exporter tag.
 */

/** The exporter version the pinned operator chart deploys. */
export const DCGM_EXPORTER_VERSION = "4.4.1-4.6.0";

/** Every metric the exporter exports with the operator's collectors file (`etc/dcp-metrics-included.csv`). */
export const DCGM_METRICS: ReadonlySet<string> = new Set([
  "DCGM_FI_DEV_SM_CLOCK", "DCGM_FI_DEV_MEM_CLOCK", "DCGM_FI_DEV_MEMORY_TEMP", "DCGM_FI_DEV_GPU_TEMP",
  "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "DCGM_FI_DEV_PCIE_REPLAY_COUNTER",
  "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_MEM_COPY_UTIL", "DCGM_FI_DEV_ENC_UTIL", "DCGM_FI_DEV_DEC_UTIL",
  "DCGM_FI_DEV_XID_ERRORS", "DCGM_FI_DEV_FB_FREE", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_RESERVED",
  "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", "DCGM_FI_DEV_VGPU_LICENSE_STATUS", "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS",
  "DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS", "DCGM_FI_DEV_ROW_REMAP_FAILURE", "DCGM_FI_DRIVER_VERSION",
  "DCGM_FI_PROF_GR_ENGINE_ACTIVE", "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", "DCGM_FI_PROF_DRAM_ACTIVE",
  "DCGM_FI_PROF_PCIE_TX_BYTES", "DCGM_FI_PROF_PCIE_RX_BYTES",
]);

/** The metrics energy accounting reads: board power (W, gauge) and energy since boot (mJ, counter). */
export const DcgmMetrics = {
  power: "DCGM_FI_DEV_POWER_USAGE",
  energy: "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION",
} as const;

/** Millijoules in a kilowatt-hour: the energy counter's unit to the report's. */
export const MILLIJOULES_PER_KWH = 3.6e9;

/**
 * Labels the exporter puts on a GPU's series: the GPU's identity and, with
 * Kubernetes mapping on, the pod, namespace and container the GPU is
 * allocated to (empty while no pod holds it).
 */
export const DcgmLabels = {
  namespace: "namespace",
  pod: "pod",
  container: "container",
  hostname: "Hostname",
  gpu: "gpu",
  modelName: "modelName",
} as const;

/** The Service the operator puts in front of the exporter. */
export const DCGM_SERVICE = {
  name: "nvidia-dcgm-exporter",
  port: "gpu-metrics",
  selector: { app: "nvidia-dcgm-exporter" },
} as const;

/** Series Prometheus makes itself for every target (not exported by anyone). */
export const PROMETHEUS_SYNTHETIC_METRICS: ReadonlySet<string> = new Set(["up"]);

/** Kepler (node CPU and memory power), the optional node energy exporter: its Helm chart and what it reads. */
export const KEPLER_CHART = {
  name: "kepler",
  version: "0.6.1",
  /** Upstream image repository (`image.repository` in the chart's values at 0.6.1). */
  imageRepository: "quay.io/sustainable_computing_io/kepler",
  /**
   * The chart's appVersion at 0.6.1, the image tag it falls back to when
   * `image.tag` is empty (`templates/_helpers.tpl` `kepler.imageIdentifier`).
   * The factory sets it explicitly, so a mirror holds exactly this tag.
   */
  imageTag: "release-0.8.0",
  /**
   * The chart's default `tolerations` at 0.6.1 (a top-level list the DaemonSet
   * copies as is, `templates/daemonset.yaml`): only the control-plane taint.
   * A Helm value list replaces the default, so the factory repeats it.
   */
  defaultTolerations: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }],
} as const;
