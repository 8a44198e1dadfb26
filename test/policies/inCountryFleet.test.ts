import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../fleet/program";
import { IN_COUNTRY_FLEET_DEFAULTS, inCountryFleetViolations } from "../../policies/inCountryFleet";
import type { ResourceView } from "../../policies/lib/resource";
import { kubernetesObjects, programResources, readStackConfig, runProgram } from "../../plan";
import { ROOT } from "../helpers";

const TYPE = "kubernetes:pulumi.com/v1:Stack";
const view = (props: Record<string, unknown>, type = TYPE): ResourceView => ({ type, name: "hand", urn: `urn:pulumi:s::p::${type}::hand`, props });
const violations = (props: Record<string, unknown>, type?: string) => inCountryFleetViolations(view(props, type), IN_COUNTRY_FLEET_DEFAULTS);

/** The fleet program's own Oslo Stack, as the operator would receive it. */
async function fleetStack(): Promise<Record<string, unknown>> {
  const config = readStackConfig(path.join(ROOT, "fleet", "Pulumi.management.yaml"));
  const run = await runProgram({ stack: "management", project: "sovereign-ai-factory-fleet", config, program: main });
  const stack = kubernetesObjects(programResources(run)).find((o) => o.kind === "Stack");
  if (stack === undefined) throw new Error("no Stack planned");
  return structuredClone(stack);
}

const specOf = (s: Record<string, unknown>) => s["spec"] as Record<string, unknown>;
const envOf = (s: Record<string, unknown>) => specOf(s)["envRefs"] as Record<string, unknown>;

describe("in-country-fleet", () => {
  it("passes the fleet program's own Stacks", async () => {
    expect(violations(await fleetStack())).toEqual([]);
  });

  it.each([
    ["a backend on AWS S3", (s: Record<string, unknown>) => void (specOf(s)["backend"] = "s3://state?endpoint=s3.eu-north-1.amazonaws.com"), 'spec.backend = "s3://state?endpoint=s3.eu-north-1.amazonaws.com" reaches s3.eu-north-1.amazonaws.com, outside'],
    ["no backend (Pulumi Cloud)", (s: Record<string, unknown>) => { delete specOf(s)["backend"]; }, "reaches api.pulumi.com"],
    ["the program from github.com", (s: Record<string, unknown>) => void (specOf(s)["projectRepo"] = "git@github.com:acme/factory.git"), 'spec.projectRepo = "git@github.com:acme/factory.git" reaches github.com'],
    ["secrets in AWS KMS", (s: Record<string, unknown>) => void (specOf(s)["secretsProvider"] = "awskms://alias/x?region=eu-north-1"), "reaches kms.amazonaws.com"],
    ["secrets under a passphrase", (s: Record<string, unknown>) => void (specOf(s)["secretsProvider"] = "passphrase"), "a passphrase is no key service"],
    ["hashivault with no Vault address", (s: Record<string, unknown>) => { delete envOf(s)["VAULT_SERVER_URL"]; }, "no Vault address (VAULT_SERVER_URL or VAULT_ADDR) reaches the workspace"],
    ["a Vault abroad through the workspace template", (s: Record<string, unknown>) => {
      const tpl = (specOf(s)["workspaceTemplate"] as { spec: Record<string, unknown> }).spec;
      tpl["env"] = [{ name: "VAULT_ADDR", value: "https://vault.example.com:8200" }];
    }, "reaches vault.example.com"],
    ["no npm mirror", (s: Record<string, unknown>) => { delete envOf(s)["NPM_CONFIG_REGISTRY"]; }, "sets no NPM_CONFIG_REGISTRY"],
    ["an npm registry abroad, in lower case", (s: Record<string, unknown>) => void (envOf(s)["npm_config_registry"] = { type: "Literal", literal: { value: "https://registry.npmjs.org/" } }), "reaches registry.npmjs.org"],
    ["no plugin mirror", (s: Record<string, unknown>) => { delete envOf(s)["PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES"]; }, "sets no PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES"],
    ["a plugin override that matches only some plugins", (s: Record<string, unknown>) => void (envOf(s)["PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES"] = { type: "Literal", literal: { value: "^github://api.github.com/pulumi/pulumi-random=https://plugins.aifactory.no" } }), 'has no ".*" pair'],
    ["a plugin mirror from a Secret", (s: Record<string, unknown>) => void (envOf(s)["PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES"] = { type: "Secret", secret: { name: "x", key: "y" } }), "is not a literal list of regexp=URL pairs"],
    ["a production Stack on a branch", (s: Record<string, unknown>) => {
      delete specOf(s)["commit"];
      specOf(s)["branch"] = "main";
    }, 'follows branch "main"; a production Stack pins spec.commit'],
    ["a workspace on the default ServiceAccount", (s: Record<string, unknown>) => {
      delete (specOf(s)["workspaceTemplate"] as { spec: Record<string, unknown> }).spec["serviceAccountName"];
    }, "runs as the namespace's `default` ServiceAccount"],
  ])("refuses %s", async (_name, change, text) => {
    const stack = await fleetStack();
    change(stack);
    expect(violations(stack).join("\n")).toContain(text);
  });

  it("lets a Stack labelled staging follow a branch", async () => {
    const stack = await fleetStack();
    delete specOf(stack)["commit"];
    specOf(stack)["branch"] = "main";
    (stack["metadata"] as { labels: Record<string, string> }).labels["aifactory.no/stage"] = "staging";
    expect(violations(stack)).toEqual([]);
  });

  it("finds a hand-written Stack inside a YAML bundle, and takes another domain by config", async () => {
    const stack = await fleetStack();
    specOf(stack)["backend"] = "s3://state?endpoint=https://s3.example.no";
    const bundle = { objs: [stack] };
    expect(violations(bundle, "kubernetes:yaml/v2:ConfigGroup")).toEqual([
      'hand (kubernetes:yaml/v2:ConfigGroup): objs[0]: Stack oslo: spec.backend = "s3://state?endpoint=https://s3.example.no" reaches s3.example.no, outside the allowed in-country domains (aifactory.no)',
    ]);
    expect(inCountryFleetViolations(view(bundle, "kubernetes:yaml/v2:ConfigGroup"), { allowedDomains: ["aifactory.no", "example.no"] })).toEqual([]);
  });

  it("ignores everything that is not a pulumi.com Stack", () => {
    expect(violations({ apiVersion: "v1", kind: "ConfigMap", data: { backend: "s3://x" } }, "kubernetes:core/v1:ConfigMap")).toEqual([]);
  });
});
