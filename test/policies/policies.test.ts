import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GPU_PLACEMENT_DEFAULTS, gpuPlacementViolations } from "../../policies/gpuWorkloadPlacement";
import { HEAT_REUSE_DEFAULTS, heatReuseViolations } from "../../policies/heatReuseDeclared";
import { IN_COUNTRY_DATA_DEFAULTS, inCountryDataViolations } from "../../policies/inCountryData";
import type { ResourceView } from "../../policies/lib/resource";
import { RENEWABLE_POWER_DEFAULTS, renewableViolations } from "../../policies/renewablePowerSite";
import { ISOLATION_DEFAULTS, isolationViolations } from "../../policies/sensitiveDataIsolation";
import { POWER_BUDGET_DEFAULTS, powerBudgetViolations } from "../../policies/sitePowerBudget";
import { SUPPLY_CHAIN_DEFAULTS, imageRegistry, supplyChainViolations } from "../../policies/sovereignSupplyChain";
import { SITE_LABELS, WORKLOAD_KINDS, cloud, gpuPodSpec, k8s, workload } from "./fixtures";

const siteRecord = (data: Record<string, string> = {}) =>
  k8s(
    "ConfigMap",
    {
      metadata: { name: "site", namespace: "aifactory-system", labels: { ...SITE_LABELS, "aifactory.no/site-declaration": "true" } },
      data: {
        name: "oslo-1",
        powerSource: "hydro",
        guaranteeOfOrigin: "NECS-NO-2026-OSL1-004711",
        capacityKw: "100",
        pue: "1.2",
        heatReuseConsumer: "Oslo district heating",
        heatRecoveredFraction: "0.7",
        ...data,
      },
    },
    "site",
  );

describe("renewable-power-site", () => {
  const check = (r: ResourceView) => renewableViolations(r, RENEWABLE_POWER_DEFAULTS);

  it("passes a hydro site with a guarantee of origin, and resources labelled with it", () => {
    expect(check(siteRecord())).toEqual([]);
    expect(check(k8s("Namespace", { metadata: { name: "x", labels: SITE_LABELS } }))).toEqual([]);
  });

  it.each([
    [{ powerSource: "grid-mix" }, 'site declaration "oslo-1" power source "grid-mix" is not renewable (allowed: hydro, wind, solar, geothermal)'],
    [{ powerSource: "" }, 'site declaration "oslo-1" declares no power source'],
    [{ guaranteeOfOrigin: "" }, 'site declaration "oslo-1" claims renewable hydro power without a guarantee-of-origin id'],
    [{ powerSource: "Diesel" }, 'site declaration "oslo-1" power source "Diesel" is not renewable (allowed: hydro, wind, solar, geothermal)'],
  ])("blocks a site declaration with %j", (data, message) => {
    expect(check(siteRecord(data))).toEqual([`site (kubernetes:core/v1:ConfigMap): ${message}`]);
  });

  it("blocks a resource labelled with a site but no power source, or a renewable claim without a certificate", () => {
    const noPower = { ...SITE_LABELS, "aifactory.no/power-source": undefined } as unknown as Record<string, string>;
    expect(check(k8s("Service", { metadata: { labels: JSON.parse(JSON.stringify(noPower)) as Record<string, string> } }))).toHaveLength(1);
    const { ["aifactory.no/guarantee-of-origin"]: _go, ...noGo } = SITE_LABELS;
    expect(check(k8s("Service", { metadata: { labels: noGo } }))[0]).toMatch(/claims renewable hydro power without a guarantee-of-origin id$/);
  });

  it("ignores resources placed at no site", () => {
    expect(check(cloud("random:index/randomPassword:RandomPassword", { length: 48 }))).toEqual([]);
  });
});

describe("heat-reuse-declared", () => {
  it("passes a site that names its heat consumer and flags one that does not", () => {
    expect(heatReuseViolations(siteRecord(), HEAT_REUSE_DEFAULTS)).toEqual([]);
    expect(heatReuseViolations(siteRecord({ heatReuseConsumer: "" }), HEAT_REUSE_DEFAULTS)).toEqual([
      'site (kubernetes:core/v1:ConfigMap): data.heatReuseConsumer: site "oslo-1" declares no consumer of its waste heat',
    ]);
  });

  it("flags too little recovered heat when a minimum is configured", () => {
    expect(heatReuseViolations(siteRecord(), { minimumRecoveredFraction: 0.8 })).toHaveLength(1);
  });
});

