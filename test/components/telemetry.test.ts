import { describe, expect, it } from "vitest";
import { DCGM_METRICS, DCGM_SERVICE, GPU_TAINT, KEPLER_CHART, NodeLabels, PROMETHEUS_SYNTHETIC_METRICS } from "../../catalog";
import {
  type TelemetryContext,
  alertRules,
  dcgmServiceMonitorSpec,
  energyFigures,
  energyReport,
  keplerReleaseArgs,
  poolPower,
  recordingRules,
  siteIndicators,
  sitePower,
} from "../../components";
import type { FactoryConfig } from "../../config";
import { evaluatePolicies, kubernetesObjects, validateObject } from "../../plan";
import { osloRaw, osloWith, parseConfig, runWith } from "../helpers";
import { metricNames, promqlProblems } from "../upstream/promql";
import { type Toleration, schedulableOn } from "../upstream/controllers";

const oslo = parseConfig();

function context(config: FactoryConfig): TelemetryContext {
  return {
    site: config.site,
    cluster: config.cluster,
    tenants: config.tenants,
    pools: config.gpuPools,
    energy: config.energy,
    poolItWatts: Object.fromEntries(config.gpuPools.map((p) => [p.name, poolPower(p).itWatts])),
  };
}

const ctx = context(oslo);
const expressions = [...recordingRules(ctx).map((r) => r.expr), ...alertRules(ctx).map((a) => a.expr)];
const recorded = new Set(recordingRules(ctx).map((r) => r.record));

describe("the energy rules", () => {
  it("are PromQL that parses", () => {
    expect(expressions.length).toBeGreaterThan(10);
    for (const expr of expressions) expect(promqlProblems(expr), expr).toEqual([]);
    expect(promqlProblems("sum(DCGM_FI_DEV_POWER_USAGE{")).not.toEqual([]);
  });

  it("name only metrics the pinned DCGM exporter exports, Prometheus' own up, or series the rules record", () => {
    for (const expr of expressions) {
      for (const name of metricNames(expr)) {
        expect(DCGM_METRICS.has(name) || PROMETHEUS_SYNTHETIC_METRICS.has(name) || recorded.has(name), `${name} in ${expr}`).toBe(true);
      }
    }
    expect(metricNames("sum(DCGM_FI_DEV_GPU_POWER)")).toEqual(["DCGM_FI_DEV_GPU_POWER"]);
    expect(DCGM_METRICS.has("DCGM_FI_DEV_GPU_POWER")).toBe(false);
  });

  it("record energy per tenant and per pool in kWh, per hour and per day, from the energy counter in mJ", () => {
    const byName = Object.fromEntries(recordingRules(ctx).map((r) => [r.record, r.expr]));
    expect(byName["aifactory:gpu_energy_mj:by_gpu"]).toBe("max by (gpu_pool, UUID) (DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION)");
    expect(byName["aifactory:gpu_holder_share:by_pod"]).toContain('namespace=~"logistics|public-services|research"');
    expect(byName["aifactory:gpu_energy_kwh:increase1m_by_gpu"]).toBe("irate(aifactory:gpu_energy_mj:by_gpu[2m]) * 60 / 3600000000");
    expect(byName["aifactory:gpu_energy_kwh:increase1d_by_tenant"]).toBe("sum by (namespace) (aifactory:gpu_energy_kwh:increase1d_by_pool_tenant)");
    expect(byName["aifactory:gpu_energy_kwh:increase1h_by_pool"]).toBe(
      'sum by (gpu_pool) (increase(aifactory:gpu_energy_mj:by_gpu{gpu_pool!=""}[1h])) / 3600000000',
    );
    expect(byName["aifactory:gpu_energy_kwh:increase1h_idle_by_pool"]).toContain("aifactory:gpu_energy_kwh:increase1h_by_pool - on (gpu_pool)");
    expect(byName["aifactory:site_facility_power_watts:estimate"]).toBe("aifactory:site_it_power_watts:estimate * 1.15");
  });

  it("alert before facility draw reaches the renewable contract, at the configured share", () => {
    const near = (config: FactoryConfig) => alertRules(context(config)).find((a) => a.alert === "AifactoryFacilityDrawNearRenewableCapacity")!;
    expect(near(oslo).expr).toBe("aifactory:site_facility_power_watts:estimate > 2250000");
    expect(near(parseConfig(osloWith({ "energy.capacityAlertFraction": 0.8 }))).expr).toBe("aifactory:site_facility_power_watts:estimate > 2000000");
  });

  it("alert when a pool draws more than its catalogue estimate, and when telemetry is missing", () => {
    const alerts = alertRules(ctx);
    expect(alerts.filter((a) => a.alert === "AifactoryGpuPoolDrawAboveEstimate").map((a) => a.expr)).toEqual([
      'sum(max by (UUID) (DCGM_FI_DEV_POWER_USAGE{gpu_pool="h100-train"})) > 22400',
      'sum(max by (UUID) (DCGM_FI_DEV_POWER_USAGE{gpu_pool="dgx-h200"})) > 11200',
      'sum(max by (UUID) (DCGM_FI_DEV_POWER_USAGE{gpu_pool="l40s-infer"})) > 4200',
    ]);
    const missing = alerts.filter((a) => a.alert === "AifactoryGpuTelemetryMissing").map((a) => a.expr);
    expect(missing).toContain(`up{job="${DCGM_SERVICE.name}"} == 0`);
    expect(missing).toContain('absent(DCGM_FI_DEV_POWER_USAGE{gpu_pool="dgx-h200"})');
    // A pool that may scale to zero does not alert on absence.
    // (Config refuses a Cluster API range from zero; the rule still must not alert if a pool is at zero.)
    const parsed = parseConfig();
    const atZero = { ...parsed, gpuPools: parsed.gpuPools.map((p, i) => (i === 0 ? { ...p, nodes: { min: 0, max: 4 } } : p)) };
    const scalesToZero = alertRules(context(atZero));
    expect(scalesToZero.map((a) => a.expr)).not.toContain('absent(DCGM_FI_DEV_POWER_USAGE{gpu_pool="h100-train"})');
  });
});

