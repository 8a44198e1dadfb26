/**
 * The evasion corpus: manifests shaped like the ones platform teams deploy
 * next to the factory (log and metrics stores, workflow engines, Spark, model
 * servers, GitOps, Crossplane, Karpenter, backup and Ceph objects, cloud
 * providers' resources), each run through @pulumi/policy's own analyzer path.
 * Every case names exactly the mandatory policies it must break: none for the
 * false-alarm families.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type RecordedResource, evaluatePolicies } from "../../plan";
import { ISOLATION, REGION, args, configFile, k8s, mustCatch, mustPass, secretFile, wildcardTls } from "./corpus";

async function mandatoryPolicies(resources: RecordedResource[]): Promise<string[]> {
  const found = await evaluatePolicies(resources, undefined, "analyzer");
  return [...new Set(found.filter((v) => v.enforcement === "mandatory").map((v) => v.policy))].sort();
}

describe("the evasion corpus: caught, whatever the format", () => {
  it.each(mustCatch)("%s", async (_name, resources, expected) => {
    expect(await mandatoryPolicies(resources)).toEqual([...expected].sort());
  });

  it("a Gateway listener serving a sensitive tenant over plain HTTP", async () => {
    const gateway = k8s("Gateway", { metadata: { name: "gw", namespace: "aifactory-system" }, spec: { gatewayClassName: "eg", listeners: [{ name: "web", port: 80, protocol: "HTTP" }] } }, "gateway.networking.k8s.io/v1");
    const route = k8s("HTTPRoute", { metadata: { namespace: "public-services" }, spec: { parentRefs: [{ name: "gw", namespace: "aifactory-system" }] } }, "gateway.networking.k8s.io/v1");
    expect(await mandatoryPolicies([...wildcardTls.slice(0, 2), gateway, route])).toEqual([ISOLATION]);
  });
});

describe("the evasion corpus: no false alarm", () => {
  it.each(mustPass)("%s", async (_name, resources, expected) => {
    expect(await mandatoryPolicies(resources)).toEqual([...expected]);
  });

  it("a wildcard certificate covering a host one label below it", async () => {
    expect(await mandatoryPolicies(wildcardTls)).toEqual([]);
    const deeper = wildcardTls.map((r) =>
      r.inputs["kind"] === "Ingress" ? { ...r, inputs: { ...r.inputs, spec: { tls: [{ hosts: ["*.oslo-1.aifactory.no"] }], rules: [{ host: "a.chat.oslo-1.aifactory.no" }] } } } : r,
    );
    expect(await mandatoryPolicies(deeper)).toEqual([ISOLATION]);
  });
});

describe("messages", () => {
  it("name the Velero plugin's real destination, not AWS, for Azure and GCS locations", async () => {
    const azure = k8s("BackupStorageLocation", { spec: { provider: "velero.io/azure", objectStorage: { bucket: "b" } } }, "velero.io/v1");
    const gcp = k8s("BackupStorageLocation", { spec: { provider: "gcp", objectStorage: { bucket: "b" } } }, "velero.io/v1");
    const [a] = await evaluatePolicies([azure], undefined, "analyzer");
    const [g] = await evaluatePolicies([gcp], undefined, "analyzer");
    expect(a?.message).toContain("Azure Blob Storage");
    expect(g?.message).toContain("Google Cloud Storage");
    expect(`${a?.message ?? ""} ${g?.message ?? ""}`).not.toContain("AWS");
  });

  it("say where a value carried in a file was found", async () => {
    const found = await evaluatePolicies([configFile("config", "[default]\nregion = eu-west-1\n")], undefined, "analyzer");
    expect(found.map((v) => v.message)).toEqual([
      'configmap-x (kubernetes:core/v1:ConfigMap): data.config (line 2) region = "eu-west-1" is not a Norwegian region or zone',
    ]);
  });
});

it("the corpus holds at least 60 cases of its own", () => {
  expect(mustCatch.length + mustPass.length + 4).toBeGreaterThanOrEqual(60);
});

describe("the evasion corpus, property-based", () => {
  const areas = ["us", "eu", "ap", "sa", "ca", "me", "af"] as const;
  const directions = ["north", "south", "east", "west", "central", "northeast", "southeast"] as const;
  const awsRegion = fc.tuple(fc.constantFrom(...areas), fc.constantFrom(...directions), fc.integer({ min: 1, max: 9 })).map(([a, d, n]) => `${a}-${d}-${n}`);
  const key = fc.constantFrom("region", "aws_region", "REGION", "bucketRegion", "region_name", "s3.region");
  const carriers: ((k: string, v: string) => RecordedResource)[] = [
    (k, v) => configFile("f.ini", `[default]\n${k} = ${v}\n`),
    (k, v) => configFile("f.env", `${k.toUpperCase().replace(/\./g, "_")}=${v}\n`),
    (k, v) => configFile("f.yaml", `${k}: ${v}`),
    (k, v) => configFile("f.json", JSON.stringify({ deep: { [k]: v } })),
    (k, v) => secretFile("f", `${k}=${v}`),
    (k, v) => args(`--${k.replace(/[._]/g, "-")}=${v}`),
    (_k, v) => configFile("arn", `arn:aws:s3:${v}:123456789012:accesspoint/x`),
  ];

  it("catches any AWS region code in any carrier, under any region key", async () => {
    await fc.assert(
      fc.asyncProperty(awsRegion, key, fc.integer({ min: 0, max: carriers.length - 1 }), async (region, k, i) => {
        const policies = await mandatoryPolicies([carriers[i]!(k, region)]);
        return policies.includes(REGION);
      }),
      { numRuns: 80 },
    );
  });

  it("passes any Norwegian region in the same carriers", async () => {
    const norwegian = fc.constantFrom("no-oslo-1", "no-rjukan-1", "no-trondheim-1a", "norwayeast");
    await fc.assert(
      fc.asyncProperty(norwegian, key, fc.integer({ min: 0, max: carriers.length - 2 }), async (region, k, i) => {
        return (await mandatoryPolicies([carriers[i]!(k, region)])).length === 0;
      }),
      { numRuns: 60 },
    );
  });
});