const storageClass = (patch: Record<string, unknown> = {}, name = "ceph-block") =>
  k8s(
    "StorageClass",
    {
      metadata: { name, labels: SITE_LABELS },
      provisioner: "rook-ceph.rbd.csi.ceph.com",
      parameters: { encrypted: "true", encryptionKMSID: "vault" },
      allowedTopologies: [{ matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: ["no-oslo-1a"] }] }],
      ...patch,
    },
    `class-${name}`,
  );
const pvc = (cls: string | undefined) =>
  k8s("PersistentVolumeClaim", { metadata: { name: "data", namespace: "research" }, spec: cls === undefined ? {} : { storageClassName: cls } }, "pvc");
const bsl = (config: Record<string, string>) =>
  cloud("kubernetes:velero.io/v1:BackupStorageLocation", { kind: "BackupStorageLocation", spec: { provider: "aws", config } }, "bsl");

describe("in-country-data", () => {
  const check = (...rs: ResourceView[]) => inCountryDataViolations(rs, IN_COUNTRY_DATA_DEFAULTS).map((v) => v.message);

  it("passes an s3:// URL that names its own in-country endpoint (a Pulumi state backend), and still blocks one without", () => {
    const stack = (backend: string): ResourceView => ({
      type: "kubernetes:pulumi.com/v1:Stack",
      name: "oslo",
      urn: "urn:pulumi:m::f::kubernetes:pulumi.com/v1:Stack::oslo",
      props: { apiVersion: "pulumi.com/v1", kind: "Stack", metadata: { name: "oslo" }, spec: { stack: "oslo", backend } },
    });
    expect(check(stack("s3://state/oslo?endpoint=https://s3.oslo-1.aifactory.no&s3ForcePathStyle=true"))).toEqual([]);
    expect(check(stack("s3://state/oslo?region=eu-north-1")).join(" ")).toContain("names no in-country S3 endpoint");
    expect(check(stack("s3://state/oslo?endpoint=https://s3.example.com")).join(" ")).toContain("names no in-country S3 endpoint");
  });

  it("passes a pinned, encrypted class, a claim on it and an in-country backup", () => {
    expect(check(storageClass(), pvc("ceph-block"), bsl({ region: "no-rjukan-1", s3Url: "https://s3.rjukan-1.aifactory.no" }))).toEqual([]);
  });

  it.each([
    [{ allowedTopologies: undefined }, "allowedTopologies does not pin volumes to Norwegian zones"],
    [{ allowedTopologies: [{ matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: ["eu-north-1a"] }] }] }, 'allowedTopologies allows "eu-north-1a", not a Norwegian zone'],
    [{ parameters: { encryptionKMSID: "vault" } }, 'parameters.encrypted is not "true"'],
    [{ parameters: { encrypted: "false" } }, 'parameters.encrypted is not "true"'],
  ])("blocks a storage class with %j", (patch, problem) => {
    expect(check(storageClass(patch))).toEqual([`class-ceph-block (kubernetes:core/v1:StorageClass): ${problem}`]);
  });

  it.each([
    ["a foreign cloud's CSI driver", { provisioner: "ebs.csi.aws.com" }, 'provisioner "ebs.csi.aws.com" is not an allowed storage backend'],
    ["the same in capitals", { provisioner: "EBS.CSI.AWS.COM" }, 'provisioner "EBS.CSI.AWS.COM" is not an allowed storage backend'],
    ["Rook's provisioner in another case", { provisioner: "Rook-Ceph.rbd.csi.ceph.com" }, "is not an allowed storage backend"],
    ["Rook's provisioner with a Cyrillic look-alike", { provisioner: "rook-\u0441eph.rbd.csi.ceph.com" }, "is not an allowed storage backend"],
    ["another Ceph cluster", { parameters: { encrypted: "true", clusterID: "partner-ceph" } }, 'parameters.clusterID "partner-ceph" is not the site\'s own Ceph cluster'],
    ["the site's id with a Cyrillic look-alike", { parameters: { encrypted: "true", clusterID: "rook-c\u0435ph" } }, "is not the site's own Ceph cluster"],
    ["the id under another key case", { parameters: { encrypted: "true", ClusterId: "partner-ceph" } }, 'parameters.ClusterId "partner-ceph" is not the site\'s own Ceph cluster'],
    ["a bucket class on another cluster", { provisioner: "rook-ceph.ceph.rook.io/bucket", parameters: { objectStoreNamespace: "partner-ceph" } }, "is not the site's own Ceph cluster"],
  ])("refuses a storage backend that is not the site's own: %s", (_name, patch, problem) => {
    const found = check(storageClass(patch));
    expect(found.some((m) => m.includes(problem))).toBe(true);
    expect(check(storageClass({ parameters: { encrypted: "true", clusterID: "rook-ceph" } }))).toEqual([]);
  });

  it("refuses every provisioner outside the allow-list and allows an operator's own (property)", () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 40 }), (provisioner) => {
      const refused = check(storageClass({ provisioner })).some((m) => m.includes("is not an allowed storage backend"));
      expect(refused).toBe(!IN_COUNTRY_DATA_DEFAULTS.allowedProvisioners.includes(provisioner));
    }));
    const config = { ...IN_COUNTRY_DATA_DEFAULTS, allowedProvisioners: ["csi.local.aifactory.no"] };
    expect(inCountryDataViolations([storageClass({ provisioner: "csi.local.aifactory.no" })], config)).toEqual([]);
  });

  it("blocks volumes on a non-compliant, undeclared or default class", () => {
    expect(check(storageClass({ parameters: {} }, "plain"), pvc("plain"))).toContain(
      'pvc (kubernetes:core/v1:PersistentVolumeClaim): spec.storageClassName = "plain" is not pinned to Norwegian zones and encrypted',
    );
    expect(check(pvc("gp3"))).toEqual(['pvc (kubernetes:core/v1:PersistentVolumeClaim): spec.storageClassName = "gp3" is not a storage class declared in this stack']);
    expect(check(pvc(undefined))).toEqual([
      "pvc (kubernetes:core/v1:PersistentVolumeClaim): spec.storageClassName is not set, so the cluster default class (unchecked) would be used",
    ]);
  });

  it("blocks a backup location without s3Url (it would fall back to AWS) or with a foreign endpoint", () => {
    expect(check(bsl({ region: "no-oslo-1" }))).toEqual([
      "bsl (kubernetes:velero.io/v1:BackupStorageLocation): spec.config.s3Url is not set, so backups would go to the public AWS S3 endpoint (Velero's AWS plugin falls back to it)",
    ]);
    expect(check(bsl({ s3Url: "https://s3.oslo-1.aifactory.no", publicUrl: "https://backup.example.com" }))).toHaveLength(1);
    expect(check(bsl({ s3Url: "http://s3.oslo-1.aifactory.no" }))).toHaveLength(1);
  });

  it("blocks object-store endpoints abroad, in properties and in environment variables", () => {
    expect(check(cloud("kubernetes:helm.sh/v3:Release", { values: { storage: { s3: { endpoint: "https://s3.amazonaws.com" } } } }))).toHaveLength(1);
    const spec = gpuPodSpec();
    (spec["containers"] as { env: unknown[] }[])[0]!.env.push({ name: "AWS_ENDPOINT_URL", value: "https://storage.googleapis.com" });
    expect(check(workload("Deployment", spec))).toHaveLength(1);
  });

  it.each([
    ["a Hugging Face URI", { storageUri: "hf://meta-llama/Llama-3.1-8B" }],
    ["a Google Cloud Storage URI", { storageUri: "gs://models/llama" }],
    ["an Azure blob URI", { storageUri: "wasbs://models@acct.blob.core.windows.net/llama" }],
    ["a model hub URL", { url: "https://huggingface.co/meta-llama/Llama-3.1-8B/resolve/main/model.safetensors" }],
    ["an s3:// URI with no in-country endpoint", { storageUri: "s3://models/llama" }],
  ])("blocks a model pulled from outside: %s", (_name, spec) => {
    expect(check(cloud("kubernetes:serving.kserve.io/v1beta1:InferenceService", { kind: "InferenceService", spec }))).toHaveLength(1);
  });

  it("passes an s3:// model URI read through an in-country endpoint", () => {
    const spec = { storageUri: "s3://models/llama", env: [{ name: "AWS_ENDPOINT_URL", value: "https://s3.oslo-1.aifactory.no" }] };
    expect(check(cloud("kubernetes:serving.kserve.io/v1beta1:InferenceService", { kind: "InferenceService", spec }))).toEqual([]);
  });

  it.each(WORKLOAD_KINDS)("blocks a model server in a %s with hub downloads left on", (kind) => {
    const spec = gpuPodSpec();
    (spec["containers"] as { env: unknown[] }[])[0]!.env = [];
    expect(check(workload(kind, spec))[0]).toMatch(/runs a model server without HF_HUB_OFFLINE=1/);
  });
});