/** Prometheus' `replace` relabelling with the defaults the Operator leaves (regex `(.*)`, replacement `$1`). */
function relabel(discovered: Record<string, string>, rule: { sourceLabels: string[]; targetLabel: string }): Record<string, string> {
  const value = rule.sourceLabels.map((l) => discovered[l] ?? "").join(";");
  return value === "" ? {} : { [rule.targetLabel]: value };
}

describe("the DCGM exporter's scrape", () => {
  const monitor = dcgmServiceMonitorSpec(ctx) as unknown as {
    spec: { selector: unknown; namespaceSelector: unknown; attachMetadata: unknown; endpoints: { port: string; honorLabels: boolean; relabelings: { sourceLabels: string[]; targetLabel: string }[] }[] };
  };

  it("selects the operator's exporter Service and keeps the exporter's pod and namespace labels", () => {
    expect(monitor.spec.selector).toEqual({ matchLabels: { app: "nvidia-dcgm-exporter" } });
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ["gpu-operator"] });
    expect(monitor.spec.endpoints[0]).toMatchObject({ port: "gpu-metrics", honorLabels: true });
  });

  it("labels every GPU series with its node's pool, from the node label that only provisioning can set", () => {
    const endpoint = monitor.spec.endpoints[0]!;
    expect(monitor.spec.attachMetadata).toEqual({ node: true });
    // Prometheus exposes a node label with every character outside [a-zA-Z0-9_] as '_'.
    const discovered = { "__meta_kubernetes_node_label_aifactory_no_node_restriction_kubernetes_io_gpu_pool": "h100-train" };
    expect(Object.keys(discovered)[0]).toBe(`__meta_kubernetes_node_label_${NodeLabels.gpuPool.replace(/[./-]/g, "_")}`);
    expect(relabel(discovered, endpoint.relabelings[0]!)).toEqual({ gpu_pool: "h100-train" });
  });
});

