/**
 * The admission policies: they pass the upstream schema, their CEL spells the
 * pack's key test, and over the evasion corpus and generated workloads,
 * storage and exposure objects, the API server (CEL, run by @bufbuild/cel)
 * decides exactly as the pack does, case by case.
 */
import * as path from "node:path";
import fc from "fast-check";
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1";
import { describe, expect, it } from "vitest";
import {
  type AdmissionPolicyDefinition,
  admissionBindingSpec,
  admissionPolicyDefinitions,
  admissionPolicySpec,
  celIsPlaceKey,
  siteStorageBackends,
} from "../../components/admission";
import { CONFIG_NAMESPACE } from "../../config";
import { type RecordedResource, evaluatePolicies, readStackConfig } from "../../plan";
import { IN_COUNTRY_DATA_DEFAULTS } from "../../policies/inCountryData";
import { isLocationKey } from "../../policies/lib/locations";
import { ROOT, parseConfig, runWith } from "../helpers";
import { bucketClassSpec } from "../../components/storage";
import { admit, evaluate } from "./admissionCel";
import { encryptingStore, k8s, mustCatch, mustPass } from "../policies/corpus";

const defs = admissionPolicyDefinitions();
const byName = (name: string): AdmissionPolicyDefinition => {
  const def = defs.find((d) => d.name === name);
  if (def === undefined) throw new Error(`no admission policy ${name}`);
  return def;
};
const placement = byName("workload-placement.aifactory.no");
// The site's own object store (the corpus's `encryptingStore`), as the factory tells the storage policy.
const siteDefs = admissionPolicyDefinitions({ inCountryData: IN_COUNTRY_DATA_DEFAULTS, encryptingObjectStores: ["rook-ceph/oslo-1-objects"] });
const storageClasses = siteDefs.find((d) => d.name === "storage-classes.aifactory.no") as AdmissionPolicyDefinition;
const volumes = byName("volumes.aifactory.no");
const exposure = byName("exposure.aifactory.no");

/** The pack's verdict on the policies an admission policy speaks for: refused or not. */
async function packRefuses(def: AdmissionPolicyDefinition, resources: RecordedResource[], subject: RecordedResource): Promise<boolean> {
  const found = await evaluatePolicies(resources);
  return found.some((v) => v.enforcement === "mandatory" && v.urn === subject.urn && def.packPolicies.includes(v.policy));
}

const RUNS = { numRuns: 200, seed: 24 };

/** Generated values as the API server receives them: JSON (fast-check may build objects without a prototype). */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("the objects", () => {
  it("pass the upstream admissionregistration.k8s.io/v1 schema (kubernetes-models)", () => {
    const site = parseConfig().site;
    for (const def of defs) {
      expect(() => { new ValidatingAdmissionPolicy(admissionPolicySpec(site, def) as never).validate(); }).not.toThrow();
      expect(() => { new ValidatingAdmissionPolicyBinding(admissionBindingSpec(site, def) as never).validate(); }).not.toThrow();
    }
  });

  it("deny, and bind to the namespaces the factory manages", () => {
    const site = parseConfig().site;
    const binding = admissionBindingSpec(site, placement);
    expect(binding.spec?.validationActions).toEqual(["Deny"]);
    expect(binding.spec?.matchResources?.namespaceSelector?.matchLabels).toEqual({ "app.kubernetes.io/part-of": "sovereign-ai-factory", "app.kubernetes.io/managed-by": "pulumi" });
    expect(admissionPolicySpec(site, placement).spec?.failurePolicy).toBe("Fail");
  });

  it("match pods and every workload kind, CronJob included", () => {
    const resources = placement.resourceRules.flatMap((r) => r.resources);
    expect(resources.sort()).toEqual(["cronjobs", "daemonsets", "deployments", "jobs", "pods", "replicasets", "statefulsets"]);
  });
});