describe("site-power-budget", () => {
  const pool = (watts: string, site = "oslo-1") =>
    k8s("ConfigMap", { metadata: { name: `pool-${watts}`, labels: { ...SITE_LABELS, "aifactory.no/site": site }, annotations: { "aifactory.no/power-estimate-watts": watts } } }, `pool-${watts}`);
  const check = (...rs: ResourceView[]) => powerBudgetViolations(rs, POWER_BUDGET_DEFAULTS).map((v) => v.message);

  it("passes pools whose draw times PUE fits the capacity", () => {
    expect(check(siteRecord(), pool("40000"), pool("40000"))).toEqual([]); // 80 kW x 1.2 = 96 kW <= 100 kW
  });

  it("blocks pools that exceed the capacity at full load", () => {
    expect(check(siteRecord(), pool("40000"), pool("45000"))).toEqual([
      'site "oslo-1": GPU pools draw 85 kW IT x PUE 1.2 = 102.0 kW at full load, over the 100 kW of contracted renewable capacity',
    ]);
  });

  it("keeps a configured reserve", () => {
    const rs = [siteRecord(), pool("40000"), pool("40000")];
    expect(powerBudgetViolations(rs, { reservePercent: 10 })).toHaveLength(1);
  });

  it("blocks resources that reference a site that is never declared", () => {
    expect(check(siteRecord(), pool("1000", "bergen-1"))).toEqual([
      'pool-1000 (kubernetes:core/v1:ConfigMap): metadata.labels["aifactory.no/site"] = "bergen-1" names a site that is not declared',
    ]);
  });

  it("blocks a power estimate that is not a number", () => {
    expect(check(siteRecord(), pool("lots"))[0]).toMatch(/is not a number of watts$/);
  });
});

