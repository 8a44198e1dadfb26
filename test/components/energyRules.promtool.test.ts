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
import { ROOT, runWith } from "../helpers";
import { type GpuTrace, gpuInputSeries } from "../upstream/gpuSeries";
import { promtoolAvailable, promtoolCheckRules, promtoolTestRules } from "../upstream/promtool";

const run = promtoolAvailable();

interface RuleGroups {
  groups: { name: string; rules: { record?: string; alert?: string }[] }[];
}

async function sitePlan(stack: string): Promise<{ rules: RuleGroups; tenants: string[]; pools: { name: string; mig?: string }[] }> {
  const engine = readStackConfig(path.join(ROOT, `Pulumi.${stack}.yaml`));
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(engine)) raw[key.slice(CONFIG_NAMESPACE.length + 1)] = JSON.parse(value) as unknown;
  const { resources } = await runWith(raw);
  const rule = kubernetesObjects(resources).find((o) => o.kind === "PrometheusRule")!;
  return {
    rules: (rule as unknown as { spec: RuleGroups }).spec,
    tenants: (raw["tenants"] as { name: string }[]).map((t) => t.name),
    pools: raw["gpuPools"] as { name: string; mig?: string }[],
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
      const tests = { rule_files: ["rules.yml"], evaluation_interval: "1m", tests: scenarios(plan.tenants, plan.pools) };
      fs.writeFileSync(path.join(dir, "energy.test.yml"), stringify(tests, { lineWidth: 0 }));
      const result = promtoolTestRules(dir, ["energy.test.yml"]);
      expect(result.output).toContain("SUCCESS");
      expect(result.status).toBe(0);
    }, 300_000);
  }
});