describe("the key test in CEL", () => {
  const words = ["region", "regions", "zone", "zones", "location", "locations", "az", "datacenter", "data center", "failure domain", "location constraint", "timezone", "time zone", "dns zone", "storage location", "config location", "hostname", "gpu", "pool", "name", "id", "code", "replica", "aws", "topology"];
  const casing = fc.constantFrom("lower", "cap", "upper");
  const word = fc.tuple(fc.constantFrom(...words), casing).map(([w, c]) =>
    w.split(" ").map((p) => (c === "upper" ? p.toUpperCase() : c === "cap" ? `${p.charAt(0).toUpperCase()}${p.slice(1)}` : p)).join(c === "lower" ? "-" : ""),
  );
  const key = fc.tuple(fc.constantFrom("", "topology.kubernetes.io/", "example.com/", "a.b/"), fc.array(fc.tuple(word, fc.constantFrom("", "-", "_", ".")), { minLength: 1, maxLength: 3 }))
    .map(([prefix, parts]) => `${prefix}${parts.map(([w, sep], i) => (i === parts.length - 1 ? w : `${w}${sep}`)).join("")}`);

  it("decides every generated key as the pack does", () => {
    fc.assert(
      fc.property(key, (k) => evaluate(celIsPlaceKey("k"), { k }) === isLocationKey(k)),
      { numRuns: 600, seed: 24 },
    );
  });

  it.each(["topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/region", "aifactory.no.node-restriction.kubernetes.io/zone", "replicaRegion", "AWS_REGION", "region_name", "dataCenter"])("%s names a place", (k) => {
    expect(evaluate(celIsPlaceKey("k"), { k })).toBe(true);
  });

  it.each(["kubernetes.io/hostname", "timeZone", "zoneName", "storageLocation", "regional", "example.com/dnsZone"])("%s names none", (k) => {
    expect(evaluate(celIsPlaceKey("k"), { k })).toBe(false);
  });
});

// Generated objects: place fields vary, everything else is clean.
const PLACE_KEYS = ["topology.kubernetes.io/zone", "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone", "aifactory.no.node-restriction.kubernetes.io/region", "example.com/dataCenter", "zone", "region"];
const OTHER_KEYS = ["kubernetes.io/hostname", "nvidia.com/gpu.present", "app", "example.com/timezone", "zoneName"];
const VALUES = ["no-oslo-1", "no-oslo-1a", " No-Rjukan-1 ", "NORWAYEAST", "eu-west-1", "eu-north-1a", "westeurope", "europe-north1", "eu-frankfurt-1", "global", "eu", "header", "", "no-oslo-1,eu-west-1", "n\u043e-oslo-1", "gpu-node", "true", "West Europe", "Norway East", "line-items", "oslo-1.aifactory.no", "fr-par", "us-east"];
const value = fc.constantFrom(...VALUES);
const labelMap = fc.dictionary(fc.constantFrom(...PLACE_KEYS, ...OTHER_KEYS), value, { maxKeys: 3, noNullPrototype: true });
const expression = fc.tuple(fc.constantFrom(...PLACE_KEYS, ...OTHER_KEYS), fc.constantFrom("In", "NotIn", "Exists", "DoesNotExist"), fc.array(value, { maxLength: 3 }))
  .map(([key, operator, values]) => (operator === "Exists" || operator === "DoesNotExist" ? { key, operator } : { key, operator, values }));
const term = fc.array(expression, { minLength: 1, maxLength: 3 });
const selector = fc.record({ matchExpressions: term, matchLabels: labelMap }, { requiredKeys: [] });

const podSpec = fc.record(
  {
    nodeSelector: labelMap,
    affinity: fc.record(
      {
        nodeAffinity: fc.record(
          {
            requiredDuringSchedulingIgnoredDuringExecution: fc.array(term, { minLength: 1, maxLength: 2 }).map((ts) => ({ nodeSelectorTerms: ts.map((matchExpressions) => ({ matchExpressions })) })),
            preferredDuringSchedulingIgnoredDuringExecution: fc.array(term, { maxLength: 2 }).map((ts) => ts.map((matchExpressions) => ({ weight: 10, preference: { matchExpressions } }))),
          },
          { requiredKeys: [] },
        ),
        podAntiAffinity: fc.array(selector, { maxLength: 1 }).map((ss) => ({ requiredDuringSchedulingIgnoredDuringExecution: ss.map((labelSelector) => ({ labelSelector, topologyKey: "kubernetes.io/hostname" })) })),
      },
      { requiredKeys: [] },
    ),
    topologySpreadConstraints: fc.array(selector, { maxLength: 1 }).map((ss) => ss.map((labelSelector) => ({ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector }))),
  },
  { requiredKeys: [] },
);