describe("the monitoring objects", () => {
  it("pass their schemas, carry the site labels, and pass the policy pack", async () => {
    const { resources } = await runWith(osloRaw());
    const objects = kubernetesObjects(resources).filter((o) => o.kind === "ServiceMonitor" || o.kind === "PrometheusRule");
    // The energy rules, and (with inference services) the usage rules.
    expect(objects.map((o) => o.kind).sort()).toEqual(["PrometheusRule", "PrometheusRule", "ServiceMonitor"]);
    for (const o of objects) {
      expect(validateObject(o), o.kind).toEqual([]);
      expect(o.metadata.labels).toMatchObject({ "aifactory.no/site": "oslo-1", "aifactory.no/region": "no-oslo-1", "aifactory.no/renewable": "true" });
    }
    expect(await evaluatePolicies(resources)).toEqual([]);
  });

  it("add Kepler from the mirrors only when config switches it on", async () => {
    const off = await runWith(osloRaw());
    expect(off.resources.some((r) => r.name.endsWith("-kepler"))).toBe(false);
    const on = parseConfig(osloWith({ "energy.nodeExporter": { enabled: true } }));
    const release = keplerReleaseArgs({ ...context(on), mirrors: on.mirrors });
    expect(release).toMatchObject({
      chart: "kepler",
      version: "0.6.1",
      repositoryOpts: { repo: "https://charts.oslo-1.aifactory.no/stable" },
      values: {
        // Chart 0.6.1 would pull its appVersion (release-0.8.0) when image.tag is empty; the tag is pinned instead.
        image: { repository: "cr.oslo-1.aifactory.no/sustainable_computing_io/kepler", tag: "release-0.8.0" },
        serviceMonitor: { enabled: true },
        modelServer: { enabled: false },
      },
    });
    // Chart 0.6.1's tolerations value replaces its default list: Kepler must still run on control-plane nodes and
    // now also on the GPU nodes whose power it is there to measure.
    const tolerations = (release.values as { tolerations: Toleration[] }).tolerations;
    const gpuNode = [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: GPU_TAINT.effect }];
    const controlPlane = [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }];
    expect(schedulableOn(KEPLER_CHART.defaultTolerations, gpuNode)).toBe(false);
    expect(schedulableOn(tolerations, gpuNode)).toBe(true);
    expect(schedulableOn(tolerations, controlPlane)).toBe(true);
    expect(schedulableOn(tolerations, [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }])).toBe(false);
    const pinned = parseConfig(osloWith({ "energy.nodeExporter": { enabled: true, imageTag: "release-0.8.1" } }));
    expect(keplerReleaseArgs({ ...context(pinned), mirrors: pinned.mirrors }).values).toMatchObject({ image: { tag: "release-0.8.1" } });
    const withKepler = await runWith(osloWith({ "energy.nodeExporter": { enabled: true } }));
    expect(withKepler.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").map((r) => r.inputs["name"]).sort()).toEqual(["cluster-autoscaler", "gpu-operator", "kepler", "kueue"]);
  });
});

