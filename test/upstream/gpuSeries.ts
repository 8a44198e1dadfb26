/**
 * Input series for promtool as the DCGM exporter (4.4.1-4.6.0) and a
 * ServiceMonitor with `honorLabels` would give them (catalog `dcgm.ts`): one
 * series per GPU, or per MIG instance, whose `namespace`/`pod` are the holding
 * pod's, or the exporter's own while no pod holds it; a new `instance` after
 * an exporter restart; a staleness marker when a series stops; the energy
 * counter in mJ since boot, back to zero after a driver reload.
 */

/** A pod holding a GPU or a MIG instance. */
export interface Holder {
  readonly namespace: string;
  readonly pod: string;
}

/** Minutes [from, to) during which a GPU (or instance) is held by `holder` (none: idle), scraped from `exporter`. */
export interface Segment {
  readonly from: number;
  readonly to: number;
  readonly holder?: Holder;
  /** The exporter pod scraping it (a restart gives a new one); `absent`: nothing scraped. */
  readonly exporter?: string;
}

/** One physical GPU over a test. */
export interface GpuTrace {
  readonly pool: string;
  readonly uuid: string;
  readonly watts: number;
  /** Whole GPU: its segments. */
  readonly segments?: readonly Segment[];
  /** MIG GPU: each instance's profile and segments. */
  readonly instances?: readonly { readonly id: string; readonly profile: string; readonly segments: readonly Segment[] }[];
  /** Scrape index at which the energy counter starts again from zero (driver reload). */
  readonly resetAtScrape?: number;
}

/** The exporter's own namespace (the GPU operator's). */
export const EXPORTER_NAMESPACE = "gpu-operator";
const DEFAULT_EXPORTER = "nvidia-dcgm-exporter-a1b2c";
/** The energy counter's value at the start of a test: energy since the node booted. */
const BOOT_ENERGY_MJ = 5e9;

type Values = (number | "_" | "stale")[];

function labelText(labels: Record<string, string>, name: string): string {
  return `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(",")}}`;
}

function segmentAt(segments: readonly Segment[], minute: number): Segment | undefined {
  return segments.find((s) => s.from <= minute && minute < s.to);
}

function seriesLabels(trace: GpuTrace, segment: Segment, instance?: { id: string; profile: string }): Record<string, string> {
  const exporter = segment.exporter ?? DEFAULT_EXPORTER;
  const labels: Record<string, string> = {
    UUID: trace.uuid,
    gpu: "0",
    device: "nvidia0",
    modelName: "NVIDIA test GPU",
    Hostname: `${trace.pool}-node-0`,
    gpu_pool: trace.pool,
    instance: `${exporter}:9400`,
    job: "nvidia-dcgm-exporter",
    namespace: segment.holder?.namespace ?? EXPORTER_NAMESPACE,
    pod: segment.holder?.pod ?? exporter,
    container: segment.holder ? "worker" : "nvidia-dcgm-exporter",
  };
  if (instance) Object.assign(labels, { GPU_I_ID: instance.id, GPU_I_PROFILE: instance.profile });
  return labels;
}

/** A series' values with a staleness marker wherever it stops (as Prometheus writes one when a series leaves a scrape). */
function withStaleness(values: Values): Values {
  return values.map((v, k) => (v === "_" && k > 0 && typeof values[k - 1] === "number" ? "stale" : v));
}

/**
 * The `DCGM_FI_DEV_POWER_USAGE` and `DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION`
 * series of some GPUs, over `scrapes + 1` scrapes `intervalSeconds` apart.
 */
export function gpuInputSeries(traces: readonly GpuTrace[], scrapes: number, intervalSeconds: number): { series: string; values: string }[] {
  const out = new Map<string, Values>();
  const put = (key: string, k: number, value: number) => {
    const values = out.get(key) ?? new Array<number | "_" | "stale">(scrapes + 1).fill("_");
    values[k] = value;
    out.set(key, values);
  };
  for (const trace of traces) {
    const perScrapeMj = trace.watts * intervalSeconds * 1000;
    const streams = trace.instances ?? [{ id: "", profile: "", segments: trace.segments ?? [] }];
    for (let k = 0; k <= scrapes; k++) {
      const reset = trace.resetAtScrape;
      const energy = reset !== undefined && k >= reset ? perScrapeMj * (k - reset + 1) : BOOT_ENERGY_MJ + perScrapeMj * k;
      for (const stream of streams) {
        const segment = segmentAt(stream.segments, (k * intervalSeconds) / 60);
        if (segment === undefined || segment.exporter === "absent") continue;
        const labels = seriesLabels(trace, segment, stream.id === "" ? undefined : stream);
        put(labelText(labels, "DCGM_FI_DEV_POWER_USAGE"), k, trace.watts);
        put(labelText(labels, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"), k, energy);
      }
    }
  }
  return [...out].map(([series, values]) => ({ series, values: withStaleness(values).join(" ") }));
}

/** The energy counter's value at a scrape (as `gpuInputSeries` writes it). */
export function counterAt(trace: GpuTrace, k: number, intervalSeconds: number): number {
  const perScrapeMj = trace.watts * intervalSeconds * 1000;
  const reset = trace.resetAtScrape;
  return reset !== undefined && k >= reset ? perScrapeMj * (k - reset + 1) : BOOT_ENERGY_MJ + perScrapeMj * k;
}

/** `up` of one exporter target: `value` at every scrape. */
export function upSeries(exporter: string, value: 0 | 1, scrapes: number): { series: string; values: string } {
  return {
    series: `up{job="nvidia-dcgm-exporter",instance="${exporter}:9400",namespace="${EXPORTER_NAMESPACE}",pod="${exporter}"}`,
    values: `${value}+0x${scrapes}`,
  };
}