const KINDS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"] as const;
const API: Record<(typeof KINDS)[number], string> = { Pod: "v1", Deployment: "apps/v1", StatefulSet: "apps/v1", DaemonSet: "apps/v1", ReplicaSet: "apps/v1", Job: "batch/v1", CronJob: "batch/v1" };

/** A workload of a kind around a pod spec and template labels. */
function workload(kind: (typeof KINDS)[number], spec: Record<string, unknown>, labels: Record<string, string>): RecordedResource {
  const pod = { containers: [{ name: "c", image: "cr.oslo-1.aifactory.no/app:1" }], ...spec };
  const template = { metadata: { labels: { app: "a", ...labels } }, spec: pod };
  if (kind === "Pod") return k8s(kind, { metadata: { labels: { app: "a", ...labels } }, spec: pod }, API[kind]);
  if (kind === "CronJob") return k8s(kind, { spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template } } } }, API[kind]);
  return k8s(kind, { spec: { selector: { matchLabels: { app: "a" } }, template } }, API[kind]);
}

describe("workload placement: CEL decides as the pack does", () => {
  it("over generated pods and pod templates of every kind", async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...KINDS), podSpec, labelMap, async (kind, spec, labels) => {
        const r = workload(kind, plain(spec), plain(labels));
        const pack = await packRefuses(placement, [r], r);
        const cel = admit(placement, r.inputs).length > 0;
        if (pack) refused++;
        expect(cel).toBe(pack);
      }),
      RUNS,
    );
    // The generator is not trivially one-sided.
    expect(refused).toBeGreaterThan(RUNS.numRuns / 5);
    expect(refused).toBeLessThan(RUNS.numRuns);
  }, 120_000);

  const corpusCases = [...mustCatch, ...mustPass].flatMap(([name, resources]) =>
    resources.length === 1 && ["Deployment", "CronJob", "Pod"].includes(String(resources[0]?.inputs["kind"])) ? [[name, resources[0] as RecordedResource] as const] : [],
  );

  it.each(corpusCases)("the evasion corpus: %s (judged on the fields admission reads)", async (_name, r) => {
    const found = await evaluatePolicies([r]);
    const read = /(nodeSelector|affinity|topologySpreadConstraints|template\.metadata\.labels|^[^:]*: metadata\.labels)/;
    const judged = found.filter((v) => v.enforcement === "mandatory" && placement.packPolicies.includes(v.policy) && read.test(v.message.slice(v.message.indexOf("): ") + 3)));
    expect(admit(placement, r.inputs).length > 0).toBe(judged.length > 0);
  });
});

const compliantClass = (name: string, extra: Record<string, unknown> = {}) =>
  k8s("StorageClass", {
    metadata: { name },
    provisioner: "rook-ceph.rbd.csi.ceph.com",
    parameters: { encrypted: "true" },
    allowedTopologies: [{ matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: ["no-oslo-1a"] }] }],
    ...extra,
  }, "storage.k8s.io/v1", "kubernetes:storage.k8s.io/v1:StorageClass");

