/**
 * The energy rules of each site's plan, run in Prometheus' own rule tester:
 * the PrometheusRule the plan writes, as a promtool rule file, and generated
 * tests with exporter-shaped input series (`test/upstream/gpuSeries.ts`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { kubernetesObjects, readStackConfig } from "../../plan";
import { CONFIG_NAMESPACE } from "../../config";
import { periodEnergyQuery } from "../../components";
import { ROOT, runWith } from "../helpers";
import { EXPORTER_NAMESPACE, type GpuTrace, gpuInputSeries, upSeries } from "../upstream/gpuSeries";
import { promtoolAvailable, promtoolCheckRules, promtoolTestRules } from "../upstream/promtool";

const run = promtoolAvailable();

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleGroups {
  groups: { name: string; rules: Rule[] }[];
}

const alertsOf = (rules: RuleGroups) => rules.groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined);

/** A GPU (or a MIG GPU's seven instances) idle all test at `watts`. */
const idleGpu = (pool: string, uuid: string, watts: number, mig: boolean): GpuTrace =>
  mig
    ? { pool, uuid, watts, instances: ["1", "2", "3", "4", "5", "6", "7"].map((id) => ({ id, profile: "1g.10gb", segments: [{ from: 0, to: 31 }] })) }
    : { pool, uuid, watts, segments: [{ from: 0, to: 31 }] };

/** The alerts: each fires on the input that should fire it, and none fires at idle (MIG included). */
function alertTests(rules: RuleGroups, pools: { name: string; gpusPerNode: number; nodes?: unknown; mig?: string }[]) {
  const alerts = alertsOf(rules);
  const firing = (rule: Rule, extra: Record<string, string> = {}) => ({
    exp_labels: { ...rule.labels, ...extra },
    exp_annotations: rule.annotations,
  });
  const isMig = (p: { mig?: string }) => p.mig !== undefined && p.mig !== "all-disabled";
  const gpus = (p: { name: string; gpusPerNode: number; mig?: string }, watts: number) =>
    Array.from({ length: p.gpusPerNode * 2 }, (_, i) => idleGpu(p.name, `GPU-${p.name}-${i}`, watts, isMig(p)));
  const idle = pools.flatMap((p) => gpus(p, 60));
  const scrapes = 30;
  const tests = [];
  // At idle (every pool reporting, MIG GPUs' seven instances each repeating 60 W), nothing fires.
  tests.push({
    interval: "1m",
    input_series: [...gpuInputSeries(idle, scrapes, 60), upSeries("nvidia-dcgm-exporter-a1b2c", 1, scrapes)],
    alert_rule_test: [...new Set(alerts.map((a) => a.alert!))].map((alertname) => ({ eval_time: "25m", alertname, exp_alerts: [] })),
  });
  // A pool above its estimate: one GPU reporting more than the pool's whole estimate.
  for (const rule of alerts.filter((a) => a.alert === "AifactoryGpuPoolDrawAboveEstimate")) {
    const pool = rule.labels!["gpu_pool"]!;
    const limit = Number(/> (\d+)$/.exec(rule.expr)![1]);
    const hot = { pool, uuid: `GPU-${pool}-hot`, watts: limit + 100, segments: [{ from: 0, to: 31 }] };
    tests.push({
      interval: "1m",
      input_series: [...gpuInputSeries([...idle.filter((g) => g.pool !== pool), hot], scrapes, 60), upSeries("nvidia-dcgm-exporter-a1b2c", 1, scrapes)],
      alert_rule_test: [{ eval_time: "25m", alertname: rule.alert!, exp_alerts: [firing(rule)] }],
    });
  }
  // The exporter down for 30 minutes, and no pool reporting: every telemetry-missing alert fires.
  const missing = alerts.filter((a) => a.alert === "AifactoryGpuTelemetryMissing");
  const up = missing.find((a) => a.expr.startsWith("up"))!;
  tests.push({
    interval: "1m",
    input_series: [upSeries("nvidia-dcgm-exporter-a1b2c", 0, scrapes)],
    alert_rule_test: [
      {
        eval_time: "25m",
        alertname: up.alert!,
        exp_alerts: missing.map((rule) =>
          rule === up
            ? firing(rule, { job: "nvidia-dcgm-exporter", instance: "nvidia-dcgm-exporter-a1b2c:9400", namespace: EXPORTER_NAMESPACE, pod: "nvidia-dcgm-exporter-a1b2c" })
            : firing(rule),
        ),
      },
    ],
  });
  // Facility draw near the renewable contract: enough GPU power in the first pool to pass the threshold.
  const near = alerts.find((a) => a.alert === "AifactoryFacilityDrawNearRenewableCapacity")!;
  const threshold = Number(/> (\d+)$/.exec(near.expr)![1]);
  const big = { pool: pools[0]!.name, uuid: "GPU-big", watts: threshold, segments: [{ from: 0, to: 31 }] };
  tests.push({
    interval: "1m",
    input_series: [...gpuInputSeries([...idle, big], scrapes, 60), upSeries("nvidia-dcgm-exporter-a1b2c", 1, scrapes)],
    alert_rule_test: [{ eval_time: "25m", alertname: near.alert!, exp_alerts: [firing(near)] }],
  });
  return tests;
}

