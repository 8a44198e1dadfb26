import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { UsageRecorded, energyReport, servicePodPattern, usageRecordingRules, usageRulesSpec } from "../../components";
import { usageSection } from "../../plan/usage";
import { osloWith, parseConfig } from "../helpers";
import { DcgmMetrics, VllmUsageMetrics } from "../../catalog";
import { metricNames, promqlProblems } from "../upstream/promql";

const oslo = parseConfig();
const rules = usageRecordingRules(oslo.tenants, oslo.inference);

function promtoolAvailable(): boolean {
  try {
    execFileSync("promtool", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("usage recording rules", () => {
  it("parse, and name only vLLM v0.11.0's usage counters, DCGM's energy and series they record themselves", () => {
    const known = new Set<string>([...Object.values(VllmUsageMetrics), DcgmMetrics.energy, ...Object.values(UsageRecorded)]);
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
    const config = parseConfig(osloWith({ "inference[0].clients": [{ name: "case-portal" }, { name: "chatbot" }] }));
    const report = energyReport(config);
    expect(report.usage.map((u) => [u.tenant, u.service, u.clients])).toEqual([
      ["public-services", "normistral-chat", ["case-portal", "chatbot"]],
      ["logistics", "nb-llama-docs", []],
    ]);
    for (const u of report.usage) for (const q of Object.values(u.series)) expect(promqlProblems(q), q).toEqual([]);
    const lines = usageSection(report).join("\n");
    expect(lines).toContain("## Usage");
    expect(lines).toContain('| public-services | normistral-chat | normistral-11b-warm | case-portal, chatbot |');
    expect(lines).toContain(`${UsageRecorded.serviceEnergyPer1kTokens}{namespace="logistics",service="nb-llama-docs"}`);
  });

  it("go to the site's Prometheus in their own PrometheusRule", () => {
    const spec = usageRulesSpec(oslo.site, oslo.cluster, oslo.tenants, oslo.inference);
    expect(spec.metadata.namespace).toBe("aifactory-system");
    expect((spec.spec as { groups: { name: string }[] }).groups.map((g) => g.name)).toEqual(["aifactory-usage.records"]);
  });

  it.skipIf(!promtoolAvailable())("compute tokens per tenant and service and Wh per 1,000 generated tokens from sample series (promtool)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "usage-rules-"));
    const group = { name: "usage", interval: "1m", rules };
    fs.writeFileSync(path.join(dir, "rules.json"), JSON.stringify({ groups: [group] }));
    const pod = (n: string) => `pod="normistral-chat-7d9f8c6b5-${n}"`;
    const chat = `namespace="public-services",service="normistral-chat"`;
    const series = [
      // Two replicas generate 50 tokens a minute each: 6,000 in the hour.
      { series: `${VllmUsageMetrics.generationTokens}{${chat},${pod("aaaaa")},model_name="normistral-11b-warm",engine="0"}`, values: "0+50x60" },
      { series: `${VllmUsageMetrics.generationTokens}{${chat},${pod("bbbbb")},model_name="normistral-11b-warm",engine="0"}`, values: "0+50x60" },
      { series: `${VllmUsageMetrics.promptTokens}{${chat},${pod("aaaaa")},model_name="normistral-11b-warm",engine="0"}`, values: "0+200x60" },
      { series: `${VllmUsageMetrics.requestSuccess}{${chat},${pod("aaaaa")},model_name="normistral-11b-warm",engine="0",finished_reason="stop"}`, values: "0+2x60" },
      { series: `${VllmUsageMetrics.requestSuccess}{${chat},${pod("aaaaa")},model_name="normistral-11b-warm",engine="0",finished_reason="length"}`, values: "0+1x60" },
      // Each replica's GPU draws 300 W: 5 Wh (18,000,000 mJ) a minute.
      { series: `${DcgmMetrics.energy}{namespace="public-services",${pod("aaaaa")},gpu="0"}`, values: "0+18000000x60" },
      { series: `${DcgmMetrics.energy}{namespace="public-services",${pod("bbbbb")},gpu="1"}`, values: "0+18000000x60" },
      // A training pod in the same namespace is not the service's.
      { series: `${DcgmMetrics.energy}{namespace="public-services",pod="casefile-train-0",gpu="2"}`, values: "0+99000000x60" },
    ];
    const test = {
      rule_files: ["rules.json"],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          input_series: series,
          promql_expr_test: [
            { expr: UsageRecorded.serviceGenerationTokens, eval_time: "60m", exp_samples: [{ labels: `${UsageRecorded.serviceGenerationTokens}{${chat}}`, value: 6000 }] },
            { expr: UsageRecorded.tenantPromptTokens, eval_time: "60m", exp_samples: [{ labels: `${UsageRecorded.tenantPromptTokens}{namespace="public-services"}`, value: 12000 }] },
            { expr: UsageRecorded.tenantRequests, eval_time: "60m", exp_samples: [{ labels: `${UsageRecorded.tenantRequests}{namespace="public-services"}`, value: 180 }] },
            { expr: UsageRecorded.serviceEnergy, eval_time: "60m", exp_samples: [{ labels: `${UsageRecorded.serviceEnergy}{${chat}}`, value: 600 }] },
            { expr: UsageRecorded.serviceEnergyPer1kTokens, eval_time: "60m", exp_samples: [{ labels: `${UsageRecorded.serviceEnergyPer1kTokens}{${chat}}`, value: 100 }] },
          ],
        },
      ],
    };
    fs.writeFileSync(path.join(dir, "test.json"), JSON.stringify(test));
    const run = () => execFileSync("promtool", ["test", "rules", "test.json"], { cwd: dir, encoding: "utf8", stdio: "pipe" });
    expect(run()).toContain("SUCCESS");
    // The same check fails when the expectation is wrong: promtool really evaluates it.
    test.tests[0]!.promql_expr_test[4]!.exp_samples[0]!.value = 99;
    fs.writeFileSync(path.join(dir, "test.json"), JSON.stringify(test));
    expect(run).toThrow();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