describe("storage: CEL decides as the pack does", () => {
  const topology = fc.array(
    fc.record({ matchLabelExpressions: fc.array(fc.record({ key: fc.constantFrom(...PLACE_KEYS, ...OTHER_KEYS), values: fc.array(value, { maxLength: 2 }) }), { maxLength: 2 }) }),
    { maxLength: 2 },
  );
  const parameters = fc.dictionary(
    fc.constantFrom("encrypted", "region", "zone", "pool", "topology.kubernetes.io/zone", "locationConstraint", "clusterID", "ClusterId", "CLUSTERID", "objectStoreNamespace", "objectStoreName"),
    fc.constantFrom(...VALUES, "TRUE", " true", "false", "rook-ceph", "Rook-Ceph", "rook-c\u0435ph", "partner-ceph", "oslo-1-objects", "other"),
    { maxKeys: 4, noNullPrototype: true },
  );
  const provisioner = fc.constantFrom(
    "rook-ceph.rbd.csi.ceph.com",
    "rook-ceph.cephfs.csi.ceph.com",
    "rook-ceph.ceph.rook.io/bucket",
    "partner.ceph.rook.io/bucket",
    "Rook-Ceph.rbd.csi.ceph.com",
    "rook-\u0441eph.rbd.csi.ceph.com",
    "ebs.csi.aws.com",
    "csi.example.no",
  );

  it("over generated StorageClasses, with the site's encrypting object store declared", async () => {
    const refusedFor = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(topology, parameters, provisioner, async (allowedTopologies, params, prov) => {
        const r = compliantClass("fast", plain({ allowedTopologies, parameters: params, provisioner: prov }));
        const cel = admit(storageClasses, r.inputs);
        expect(cel.length > 0).toBe(await packRefuses(storageClasses, [encryptingStore, r], r));
        for (const m of cel) refusedFor.set(m, (refusedFor.get(m) ?? 0) + 1);
      }),
      { numRuns: 400, seed: 24 },
    );
    // Every rule of the policy decided some generated class.
    expect([...refusedFor.keys()].sort()).toEqual(storageClasses.validations.map((v) => v.message).sort());
  }, 120_000);

  it("reads a Ceph cluster id under any spelling of its key as the pack does (ASCII and Unicode case, look-alikes)", async () => {
    const variants = (c: string) => [c, c.toUpperCase(), ...({ i: ["\u0130", "\u0131"], c: ["\u0441"], e: ["\u0435"], o: ["\u043e"], s: ["\u017f"], k: ["\u212a"] }[c] ?? [])];
    const spelling = fc.constantFrom("clusterid", "objectstorenamespace").chain((key) => fc.tuple(...Array.from(key, (c) => fc.constantFrom(...variants(c)))).map((cs) => cs.join("")));
    await fc.assert(
      fc.asyncProperty(spelling, fc.constantFrom("rook-ceph", "partner-ceph"), async (key, id) => {
        const r = compliantClass("fast", { parameters: { encrypted: "true", [key]: id } });
        expect(admit(storageClasses, r.inputs).length > 0).toBe(await packRefuses(storageClasses, [encryptingStore, r], r));
      }),
      { numRuns: 150, seed: 24 },
    );
  }, 120_000);

  const storageCases = [...mustCatch, ...mustPass].flatMap(([name, resources]) => {
    const subject = resources.find((r) => r.inputs["kind"] === "StorageClass");
    return subject === undefined ? [] : [[name, resources, subject] as const];
  });

  it("the evasion corpus has storage-backend cases", () => {
    expect(storageCases.length).toBeGreaterThanOrEqual(9);
  });

  it.each(storageCases)("the evasion corpus: %s", async (_name, resources, subject) => {
    expect(admit(storageClasses, subject.inputs).length > 0).toBe(await packRefuses(storageClasses, resources, subject));
  });

  it("names the provisioner and the allow-list when it refuses a backend", () => {
    const v = storageClasses.validations.find((x) => x.message.includes("not an allowed storage backend"));
    if (v?.messageExpression === undefined) throw new Error("no message expression");
    const object = compliantClass("fast", { provisioner: "ebs.csi.aws.com" }).inputs;
    expect(evaluate(v.messageExpression, { object, variables: {} })).toBe(
      `in-country-data: StorageClass fast: provisioner ebs.csi.aws.com is not an allowed storage backend (allowedProvisioners: ${IN_COUNTRY_DATA_DEFAULTS.allowedProvisioners.join(", ")})`,
    );
  });

  it("admits the factory's own bucket class, which names no encryption (its store encrypts)", () => {
    const config = parseConfig();
    const spec = bucketClassSpec({ site: config.site, storage: config.storage });
    const sitePolicy = admissionPolicyDefinitions(siteStorageBackends(config.storage)).find((d) => d.name === storageClasses.name);
    if (sitePolicy === undefined) throw new Error("no storage-classes policy");
    expect(admit(sitePolicy, plain(spec) as Record<string, unknown>)).toEqual([]);
    // Without the site's store the same class is refused: it is admitted for its store, not for its provisioner.
    expect(admit(byName(storageClasses.name), plain(spec) as Record<string, unknown>)).not.toEqual([]);
  });

  it.each([
    ["a volume of a compliant class", { storageClassName: "fast" }, false],
    ["a volume with no class", {}, true],
    ["a volume pinned to Oslo", { storageClassName: "fast", nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["no-oslo-1a"] }] }] } } }, false],
    ["a volume pinned to Ireland", { storageClassName: "fast", nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["eu-west-1a"] }] }] } } }, true],
    ["a volume excluding a zone only", { storageClassName: "fast", nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "NotIn", values: ["no-oslo-1b"] }] }] } } }, true],
  ] as const)("%s", async (_name, spec, refusedExpected) => {
    const pv = k8s("PersistentVolume", { metadata: { name: "pv" }, spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], ...spec } }, "v1", "kubernetes:core/v1:PersistentVolume");
    const pack = await packRefuses(volumes, [compliantClass("fast"), pv], pv);
    expect(pack).toBe(refusedExpected);
    expect(admit(volumes, pv.inputs).length > 0).toBe(pack);
  });
});

