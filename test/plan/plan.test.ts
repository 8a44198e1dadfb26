import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import * as k8s from "@pulumi/kubernetes";
import {
  PLACEHOLDER_SECRET,
  REDACTED,
  UNKNOWN,
  UsageError,
  engineConfig,
  kubernetesObjects,
  planStack,
  plainValue,
  hasUpstreamSchema,
  validateObject,
} from "../../plan";
import { main } from "../../program";
import { ROOT, osloRaw, osloWith, runWith } from "../helpers";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "aifactory-plan-"));
}

/** Writes raw config sections as a stack file. */
function writeStackFile(dir: string, raw: Record<string, unknown>): string {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) config[`sovereign-ai-factory:${key}`] = value;
  const file = path.join(dir, "Pulumi.test.yaml");
  fs.writeFileSync(file, stringify({ config }));
  return file;
}

/** The command `npm run plan` runs, from package.json: node and its arguments. */
const PLAN_SCRIPT = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { plan: string } }).scripts.plan.split(" ");

/** `npm run plan -- ARGS`, as npm runs it (without npm). */
function runCli(args: string[], nodeArgs: string[] = []) {
  expect(PLAN_SCRIPT[0]).toBe("node");
  return spawnSync(process.execPath, [...nodeArgs, ...PLAN_SCRIPT.slice(1), ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
}

describe("planStack", () => {
  it("writes every Kubernetes object as a manifest and the resources to plan.json", async () => {
    const out = tempDir();
    const outcome = await planStack({
      stack: "oslo",
      configFile: path.join(ROOT, "Pulumi.oslo.yaml"),
      outDir: out,
      program: main,
    });
    expect(outcome.exitCode).toBe(0);
    const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as {
      stack: string;
      resources: { type: string; urn: string }[];
      summary: { kubernetesObjects: number };
    };
    expect(plan.stack).toBe("oslo");
    // In URN order, whatever order registrations settled in.
    const urns = plan.resources.map((r) => r.urn);
    expect(urns).toEqual([...urns].sort());
    expect(plan.resources.some((r) => r.type === "kubernetes:core/v1:Namespace")).toBe(true);
    const ns = parse(fs.readFileSync(path.join(out, "manifests/_cluster/namespace-public-services.yaml"), "utf8")) as {
      kind: string;
      metadata: { labels: Record<string, string> };
    };
    expect(ns.kind).toBe("Namespace");
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const files = fs.readdirSync(path.join(out, "manifests"), { recursive: true }).filter((f) => String(f).endsWith(".yaml"));
    expect(files).toHaveLength(plan.summary.kubernetesObjects);
  });

  it("exits 2 with the problems on an invalid config, and writes nothing", async () => {
    const dir = tempDir();
    const out = path.join(dir, "out");
    const outcome = await planStack({
      stack: "test",
      configFile: writeStackFile(dir, osloWith({ "site.zones[0]": "eu-north-1a" })),
      outDir: out,
      program: main,
    });
    expect(outcome).toEqual({
      exitCode: 2,
      message: expect.stringContaining(
        "site.zones[0]: must be a zone of no-oslo-1: the region name plus one letter, e.g. no-oslo-1a",
      ) as unknown,
    });
    expect(fs.existsSync(out)).toBe(false);
  });

  it.each([
    ["a namespace shared by two parts of the factory", { "cluster.gpuOperator": { namespace: "aifactory-system" } }, "cluster.gpuOperator.namespace"],
    ["a misspelt section", { inferences: [] }, "inferences"],
    ["a service name starting with a digit", { "inference[0].name": "7b" }, "inference[0].name"],
    ["a volume of size 0e5", { "storage.volumes[0].size": "0e5" }, "storage.volumes[0].size"],
    ["a tenant named velero", { "tenants[2].name": "velero" }, "tenants[2].name"],
    ["two services on one host name", { "inference[0].exposure": "ingress", "inference[0].hostname": "nb-llama.logistics.oslo-1.aifactory.no", "inference[0].sensitiveIngressReason": "one front door" }, "inference[1].hostname"],
  ])("exits 2 for %s, naming the key, and writes nothing", async (_name, changes, key) => {
    const dir = tempDir();
    const out = path.join(dir, "out");
    const outcome = await planStack({ stack: "test", configFile: writeStackFile(dir, osloWith(changes)), outDir: out, program: main });
    expect(outcome.exitCode).toBe(2);
    expect("message" in outcome && outcome.message).toContain(`  - ${key}: `);
    expect(fs.readdirSync(dir)).toEqual(["Pulumi.test.yaml"]);
  });
});

describe("npm run plan", () => {
  it("plans the Oslo stack into --out and exits 0", () => {
    const out = tempDir();
    const result = runCli(["--stack", "oslo", "--out", out]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^oslo: \d+ resources, \d+ Kubernetes objects/m);
    expect(fs.existsSync(path.join(out, "manifests/aifactory-system/configmap-site.yaml"))).toBe(true);
  });

  it("exits 2 naming the key path for an invalid stack file", () => {
    const dir = tempDir();
    const file = writeStackFile(dir, osloWith({ "gpuPools[2].gpusPerNode": 3 }));
    const result = runCli(["--config", file, "--out", path.join(dir, "out")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("gpuPools[2].gpusPerNode: must be 1, 2, 4 or 8 for l40s");
  });

  it("exits 2 on an unknown option or a missing stack file", () => {
    expect(runCli(["--stak", "oslo"]).status).toBe(2);
    const missing = runCli(["--stack", "bergen"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no stack file Pulumi.bergen.yaml");
  });

  it("answers a usage error without loading the Pulumi SDK", () => {
    // A preload that reports, as the process exits, whether the SDK was ever required.
    const probe = path.join(tempDir(), "probe.cjs");
    const sdk = path.join("node_modules", "@pulumi", "pulumi", "index.js");
    fs.writeFileSync(
      probe,
      `process.on("exit", () => process.stderr.write("sdk loaded: " + Object.keys(require.cache).some((k) => k.endsWith(${JSON.stringify(sdk)})) + "\\n"));`,
    );
    const usage = runCli(["--stak", "oslo"], ["--require", probe]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("sdk loaded: false");
    const planned = runCli(["--stack", "oslo", "--out", tempDir()], ["--require", probe]);
    expect(planned.status).toBe(0);
    expect(planned.stderr).toContain("sdk loaded: true");
  });
});

describe("engine config from a stack file", () => {
  it("passes strings as they are and objects as JSON", () => {
    expect(engineConfig({ "a:s": "x", "a:o": { k: [1] } })).toEqual({ "a:s": "x", "a:o": '{"k":[1]}' });
  });

  it("refuses encrypted values it cannot decrypt", () => {
    expect(() => engineConfig({ "a:key": { secure: "v1:abc" } })).toThrow(UsageError);
  });
});

describe("plainValue", () => {
  const sig = "4dabf18193072939515e22adb298388d";
  it("hides secrets wherever they are nested", () => {
    const secret = { [sig]: "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" };
    expect(plainValue({ a: [{ b: secret }], c: "plain" })).toEqual({ a: [{ b: REDACTED }], c: "plain" });
    const map = { [sig]: "1b47061264138c4ac30d75fd1eb44270", value: { "api-key": "hunter2", nested: ["x"] } };
    expect(plainValue({ stringData: map })).toEqual({ stringData: { "api-key": REDACTED, nested: [REDACTED] } });
    expect(JSON.stringify(plainValue({ deep: { deeper: secret } }))).not.toContain("hunter2");
  });

  it("hides secret output values and marks unknowns", () => {
    const out = { [sig]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", value: "k", secret: true };
    expect(plainValue([out, "04da6b54-80e4-46f7-96ec-b56ff0331ba9"])).toEqual([REDACTED, UNKNOWN]);
  });
});

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, String(f))).filter((f) => fs.statSync(f).isFile());
}

describe("the plan's checks", () => {
  it("validates every Oslo object against the upstream schemas without a problem", async () => {
    const objects = kubernetesObjects((await runWith(osloRaw())).resources);
    for (const obj of objects) expect(validateObject(obj), `${obj.kind}/${obj.metadata.name}`).toEqual([]);
  });

  it("rejects objects the schema or Kubernetes naming rules reject", () => {
    const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" }, spec: { selector: {}, template: { spec: { containers: [{ name: "a", image: 3 }] } } } };
    expect(validateObject(deployment)).toEqual(["schema: data/spec/template/spec/containers/0/image must be string"]);
    expect(validateObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Bad_Name", labels: { "aifactory.no/site": "x y" } } })).toEqual([
      'metadata.name "Bad_Name" is not a valid object name',
      'label "aifactory.no/site" has an invalid value "x y"',
    ]);
    expect(validateObject({ apiVersion: "cluster.x-k8s.io/v1beta2", kind: "machineDeployment", metadata: { name: "ok" } })).toEqual([
      'kind "machineDeployment" is not a Kind',
    ]);
  });

  it("checks the monitoring, autoscaling and Gateway API objects against their projects' schemas", async () => {
    const objects = kubernetesObjects((await runWith(osloRaw())).resources);
    const kinds = ["PodMonitor", "ScaledObject", "Gateway", "HTTPRoute"];
    for (const kind of kinds) {
      const obj = objects.find((o) => o.kind === kind);
      expect(obj, kind).toBeDefined();
      expect(hasUpstreamSchema(obj!), kind).toBe(true);
    }
    const route = structuredClone(objects.find((o) => o.kind === "HTTPRoute")!);
    (route["spec"] as { rules: { matches: { path: { type: string } }[] }[] }).rules[0]!.matches[0]!.path.type = "Prefix";
    expect(validateObject(route)).toEqual(["schema: data/spec/rules/0/matches/0/path/type must be equal to one of the allowed values"]);
    const scaled = structuredClone(objects.find((o) => o.kind === "ScaledObject")!);
    Reflect.deleteProperty(scaled["spec"] as object, "scaleTargetRef");
    expect(validateObject(scaled)).toEqual(["schema: data/spec must have required property scaleTargetRef"]);
  });

  it("exits 3 without touching out/ when writing the plan fails, and leaves no partial folder", async () => {
    const parent = tempDir();
    const out = path.join(parent, "out");
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, "plan.json"), "previous plan\n");
    const program = () => {
      // Two objects with one Kubernetes name: the manifests cannot both be written.
      new k8s.core.v1.ConfigMap("a", { metadata: { name: "same", namespace: "x" } });
      new k8s.core.v1.ConfigMap("b", { metadata: { name: "same", namespace: "x" } });
      return {};
    };
    const outcome = await planStack({ stack: "clash", configFile: path.join(ROOT, "Pulumi.oslo.yaml"), outDir: out, program });
    expect(outcome.exitCode).toBe(3);
    expect("message" in outcome && outcome.message).toContain("two objects would be written to x/configmap-same.yaml");
    expect(fs.readdirSync(parent)).toEqual(["out"]);
    expect(fs.readFileSync(path.join(out, "plan.json"), "utf8")).toBe("previous plan\n");
  });

  it("exits 2 when the program declares an object Kubernetes would reject", async () => {
    const program = () => {
      new k8s.core.v1.ConfigMap("bad", { metadata: { name: "bad", labels: { "aifactory.no/site": "not a label value" } } });
      return {};
    };
    const outcome = await planStack({ stack: "bad", configFile: path.join(ROOT, "Pulumi.oslo.yaml"), outDir: tempDir(), program });
    expect(outcome.exitCode).toBe(2);
    expect("document" in outcome && outcome.document.invalidObjects).toEqual([
      { object: "ConfigMap bad", problems: ['label "aifactory.no/site" has an invalid value "not a label value"'] },
    ]);
  });
});

describe("a failing program", () => {
  it("exits 3 with the error when the program fails for a reason other than config", async () => {
    const program = () => {
      throw new Error("boom: a bug in a component");
    };
    const outcome = await planStack({ stack: "oslo", configFile: path.join(ROOT, "Pulumi.oslo.yaml"), outDir: tempDir(), program });
    expect(outcome).toEqual({ exitCode: 3, message: expect.stringContaining("the program failed: Error: boom: a bug in a component") as unknown });
  });
});

describe("the benchmark's synthetic factories", () => {
  it("are valid sites of about the requested size that pass every policy", async () => {
    const { syntheticFactory } = await import("../../bench/synthetic");
    const { evaluatePolicies, programResources, runProgram } = await import("../../plan");
    const run = await runProgram({ stack: "bench", config: syntheticFactory(ROOT, 300), program: main, captureStacks: false });
    const count = programResources(run).length;
    expect(count).toBeGreaterThan(240);
    expect(count).toBeLessThan(360);
    expect((await evaluatePolicies(run.resources)).filter((v) => v.enforcement === "mandatory")).toEqual([]);
  });
});

describe("the plan's artefacts", () => {
  it("never contain a secret's plaintext", async () => {
    const out = tempDir();
    await planStack({ stack: "oslo", configFile: path.join(ROOT, "Pulumi.oslo.yaml"), outDir: out, program: main });
    const files = filesUnder(out);
    expect(files.some((f) => f.endsWith("secret-nb-llama-docs-api-key.yaml"))).toBe(true);
    for (const file of files) expect(fs.readFileSync(file, "utf8"), file).not.toContain(PLACEHOLDER_SECRET);
    const secret = parse(fs.readFileSync(path.join(out, "manifests/logistics/secret-nb-llama-docs-api-key.yaml"), "utf8")) as { stringData: unknown };
    expect(secret.stringData).toEqual({ "api-key": REDACTED });
  });

  it("writes a report a reviewer can read: site, power, heat, GPUs, tenants, storage, endpoints, violations, diagram", async () => {
    const out = tempDir();
    await planStack({ stack: "oslo", configFile: path.join(ROOT, "Pulumi.oslo.yaml"), outDir: out, program: main });
    const report = fs.readFileSync(path.join(out, "report.md"), "utf8");
    expect(report).toContain("# Site plan: oslo-1 (stack `oslo`)");
    expect(report).toContain("**OK:** no mandatory policy violation.");
    expect(report).toContain("| 68.7 kW | 79 kW | 2,500 kW | 2,421 kW |");
    // 68.7 kW IT x 0.7 recovered x 8,760 h = 421 MWh
    expect(report).toContain("about **421 MWh per year**");
    expect(report).toContain("| h100-train | NVIDIA H100 SXM5 80GB | clusterapi | no-oslo-1a | 2-4 | 8 | 32 | all-disabled | 40.8 kW |");
    expect(report).toContain("| public-services (Municipal case handling and citizen services) | sensitive | 16 | 50Ti | public-services |");
    expect(report).toContain("https://nb-llama.logistics.oslo-1.aifactory.no/v1");
    expect(report).toContain("| gpu-operator | gpu-operator | gpu-operator | v25.10.0 | https://charts.oslo-1.aifactory.no/stable |");
    const values = parse(fs.readFileSync(path.join(out, "helm", "gpu-operator.values.yaml"), "utf8")) as { mig: { strategy: string } };
    expect(values.mig.strategy).toBe("single");
    expect(report).toContain("```mermaid");
    expect(report).toContain("pool_l40s_infer --> svc_public_services_normistral_chat");
  });

  it("reports the site's EU data-centre indicators with their definitions, in report.md, plan.json and energy-report.json", async () => {
    const out = tempDir();
    const outcome = await planStack({ stack: "oslo", configFile: path.join(ROOT, "Pulumi.oslo.yaml"), outDir: out, program: main });
    expect(outcome.exitCode).toBe(0);
    const report = fs.readFileSync(path.join(out, "report.md"), "utf8");
    const section = report.slice(report.indexOf("## Sustainability"), report.indexOf("## GPU pools"));
    for (const line of [
      "| Power usage effectiveness (PUE) | **1.15** | total data-centre energy / IT equipment energy |",
      "| Energy reuse factor (ERF) | **0.61** | energy reused outside the data centre / total data-centre energy |",
      "| Renewable energy factor (REF) | **1** | renewable energy / total data-centre energy |",
      "| Water usage effectiveness (WUE) | **0.39** L/kWh | water input / IT equipment energy |",
      "`aifactory:gpu_energy_kwh:increase1d_by_tenant`",
    ]) {
      expect(section).toContain(line);
    }
    const energy = JSON.parse(fs.readFileSync(path.join(out, "energy-report.json"), "utf8")) as { reportingYear: number; indicators: { id: string; basis: string }[] };
    expect(energy.reportingYear).toBe(2025);
    expect(energy.indicators.map((i) => [i.id, i.basis])).toEqual([["pue", "metered"], ["erf", "metered"], ["ref", "metered"], ["wue", "metered"]]);
    const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as { sustainability: unknown };
    expect(plan.sustainability).toEqual(energy);
  });

  it("lists in report.md and energy-report.json what the EU database record still lacks, and where the idle share of GPU energy is", async () => {
    const out = tempDir();
    expect((await planStack({ stack: "oslo", configFile: path.join(ROOT, "Pulumi.oslo.yaml"), outDir: out, program: main })).exitCode).toBe(0);
    const report = fs.readFileSync(path.join(out, "report.md"), "utf8");
    const section = report.slice(report.indexOf("### EU data-centre database record"), report.indexOf("## Usage"));
    expect(section).toContain("**Still missing before the site can file:**");
    expect(section).toContain("- `energy.facility.totalFloorAreaM2`: total floor area of the data centre (SDC)");
    expect(section).toContain("| Annex II(1) | total water input (WIN) | 2,400 | m3 | metered | `energy.metered.waterInputM3` |");
    expect(section).toContain("| Annex I | type of data centre (enterprise, colocation or co-hosting) | co-hosting | text | declared | `energy.facility.type` |");
    expect(report).toContain("### Idle GPU energy");
    expect(report).toContain("`aifactory:gpu_energy_idle_ratio:1d_by_pool` per pool");
    const energy = JSON.parse(fs.readFileSync(path.join(out, "energy-report.json"), "utf8")) as {
      eedRecord: { fields: { id: string; status: string; configKey: string }[]; missing: string[]; readyToFile: boolean };
      gpuIdle: { series: { idleShareSite: string } };
    };
    expect(energy.eedRecord.readyToFile).toBe(false);
    expect(energy.eedRecord.missing).toContain("energy.facility.owner");
    expect(energy.eedRecord.fields.find((f) => f.id === "totalEnergy")).toMatchObject({ status: "metered", configKey: "energy.metered.totalEnergyKwh" });
    // Every missing key is one a field names, and every field the report calls missing is in the list.
    const missingFields = energy.eedRecord.fields.filter((f) => f.status === "missing" && !["pue", "wue", "erf", "ref"].includes(f.id));
    expect([...new Set(missingFields.map((f) => f.configKey))].sort()).toEqual([...energy.eedRecord.missing].sort());
    for (const key of energy.eedRecord.missing) expect(section).toContain(`- \`${key}\``);
    expect(energy.gpuIdle.series.idleShareSite).toBe("aifactory:gpu_energy_idle_ratio:1d");
  });

  it("shows what a change adds, changes and removes with --diff, and warns about data", async () => {
    const before = tempDir();
    await planStack({ stack: "oslo", configFile: path.join(ROOT, "Pulumi.oslo.yaml"), outDir: before, program: main });
    const dir = tempDir();
    const changed = osloWith({
      "tenants[2].quotas.gpus": 40,
      "storage.volumes[3].name": "corpora-v2",
    });
    const outcome = await planStack({
      stack: "oslo",
      configFile: writeStackFile(dir, changed),
      outDir: path.join(dir, "out"),
      program: main,
      diffFile: path.join(before, "plan.json"),
    });
    expect(outcome.exitCode).toBe(0);
    const report = fs.readFileSync(path.join(dir, "out", "report.md"), "utf8");
    expect(report).toContain("1 added, 1 changed, 1 removed.");
    expect(report).toContain("- **add** oslo-1-storage-volume-research-corpora-v2 (kubernetes:core/v1:PersistentVolumeClaim)");
    expect(report).toContain("- **change** oslo-1-tenant-research-quota (kubernetes:core/v1:ResourceQuota): spec");
    expect(report).toContain("- **remove** oslo-1-storage-volume-research-corpora (kubernetes:core/v1:PersistentVolumeClaim)");
    expect(report).toContain("**Data:** 1 removed resource(s) hold data");
  });

  it("exits 2 for a --diff file that is not a plan", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "x.json"), "{}");
    await expect(
      planStack({ stack: "oslo", configFile: path.join(ROOT, "Pulumi.oslo.yaml"), outDir: dir, program: main, diffFile: path.join(dir, "x.json") }),
    ).rejects.toThrow(UsageError);
    expect(runCli(["--stack", "oslo", "--out", dir, "--diff", path.join(dir, "x.json")]).status).toBe(2);
  });
});

describe("the examples that must be blocked", () => {
  it.each([
    ["stockholm", ["in-country-data", "norwegian-region-only"], 'metadata.labels["aifactory.no/region"] = "se-sto-1" is not a Norwegian region or zone'],
    ["gridmix", ["renewable-power-site"], 'site declaration "trondheim-1" power source "grid-mix" is not renewable'],
  ])("plans examples/Pulumi.%s.yaml and exits 1 naming the policies", (name, policies, message) => {
    const out = tempDir();
    const result = runCli(["--config", `examples/Pulumi.${name}.yaml`, "--out", out]);
    expect(result.status).toBe(1);
    const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as { violations: { policy: string; enforcement: string; message: string }[] };
    const mandatory = [...new Set(plan.violations.filter((v) => v.enforcement === "mandatory").map((v) => v.policy))].sort();
    expect(mandatory).toEqual(policies);
    expect(plan.violations.some((v) => v.message.includes(message))).toBe(true);
    expect(fs.readFileSync(path.join(out, "report.md"), "utf8")).toContain("**Blocked:**");
    expect(result.stderr).toContain(`[${policies[0]!}]`);
  });
});
