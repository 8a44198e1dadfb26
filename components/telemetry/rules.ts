/**
 * GPU energy telemetry as Prometheus Operator objects: a ServiceMonitor that
 * scrapes the GPU operator's DCGM exporter (keeping the exporter's pod and
 * namespace labels, so energy is attributed to tenants, and adding the node's
 * GPU pool), and recording and alerting rules over the metrics that exporter
 * really exports at the pinned version (catalog `dcgm.ts`).
 */
import { DCGM_SERVICE, DcgmMetrics, NodeLabels, gpuModel } from "../../catalog";
import type { ClusterConfig, EnergyConfig, GpuPoolConfig, SiteConfig, TenantConfig } from "../../config";
import { maxNodes } from "../gpuPool";
import { siteMetadata } from "../labels";
import type { CustomObjectSpec } from "../spec";
import { ATTRIBUTION_INTERVAL, Attribution, POOL_LABEL, type RecordingRule, attributionRules, poolPowerExpression } from "./attribution";

export { POOL_LABEL } from "./attribution";

/** Everything the telemetry objects are built from. */
export interface TelemetryContext {
  readonly site: SiteConfig;
  readonly cluster: ClusterConfig;
  readonly tenants: readonly TenantConfig[];
  readonly pools: readonly GpuPoolConfig[];
  readonly energy: EnergyConfig;
  /** Each pool's estimated IT draw at its largest size, watts. */
  readonly poolItWatts: Readonly<Record<string, number>>;
}

/** Prometheus' name for a node label, as service discovery exposes it (`__meta_kubernetes_node_label_<sanitised>`). */
export function nodeLabelMeta(label: string): string {
  return `__meta_kubernetes_node_label_${label.replace(/[^a-zA-Z0-9_]/g, "_")}`;
}

/** Metadata of a telemetry object: in the system namespace, labelled for the site's Prometheus to select. */
function telemetryMetadata(ctx: TelemetryContext, name: string) {
  return siteMetadata(ctx.site, name, {
    namespace: ctx.cluster.systemNamespace,
    component: "telemetry",
    labels: ctx.cluster.monitoring.podMonitorLabels,
  });
}

/** The DCGM exporter's scrape, with tenant attribution and the pool of each GPU's node. */
export function dcgmServiceMonitorSpec(ctx: TelemetryContext): CustomObjectSpec {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: telemetryMetadata(ctx, "dcgm-exporter-energy"),
    spec: {
      selector: { matchLabels: { ...DCGM_SERVICE.selector } },
      namespaceSelector: { matchNames: [ctx.cluster.gpuOperator.namespace] },
      attachMetadata: { node: true },
      endpoints: [
        {
          port: DCGM_SERVICE.port,
          path: "/metrics",
          interval: "15s",
          // The exporter's `namespace` and `pod` name the pod that holds the GPU: keep them over the target's own.
          honorLabels: true,
          relabelings: [{ action: "replace", sourceLabels: [nodeLabelMeta(NodeLabels.gpuPool)], targetLabel: POOL_LABEL }],
        },
      ],
    },
  };
}

/** Names of the recorded series, for dashboards, chargeback and the README's queries. */
export const Recorded = {
  ...Attribution,
  siteGpuPower: "aifactory:site_gpu_power_watts",
  siteItPower: "aifactory:site_it_power_watts:estimate",
  siteFacilityPower: "aifactory:site_facility_power_watts:estimate",
} as const;

/** GPU board watts of a pool at its largest size: what its GPUs may draw (the host is not metered by DCGM). */
export function poolGpuWatts(pool: GpuPoolConfig): number {
  return maxNodes(pool) * pool.gpusPerNode * (gpuModel(pool.gpuModel)?.gpuWatts ?? 0);
}

/**
 * IT power estimated from measured GPU power: each pool's GPU draw scaled by
 * the catalogue's ratio of whole-server draw to GPU draw (hosts, fans and
 * networking are not metered by DCGM).
 */