describe("sensitive-data-isolation", () => {
  const ns = (cls: string) => k8s("Namespace", { metadata: { name: "public-services", labels: { "aifactory.no/data-classification": cls } } }, "ns");
  const deny = k8s(
    "NetworkPolicy",
    {
      metadata: { name: "default-deny", namespace: "public-services" },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [], egress: [{ ports: [{ protocol: "UDP", port: 53 }] }] },
    },
    "deny",
  );
  const service = (type: string) => k8s("Service", { metadata: { name: "api", namespace: "public-services" }, spec: { type } }, "svc");
  const ingress = (tls: unknown[]) =>
    k8s("Ingress", { metadata: { name: "api", namespace: "public-services" }, spec: { tls, rules: [{ host: "api.aifactory.no" }] } }, "ing");
  const check = (...rs: ResourceView[]) => isolationViolations(rs, ISOLATION_DEFAULTS).map((v) => v.message);

  it("passes a sensitive namespace with default-deny, a ClusterIP service and a TLS ingress", () => {
    expect(check(ns("sensitive"), deny, service("ClusterIP"), ingress([{ hosts: ["api.aifactory.no"], secretName: "t" }]))).toEqual([]);
  });

  it.each(["LoadBalancer", "NodePort"])("blocks a %s service for a sensitive tenant", (type) => {
    expect(check(ns("sensitive"), deny, service(type))).toEqual([
      `svc (kubernetes:core/v1:Service) in protected namespace "public-services": spec.type = "${type}" exposes it outside the cluster`,
    ]);
  });

  it("blocks an ingress without TLS, or with a host TLS does not cover", () => {
    expect(check(ns("restricted"), deny, ingress([]))).toHaveLength(1);
    expect(check(ns("restricted"), deny, ingress([{ hosts: ["other.aifactory.no"] }]))).toHaveLength(1);
  });

  it("blocks a sensitive namespace without default-deny, or with a policy that lets traffic in", () => {
    expect(check(ns("sensitive"))).toEqual([
      'ns (kubernetes:core/v1:Namespace): namespace "public-services" holds sensitive data but has no default-deny NetworkPolicy',
    ]);
    const leaky = k8s("NetworkPolicy", { metadata: { namespace: "public-services" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}] } });
    expect(check(ns("sensitive"), leaky)).toHaveLength(1);
  });

  it("leaves open and internal tenants alone", () => {
    expect(check(ns("internal"), service("LoadBalancer"), ingress([]))).toEqual([]);
  });

  const gatewayType = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
  const gateway = (listeners: Record<string, unknown>[], namespace = "aifactory-system") =>
    cloud(gatewayType, { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "aifactory", namespace }, spec: { gatewayClassName: "eg", listeners } }, "gw");
  const https = { name: "https-api", hostname: "api.aifactory.no", port: 443, protocol: "HTTPS", tls: { mode: "Terminate", certificateRefs: [{ name: "api-tls" }] } };
  const http = { name: "http", port: 80, protocol: "HTTP" };
  const route = (parentRef: Record<string, unknown>) =>
    cloud(
      "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
      { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "api", namespace: "public-services" }, spec: { parentRefs: [parentRef], hostnames: ["api.aifactory.no"] } },
      "route",
    );
  const toGateway = (extra: Record<string, unknown> = {}) => ({ name: "aifactory", namespace: "aifactory-system", ...extra });

  it("passes an HTTPRoute on an HTTPS listener of a declared Gateway", () => {
    expect(check(ns("sensitive"), deny, gateway([https, http]), route(toGateway({ sectionName: "https-api" })))).toEqual([]);
  });

  it("blocks an HTTPRoute on a plain-HTTP listener, as it blocks an Ingress without TLS", () => {
    expect(check(ns("sensitive"), deny, gateway([https, http]), route(toGateway({ sectionName: "http" })))).toEqual([
      'route (kubernetes:gateway.networking.k8s.io/v1:HTTPRoute) in protected namespace "public-services": spec.parentRefs[0] attaches to listener "http" (protocol HTTP) of Gateway aifactory-system/aifactory: plain HTTP',
    ]);
    // No sectionName: the route may attach to every listener, the HTTP one included.
    expect(check(ns("sensitive"), deny, gateway([https, http]), route(toGateway()))).toHaveLength(1);
    // Selected by port.
    expect(check(ns("restricted"), deny, gateway([https, http]), route(toGateway({ port: 80 })))).toHaveLength(1);
    expect(check(ns("restricted"), deny, gateway([https, http]), route(toGateway({ port: 443 })))).toEqual([]);
    // Protocol spelt in lower case is still plain HTTP.
    expect(check(ns("restricted"), deny, gateway([{ ...http, protocol: "http" }]), route(toGateway()))).toHaveLength(1);
  });

  it("blocks an HTTPRoute whose Gateway or listener the stack does not declare", () => {
    expect(check(ns("sensitive"), deny, route(toGateway({ sectionName: "https-api" })))[0]).toContain("is not declared in this stack");
    expect(check(ns("sensitive"), deny, gateway([https]), route(toGateway({ sectionName: "nope" })))[0]).toContain("names no listener");
    expect(check(ns("sensitive"), deny, gateway([https]), route({ name: "aifactory" }))[0]).toContain("is not declared in this stack");
    expect(check(ns("sensitive"), deny, gateway([https]), route({ kind: "Service", name: "aifactory" }))[0]).toContain("is not a Gateway");
  });

  it("blocks a Gateway with a plain-HTTP listener in a protected namespace, and leaves open tenants' routes alone", () => {
    expect(check(ns("sensitive"), deny, gateway([http], "public-services"))).toHaveLength(1);
    expect(check(ns("open"), gateway([http]), route(toGateway({ sectionName: "http" })))).toEqual([]);
  });
});

