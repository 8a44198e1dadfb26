import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NORWEGIAN_REGIONS, NORWEGIAN_ZONES, isAllowedLocation } from "../../catalog";
import { evaluatePolicies, type RecordedResource } from "../../plan";
import { isLocationKey } from "../../policies/lib/locations";
import { NORWEGIAN_REGION_DEFAULTS, regionViolations } from "../../policies/norwegianRegionOnly";
import type { ResourceView } from "../../policies/lib/resource";
import { SITE_LABELS, WORKLOAD_KINDS, cloud, gpuPodSpec, k8s, workload } from "./fixtures";

const check = (r: ResourceView) => regionViolations(r, NORWEGIAN_REGION_DEFAULTS);
const withSelector = (selector: Record<string, string>) => ({ ...gpuPodSpec(), nodeSelector: { ...selector } });

describe("norwegian-region-only, baseline", () => {
  it.each(WORKLOAD_KINDS)("passes a %s that stays in Norway", (kind) => {
    expect(check(workload(kind, withSelector({ "topology.kubernetes.io/region": "no-oslo-1" })))).toEqual([]);
  });

  it("passes case and white-space variants of Norwegian names", () => {
    expect(check(k8s("ConfigMap", { data: { region: " NO-OSLO-1 ", zone: "No-Rjukan-1B" } }))).toEqual([]);
  });
});