async function sitePlan(stack: string): Promise<{ rules: RuleGroups; tenants: string[]; pools: { name: string; gpusPerNode: number; mig?: string }[] }> {
  const engine = readStackConfig(path.join(ROOT, `Pulumi.${stack}.yaml`));
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(engine)) raw[key.slice(CONFIG_NAMESPACE.length + 1)] = JSON.parse(value) as unknown;
  const { resources } = await runWith(raw);
  // The energy rules (the usage rules are another PrometheusRule, tested in usageRules.test.ts).
  const rule = kubernetesObjects(resources).find((o) => o.kind === "PrometheusRule" && o.metadata.name === "aifactory-energy")!;
  return {
    rules: (rule as unknown as { spec: RuleGroups }).spec,
    tenants: (raw["tenants"] as { name: string }[]).map((t) => t.name),
    pools: raw["gpuPools"] as { name: string; gpusPerNode: number; mig?: string }[],
  };
}

const HOUR_SCRAPES = 61 * 4;
/** Expected values to the nanowatt-hour (promtool 2.42 compares floats exactly; the expression is rounded the same way). */
const sample = (_name: string, labels: Record<string, string>, value: number) => ({
  labels: `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(",")}}`,
  value: Math.round(value * 1e9) / 1e9,
});

/** One promtool test: GPUs over an hour scraped every 15 s, and expected values at 60 m. */
function hourTest(traces: GpuTrace[], expected: { expr: string; samples: ReturnType<typeof sample>[] }[]) {
  return {
    interval: "15s",
    input_series: gpuInputSeries(traces, HOUR_SCRAPES, 15),
    promql_expr_test: expected.map((e) => ({ expr: `round((${e.expr}) * 1e9) / 1e9`, eval_time: "60m", exp_samples: e.samples })),
  };
}

const TENANT_HOUR = "aifactory:gpu_energy_kwh:increase1h_by_tenant";
const POOL_HOUR = "aifactory:gpu_energy_kwh:increase1h_by_pool";
const IDLE_HOUR = "aifactory:gpu_energy_kwh:increase1h_idle_by_pool";