describe("gpu-workload-placement", () => {
  const check = (r: ResourceView) => gpuPlacementViolations(r, GPU_PLACEMENT_DEFAULTS);

  it.each(WORKLOAD_KINDS)("passes a %s that selects a pool and tolerates the taint", (kind) => {
    expect(check(workload(kind, gpuPodSpec()))).toEqual([]);
  });

  it.each(WORKLOAD_KINDS)("flags a %s that requests GPUs without selecting a pool or tolerating the taint", (kind) => {
    const { nodeSelector: _s, tolerations: _t, ...bare } = gpuPodSpec();
    expect(check(workload(kind, bare))).toHaveLength(2);
  });

  it("does not count a kubelet-settable label as selecting a pool", () => {
    const spec = { ...gpuPodSpec(), nodeSelector: { "aifactory.no/gpu-pool": "l40s-infer" } };
    expect(check(workload("Deployment", spec))).toEqual([
      'test-deployment (kubernetes:apps/v1:Deployment): spec.template.spec requests GPUs but does not select a GPU pool by aifactory.no.node-restriction.kubernetes.io/gpu-pool',
    ]);
  });

  it("accepts required node affinity on the pool label", () => {
    const { nodeSelector: _s, ...rest } = gpuPodSpec();
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: GPU_PLACEMENT_DEFAULTS.poolLabel, operator: "In", values: ["l40s-infer"] }] }] } } };
    expect(check(workload("Deployment", { ...rest, affinity }))).toEqual([]);
  });

  it("ignores pods that request no GPUs", () => {
    expect(check(workload("Deployment", { containers: [{ name: "web", image: "cr.oslo-1.aifactory.no/web:1" }] }))).toEqual([]);
  });
});

