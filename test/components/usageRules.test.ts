import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Attribution, UsageRecorded, energyReport, serviceEnergyRule, servicePodPattern, usageRecordingRules, usageRulesSpec } from "../../components";
import { usageSection } from "../../plan/usage";
import { stringify } from "yaml";
import { ROOT, osloRaw, osloWith, parseConfig, runWith } from "../helpers";
import { EnvoyStatsMetrics, VllmUsageMetrics } from "../../catalog";
import { kubernetesObjects, readStackConfig } from "../../plan";
import { CONFIG_NAMESPACE } from "../../config";
import { type GpuTrace, gpuInputSeries } from "../upstream/gpuSeries";
import { metricNames, promqlProblems } from "../upstream/promql";
import { promtoolAvailable, promtoolTestRules } from "../upstream/promtool";

const oslo = parseConfig();
const rules = usageRecordingRules(oslo.tenants, oslo.inference);

const run = promtoolAvailable();

describe("usage recording rules", () => {
  it("parse, and name only vLLM v0.11.0's usage counters, Envoy v1.39.0's virtual cluster counters, the energy rules' pod minutes and series they record themselves", () => {
    const known = new Set<string>([
      ...Object.values(VllmUsageMetrics),
      ...Object.values(EnvoyStatsMetrics),
      Attribution.podEnergyMinute,
      ...Object.values(UsageRecorded),
    ]);
    for (const rule of rules) {
      expect(promqlProblems(rule.expr), rule.expr).toEqual([]);
      for (const name of metricNames(rule.expr)) expect(known.has(name), name).toBe(true);
    }
    expect(rules.filter((r) => r.record === UsageRecorded.serviceEnergy).map((r) => r.labels)).toEqual(oslo.inference.map((s) => ({ service: s.name })));
  });

  it("match a service's Deployment pods, not those of a service whose name extends it", () => {
    const re = new RegExp(`^${servicePodPattern({ name: "chat" })}$`);
    expect(re.test("chat-7d9f8c6b5-abcde")).toBe(true);
    expect(re.test("chat-eval-7d9f8c6b5-abcde")).toBe(false);
  });

  it("are listed per tenant and service, with clients, in energy-report.json and the report's usage section", () => {
    const config = parseConfig(osloWith({ "inference[0].clients": [{ name: "case-portal" }, { name: "chatbot", rateLimit: { requestsPerMinute: 120 } }] }));
    const report = energyReport(config);
    expect(report.usage.map((u) => [u.tenant, u.service, u.clients])).toEqual([
      ["public-services", "normistral-chat", ["case-portal", "chatbot"]],
      ["logistics", "nb-llama-docs", []],
    ]);
    expect(report.usage.map((u) => u.clientUsage.map((c) => [c.client, c.requestsPerMinute]))).toEqual([[["case-portal", undefined], ["chatbot", 120]], []]);
    expect(report.usage[0]!.clientUsage[1]!.series.requests).toBe(`${UsageRecorded.clientRequests}{namespace="public-services",service="normistral-chat",client="chatbot"}`);
    for (const u of report.usage) for (const q of [...Object.values(u.series), ...u.clientUsage.flatMap((c) => Object.values(c.series))]) expect(promqlProblems(q), q).toEqual([]);
    const lines = usageSection(report).join("\n");
    expect(lines).toContain("## Usage");
    expect(lines).toContain('| public-services | normistral-chat | normistral-11b-warm | case-portal, chatbot |');
    expect(lines).toContain(`${UsageRecorded.serviceEnergyPer1kTokens}{namespace="logistics",service="nb-llama-docs"}`);
    expect(lines).toContain(`| public-services | normistral-chat | chatbot | 120 | \`${UsageRecorded.clientRequests}{namespace="public-services",service="normistral-chat",client="chatbot"}\` |`);
    expect(usageSection(energyReport(oslo)).join("\n")).not.toContain("Per client");
  });

  it("go to the site's Prometheus in their own PrometheusRule", () => {
    const spec = usageRulesSpec(oslo.site, oslo.cluster, oslo.tenants, oslo.inference);
    expect(spec.metadata.namespace).toBe("aifactory-system");
    expect((spec.spec as { groups: { name: string }[] }).groups.map((g) => g.name)).toEqual(["aifactory-usage.records"]);
  });

  it.skipIf(!run)("compute tokens per tenant and service and Wh per 1,000 generated tokens from sample series, with the plan's energy rules (promtool)", async () => {
    const { resources } = await runWith(osloRaw());
    const ruleOf = (name: string) => (kubernetesObjects(resources).find((o) => o.kind === "PrometheusRule" && o.metadata.name === name) as unknown as { spec: unknown }).spec;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "usage-rules-"));
    // The energy rules first (promtool orders groups only by `group_eval_order`; a real Prometheus runs groups on their own and may read the pods' minutes one evaluation late, which shifts the hour by a minute).
    fs.writeFileSync(path.join(dir, "energy.yml"), stringify(ruleOf("aifactory-energy")));
    fs.writeFileSync(path.join(dir, "usage.yml"), stringify(ruleOf("aifactory-usage")));
    const chat = `namespace="public-services",service="normistral-chat"`;
    const replica = (n: string) => ({ namespace: "public-services", pod: `normistral-chat-7d9f8c6b5-${n}` });
    const vllm = (metric: string, n: string, perMinute: number, extra = "") => ({
      series: `${metric}{${chat},pod="${replica(n).pod}",model_name="normistral-11b-warm",engine="0"${extra}}`,
      values: `0+${perMinute}x60`,
    });
    const held = (uuid: string, watts: number, holder: { namespace: string; pod: string }): GpuTrace => ({ pool: "l40s-infer", uuid, watts, segments: [{ from: 0, to: 61, holder }] });
    const envoy = (metric: string, n: string, client: string, perMinute: number, extra = "") => ({
      series: `${metric}{${chat},pod="${replica(n).pod}",envoy_virtual_host="vllm",envoy_virtual_cluster="${client}"${extra}}`,
      values: `0+${perMinute}x60`,
    });
    const ok = ',envoy_response_code_class="2"';
    const series = [
      // Two replicas generate 50 tokens a minute each: 6,000 in the hour.
      vllm(VllmUsageMetrics.generationTokens, "aaaaa", 50),
      vllm(VllmUsageMetrics.generationTokens, "bbbbb", 50),
      vllm(VllmUsageMetrics.promptTokens, "aaaaa", 200),
      vllm(VllmUsageMetrics.requestSuccess, "aaaaa", 2, ',finished_reason="stop"'),
      vllm(VllmUsageMetrics.requestSuccess, "aaaaa", 1, ',finished_reason="length"'),
      // The proxy's count: case-portal 120 requests (both replicas), all answered 2xx; chatbot 120, half of them 4xx; the probes under no client.
      envoy(EnvoyStatsMetrics.virtualClusterCompleted, "aaaaa", "case-portal", 1),
      envoy(EnvoyStatsMetrics.virtualClusterCompleted, "bbbbb", "case-portal", 1),
      envoy(EnvoyStatsMetrics.virtualClusterResponseClass, "aaaaa", "case-portal", 1, ok),
      envoy(EnvoyStatsMetrics.virtualClusterResponseClass, "bbbbb", "case-portal", 1, ok),
      envoy(EnvoyStatsMetrics.virtualClusterCompleted, "aaaaa", "chatbot", 2),
      envoy(EnvoyStatsMetrics.virtualClusterResponseClass, "aaaaa", "chatbot", 1, ok),
      envoy(EnvoyStatsMetrics.virtualClusterResponseClass, "aaaaa", "chatbot", 1, ',envoy_response_code_class="4"'),
      envoy(EnvoyStatsMetrics.virtualClusterCompleted, "aaaaa", "other", 4),
      // Replica a holds two GPUs at 300 W, replica b one: 900 Wh in the hour. A training pod of the same tenant is not the service's.
      ...gpuInputSeries(
        [
          held("GPU-1", 300, replica("aaaaa")),
          held("GPU-2", 300, replica("aaaaa")),
          held("GPU-3", 300, replica("bbbbb")),
          held("GPU-4", 500, { namespace: "public-services", pod: "casefile-train-0" }),
        ],
        60,
        60,
      ),
    ];
    const rounded = (expr: string) => `round((${expr}) * 1e6) / 1e6`;
    const test = {
      rule_files: ["energy.yml", "usage.yml"],
      evaluation_interval: "1m",
      group_eval_order: ["aifactory-energy.records", "aifactory-energy.alerts", "aifactory-usage.records"],
      tests: [
        {
          interval: "1m",
          input_series: series,
          promql_expr_test: [
            { expr: UsageRecorded.serviceGenerationTokens, eval_time: "60m", exp_samples: [{ labels: `${UsageRecorded.serviceGenerationTokens}{${chat}}`, value: 6000 }] },
            { expr: UsageRecorded.tenantPromptTokens, eval_time: "60m", exp_samples: [{ labels: `${UsageRecorded.tenantPromptTokens}{namespace="public-services"}`, value: 12000 }] },
            { expr: UsageRecorded.tenantRequests, eval_time: "60m", exp_samples: [{ labels: `${UsageRecorded.tenantRequests}{namespace="public-services"}`, value: 180 }] },
            { expr: rounded(UsageRecorded.serviceEnergy), eval_time: "60m", exp_samples: [{ labels: `{${chat}}`, value: 900 }] },
            { expr: rounded(UsageRecorded.serviceEnergyPer1kTokens), eval_time: "60m", exp_samples: [{ labels: `{${chat}}`, value: 150 }] },
            {
              expr: UsageRecorded.clientRequests,
              eval_time: "60m",
              exp_samples: ["case-portal", "chatbot"].map((c) => ({ labels: `${UsageRecorded.clientRequests}{${chat},client="${c}"}`, value: 120 })),
            },
            {
              expr: rounded(UsageRecorded.clientGenerationTokensEstimate),
              eval_time: "60m",
              exp_samples: [
                { labels: `{${chat},client="case-portal"}`, value: 4000 },
                { labels: `{${chat},client="chatbot"}`, value: 2000 },
              ],
            },
            {
              expr: rounded(UsageRecorded.clientPromptTokensEstimate),
              eval_time: "60m",
              exp_samples: [
                { labels: `{${chat},client="case-portal"}`, value: 8000 },
                { labels: `{${chat},client="chatbot"}`, value: 4000 },
              ],
            },
          ],
        },
      ],
    };
    const check = () => {
      fs.writeFileSync(path.join(dir, "test.yml"), stringify(test, { lineWidth: 0 }));
      return promtoolTestRules(dir, ["test.yml"]);
    };
    const passed = check();
    expect(passed.output).toContain("SUCCESS");
    expect(passed.status).toBe(0);
    // Without the energy rules the service has no energy: the usage rules read the energy rules' series, not DCGM's.
    const { group_eval_order: order, ...withoutOrder } = test;
    fs.writeFileSync(path.join(dir, "test.yml"), stringify({ ...withoutOrder, rule_files: ["usage.yml"] }, { lineWidth: 0 }));
    expect(promtoolTestRules(dir, ["test.yml"]).status).not.toBe(0);
    expect(order).toHaveLength(3);
    // The same check fails when the expectation is wrong: promtool really evaluates it.
    test.tests[0]!.promql_expr_test[4]!.exp_samples[0]!.value = 99;
    expect(check().status).not.toBe(0);
    test.tests[0]!.promql_expr_test[4]!.exp_samples[0]!.value = 150;
    test.tests[0]!.promql_expr_test[6]!.exp_samples[1]!.value = 3000;
    expect(check().status).not.toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it.skipIf(!run)("charge a service pod on a MIG GPU its instances' share of the GPU, not the full counter each instance repeats (promtool)", async () => {
    const engine = readStackConfig(path.join(ROOT, "Pulumi.rjukan.yaml"));
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(engine)) raw[key.slice(CONFIG_NAMESPACE.length + 1)] = JSON.parse(value) as unknown;
    const { resources } = await runWith(raw);
    const energy = (kubernetesObjects(resources).find((o) => o.kind === "PrometheusRule" && o.metadata.name === "aifactory-energy") as unknown as { spec: unknown }).spec;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "usage-mig-"));
    fs.writeFileSync(path.join(dir, "energy.yml"), stringify(energy));
    fs.writeFileSync(path.join(dir, "usage.yml"), stringify({ groups: [{ name: "usage", interval: "1m", rules: [serviceEnergyRule({ name: "rag", tenant: "research" })] }] }));
    // Seven 1g.10gb instances of one A100 at 280 W, each repeating the GPU's counter; the service's pod holds two of them: 2/7 of 280 Wh.
    const pod = { namespace: "research", pod: "rag-7d9f8c6b5-aaaaa" };
    const instances = ["1", "2", "3", "4", "5", "6", "7"].map((id, i) => ({ id, profile: "1g.10gb", segments: [i < 2 ? { from: 0, to: 61, holder: pod } : { from: 0, to: 61 }] }));
    const test = {
      rule_files: ["energy.yml", "usage.yml"],
      evaluation_interval: "1m",
      group_eval_order: ["aifactory-energy.records", "aifactory-energy.alerts", "usage"],
      tests: [
        {
          interval: "1m",
          input_series: gpuInputSeries([{ pool: "a100-mig", uuid: "GPU-MIG", watts: 280, instances }], 60, 60),
          promql_expr_test: [{ expr: `round(${UsageRecorded.serviceEnergy} * 1e6) / 1e6`, eval_time: "60m", exp_samples: [{ labels: `{namespace="research",service="rag"}`, value: 80 }] }],
        },
      ],
    };
    fs.writeFileSync(path.join(dir, "test.yml"), stringify(test, { lineWidth: 0 }));
    const result = promtoolTestRules(dir, ["test.yml"]);
    expect(result.output).toContain("SUCCESS");
    expect(result.status).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