describe("norwegian-region-only, evasion", () => {
  it.each(WORKLOAD_KINDS)("catches a foreign region in the node selector of a %s", (kind) => {
    const messages = check(workload(kind, withSelector({ "topology.kubernetes.io/region": "eu-north-1" })));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/nodeSelector\["topology\.kubernetes\.io\/region"\] = "eu-north-1" is not a Norwegian region or zone$/);
  });

  it("names the resource, the field path and the value", () => {
    const cron = workload("CronJob", withSelector({ "topology.kubernetes.io/zone": "eu-north-1a" }));
    expect(check(cron)).toEqual([
      'test-cronjob (kubernetes:core/v1:CronJob): spec.jobTemplate.spec.template.spec.nodeSelector["topology.kubernetes.io/zone"] = "eu-north-1a" is not a Norwegian region or zone',
    ]);
  });

  it.each([
    ["a digit for a letter", "n0-oslo-1"],
    ["a Cyrillic o", "no-\u043eslo-1"],
    ["a Kelvin sign", "no-\u212aristiansand-1"],
    ["a no- prefix on a foreign region", "no-eu-north-1"],
    ["global", "global"],
    ["an empty string", ""],
    ["a foreign region after a Norwegian one", "no-oslo-1,eu-west-1"],
  ])("catches %s", (_name, value) => {
    expect(check(k8s("ConfigMap", { metadata: { labels: { "aifactory.no/region": value } } }))).toHaveLength(1);
  });

  const affinity = (kind: "required" | "preferred", expr: Record<string, unknown>) => {
    const nodeAffinity =
      kind === "required"
        ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr] }] } }
        : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [expr] } }] };
    return workload("Deployment", { ...gpuPodSpec(), affinity: { nodeAffinity } });
  };

  it.each([
    ["required", { key: "topology.kubernetes.io/region", operator: "In", values: ["eu-west-1"] }],
    ["preferred", { key: "topology.kubernetes.io/region", operator: "In", values: ["no-oslo-1", "eu-west-1"] }],
    ["required", { key: "topology.kubernetes.io/region", operator: "NotIn", values: ["no-oslo-1"] }],
    ["required", { key: "topology.kubernetes.io/zone", operator: "Exists" }],
    ["preferred", { key: "failure-domain.beta.kubernetes.io/zone", operator: "DoesNotExist" }],
  ])("catches %s node affinity %j", (kind, expr) => {
    expect(check(affinity(kind as "required" | "preferred", expr))).toHaveLength(1);
  });

  it("passes node affinity that pins In Norwegian zones", () => {
    const expr = { key: "topology.kubernetes.io/zone", operator: "In", values: ["no-oslo-1a", "no-oslo-1b"] };
    expect(check(affinity("required", expr))).toEqual([]);
  });

  it("catches a foreign zone in StorageClass allowedTopologies and PersistentVolume node affinity", () => {
    const sc = k8s("StorageClass", {
      allowedTopologies: [{ matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: ["no-oslo-1a", "westeurope-1"] }] }],
    });
    const pv = k8s("PersistentVolume", {
      spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["us-east-1a"] }] }] } } },
    });
    expect(check(sc)).toHaveLength(1);
    expect(check(pv)).toHaveLength(1);
  });

  it("catches a foreign region in a Velero backup location and snapshot location", () => {
    const bsl = cloud("kubernetes:velero.io/v1:BackupStorageLocation", { kind: "BackupStorageLocation", spec: { config: { region: "eu-north-1", s3Url: "https://s3.oslo-1.aifactory.no" } } });
    const vsl = cloud("kubernetes:velero.io/v1:VolumeSnapshotLocation", { kind: "VolumeSnapshotLocation", spec: { config: { region: "eu-central-1" } } });
    expect(check(bsl)).toHaveLength(1);
    expect(check(vsl)).toHaveLength(1);
  });

  it("catches a foreign region deep in Helm values", () => {
    const release = cloud("kubernetes:helm.sh/v3:Release", { chart: "loki", values: { loki: { storage: { s3: { region: "us-east-1" } } }, global: { zones: ["no-oslo-1a"] } } });
    expect(check(release)).toEqual([
      'test-cloud (kubernetes:helm.sh/v3:Release): values.loki.storage.s3.region = "us-east-1" is not a Norwegian region or zone',
    ]);
  });

  it.each([
    ["an AWS bucket", "aws:s3/bucket:Bucket", { region: "eu-north-1" }],
    ["an Azure storage account", "azure-native:storage:StorageAccount", { location: "westeurope" }],
    ["an Azure account replicated abroad", "azure-native:documentdb:DatabaseAccount", { location: "norwayeast", locations: [{ locationName: "swedencentral" }] }],
    ["a GCP bucket", "gcp:storage/bucket:Bucket", { location: "EU" }],
    ["a GCP instance", "gcp:compute/instance:Instance", { zone: "europe-north1-a" }],
    ["an AWS provider", "pulumi:providers:aws", { region: "eu-north-1" }],
    ["an Azure provider", "pulumi:providers:azure-native", { location: "westeurope" }],
    ["a GCP provider", "pulumi:providers:gcp", { region: "europe-north1" }],
  ])("catches %s outside Norway", (_name, type, props) => {
    expect(check(cloud(type, props))).toHaveLength(1);
  });

  it("passes Azure's Norwegian regions", () => {
    expect(check(cloud("azure-native:storage:StorageAccount", { location: "norwayeast", secondaryLocation: "NorwayWest" }))).toEqual([]);
  });

  it("catches a region set through an environment variable", () => {
    const spec = gpuPodSpec();
    (spec["containers"] as { env: unknown[] }[])[0]!.env.push({ name: "AWS_REGION", value: "eu-west-1" });
    expect(check(workload("Deployment", spec))).toHaveLength(1);
  });

  it("catches a foreign region in an annotation", () => {
    expect(check(k8s("ConfigMap", { metadata: { annotations: { "backup.example.com/replica-region": "eu-west-1" } } }))).toHaveLength(1);
  });

  it("does not mistake a CronJob time zone or a topology key for a region", () => {
    const spec = { ...gpuPodSpec(), topologySpreadConstraints: [{ topologyKey: "topology.kubernetes.io/zone", maxSkew: 1 }] };
    expect(check(workload("CronJob", spec))).toEqual([]);
  });

  it("catches a resource deployed through a provider configured for a foreign region", async () => {
    const provider: RecordedResource = {
      urn: "urn:test::aws",
      type: "pulumi:providers:aws",
      name: "aws",
      custom: true,
      parent: undefined,
      provider: undefined,
      inputs: { region: "eu-north-1" },
      options: { retainOnDelete: false, protect: false, aliases: 0, dependsOn: [], deleteBeforeReplace: false },
    };
    const bucket: RecordedResource = { ...provider, urn: "urn:test::b", type: "aws:s3/bucket:Bucket", name: "b", inputs: {}, provider: "urn:test::aws::aws-id" };
    const found = (await evaluatePolicies([provider, bucket])).filter((v) => v.policy === "norwegian-region-only");
    expect(found.map((v) => [v.urn, v.enforcement])).toEqual([
      ["urn:test::aws", "mandatory"],
      ["urn:test::b", "mandatory"],
    ]);
    expect(found[1]?.message).toBe('b (aws:s3/bucket:Bucket) via provider aws: region = "eu-north-1" is not a Norwegian region or zone');
  });
});