/** A stack's config sections, as YAML gives them. */
function stackRaw(stack: string): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(readStackConfig(path.join(ROOT, `Pulumi.${stack}.yaml`)))) raw[k.slice(CONFIG_NAMESPACE.length + 1)] = JSON.parse(v) as unknown;
  return raw;
}

/** `group/resource` of a Kubernetes object, as `matchConstraints.resourceRules` name it. */
function ruleKey(inputs: Record<string, unknown>): string {
  const apiVersion = String(inputs["apiVersion"]);
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const kind = String(inputs["kind"]).toLowerCase();
  return `${group}/${kind.endsWith("s") ? `${kind}es` : kind.endsWith("y") ? `${kind.slice(0, -1)}ies` : `${kind}s`}`;
}

describe("the factory's own objects at its own door", () => {
  it.each([["oslo", true], ["rjukan", false]] as const)("%s: every object the site declares that a binding selects is admitted", async (stack, buckets) => {
    const raw = stackRaw(stack);
    const config = parseConfig(raw);
    const own = admissionPolicyDefinitions(siteStorageBackends(config.storage));
    const { resources } = await runWith(raw);
    const objects = resources.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm") && typeof r.inputs["kind"] === "string");
    const namespaces = new Map(objects.filter((r) => r.inputs["kind"] === "Namespace").map((r) => [String((r.inputs["metadata"] as Record<string, unknown>)["name"]), r.inputs]));
    const managed = (ns: Record<string, unknown> | undefined) => {
      const labels = ((ns?.["metadata"] as Record<string, unknown> | undefined)?.["labels"] ?? {}) as Record<string, string>;
      return labels["app.kubernetes.io/part-of"] === "sovereign-ai-factory" && labels["app.kubernetes.io/managed-by"] === "pulumi";
    };
    let judged = 0;
    const refused: string[] = [];
    for (const r of objects) {
      const ns = (r.inputs["metadata"] as Record<string, unknown>)["namespace"];
      const nsObject = typeof ns === "string" ? namespaces.get(ns) : undefined;
      if (typeof ns === "string" && !managed(nsObject)) continue;
      for (const def of own.filter((d) => d.resourceRules.some((rule) => rule.resources.some((res) => rule.apiGroups.map((g) => `${g}/${res}`).includes(ruleKey(r.inputs)))))) {
        judged++;
        refused.push(...admit(def, plain(r.inputs), nsObject === undefined ? null : plain(nsObject)).map((m) => `${r.name}: ${m}`));
      }
    }
    expect(refused).toEqual([]);
    // Its StorageClasses (Oslo's bucket class included) were among them.
    const classes = objects.filter((r) => r.inputs["kind"] === "StorageClass");
    expect(classes.some((r) => String(r.inputs["provisioner"]).endsWith(".ceph.rook.io/bucket"))).toBe(buckets);
    expect(judged).toBeGreaterThanOrEqual(classes.length);
  }, 120_000);
});

