/**
 * The pack exercised the way the Pulumi engine runs it: started by
 * @pulumi/pulumi's policy-pack runner (which type-checks it with ts-node, as
 * `pulumi preview --policy-pack policies` does) and queried over the Analyzer
 * gRPC service. A broken package.json, export or config schema fails here.
 */
import * as path from "node:path";
import type { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NORWEGIAN_REGIONS } from "../../catalog";
import { ROOT } from "../helpers";
import { type RunningPack, analyzeRequest, configMap, rpc, startPack } from "./packRunner";

let pack: RunningPack;
let client: AnalyzerClient;

const analyze = (req: analyzer.AnalyzeRequest) => rpc<analyzer.AnalyzeResponse>((done) => client.analyze(req, done));

beforeAll(async () => {
  pack = await startPack(path.join(ROOT, "policies"));
  client = pack.client;
}, 120_000);

afterAll(() => {
  pack.stop();
});

describe("the policy pack over the Analyzer gRPC service", () => {
  it("describes itself with every policy, its enforcement level and config defaults from the catalogue", async () => {
    const info = await rpc<analyzer.AnalyzerInfo>((done) => client.getAnalyzerInfo(new Empty(), done));
    expect(info.getName()).toBe("sovereign-ai-factory");
    expect(info.getVersion()).toBe("0.1.0");
    const levels = Object.fromEntries(
      info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY ? "mandatory" : "advisory"]),
    );
    expect(levels).toEqual({
      "norwegian-region-only": "mandatory",
      "renewable-power-site": "mandatory",
      "in-country-data": "mandatory",
      "site-power-budget": "mandatory",
      "sensitive-data-isolation": "mandatory",
      "gpu-workload-placement": "advisory",
      "heat-reuse-declared": "advisory",
      "sovereign-supply-chain": "mandatory",
      "energy-reporting": "advisory",
      "gpu-workload-queued": "advisory",
      "in-country-fleet": "mandatory",
    });
    for (const p of info.getPoliciesList()) {
      expect(p.getSeverity(), p.getName()).not.toBe(analyzer.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED);
      expect(p.getRemediationSteps().length, p.getName()).toBeGreaterThan(20);
      expect(p.getUrl(), p.getName()).toMatch(new RegExp(`README\\.md#${p.getName()}$`));
    }
    const frameworks = Object.fromEntries(info.getPoliciesList().map((p) => [p.getName(), p.getFramework()?.getName() ?? ""]));
    expect(frameworks["norwegian-region-only"]).toContain("NSM");
    expect(frameworks["in-country-data"]).toContain("GDPR");
    expect(frameworks["renewable-power-site"]).toContain("Energy Efficiency Directive");
    const region = info.getPoliciesList().find((p) => p.getName() === "norwegian-region-only");
    const schema = region?.getConfigschema()?.getProperties()?.toJavaScript() as { allowedRegions: { default: string[] } };
    expect(schema.allowedRegions.default).toEqual([...NORWEGIAN_REGIONS]);
  });

  it("blocks a foreign region on Analyze, with the resource, path and value in the message", async () => {
    const res = await analyze(analyzeRequest("bad", configMap("bad", { "topology.kubernetes.io/region": "eu-north-1" })));
    const diags = res.getDiagnosticsList();
    expect(diags.map((d) => [d.getPolicyname(), d.getEnforcementlevel()])).toEqual([["norwegian-region-only", analyzer.EnforcementLevel.MANDATORY]]);
    expect(diags[0]?.getMessage()).toContain('bad (kubernetes:core/v1:ConfigMap): metadata.labels["topology.kubernetes.io/region"] = "eu-north-1"');
  });

  it("blocks a hand-written operator Stack whose state and program live abroad", async () => {
    const stack = {
      apiVersion: "pulumi.com/v1",
      kind: "Stack",
      metadata: { name: "oslo", namespace: "pulumi-kubernetes-operator" },
      spec: { stack: "oslo", projectRepo: "https://github.com/acme/factory.git", commit: "4f2c0e9d8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e", backend: "s3://state?endpoint=s3.eu-north-1.amazonaws.com" },
    };
    const req = new analyzer.AnalyzeRequest();
    req.setType("kubernetes:pulumi.com/v1:Stack").setName("oslo").setUrn("urn:pulumi:test::p::kubernetes:pulumi.com/v1:Stack::oslo");
    req.setProperties(Struct.fromJavaScript(stack));
    req.setOptions(new analyzer.AnalyzerResourceOptions());
    const diags = (await analyze(req)).getDiagnosticsList().filter((d) => d.getPolicyname() === "in-country-fleet");
    expect(diags.every((d) => d.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY)).toBe(true);
    const messages = diags.map((d) => d.getMessage()).join("\n");
    expect(messages).toContain("reaches s3.eu-north-1.amazonaws.com");
    expect(messages).toContain('spec.projectRepo = "https://github.com/acme/factory.git" reaches github.com');
    expect(messages).toContain("sets no NPM_CONFIG_REGISTRY");
    expect(messages).toContain("runs as the namespace's `default` ServiceAccount");
  });

  it("takes an operator's extended allow-list through Configure", async () => {
    const req = analyzeRequest("extended", configMap("extended", { "topology.kubernetes.io/region": "no-bergen-1" }));
    expect((await analyze(req)).getDiagnosticsList()).toHaveLength(1);
    const config = new analyzer.PolicyConfig();
    config.setEnforcementlevel(analyzer.EnforcementLevel.MANDATORY);
    config.setProperties(Struct.fromJavaScript({ allowedRegions: [...NORWEGIAN_REGIONS, "no-bergen-1"] }));
    const configure = new analyzer.ConfigureAnalyzerRequest();
    configure.getPolicyconfigMap().set("norwegian-region-only", config);
    await rpc<Empty>((done) => client.configure(configure, done));
    expect((await analyze(req)).getDiagnosticsList()).toHaveLength(0);
  });

  it("makes gpu-workload-queued mandatory when the operator's config says so", async () => {
    const job = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "train", namespace: "research" },
      spec: { template: { spec: { containers: [{ name: "t", image: "cr.oslo-1.aifactory.no/t:1", resources: { limits: { "nvidia.com/gpu": "8" } } }] } } },
    };
    const req = new analyzer.AnalyzeRequest();
    req.setType("kubernetes:batch/v1:Job").setName("train").setUrn("urn:pulumi:test::p::kubernetes:batch/v1:Job::train");
    req.setProperties(Struct.fromJavaScript(job));
    req.setOptions(new analyzer.AnalyzerResourceOptions());
    const queued = () => analyze(req).then((r) => r.getDiagnosticsList().filter((d) => d.getPolicyname() === "gpu-workload-queued"));
    expect((await queued()).map((d) => d.getEnforcementlevel())).toEqual([analyzer.EnforcementLevel.ADVISORY]);
    const config = new analyzer.PolicyConfig();
    config.setEnforcementlevel(analyzer.EnforcementLevel.MANDATORY);
    config.setProperties(Struct.fromJavaScript({}));
    const configure = new analyzer.ConfigureAnalyzerRequest();
    configure.getPolicyconfigMap().set("gpu-workload-queued", config);
    await rpc<Empty>((done) => client.configure(configure, done));
    expect((await queued()).map((d) => d.getEnforcementlevel())).toEqual([analyzer.EnforcementLevel.MANDATORY]);
  });

  it("runs stack policies on AnalyzeStack: a site whose pools outgrow its renewable capacity", async () => {
    const site = { "aifactory.no/site": "oslo-1", "aifactory.no/power-source": "hydro", "aifactory.no/renewable": "true", "aifactory.no/guarantee-of-origin": "GO-1" };
    const record = configMap("site", { ...site, "aifactory.no/site-declaration": "true" }, {
      name: "oslo-1",
      powerSource: "hydro",
      guaranteeOfOrigin: "GO-1",
      capacityKw: "10",
      pue: "1.2",
      heatReuseConsumer: "district heating",
    });
    const pool = { ...configMap("gpu-pool-a", site), metadata: { name: "gpu-pool-a", labels: site, annotations: { "aifactory.no/power-estimate-watts": "10200" } } };
    const req = new analyzer.AnalyzeStackRequest();
    for (const [name, props] of [["site", record], ["pool", pool]] as const) {
      const r = new analyzer.AnalyzerResource();
      r.setType("kubernetes:core/v1:ConfigMap").setName(name).setUrn(`urn:pulumi:test::p::kubernetes:core/v1:ConfigMap::${name}`);
      r.setProperties(Struct.fromJavaScript(props));
      r.setOptions(new analyzer.AnalyzerResourceOptions());
      req.addResources(r);
    }
    const diags = (await rpc<analyzer.AnalyzeResponse>((done) => client.analyzeStack(req, done))).getDiagnosticsList();
    expect(diags.map((d) => d.getPolicyname())).toEqual(["site-power-budget"]);
    expect(diags[0]?.getMessage()).toContain('site "oslo-1": GPU pools draw 10.2 kW IT x PUE 1.2 = 12.2 kW at full load, over the 10 kW');
    expect(diags[0]?.getUrn()).toBe("urn:pulumi:test::p::kubernetes:core/v1:ConfigMap::site");
  });
});
