/**
 * The guard rails in the program itself: with no --policy-pack, a site that
 * breaks a mandatory policy stops before anything is registered, and a
 * user's own program that imports the components is stopped at the first
 * resource that breaks one. The program's check and the pack must agree.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { unknown } from "@pulumi/pulumi/output";
import { describe, expect, it } from "vitest";
import { GuardRailError, Tenant, resourceViolations } from "../../components";
import { checkSite, holdForSiteCheck, installGuardRails } from "../../guardRails";
import { ProgramError, type RecordedResource, evaluatePolicies, programResources, readStackConfig, runProgram } from "../../plan";
import { main } from "../../program";
import { ROOT, osloRaw, osloWith, parseConfig, toEngineConfig } from "../helpers";
import { mustCatch, mustPass } from "../policies/corpus";

async function failure(config: Record<string, string>, program: () => unknown): Promise<ProgramError> {
  try {
    await runProgram({ stack: "guard", config, program, guardRails: true });
  } catch (err) {
    if (err instanceof ProgramError) return err;
    throw err;
  }
  throw new Error("the program was not stopped");
}

const site = () => main({ guardRails: true });

describe("the site program's guard rails, with no policy pack", () => {
  it.each([
    ["a foreign region", readStackConfig(path.join(ROOT, "examples/Pulumi.stockholm.yaml")), "norwegian-region-only", 'metadata.labels["aifactory.no/region"] = "se-sto-1" is not a Norwegian region or zone'],
    ["a site on grid-mix power", readStackConfig(path.join(ROOT, "examples/Pulumi.gridmix.yaml")), "renewable-power-site", 'power source "grid-mix" is not renewable'],
    [
      "a foreign endpoint",
      // (a foreign prometheusUrl is refused by the config already: config/endpoints.ts)
      toEngineConfig(osloWith({ "storage.classes[0].parameters": { note: "mirror of s3.eu-west-1.amazonaws.com/aifactory" } })),
      "in-country-data",
      "s3.eu-west-1.amazonaws.com",
    ],
  ])("stop %s before any resource is registered, with the pack's message", async (_name, config, policy, text) => {
    const err = await failure(config, site);
    expect(err.cause).toBeInstanceOf(GuardRailError);
    expect(err.message).toContain(`[${policy}]`);
    expect(err.message).toContain(text);
    expect(programResources(err)).toHaveLength(0);
  }, 60_000);

  it("let a compliant site through", async () => {
    const run = await runProgram({ stack: "guard", config: toEngineConfig(osloRaw()), program: site, guardRails: true });
    expect(programResources(run).length).toBeGreaterThan(50);
  }, 60_000);
});

describe("the components' guard rails in a user's own program", () => {
  const oslo = parseConfig();
  const abroad = { ...oslo.site, region: "eu-west-1", zones: ["eu-west-1a"] };

  it("stop the first resource that breaks a mandatory policy, before it is registered", async () => {
    const err = await failure(toEngineConfig(osloRaw()), () => {
      new Tenant("t", { site: abroad, tenant: oslo.tenants[0]! });
    });
    expect(err.cause).toBeInstanceOf(GuardRailError);
    expect(err.message).toContain('[norwegian-region-only] t-namespace (kubernetes:core/v1:Namespace): metadata.labels["aifactory.no/region"] = "eu-west-1"');
    expect(programResources(err).filter((r) => r.custom)).toHaveLength(0);
  });

  it("guard the user's own resources declared beside the components too", async () => {
    const err = await failure(toEngineConfig(osloRaw()), () => {
      new Tenant("t", { site: oslo.site, tenant: oslo.tenants[0]! });
      new k8s.core.v1.ConfigMap("mine", { metadata: { name: "mine", labels: { "topology.kubernetes.io/region": "eu-west-1" } } });
    });
    expect(err.message).toContain('[norwegian-region-only] mine (kubernetes:core/v1:ConfigMap): metadata.labels["topology.kubernetes.io/region"] = "eu-west-1"');
    expect(programResources(err).map((r) => r.name)).not.toContain("mine");
  });
});

describe("no gaps", () => {
  const oslo = parseConfig();
  const foreign = (labels: Record<string, pulumi.Input<string>>, name = "mine", opts?: pulumi.CustomResourceOptions) =>
    new k8s.core.v1.ConfigMap(name, { metadata: { name, labels } }, opts);

  it("installed before any resource: a ConfigMap declared before the first factory component is refused", async () => {
    const err = await failure(toEngineConfig(osloRaw()), () => {
      installGuardRails(); // what main() does first, and what importing the guard rails inside a running stack does
      foreign({ region: "eu-west-1" }, "early");
      new Tenant("t", { site: oslo.site, tenant: oslo.tenants[0]! });
    });
    expect(err.cause).toBeInstanceOf(GuardRailError);
    expect(err.message).toContain('[norwegian-region-only] early (kubernetes:core/v1:ConfigMap): metadata.labels.region = "eu-west-1"');
    expect(programResources(err).map((r) => r.name)).not.toContain("early");
  });

  it("a value given as an Output is judged once known, before the resource is registered", async () => {
    const err = await failure(toEngineConfig(osloRaw()), () => {
      installGuardRails();
      foreign({ region: pulumi.output("eu-west-1") });
    });
    expect(err.message).toContain('[norwegian-region-only] mine (kubernetes:core/v1:ConfigMap): metadata.labels.region = "eu-west-1"');
    expect(programResources(err).map((r) => r.name)).not.toContain("mine");
  });

  it("a value computed from another resource is judged when that resource is known", async () => {
    const err = await failure(toEngineConfig(osloRaw()), () => {
      installGuardRails();
      const first = foreign({ app: "x" }, "first");
      foreign({ region: first.metadata.apply(() => "eu-west-2") }, "second");
    });
    expect(err.message).toContain('second (kubernetes:core/v1:ConfigMap): metadata.labels.region = "eu-west-2"');
    expect(programResources(err).map((r) => r.name)).toEqual(["first"]);
  });

  it("a secret value is judged without being printed", async () => {
    const err = await failure(toEngineConfig(osloRaw()), () => {
      installGuardRails();
      foreign({ region: pulumi.secret("eu-west-1") });
    });
    expect(err.message).toContain("[norwegian-region-only] mine (kubernetes:core/v1:ConfigMap): a value computed from a secret breaks this policy");
    expect(err.message).not.toContain("eu-west-1");
  });

  it("a Norwegian value given as an Output passes", async () => {
    const run = await runProgram({
      stack: "guard",
      config: toEngineConfig(osloRaw()),
      program: () => {
        installGuardRails();
        foreign({ region: pulumi.output("no-oslo-1") });
      },
      guardRails: true,
    });
    expect(programResources(run).map((r) => r.name)).toEqual(["mine"]);
  });

  it("the site check holds every resource, components included, and reports the resource and stack findings together", async () => {
    // A foreign host the config cannot see (a foreign prometheusUrl is a config error: config/endpoints.ts).
    const config = toEngineConfig(osloWith({ "storage.classes[0].parameters": { note: "mirror of s3.eu-west-1.amazonaws.com/aifactory" } }));
    const err = await failure(config, site);
    expect(err.message).toContain("[norwegian-region-only]");
    expect(err.message).toContain("[in-country-data]");
    expect(programResources(err)).toHaveLength(0);
  }, 60_000);
});

describe("Helm values given as assets (valueYamlFiles)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "guard-assets-"));
  const file = (name: string, text: string) => {
    const at = path.join(dir, name);
    writeFileSync(at, text);
    return at;
  };
  const foreignValues = file("foreign.yaml", "loki:\n  storage:\n    s3:\n      region: eu-west-1\n");
  const norwegianValues = file("norwegian.yaml", "loki:\n  storage:\n    s3:\n      region: no-oslo-1\n      endpoint: https://s3.oslo-1.aifactory.no\n");
  const hostValues = file("host.yaml", "loki:\n  storage:\n    bucketNames:\n      chunks: gs://loki-chunks\n");
  const release = (name: string, valueYamlFiles: pulumi.Input<pulumi.asset.Asset>[] | pulumi.Output<pulumi.asset.Asset[]>) =>
    new k8s.helm.v3.Release(name, { chart: "loki", namespace: "logging", repositoryOpts: { repo: "https://charts.oslo-1.aifactory.no" }, valueYamlFiles });

  it.each([
    ["a file asset", () => new pulumi.asset.FileAsset(foreignValues)],
    ["a string asset", () => new pulumi.asset.StringAsset("loki:\n  region: eu-west-1\n")],
    ["a file:// remote asset", () => new pulumi.asset.RemoteAsset(`file://${foreignValues}`)],
  ])("refuse a foreign region in %s, before the release is registered", async (_name, asset) => {
    const err = await failure(toEngineConfig(osloRaw()), () => {
      installGuardRails();
      release("loki", [asset()]);
    });
    expect(err.message).toContain("[norwegian-region-only] loki (kubernetes:helm.sh/v3:Release): valueYamlFiles[0]");
    expect(err.message).toContain('"eu-west-1" is not a Norwegian region or zone');
    expect(programResources(err).map((r) => r.name)).not.toContain("loki");
  });

  it("judge a file asset that an Output carries", async () => {
    const err = await failure(toEngineConfig(osloRaw()), () => {
      installGuardRails();
      release("loki", pulumi.output([new pulumi.asset.FileAsset(foreignValues)]));
    });
    expect(err.message).toContain('"eu-west-1" is not a Norwegian region or zone');
  });

  it("judge a file asset at once, beside a value not known yet (as during preview)", async () => {
    const err = await failure(toEngineConfig(osloRaw()), () => {
      installGuardRails();
      new k8s.helm.v3.Release("loki", { chart: "loki", namespace: pulumi.output(unknown) as pulumi.Output<string>, valueYamlFiles: [new pulumi.asset.FileAsset(foreignValues)] });
    });
    expect(err.message).toContain('"eu-west-1" is not a Norwegian region or zone');
  });

  it("refuse an asset that cannot be read here either, naming it", async () => {
    const err = await failure(toEngineConfig(osloRaw()), () => {
      installGuardRails();
      release("loki", [new pulumi.asset.RemoteAsset("https://charts.oslo-1.aifactory.no/values.yaml")]);
    });
    expect(err.message).toContain("valueYamlFiles[0] is a remote asset (https://charts.oslo-1.aifactory.no/values.yaml) whose contents the policy pack cannot read");
  });

  it("let Norwegian values in a file through", async () => {
    const run = await runProgram({
      stack: "guard",
      config: toEngineConfig(osloRaw()),
      program: () => {
        installGuardRails();
        release("loki", [new pulumi.asset.FileAsset(norwegianValues)]);
      },
      guardRails: true,
    });
    expect(programResources(run).map((r) => r.name)).toEqual(["loki"]);
  });

  it("give the site check a file's contents: a foreign URI scheme in it is refused by in-country-data", async () => {
    const err = await failure(toEngineConfig(osloRaw()), async () => {
      installGuardRails();
      holdForSiteCheck();
      release("loki", [new pulumi.asset.FileAsset(hostValues)]);
      await checkSite((violations) => new GuardRailError(violations));
    });
    expect(err.message).toContain("[in-country-data] loki (kubernetes:helm.sh/v3:Release): valueYamlFiles[0]");
    expect(err.message).toContain("gs://");
    expect(programResources(err)).toHaveLength(0);
  });
});

describe("the program's check and the pack", () => {
  const resourcePolicies = new Set(["norwegian-region-only", "renewable-power-site"]);

  it.each([...mustCatch, ...mustPass])("agree on %s", async (_name, resources: RecordedResource[]) => {
    const pack = (await evaluatePolicies(resources, undefined, "analyzer"))
      .filter((v) => v.enforcement === "mandatory" && resourcePolicies.has(v.policy))
      .map((v) => `${v.policy}: ${v.message}`)
      .sort();
    const program = resources
      .flatMap((r) => resourceViolations(r.type, r.name, r.inputs))
      .map((v) => `${v.policy}: ${v.message}`)
      .sort();
    expect(program).toEqual(pack);
  });

  it.each([...mustCatch, ...mustPass])("and the site check (the plan's direct run of every policy) agree on %s", async (_name, resources: RecordedResource[]) => {
    const mandatory = (found: Awaited<ReturnType<typeof evaluatePolicies>>) =>
      found.filter((v) => v.enforcement === "mandatory").map((v) => `${v.policy}: ${v.message}`).sort();
    expect(mandatory(await evaluatePolicies(resources, undefined, "direct"))).toEqual(mandatory(await evaluatePolicies(resources, undefined, "analyzer")));
  });
});