describe("the EU data-centre indicators", () => {
  const noMeters = parseConfig(osloWith({ energy: undefined }));
  const indicators = (config: FactoryConfig) =>
    Object.fromEntries(siteIndicators(energyFigures(config.site, sitePower(config.site, config.gpuPools), config.energy)).map((i) => [i.id, i]));

  it("come from meters where the site declares them (Oslo)", () => {
    const i = indicators(oslo);
    expect(i["pue"]).toMatchObject({ value: 7_015_000 / 6_100_000, basis: "metered" });
    expect(i["erf"]).toMatchObject({ value: 4_270_000 / 7_015_000, basis: "metered" });
    expect(i["ref"]).toMatchObject({ value: 1, basis: "metered" });
    expect(i["wue"]).toMatchObject({ value: 2_400_000 / 6_100_000, unit: "L/kWh", basis: "metered" });
  });

  it("are design estimates without meters: the design PUE, ERF over total energy (not IT energy), REF from Guarantees of Origin", () => {
    const i = indicators(noMeters);
    const it = sitePower(noMeters.site, noMeters.gpuPools).itKw * 8760;
    expect(i["pue"]).toMatchObject({ value: 1.15, basis: "design estimate" });
    expect(i["pue"]?.denominator.value).toBeCloseTo(it, 6);
    // 70% of IT heat recovered is 0.7 / 1.15 of the total: ERF's denominator is total energy.
    expect(i["erf"]?.value).toBeCloseTo(0.7 / 1.15, 10);
    expect(i["ref"]).toMatchObject({ value: 1, basis: "design estimate" });
    expect(i["wue"]).toBeUndefined();
  });

  it("mix meters and estimates on a partly metered site, and say so", () => {
    const partial = parseConfig(osloWith({ energy: { reportingYear: 2025, metered: { totalEnergyKwh: 1_150_000, renewable: { guaranteesOfOriginKwh: 900_000 } } } }));
    const i = indicators(partial);
    expect(i["pue"]?.value).toBeCloseTo(1.15, 10);
    expect(i["pue"]?.basis).toBe("partly metered");
    expect(i["pue"]?.denominator.basis).toBe("design estimate");
    expect(i["pue"]?.denominator.value).toBeCloseTo(1_000_000, 3);
    expect(i["ref"]).toMatchObject({ value: 900_000 / 1_150_000, basis: "metered" });
    expect(i["erf"]?.value).toBeCloseTo((0.7 * 1_000_000) / 1_150_000, 10);
    expect(i["erf"]?.basis).toBe("partly metered");
  });

  it("give no renewable energy to a grid-mix site without meters", () => {
    const grid = parseConfig(osloWith({ energy: undefined, "site.power.source": "grid-mix" }));
    expect(indicators(grid)["ref"]?.value).toBe(0);
  });

  it("say what a site of 500 kW or more must report", () => {
    expect(energyReport(oslo).obligation).toMatchObject({ installedItKw: 1200, mustReport: true, missing: [] });
    const partial = parseConfig(osloWith({ "energy.metered": { totalEnergyKwh: 5 }, "energy.reportingYear": 2025 }));
    expect(energyReport(partial).obligation.missing).toEqual(["itEnergyKwh", "waterInputM3", "heatReusedKwh", "renewable"]);
    expect(energyReport(parseConfig(osloWith({ "energy.installedItKw": 400 }))).obligation.mustReport).toBe(false);
  });
});

describe("energy-reporting", () => {
  it("advises a site of 500 kW or more that declares no metering, naming what it must report (analyzer path)", async () => {
    const found = await evaluatePolicies((await runWith(osloWith({ "energy.metered": undefined, "energy.reportingYear": undefined }))).resources, undefined, "analyzer");
    expect(found.map((v) => [v.policy, v.enforcement])).toEqual([["energy-reporting", "advisory"]]);
    expect(found[0]?.message).toContain('site "oslo-1" has 1200 kW installed IT power');
    expect(found[0]?.message).toContain("total energy (PUE, ERF, REF) (energy.metered.totalEnergyKwh)");
  });

  it("is silent below 500 kW and for a fully metered site", async () => {
    expect(await evaluatePolicies((await runWith(osloWith({ "energy.metered": undefined, "energy.reportingYear": undefined, "energy.installedItKw": 499 }))).resources, undefined, "analyzer")).toEqual([]);
    expect(await evaluatePolicies((await runWith(osloRaw())).resources, undefined, "analyzer")).toEqual([]);
  });
});
