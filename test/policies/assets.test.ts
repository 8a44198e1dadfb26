/**
 * Helm values given as assets (`valueYamlFiles`): the pack judges a string
 * asset's text as it judges `values`, and refuses an asset it cannot read (a
 * file, a remote URI, an archive), both as the plan records a resource (the
 * wire form) and as @pulumi/policy's analyzer hands it to the policies (the
 * SDK's asset objects, whose fields are promises).
 */
import { describe, expect, it } from "vitest";
import { type PolicyEngine, type RecordedResource, evaluatePolicies } from "../../plan";
import { ARCHIVE_SIG, ASSET_SIG, SIG_KEY, containsAsset, unreadableAssets, withAssetText } from "../../policies/lib/assets";
import { DATA, REGION, cloud } from "./corpus";

const stringAsset = (text: string) => ({ [SIG_KEY]: ASSET_SIG, text });
const fileAsset = (path: string) => ({ [SIG_KEY]: ASSET_SIG, path });
const remoteAsset = (uri: string) => ({ [SIG_KEY]: ASSET_SIG, uri });
const fileArchive = (path: string) => ({ [SIG_KEY]: ARCHIVE_SIG, path });

const release = (valueYamlFiles: unknown[], type = "kubernetes:helm.sh/v3:Release"): RecordedResource =>
  cloud(type, { chart: "loki", namespace: "logging", repositoryOpts: { repo: "https://charts.oslo-1.aifactory.no" }, valueYamlFiles });

const mandatory = async (r: RecordedResource, engine: PolicyEngine) =>
  (await evaluatePolicies([r], undefined, engine)).filter((v) => v.enforcement === "mandatory" && [REGION, DATA].includes(v.policy));

describe.each(["direct", "analyzer"] as const)("Helm values as assets (%s)", (engine) => {
  it.each([
    ["a string asset naming a foreign region", [stringAsset("storage:\n  s3:\n    region: eu-west-1\n")], REGION, 'valueYamlFiles[0] (embedded) storage.s3.region = "eu-west-1" is not a Norwegian region or zone'],
    ["a string asset naming a foreign object store", [stringAsset("storage:\n  s3:\n    endpoint: https://storage.googleapis.com\n")], DATA, "storage.googleapis.com"],
    ["a foreign region in the second of two", [stringAsset("replicas: 2\n"), stringAsset("region: eu-north-1\n")], REGION, "valueYamlFiles[1]"],
    ["a file asset", [fileAsset("values/loki.yaml")], REGION, "valueYamlFiles[0] is a file asset (values/loki.yaml) whose contents the policy pack cannot read"],
    ["a remote asset", [remoteAsset("https://charts.oslo-1.aifactory.no/values.yaml")], REGION, "is a remote asset (https://charts.oslo-1.aifactory.no/values.yaml)"],
    ["a file archive", [fileArchive("values")], REGION, "is a file archive (values)"],
  ])("refuses %s", async (_name, files, policy, text) => {
    const found = await mandatory(release(files), engine);
    expect(found.map((v) => v.policy)).toContain(policy);
    expect(found.map((v) => v.message).join("\n")).toContain(text);
  });

  it("passes a string asset with Norwegian places and in-country endpoints, on a Chart too", async () => {
    const text = "storage:\n  s3:\n    region: no-oslo-1\n    endpoint: https://s3.oslo-1.aifactory.no\n";
    expect(await mandatory(release([stringAsset(text)]), engine)).toEqual([]);
    expect(await mandatory(release([stringAsset(text)], "kubernetes:helm.sh/v4:Chart"), engine)).toEqual([]);
  });
});

describe("the asset helpers", () => {
  it("leave props without assets as they are, at no copy", () => {
    const props = { values: { region: "no-oslo-1" }, list: [1, "a"] };
    expect(withAssetText(props)).toBe(props);
    expect(containsAsset(props)).toBe(false);
  });

  it("replace a wire-form string asset by its text at once, and keep the others for refusal", () => {
    const out = withAssetText({ valueYamlFiles: [stringAsset("a: 1"), fileAsset("v.yaml")] });
    expect(out).not.toBeInstanceOf(Promise);
    expect((out as Record<string, unknown>)["valueYamlFiles"]).toEqual(["a: 1", fileAsset("v.yaml")]);
    expect(unreadableAssets(out)).toEqual([{ path: "valueYamlFiles[1]", what: "a file asset (v.yaml)" }]);
  });

  it("await the analyzer's asset objects (fields that are promises)", async () => {
    const text = { __pulumiAsset: true, text: Promise.resolve("region: eu-west-1") };
    const file = { __pulumiAsset: true, path: Promise.resolve("v.yaml") };
    const out = withAssetText({ valueYamlFiles: [text, file] });
    expect(out).toBeInstanceOf(Promise);
    const props = await out;
    expect(props["valueYamlFiles"]).toEqual(["region: eu-west-1", fileAsset("v.yaml")]);
  });
});