// Property-based: the allow-list, and every place a region is read.
const allowed = [...NORWEGIAN_REGIONS, ...NORWEGIAN_ZONES];
const LOCATION_KEYS = ["region", "zone", "location", "availabilityZones", "topology.kubernetes.io/region", "topology.kubernetes.io/zone", "aifactory.no/zone", "failureDomain", "replicaRegion"];
const plainKey = fc.stringMatching(/^[a-z][a-zA-Z]{0,9}$/).filter((k) => !isLocationKey(k) && !["key", "values", "operator", "name", "value"].includes(k));
const foreign = fc.string({ maxLength: 20 }).filter((s) => !s.split(",").every((part) => isAllowedLocation(part, allowed)));
const norwegian = fc.tuple(fc.constantFrom(...allowed), fc.boolean(), fc.constantFrom("", " ")).map(([v, upper, pad]) => `${pad}${upper ? v.toUpperCase() : v}${pad}`);

/** A random tree of plain keys, with `leaf` placed somewhere in it. */
function treeWith(leaf: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const step = fc.tuple(plainKey, fc.boolean());
  return fc.tuple(fc.array(step, { maxLength: 5 }), leaf, fc.dictionary(plainKey, fc.string())).map(([path, inner, noise]) => {
    let node: Record<string, unknown> = inner;
    for (const [key, inList] of path) node = { ...noise, [key]: inList ? [node] : node };
    return node;
  });
}

const locationLeaf = (value: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...LOCATION_KEYS), value).map(([k, v]) => ({ [k]: v })),
    fc.tuple(fc.constantFrom(...LOCATION_KEYS), value).map(([k, v]) => ({ [k]: [v] })),
    value.map((v) => ({ key: "topology.kubernetes.io/zone", operator: "In", values: [v] })),
    value.map((v) => ({ name: "AWS_REGION", value: v })),
  );

describe("norwegian-region-only, properties", () => {
  it("always catches a foreign value placed anywhere a region is read", () => {
    fc.assert(
      fc.property(treeWith(locationLeaf(foreign)), (props) => check(cloud("any:module:Resource", props)).length > 0),
      { numRuns: 500 },
    );
  });

  it("never flags resources whose region values are all Norwegian", () => {
    fc.assert(
      fc.property(treeWith(locationLeaf(norwegian)), (props) => check(cloud("any:module:Resource", props)).length === 0),
      { numRuns: 500 },
    );
  });

  it("never flags Norwegian values in labels of every workload kind", () => {
    fc.assert(
      fc.property(fc.constantFrom(...WORKLOAD_KINDS), norwegian, (kind, zone) => {
        const r = workload(kind, withSelector({ "topology.kubernetes.io/zone": zone, ...SITE_LABELS }));
        return check(r).length === 0;
      }),
    );
  });
});

describe("norwegian-region-only, embedded documents", () => {
  it("catches a region inside a YAML file carried in a ConfigMap", () => {
    const cm = k8s("ConfigMap", { data: { "backup.yaml": "storage:\n  bucket: x\n  region: eu-west-1\n" } });
    expect(check(cm)).toEqual([
      'test-configmap (kubernetes:core/v1:ConfigMap): data["backup.yaml"] (embedded) storage.region = "eu-west-1" is not a Norwegian region or zone',
    ]);
  });

  it("catches a region inside Helm values passed as JSON text", () => {
    const release = cloud("kubernetes:helm.sh/v3:Release", { values: { extraConfig: '{"replication": {"targetRegion": "us-east-1"}}' } });
    expect(check(release)).toHaveLength(1);
  });

  it("leaves plain text alone", () => {
    expect(check(k8s("ConfigMap", { data: { motd: "Welcome to Oslo: region no-oslo-1\nHave a nice day" , note: "{not json" } }))).toEqual([]);
  });
});
