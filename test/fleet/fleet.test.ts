import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../fleet/program";
import { ProgramError, type RecordedResource, kubernetesObjects, programResources, readStackConfig, runProgram, validateObject } from "../../plan";
import { ROOT } from "../helpers";

const FILE = path.join(ROOT, "fleet", "Pulumi.management.yaml");
const KEY = "sovereign-ai-factory-fleet:fleet";

function fleetConfig(change: (f: Record<string, unknown>) => void = () => undefined): Record<string, string> {
  const engine = readStackConfig(FILE);
  const fleet = JSON.parse(engine[KEY] ?? "{}") as Record<string, unknown>;
  change(fleet);
  return { ...engine, [KEY]: JSON.stringify(fleet) };
}

async function plan(config: Record<string, string>): Promise<RecordedResource[]> {
  return programResources(await runProgram({ stack: "management", project: "sovereign-ai-factory-fleet", config, program: main }));
}

async function refused(config: Record<string, string>): Promise<string> {
  try {
    await plan(config);
  } catch (err) {
    if (err instanceof ProgramError) return err.message;
    throw err;
  }
  throw new Error("the fleet program accepted it");
}

describe("the fleet project", () => {
  it("installs the Pulumi Kubernetes Operator from the mirrors, pinned", async () => {
    const release = (await plan(fleetConfig())).find((r) => r.type === "kubernetes:helm.sh/v3:Release");
    expect(release?.inputs).toMatchObject({
      chart: "pulumi-kubernetes-operator",
      version: "2.9.0",
      namespace: "pulumi-kubernetes-operator",
      repositoryOpts: { repo: "https://charts.oslo-1.aifactory.no/stable" },
      values: { image: { registry: "cr.oslo-1.aifactory.no", repository: "pulumi/pulumi-kubernetes-operator", tag: "v2.9.0" } },
    });
  });

  it("declares a Stack per site: pinned commit from the in-country git server, in-country state, secrets from Secrets, resync, refresh, never destroy", async () => {
    const stacks = kubernetesObjects(await plan(fleetConfig())).filter((o) => o.kind === "Stack");
    expect(stacks.map((s) => s.metadata.name)).toEqual(["oslo", "rjukan"]);
    const oslo = stacks[0]!["spec"] as Record<string, unknown>;
    expect(oslo).toMatchObject({
      stack: "oslo",
      projectRepo: "https://git.aifactory.no/platform/sovereign-ai-factory.git",
      commit: "4f2c0e9d8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e",
      backend: "s3://aifactory-pulumi-state?endpoint=s3.oslo-1.aifactory.no&s3ForcePathStyle=true&region=no-oslo-1",
      secretsProvider: "hashivault://aifactory-sites",
      envRefs: {
        AWS_ACCESS_KEY_ID: { type: "Secret", secret: { name: "state-credentials", key: "AWS_ACCESS_KEY_ID" } },
        AWS_SECRET_ACCESS_KEY: { type: "Secret", secret: { name: "state-credentials", key: "AWS_SECRET_ACCESS_KEY" } },
      },
      refresh: true,
      destroyOnFinalize: false,
      continueResyncOnCommitMatch: true,
      resyncFrequencySeconds: 900,
      workspaceTemplate: { spec: { image: "cr.oslo-1.aifactory.no/pulumi/pulumi:3.205.0-nonroot" } },
    });
    expect(oslo).not.toHaveProperty("prerequisites");
    expect((stacks[1]!["spec"] as Record<string, unknown>)["prerequisites"]).toEqual([{ name: "oslo", requirement: { succeededWithinDuration: "24h" } }]);
  });

  it("writes Stacks the operator's v2.9.0 schema accepts, and the schema refuses a broken one", async () => {
    const stacks = kubernetesObjects(await plan(fleetConfig())).filter((o) => o.kind === "Stack");
    for (const s of stacks) expect(validateObject(s)).toEqual([]);
    const broken = structuredClone(stacks[0]!);
    (broken["spec"] as Record<string, unknown>)["branch"] = "main";
    expect(validateObject(broken)).toEqual(["schema: spec: only one of commit and branch"]);
    (broken["spec"] as Record<string, unknown>)["resync"] = true;
    expect(validateObject(broken).join(" ")).toContain("resync");
  });

  it("refuses a fleet config that does not pin its program or has no canary, naming the key", async () => {
    expect(await refused(fleetConfig((f) => ((f["git"] as Record<string, unknown>)["branch"] = "main")))).toContain("fleet.git: must pin exactly one of commit or branch");
    expect(await refused(fleetConfig((f) => (f["sites"] = [{ stack: "oslo", wave: 1 }, { stack: "rjukan", wave: 1 }])))).toContain("fleet.sites: needs a canary: a site in wave 0");
    expect(await refused(fleetConfig((f) => (f["sites"] = [{ stack: "bergen", wave: 0 }])))).toContain("'bergen' has no stack file Pulumi.bergen.yaml");
  });

  it("refuses a fleet whose sites break the fleet rules, before declaring anything", async () => {
    // Without Oslo, Rjukan's backups go to a site outside the fleet.
    const message = await refused(fleetConfig((f) => (f["sites"] = [{ stack: "rjukan", wave: 0 }])));
    expect(message).toContain("[backup-in-fleet] rjukan: backs up to 'no-oslo-1', a region no site of the fleet has");
  });
});