function scenarios(tenants: string[], pools: { name: string; mig?: string }[]) {
  const [t1, t2] = [tenants[0]!, tenants[1]!];
  const whole = pools.filter((p) => p.mig === undefined);
  const [p1, p2] = [whole[0]!.name, (pools[1] ?? whole[0]!).name];
  const a = { namespace: t1, pod: `${t1}-train-0` };
  const b = { namespace: t2, pod: `${t2}-train-0` };
  const tests = [
    // Held all hour: the tenant gets the pool's 0.6 kWh, nothing is idle.
    hourTest([{ pool: p1, uuid: "GPU-1", watts: 600, segments: [{ from: 0, to: 61, holder: a }] }], [
      { expr: TENANT_HOUR, samples: [sample(TENANT_HOUR, { namespace: t1 }, 0.6)] },
      { expr: POOL_HOUR, samples: [sample(POOL_HOUR, { gpu_pool: p1 }, 0.6)] },
      { expr: IDLE_HOUR, samples: [sample(IDLE_HOUR, { gpu_pool: p1 }, 0)] },
      { expr: "aifactory:site_gpu_power_watts", samples: [sample("aifactory:site_gpu_power_watts", {}, 600)] },
      { expr: "aifactory:gpu_power_watts:sum_by_tenant", samples: [sample("", { namespace: t1 }, 600)] },
    ]),
    // The issue's case: idle 20 min, held 20, idle 20 at 600 W: pool 0.60 kWh, not 0.81.
    hourTest([{ pool: p1, uuid: "GPU-1", watts: 600, segments: [{ from: 0, to: 20 }, { from: 20, to: 40, holder: a }, { from: 40, to: 61 }] }], [
      { expr: POOL_HOUR, samples: [sample(POOL_HOUR, { gpu_pool: p1 }, 0.6)] },
      { expr: TENANT_HOUR, samples: [sample(TENANT_HOUR, { namespace: t1 }, 0.2)] },
      { expr: IDLE_HOUR, samples: [sample(IDLE_HOUR, { gpu_pool: p1 }, 0.4)] },
    ]),
    // Pod churn between tenants on one GPU: each minute goes to whoever holds the GPU at its end.
    hourTest([{ pool: p1, uuid: "GPU-1", watts: 500, segments: [{ from: 0, to: 30, holder: a }, { from: 30, to: 61, holder: b }] }], [
      { expr: TENANT_HOUR, samples: [sample(TENANT_HOUR, { namespace: t1 }, (29 / 60) * 0.5), sample(TENANT_HOUR, { namespace: t2 }, (31 / 60) * 0.5)] },
      { expr: IDLE_HOUR, samples: [sample(IDLE_HOUR, { gpu_pool: p1 }, 0)] },
    ]),
    // An exporter restart: a new target, one minute without series; the counter runs on. The minute goes to idle.
    hourTest([{ pool: p1, uuid: "GPU-1", watts: 600, segments: [{ from: 0, to: 30, holder: a }, { from: 30, to: 31, holder: a, exporter: "absent" }, { from: 31, to: 61, holder: a, exporter: "nvidia-dcgm-exporter-z9y8x" }] }], [
      { expr: POOL_HOUR, samples: [sample(POOL_HOUR, { gpu_pool: p1 }, 0.6)] },
      { expr: TENANT_HOUR, samples: [sample(TENANT_HOUR, { namespace: t1 }, 0.59)] },
      { expr: IDLE_HOUR, samples: [sample(IDLE_HOUR, { gpu_pool: p1 }, 0.01)] },
    ]),
    // A driver reload: the counter starts again from zero; no negative or since-boot energy.
    hourTest([{ pool: p1, uuid: "GPU-1", watts: 600, segments: [{ from: 0, to: 61, holder: a }], resetAtScrape: 121 }], [
      { expr: POOL_HOUR, samples: [sample(POOL_HOUR, { gpu_pool: p1 }, 0.6)] },
      { expr: TENANT_HOUR, samples: [sample(TENANT_HOUR, { namespace: t1 }, 0.6)] },
    ]),
    // Two pools, one GPU idle.
    hourTest(
      [
        { pool: p1, uuid: "GPU-1", watts: 600, segments: [{ from: 0, to: 61, holder: a }] },
        { pool: p2, uuid: "GPU-2", watts: 400, segments: [{ from: 0, to: 61, holder: b }] },
        { pool: p2, uuid: "GPU-3", watts: 100, segments: [{ from: 0, to: 61 }] },
      ],
      [
        { expr: POOL_HOUR, samples: [sample(POOL_HOUR, { gpu_pool: p1 }, 0.6), sample(POOL_HOUR, { gpu_pool: p2 }, 0.5)] },
        { expr: IDLE_HOUR, samples: [sample(IDLE_HOUR, { gpu_pool: p1 }, 0), sample(IDLE_HOUR, { gpu_pool: p2 }, 0.1)] },
        { expr: "aifactory:site_gpu_power_watts", samples: [sample("aifactory:site_gpu_power_watts", {}, 1100)] },
      ],
    ),
  ];
  // A day at 600 W, held for the first 12 hours (minute ends 1..719), idle after: the day series.
  const dayGpu: GpuTrace = { pool: p1, uuid: "GPU-1", watts: 600, segments: [{ from: 0, to: 720, holder: a }, { from: 720, to: 1441 }] };
  const day = (name: string, labels: Record<string, string>, value: number) => ({ expr: name, samples: [sample(name, labels, value)] });
  tests.push({
    interval: "1m",
    input_series: gpuInputSeries([dayGpu], 1440, 60),
    promql_expr_test: [
      day("aifactory:gpu_energy_kwh:increase1d_by_pool", { gpu_pool: p1 }, 14.4),
      day("aifactory:gpu_energy_kwh:increase1d_by_tenant", { namespace: t1 }, (719 / 60) * 0.6),
      day("aifactory:gpu_energy_kwh:increase1d_idle_by_pool", { gpu_pool: p1 }, 14.4 - (719 / 60) * 0.6),
      // The idle share of the day: per pool, and for the site (one pool drew energy, so the same).
      day("aifactory:gpu_energy_idle_ratio:1d_by_pool", { gpu_pool: p1 }, (14.4 - (719 / 60) * 0.6) / 14.4),
      day("aifactory:gpu_energy_idle_ratio:1d", {}, (14.4 - (719 / 60) * 0.6) / 14.4),
    ].map((e) => ({ expr: `round((${e.expr}) * 1e9) / 1e9`, eval_time: "1440m", exp_samples: e.samples })),
  });
  // Two days, held for the first 12 hours, idle after: the day series sampled at each midnight add up to the
  // period (the query the report gives for the year's energy.metered.gpu, here two days `@` the midnight ending them).
  const twoDays: GpuTrace = { pool: p1, uuid: "GPU-1", watts: 600, segments: [{ from: 0, to: 720, holder: a }, { from: 720, to: 2881 }] };
  tests.push({
    interval: "1m",
    input_series: gpuInputSeries([twoDays], 2880, 60),
    promql_expr_test: [
      { expr: periodEnergyQuery("aifactory:gpu_energy_kwh:increase1d_by_pool", 2, 2 * 86_400), samples: [sample("", {}, 28.8)] },
      { expr: periodEnergyQuery("aifactory:gpu_energy_kwh:increase1d_idle_by_pool", 2, 2 * 86_400), samples: [sample("", {}, 28.8 - (719 / 60) * 0.6)] },
    ].map((e) => ({ expr: `round((${e.expr}) * 1e9) / 1e9`, eval_time: "2880m", exp_samples: e.samples })),
  });
  const mig = pools.find((p) => p.mig === "all-1g.10gb");
  if (mig) {
    // Seven 1g.10gb instances repeat the GPU's 280 W: one GPU's power, 3/7 to one owner, 1/7 for half an hour (29 minute ends) to another.
    const instances = ["1", "2", "3", "4", "5", "6", "7"].map((id, i) => ({
      id,
      profile: "1g.10gb",
      segments: i < 3 ? [{ from: 0, to: 61, holder: { namespace: t1, pod: `${t1}-nb-${id}` } }] : i === 3 ? [{ from: 0, to: 30, holder: b }, { from: 30, to: 61 }] : [{ from: 0, to: 61 }],
    }));
    tests.push(
      hourTest([{ pool: mig.name, uuid: "GPU-MIG", watts: 280, instances }], [
        { expr: POOL_HOUR, samples: [sample(POOL_HOUR, { gpu_pool: mig.name }, 0.28)] },
        { expr: TENANT_HOUR, samples: [sample(TENANT_HOUR, { namespace: t1 }, 0.12), sample(TENANT_HOUR, { namespace: t2 }, (29 / 60) * 0.04)] },
        { expr: IDLE_HOUR, samples: [sample(IDLE_HOUR, { gpu_pool: mig.name }, 0.28 - 0.12 - (29 / 60) * 0.04)] },
        { expr: "aifactory:site_gpu_power_watts", samples: [sample("aifactory:site_gpu_power_watts", {}, 280)] },
      ]),
    );
  }
  return tests;
}