describe("exposure: CEL decides as the pack does", () => {
  const namespace = (classification: string) =>
    k8s("Namespace", { metadata: { name: "research", labels: { "aifactory.no/data-classification": classification } } });
  const deny = k8s("NetworkPolicy", { spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], egress: [{ ports: [{ protocol: "UDP", port: 53 }] }] } }, "networking.k8s.io/v1");
  const service = fc.constantFrom("ClusterIP", "LoadBalancer", "NodePort").map((type) => k8s("Service", { spec: { type, ports: [{ port: 80 }] } }, "v1", "kubernetes:core/v1:Service"));
  const host = fc.constantFrom("chat.oslo-1.aifactory.no", "a.chat.oslo-1.aifactory.no", "api.aifactory.no");
  const ingress = fc
    .tuple(fc.array(fc.array(fc.constantFrom("*.oslo-1.aifactory.no", "chat.oslo-1.aifactory.no", " API.aifactory.no"), { maxLength: 2 }), { maxLength: 2 }), fc.array(host, { maxLength: 2 }))
    .map(([tls, hosts]) => k8s("Ingress", { spec: { tls: tls.map((h) => ({ hosts: h, secretName: "s" })), rules: hosts.map((h) => ({ host: h })) } }, "networking.k8s.io/v1"));
  const gateway = fc.array(fc.constantFrom("HTTP", "HTTPS", "TLS", "TCP", "https"), { minLength: 1, maxLength: 2 }).map((ps) =>
    k8s("Gateway", { spec: { gatewayClassName: "eg", listeners: ps.map((protocol, i) => ({ name: `l${i}`, port: 443 + i, protocol })) } }, "gateway.networking.k8s.io/v1"),
  );

  it("over generated Services, Ingresses and Gateways in namespaces of every classification", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(service, ingress, gateway), fc.constantFrom("public", "internal", "sensitive", "restricted"), async (r, classification) => {
        const ns = namespace(classification);
        const pack = await packRefuses(exposure, [ns, deny, r], r);
        expect(admit(exposure, r.inputs, ns.inputs).length > 0).toBe(pack);
      }),
      RUNS,
    );
  }, 120_000);
});

describe("the pack on the policies themselves", () => {
  it("does not read their CEL as configuration, but still judges their other fields", async () => {
    const site = parseConfig().site;
    const spec = admissionPolicySpec(site, placement) as unknown as Record<string, unknown>;
    const type = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
    const own = k8s("ValidatingAdmissionPolicy", spec, "admissionregistration.k8s.io/v1", type);
    // Alone, without its site's declaration: only the residency policies are asked.
    const residency = (found: Awaited<ReturnType<typeof evaluatePolicies>>) => found.filter((v) => ["norwegian-region-only", "in-country-data"].includes(v.policy));
    expect(residency(await evaluatePolicies([own]))).toEqual([]);
    const meta = spec["metadata"] as Record<string, unknown>;
    const labelled = k8s("ValidatingAdmissionPolicy", { ...spec, metadata: { ...meta, labels: { "aifactory.no/region": "eu-west-1" } } }, "admissionregistration.k8s.io/v1", type);
    expect(residency(await evaluatePolicies([labelled])).map((v) => v.policy)).toEqual(["norwegian-region-only"]);
  });
});

describe("messages", () => {
  it("name the offending node selector", () => {
    const r = workload("Deployment", { nodeSelector: { "topology.kubernetes.io/region": "eu-west-1", app: "x" } }, {});
    const def = placement;
    const v = def.validations[0];
    if (v?.messageExpression === undefined) throw new Error("no message expression");
    const variables: Record<string, unknown> = {};
    for (const x of def.variables) variables[x.name] = evaluate(x.expression, { object: r.inputs, variables });
    expect(evaluate(v.messageExpression, { object: r.inputs, variables })).toBe(
      "norwegian-region-only: nodeSelector topology.kubernetes.io/region=eu-west-1 is not a Norwegian region or zone",
    );
  });
});