describe("sovereign-supply-chain", () => {
  const check = (r: ResourceView) => supplyChainViolations(r, SUPPLY_CHAIN_DEFAULTS);

  it("reads the registry of an image reference", () => {
    expect(["vllm/vllm-openai:v1", "nginx", "ghcr.io/org/x:1", "cr.oslo-1.aifactory.no:5000/x@sha256:ab", "localhost/x"].map(imageRegistry)).toEqual([
      "docker.io",
      "docker.io",
      "ghcr.io",
      "cr.oslo-1.aifactory.no",
      "localhost",
    ]);
  });

  it("passes images and charts from the in-country mirrors", () => {
    expect(check(workload("Deployment", gpuPodSpec()))).toEqual([]);
    expect(check(cloud("kubernetes:helm.sh/v3:Release", { chart: "gpu-operator", repositoryOpts: { repo: "https://charts.oslo-1.aifactory.no/stable" } }))).toEqual([]);
  });

  it.each([
    ["a Docker Hub image", { containers: [{ image: "vllm/vllm-openai:v0.11.0" }] }],
    ["a foreign registry", { containers: [{ image: "nvcr.io/nvidia/tritonserver:25.01" }] }],
    ["a look-alike mirror", { containers: [{ image: "cr.oslo-1.aifactory.no.example.com/vllm:1" }] }],
  ])("flags %s", (_name, spec) => {
    expect(check(workload("Pod", spec))).toHaveLength(1);
  });

  it("flags a chart from a repository abroad, and Helm values that pull images from abroad", () => {
    const release = cloud("kubernetes:helm.sh/v3:Release", {
      chart: "oci://ghcr.io/charts/thing",
      values: { image: { repository: "docker.io/bitnami/redis" } },
    });
    expect(check(release)).toHaveLength(2);
  });

  it("reads a chart's repository with the registry beside it, as such charts render it", () => {
    const values = (registry: string) => cloud("kubernetes:helm.sh/v3:Release", { values: { image: { registry, repository: "pulumi/pulumi-kubernetes-operator", tag: "v2.9.0" } } });
    expect(check(values("cr.oslo-1.aifactory.no"))).toEqual([]);
    expect(check(values("docker.io"))).toHaveLength(1);
    expect(check(values("cr.oslo-1.aifactory.no.example.com"))).toHaveLength(1);
    // No registry beside it: the repository alone is a Docker Hub name.
    expect(check(cloud("kubernetes:helm.sh/v3:Release", { values: { image: { repository: "pulumi/pulumi-kubernetes-operator" } } }))).toHaveLength(1);
  });
});

describe("in-country-data, embedded documents", () => {
  it("checks endpoints inside a YAML file carried in a ConfigMap", () => {
    const cm = k8s("ConfigMap", { data: { "loki.yaml": "storage:\n  s3:\n    endpoint: https://s3.eu-west-1.amazonaws.com\n" } }, "loki");
    expect(inCountryDataViolations([cm], IN_COUNTRY_DATA_DEFAULTS).map((v) => v.message)).toEqual([
      'loki (kubernetes:core/v1:ConfigMap): data["loki.yaml"] (embedded) storage.s3.endpoint = "https://s3.eu-west-1.amazonaws.com" is not an in-country endpoint (host s3.eu-west-1.amazonaws.com is not under aifactory.no)',
    ]);
  });
});