describe.skipIf(!run)("the energy rules under promtool", () => {
  for (const stack of ["oslo", "rjukan"]) {
    it(`${stack}: count each GPU once and charge tenants plus idle to the pool`, async () => {
      const plan = await sitePlan(stack);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `promtool-${stack}-`));
      fs.writeFileSync(path.join(dir, "rules.yml"), stringify(plan.rules));
      expect(promtoolCheckRules(dir, "rules.yml").status).toBe(0);
      // promtool orders groups it is not told the order of at random (2.42 sorts them by an empty order map): records first.
      const group_eval_order = plan.rules.groups.map((g) => g.name);
      const tests = { rule_files: ["rules.yml"], evaluation_interval: "1m", group_eval_order, tests: scenarios(plan.tenants, plan.pools) };
      fs.writeFileSync(path.join(dir, "energy.test.yml"), stringify(tests, { lineWidth: 0 }));
      const alerts = { rule_files: ["rules.yml"], evaluation_interval: "1m", group_eval_order, tests: alertTests(plan.rules, plan.pools) };
      fs.writeFileSync(path.join(dir, "alerts.test.yml"), stringify(alerts, { lineWidth: 0 }));
      // Every recorded series the hour tests do not read directly is read through the ones they do; every alert is tested.
      const tested = JSON.stringify(tests) + alertsOf(plan.rules).map((a) => a.expr).join(" ");
      const records = plan.rules.groups.flatMap((g) => g.rules).flatMap((r) => (r.record ? [r.record] : []));
      const readBy = (name: string): boolean =>
        new RegExp(`${name}(?![\\w:])`).test(tested) || plan.rules.groups.flatMap((g) => g.rules).some((r) => r.record !== undefined && r.expr.includes(name) && r.record !== name && readBy(r.record));
      for (const record of records) expect(readBy(record), record).toBe(true);
      const alertTested = JSON.stringify(alerts);
      for (const a of alertsOf(plan.rules)) expect(alertTested.includes(JSON.stringify(a.annotations)), a.alert).toBe(true);
      const result = promtoolTestRules(dir, ["energy.test.yml", "alerts.test.yml"]);
      expect(result.output).toContain("SUCCESS");
      expect(result.status).toBe(0);
    }, 300_000);
  }
});
