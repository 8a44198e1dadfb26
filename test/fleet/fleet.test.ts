import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../fleet/program";
import { ProgramError, type RecordedResource, evaluatePolicies, kubernetesObjects, programResources, readStackConfig, runProgram, validateObject } from "../../plan";
import { parsePluginOverrides } from "../../catalog";
import { cliBackendProblem } from "../../fleet/rules";
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

  it("declares a Stack per site: pinned commit from the in-country git server, its own state prefix and Vault key, resync, refresh, never destroy", async () => {
    const stacks = kubernetesObjects(await plan(fleetConfig())).filter((o) => o.kind === "Stack");
    expect(stacks.map((s) => s.metadata.name)).toEqual(["oslo", "rjukan"]);
    const oslo = stacks[0]!["spec"] as Record<string, unknown>;
    expect(oslo).toMatchObject({
      stack: "oslo",
      projectRepo: "https://git.aifactory.no/platform/sovereign-ai-factory.git",
      commit: "4f2c0e9d8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e",
      gitAuth: { accessToken: { type: "Secret", secret: { name: "git-credentials-oslo", key: "accessToken" } } },
      backend: "s3://aifactory-pulumi-state/oslo?endpoint=https://s3.oslo-1.aifactory.no&s3ForcePathStyle=true&region=no-oslo-1",
      secretsProvider: "hashivault://aifactory-oslo",
      envRefs: {
        AWS_ACCESS_KEY_ID: { type: "Secret", secret: { name: "state-credentials-oslo", key: "AWS_ACCESS_KEY_ID" } },
        AWS_SECRET_ACCESS_KEY: { type: "Secret", secret: { name: "state-credentials-oslo", key: "AWS_SECRET_ACCESS_KEY" } },
      },
      refresh: true,
      destroyOnFinalize: false,
      continueResyncOnCommitMatch: true,
      resyncFrequencySeconds: 900,
      workspaceTemplate: { spec: { image: "cr.oslo-1.aifactory.no/pulumi/pulumi:3.248.0-nonroot" } },
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

type Obj = Record<string, unknown> & { kind: string; metadata: { name: string; namespace?: string } };
const spec = (o: Obj) => o["spec"] as Record<string, unknown>;
const template = (o: Obj) => (spec(o)["workspaceTemplate"] as { spec: Record<string, unknown> }).spec;
const envRefs = (o: Obj) => spec(o)["envRefs"] as Record<string, { type: string; literal?: { value: string }; secret?: { name: string; key: string } }>;

/** Every Secret a Stack makes its workspace read: env, git token, volumes. */
function secretsOf(stack: Obj): string[] {
  const names = Object.values(envRefs(stack)).flatMap((r) => (r.secret === undefined ? [] : [r.secret.name]));
  const git = (spec(stack)["gitAuth"] as { accessToken?: { secret: { name: string } } } | undefined)?.accessToken?.secret.name;
  const pod = (template(stack)["podTemplate"] as { spec: { volumes: { secret?: { secretName: string } }[] } }).spec;
  return [...names, ...(git === undefined ? [] : [git]), ...pod.volumes.flatMap((v) => (v.secret === undefined ? [] : [v.secret.secretName]))];
}

describe("the fleet under the policy pack", () => {
  it("breaks no mandatory policy, so pulumi up --policy-pack policies in fleet/ goes through", async () => {
    const run = await runProgram({ stack: "management", project: "sovereign-ai-factory-fleet", config: fleetConfig(), program: main });
    const mandatory = (await evaluatePolicies(run.resources)).filter((v) => v.enforcement === "mandatory");
    expect(mandatory).toEqual([]);
  });
});

describe("the fleet's workspaces", () => {
  it("run each as its own ServiceAccount, bound to system:auth-delegator for the agent's TokenReviews and SubjectAccessReviews", async () => {
    const objects = kubernetesObjects(await plan(fleetConfig())) as Obj[];
    for (const stack of objects.filter((o) => o.kind === "Stack")) {
      const account = template(stack)["serviceAccountName"];
      const sa = objects.find((o) => o.kind === "ServiceAccount" && o.metadata.name === account);
      expect(sa?.metadata.namespace, `${stack.metadata.name}'s ServiceAccount is in the Stack's namespace`).toBe(stack.metadata.namespace);
      const binding = objects.find(
        (o) => o.kind === "ClusterRoleBinding" && (o["subjects"] as { name: string; namespace: string }[]).some((s) => s.name === account && s.namespace === stack.metadata.namespace),
      );
      expect(binding?.["roleRef"]).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" });
      expect(binding?.["subjects"]).toHaveLength(1);
    }
    const accounts = objects.filter((o) => o.kind === "Stack").map((s) => template(s)["serviceAccountName"]);
    expect(new Set(accounts).size).toBe(2);
  });

  it("reach Vault as gocloud.dev's hashivault reads it: VAULT_SERVER_URL and the site's own token", async () => {
    const stacks = kubernetesObjects(await plan(fleetConfig())).filter((o) => o.kind === "Stack") as Obj[];
    for (const s of stacks) {
      expect(envRefs(s)["VAULT_SERVER_URL"]).toEqual({ type: "Literal", literal: { value: "https://vault.oslo-1.aifactory.no" } });
      expect(envRefs(s)["VAULT_SERVER_TOKEN"]).toEqual({ type: "Secret", secret: { name: `vault-token-${s.metadata.name}`, key: "token" } });
    }
  });

  it("install npm packages and every provider plugin from the in-country mirrors", async () => {
    const stacks = kubernetesObjects(await plan(fleetConfig())).filter((o) => o.kind === "Stack") as Obj[];
    for (const s of stacks) {
      expect(envRefs(s)["NPM_CONFIG_REGISTRY"]?.literal?.value).toBe("https://npm.oslo-1.aifactory.no/");
      const overrides = parsePluginOverrides(envRefs(s)["PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES"]?.literal?.value ?? "");
      expect(overrides).toEqual([{ pattern: ".*", url: "https://plugins.oslo-1.aifactory.no/pulumi" }]);
      // The CLI matches each pattern against a plugin's default source (plugins.go, v3.248.0): every plugin goes to the mirror.
      for (const source of ["github://api.github.com/pulumi/pulumi-kubernetes", "github://api.github.com/pulumi/pulumi-random"]) {
        expect(new RegExp(overrides![0]!.pattern).test(source)).toBe(true);
      }
    }
  });

  it("hold only their own site's keys: no Secret or ServiceAccount is named by two Stacks", async () => {
    const stacks = kubernetesObjects(await plan(fleetConfig())).filter((o) => o.kind === "Stack") as Obj[];
    const owners = new Map<string, string[]>();
    for (const s of stacks) for (const name of secretsOf(s)) owners.set(name, [...(owners.get(name) ?? []), s.metadata.name]);
    expect(owners.size).toBe(8);
    for (const [name, stacksOf] of owners) {
      expect(new Set(stacksOf).size, name).toBe(1);
      expect(name.endsWith(`-${stacksOf[0]}`), name).toBe(true);
    }
  });
});

describe("an in-country fleet", () => {
  const set = (at: string[], value: unknown) => (f: Record<string, unknown>) => {
    let o = f;
    for (const k of at.slice(0, -1)) o = o[k] as Record<string, unknown>;
    o[at[at.length - 1]!] = value;
  };
  it.each([
    ["the state backend on AWS S3", ["backend"], "s3://state/{stack}?endpoint=s3.eu-north-1.amazonaws.com&region=eu-north-1", "fleet.backend: reaches s3.eu-north-1.amazonaws.com, outside the allowed in-country domains"],
    ["the state backend with no endpoint (AWS S3)", ["backend"], "s3://state/{stack}?region=eu-north-1", "fleet.backend: reaches s3.amazonaws.com"],
    ["the program from github.com", ["git", "repo"], "https://github.com/acme/sovereign-ai-factory.git", "fleet.git.repo: reaches github.com"],
    ["secrets in AWS KMS", ["secretsProvider"], "awskms://alias/{stack}?region=eu-north-1", "fleet.secretsProvider: reaches kms.amazonaws.com"],
    ["secrets under a passphrase", ["secretsProvider"], "passphrase", "fleet.secretsProvider: a passphrase is no key service"],
    ["a Vault abroad", ["vault", "address"], "https://vault.example.com", "fleet.vault.address: reaches vault.example.com"],
    ["npm packages from registry.npmjs.org", ["mirrors", "npmRegistry"], "https://registry.npmjs.org/", "fleet.mirrors.npmRegistry: reaches registry.npmjs.org"],
    ["plugins from get.pulumi.com", ["mirrors", "pluginDownloadUrl"], "https://get.pulumi.com/releases/plugins", "fleet.mirrors.pluginDownloadUrl: reaches get.pulumi.com"],
    ["a workspace image from Docker Hub", ["workspaceImage"], "docker.io/pulumi/pulumi:3.248.0-nonroot", "fleet.workspaceImage: reaches docker.io"],
    ["one state prefix for every site", ["backend"], "s3://aifactory-pulumi-state?endpoint=https://s3.oslo-1.aifactory.no", "fleet.backend: must hold {stack}"],
    ["one Vault key for every site", ["secretsProvider"], "hashivault://aifactory-sites", "fleet.secretsProvider: must hold {stack}"],
  ])("refuses %s, naming the key, before declaring anything", async (_name, at, value, text) => {
    const message = await refused(fleetConfig(set(at, value)));
    expect(message).toContain(text);
  });

  it("takes another in-country domain when fleet.allowedDomains lists it", async () => {
    const config = fleetConfig((f) => {
      set(["mirrors", "npmRegistry"], "https://npm.example.no/")(f);
      f["allowedDomains"] = ["aifactory.no", "example.no"];
    });
    expect((await plan(config)).length).toBeGreaterThan(0);
  });

  it("needs a pinned commit for production waves, and lets staging sites follow a branch", async () => {
    const branch = (sites: unknown[]) => (f: Record<string, unknown>) => {
      f["git"] = { ...(f["git"] as object), commit: undefined, branch: "main" };
      f["sites"] = sites;
    };
    expect(await refused(fleetConfig(branch([{ stack: "oslo", wave: 0 }, { stack: "rjukan", wave: 1 }])))).toContain(
      "fleet.git.commit: production waves need a pinned commit: oslo (wave 0), rjukan (wave 1) would follow branch 'main'",
    );
    const staging = kubernetesObjects(await plan(fleetConfig(branch([{ stack: "oslo", wave: 0, stage: "staging" }, { stack: "rjukan", wave: 1, stage: "staging" }]))));
    const oslo = staging.find((o) => o.kind === "Stack")!;
    expect((oslo.metadata as { labels?: Record<string, string> }).labels?.["aifactory.no/stage"]).toBe("staging");
    expect(oslo["spec"]).toMatchObject({ branch: "main" });
  });
});

describe("the workspace CLI and the S3 backend URL", () => {
  const backend = "s3://b/{stack}?endpoint=https://s3.oslo-1.aifactory.no&s3ForcePathStyle=true";
  it("accepts the pinned CLI, and a 3.205 CLI on an SDK v1 URL", () => {
    expect(cliBackendProblem("cr.oslo-1.aifactory.no/pulumi/pulumi:3.248.0-nonroot", backend)).toBeUndefined();
    expect(cliBackendProblem("cr.oslo-1.aifactory.no/pulumi/pulumi:3.205.0-nonroot", backend)).toBeUndefined();
  });
  it("refuses s3ForcePathStyle with awssdk=v2 before 3.245 (pulumi#18645), and 3.245.0 itself (pulumi#23478)", () => {
    expect(cliBackendProblem("cr.oslo-1.aifactory.no/pulumi/pulumi:3.205.0-nonroot", `${backend}&awssdk=v2`)).toContain("pulumi#18645");
    expect(cliBackendProblem("cr.oslo-1.aifactory.no/pulumi/pulumi:3.245.0", backend)).toContain("pulumi#23478");
    expect(cliBackendProblem("cr.oslo-1.aifactory.no/pulumi/pulumi:3.246.0", `${backend}&awssdk=v2`)).toBeUndefined();
  });
});