export function itPowerExpression(ctx: TelemetryContext): string {
  const terms = ctx.pools.map((pool) => {
    const gpu = poolGpuWatts(pool);
    const ratio = gpu > 0 ? (ctx.poolItWatts[pool.name] ?? gpu) / gpu : 1;
    return `(sum(${Attribution.gpuPower}{${POOL_LABEL}="${pool.name}"}) or vector(0)) * ${round(ratio)}`;
  });
  return terms.length === 0 ? "vector(0)" : terms.join(" + ");
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * The recording rules: each GPU once, energy per pod, tenant and pool and the
 * pool's idle energy (kWh per hour and per day, `attribution.ts`), site GPU,
 * IT and facility power.
 */
export function recordingRules(ctx: TelemetryContext): RecordingRule[] {
  return [
    ...attributionRules(ctx.tenants, ctx.pools),
    { record: Recorded.siteGpuPower, expr: `sum(${Attribution.gpuPower})` },
    { record: Recorded.siteItPower, expr: itPowerExpression(ctx) },
    { record: Recorded.siteFacilityPower, expr: `${Recorded.siteItPower} * ${ctx.site.power.pue}` },
  ];
}

/** An alerting rule as Prometheus Operator takes it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** Alerts: facility draw near the renewable contract, a pool over its estimate, GPU telemetry missing. */
export function alertRules(ctx: TelemetryContext): AlertRule[] {
  const capacityW = ctx.site.power.capacityKw * 1000;
  const threshold = Math.round(capacityW * ctx.energy.capacityAlertFraction);
  const out: AlertRule[] = [
    {
      alert: "AifactoryFacilityDrawNearRenewableCapacity",
      expr: `${Recorded.siteFacilityPower} > ${threshold}`,
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: `Estimated facility draw at ${ctx.site.name} is above ${Math.round(ctx.energy.capacityAlertFraction * 100)}% of its ${ctx.site.power.capacityKw} kW renewable contract.`,
      },
    },
    {
      alert: "AifactoryGpuTelemetryMissing",
      expr: `up{job="${DCGM_SERVICE.name}"} == 0`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: { summary: "The DCGM exporter on a GPU node is down: its GPUs' energy is not measured." },
    },
  ];
  for (const pool of ctx.pools) {
    out.push({
      alert: "AifactoryGpuPoolDrawAboveEstimate",
      // Each GPU once: a MIG GPU's instances all repeat its power.
      expr: `${poolPowerExpression(pool.name)} > ${poolGpuWatts(pool)}`,
      for: "15m",
      labels: { severity: "warning", [POOL_LABEL]: pool.name },
      annotations: { summary: `GPU pool ${pool.name} draws more than its catalogue estimate of ${poolGpuWatts(pool)} W.` },
    });
    if (minimumNodes(pool) > 0) {
      out.push({
        alert: "AifactoryGpuTelemetryMissing",
        expr: `absent(${DcgmMetrics.power}{${POOL_LABEL}="${pool.name}"})`,
        for: "15m",
        labels: { severity: "warning", [POOL_LABEL]: pool.name },
        annotations: { summary: `No GPU power is reported from pool ${pool.name}, which always has nodes.` },
      });
    }
  }
  return out;
}

function minimumNodes(pool: GpuPoolConfig): number {
  if (pool.provisioning === "static") return pool.nodeNames?.length ?? 0;
  const nodes = pool.nodes ?? 0;
  return typeof nodes === "number" ? nodes : nodes.min;
}

/** The PrometheusRule: energy recording rules and alerts. */
export function energyRulesSpec(ctx: TelemetryContext): CustomObjectSpec {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: telemetryMetadata(ctx, "aifactory-energy"),
    spec: {
      groups: [
        { name: "aifactory-energy.records", interval: ATTRIBUTION_INTERVAL, rules: recordingRules(ctx) },
        { name: "aifactory-energy.alerts", rules: alertRules(ctx) },
      ],
    },
  };
}
