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

/**
 * The metrics energy accounting reads: board power (W, gauge) and energy
 * since boot (mJ, counter; "Total energy consumption since boot" in the
 * exporter's CSV at 4.4.1-4.6.0). The counter is the GPU's own (NVML, since
 * the driver loaded): an exporter restart does not reset it, only a node
 * reboot or driver reload does.
 */
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
  /** `Hostname` at 4.4.1-4.6.0 (renamed `hostname` after 4.4.2): not used by the rules for that reason. */
  hostname: "Hostname",
  gpu: "gpu",
  /** The physical GPU's UUID, on every series of that GPU, MIG instances included: what de-duplicates. */
  uuid: "UUID",
  modelName: "modelName",
  /** MIG GPU instance id and profile (`1g.10gb`), only on series of a MIG instance. */
  gpuInstanceId: "GPU_I_ID",
  gpuInstanceProfile: "GPU_I_PROFILE",
} as const;

/**
 * How the exporter (4.4.1-4.6.0, `internal/pkg/transformation/kubernetes.go`)
 * maps GPUs to pods, as the energy rules rely on it:
 * - it asks the kubelet's pod-resources API which container holds each device
 *   and sets `pod`, `namespace`, `container` (and `pod_uid`) on that device's
 *   series; a MIG device is matched by `<gpu>-<GPU_I_ID>`, so each instance's
 *   series names its own holder;
 * - on a GPU (or instance) no pod holds it sets none of them, so with
 *   `honorLabels` the series carries the scrape target's own `namespace` and
 *   `pod` (the exporter's): a different series from the held one, which stops
 *   while a pod holds the GPU and comes back after;
 * - device-level fields (power, total energy) are repeated on every MIG
 *   instance's series with the whole GPU's value (dcgm-exporter#317, #257);
 * - profiling fields such as `DCGM_FI_PROF_GR_ENGINE_ACTIVE` are per MIG
 *   instance, instantaneous samples (dcgm-exporter#53, #272).
 */
export const DCGM_POD_MAPPING_VERSION = DCGM_EXPORTER_VERSION;

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
