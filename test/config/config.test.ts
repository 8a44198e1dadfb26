import { describe, expect, it } from "vitest";
import { ConfigError, parseFactoryConfig } from "../../config";
import { ProgramError, evaluatePolicies, programResources } from "../../plan";
import { osloRaw, osloWith, runWith } from "../helpers";

/** Runs the program and returns the error it stopped with. */
async function programFailure(raw: Record<string, unknown>): Promise<ProgramError> {
  try {
    await runWith(raw);
  } catch (err) {
    if (err instanceof ProgramError) return err;
    throw err;
  }
  throw new Error("the program accepted an invalid config");
}

function problemLines(raw: Record<string, unknown>): string[] {
  const result = parseFactoryConfig(raw);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe("the Oslo config", () => {
  it("parses, with defaults filled in", () => {
    const result = parseFactoryConfig(osloRaw());
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
    expect(result.config.site.region).toBe("no-oslo-1");
    expect(result.config.tenants.map((t) => t.dataClassification)).toEqual(["internal", "sensitive", "open"]);
    expect(result.config.gpuPools.map((p) => p.provisioning)).toEqual(["clusterapi", "static", "clusterapi"]);
    expect(result.config.storage.classes.every((c) => c.encrypted)).toBe(true);
    expect(result.config.inference[0]?.exposure).toBe("cluster");
    expect(result.config.cluster.systemNamespace).toBe("aifactory-system");
  });

  it("accepts an ingress for a sensitive tenant when the reason is given", () => {
    const result = parseFactoryConfig(
      osloWith({
        "inference[0].exposure": "ingress",
        "inference[0].hostname": "chat.oslo-1.aifactory.no",
        "inference[0].sensitiveIngressReason": "Citizen portal in the municipal DMZ calls it directly",
      }),
    );
    expect(result.ok).toBe(true);
  });

  it("accepts a bare number where a quantity is expected", () => {
    const result = parseFactoryConfig(osloWith({ "tenants[0].quotas.cpu": 64 }));
    expect(result.ok && result.config.tenants[0]?.quotas.cpu).toBe("64");
  });
});

/** One change to the Oslo config, and the exact problem it must produce. */
const badConfigs: [string, Record<string, unknown>, string][] = [
  [
    "a Ceph cluster id that is not a namespace name",
    { "storage.cephClusterId": "-5Gi" },
    "storage.cephClusterId: must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit",
  ],
  [
    "an unknown power source",
    { "site.power.source": "nuclear" },
    "site.power.source: must be hydro, wind, solar, geothermal, grid-mix, gas, coal, oil or diesel",
  ],
  [
    "a zone of another region",
    { "site.zones[1]": "se-sto-1a" },
    "site.zones[1]: must be a zone of no-oslo-1: the region name plus one letter, e.g. no-oslo-1a",
  ],
  [
    "a site name that is not a DNS label",
    { "site.name": "Oslo_1" },
    "site.name: must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit",
  ],
  ["a PUE below 1", { "site.power.pue": 0.9 }, "site.power.pue: must be at least 1"],
  ["a missing capacity", { "site.power.capacityKw": undefined }, "site.power.capacityKw: is required"],
  ["a misspelt site key", { "site.powr": { source: "hydro" } }, "site: unknown key 'powr'"],
  ["a site that is not a map", { site: "oslo-1" }, "site: must be a map of keys to values"],
  ["no tenants", { tenants: undefined }, "tenants: is required"],
  ["a GPU count servers do not come in", { "gpuPools[2].gpusPerNode": 3 }, "gpuPools[2].gpusPerNode: must be 1, 2, 4 or 8 for l40s"],
  [
    "an unknown GPU model",
    { "gpuPools[0].gpuModel": "b200" },
    "gpuPools[0].gpuModel: must be h100-sxm, h200-sxm, a100-80gb or l40s",
  ],
  [
    "a pool in a zone the site does not have",
    { "gpuPools[0].zone": "no-oslo-1c" },
    "gpuPools[0].zone: must be one of the site's zones: no-oslo-1a or no-oslo-1b",
  ],
  [
    "a static pool without nodes",
    { "gpuPools[1].nodeNames": [] },
    "gpuPools[1].nodeNames: must list the existing nodes of a static pool",
  ],
  [
    "a static pool listing a node twice",
    { "gpuPools[1].nodeNames": ["osl1-dgx-b01", "osl1-dgx-b01"] },
    "gpuPools[1].nodeNames[1]: 'osl1-dgx-b01' is listed twice",
  ],
  [
    "a node in two pools",
    { "gpuPools[2]": { name: "spare", gpuModel: "h200-sxm", gpusPerNode: 8, zone: "no-oslo-1b", provisioning: "static", nodeNames: ["osl1-dgx-b02"] } },
    "gpuPools[2].nodeNames[0]: 'osl1-dgx-b02' already belongs to pool 'dgx-h200'; a node is in one pool",
  ],
  [
    "a static pool whose count disagrees with its nodes",
    { "gpuPools[1].nodes": 3 },
    "gpuPools[1].nodes: must be 2 (the number of nodeNames) or left out for a static pool",
  ],
  [
    "a clusterapi pool without Cluster API settings",
    { "cluster.clusterApi": undefined },
    "cluster.clusterApi: is required because gpuPools[0] is provisioned by clusterapi",
  ],
  [
    "a clusterapi pool without a size",
    { "gpuPools[0].nodes": undefined },
    "gpuPools[0].nodes: is required for clusterapi pools: a count or {min, max}",
  ],
  [
    "a host image not served over https",
    { "cluster.clusterApi.hostImage.url": "http://images.oslo-1.aifactory.no/x.qcow2" },
    "cluster.clusterApi.hostImage.url: must be an https:// URL",
  ],
  [
    "a GPU operator chart version that is not pinned",
    { "cluster.gpuOperator.chartVersion": "latest" },
    "cluster.gpuOperator.chartVersion: must be a pinned chart version such as v25.10.0",
  ],
  [
    "a node range with min above max",
    { "gpuPools[0].nodes": { min: 5, max: 2 } },
    "gpuPools[0].nodes.min: must not be greater than gpuPools[0].nodes.max (2)",
  ],
  [
    "a MIG layout the model does not support",
    { "gpuPools[2].mig": "all-1g.10gb" },
    "gpuPools[2].mig: must be all-disabled for l40s",
  ],
  [
    "two tenants with one name",
    { "tenants[2].name": "logistics" },
    "tenants[2].name: 'logistics' is already used by tenants[0]; names must be unique",
  ],
  [
    "a reserved namespace as tenant",
    { "tenants[0].name": "kube-system" },
    "tenants[0].name: 'kube-system' is reserved by Kubernetes; must not be default, kube-system, kube-public, kube-node-lease or start with kube-",
  ],
  [
    "an unknown data classification",
    { "tenants[1].dataClassification": "secret" },
    "tenants[1].dataClassification: must be open, internal, sensitive or restricted",
  ],
  [
    "a storage quota that is not a quantity",
    { "tenants[0].quotas.storage": "lots" },
    "tenants[0].quotas.storage: must be a Kubernetes quantity such as 500Gi, 10Ti or 64",
  ],
  [
    "a negative GPU quota",
    { "tenants[0].quotas.gpus": -1 },
    "tenants[0].quotas.gpus: must be at least 0",
  ],
  [
    "inference for a tenant that does not exist",
    { "inference[0].tenant": "marketing" },
    "inference[0].tenant: must name a tenant: logistics, public-services or research",
  ],
  [
    "inference on a pool that does not exist",
    { "inference[0].gpuPool": "a100-pool" },
    "inference[0].gpuPool: must name a GPU pool: h100-train, dgx-h200 or l40s-infer",
  ],
  [
    "a replica larger than a node",
    { "inference[1].gpusPerReplica": 16 },
    "inference[1].gpusPerReplica: must be at most 8: one replica runs on one node of pool 'h100-train'",
  ],
  [
    "an image without tag or digest",
    { "inference[0].image": "cr.oslo-1.aifactory.no/vllm/vllm-openai" },
    "inference[0].image: must be a registry/repository image pinned by digest, e.g. cr.oslo-1.aifactory.no/vllm/vllm-openai:v0.11.0@sha256:<64 hex digits>",
  ],
  [
    "a volume on an unencrypted class",
    { "storage.classes[1].encrypted": false },
    "storage.volumes[0].class: 'ceph-shared' is not encrypted; volumes must use an encrypted class",
  ],
  [
    "a storage zone outside the site",
    { "storage.classes[0].zones": ["no-oslo-1a", "no-bergen-1a"] },
    "storage.classes[0].zones[1]: must be one of the site's zones: no-oslo-1a or no-oslo-1b",
  ],
  [
    "a backup endpoint over plain http",
    { "storage.backup.s3Url": "http://s3.rjukan-1.aifactory.no" },
    "storage.backup.s3Url: must be an https:// URL of an in-country object store (a host under *.aifactory.no), got 'http://s3.rjukan-1.aifactory.no'",
  ],
  [
    "a backup endpoint abroad",
    { "storage.backup.s3Url": "https://s3.eu-north-1.amazonaws.com" },
    "storage.backup.s3Url: must be an https:// URL of an in-country object store (a host under *.aifactory.no), got 'https://s3.eu-north-1.amazonaws.com'",
  ],
  [
    "a backup endpoint that only looks in-country",
    { "storage.backup.s3Url": "https://s3.aifactory.no.backup-eu.com" },
    "storage.backup.s3Url: must be an https:// URL of an in-country object store (a host under *.aifactory.no), got 'https://s3.aifactory.no.backup-eu.com'",
  ],
  [
    "an object store abroad",
    { "storage.objectStore.endpoint": "https://storage.googleapis.com" },
    "storage.objectStore.endpoint: must be an https:// URL of an in-country object store (a host under *.aifactory.no), got 'https://storage.googleapis.com'",
  ],
  [
    "buckets without an object store",
    { "storage.objectStore": undefined },
    "storage.objectStore: is required when storage.buckets is not empty: the in-country object store buckets live in",
  ],
  [
    "a volume for an unknown tenant",
    { "storage.volumes[3].tenant": "marketing" },
    "storage.volumes[3].tenant: must name a tenant: logistics, public-services or research",
  ],
  [
    "a volume size that is not a quantity",
    { "storage.volumes[0].size": "2 TB" },
    "storage.volumes[0].size: must be a Kubernetes quantity such as 500Gi, 10Ti or 64",
  ],
  ["a volume of size zero", { "storage.volumes[0].size": "0Gi" }, "storage.volumes[0].size: must be larger than zero"],
  [
    "a volume on a class that does not exist",
    { "storage.volumes[0].class": "nvme" },
    "storage.volumes[0].class: must name a storage class: ceph-block or ceph-shared",
  ],
  [
    "more replicas than the tenant's GPU quota allows",
    { "inference[1].replicas": { min: 1, max: 8 } },
    "inference[1].replicas: 8 replicas x 4 GPUs brings tenant 'logistics' to 32 GPUs, over its quota of 28 (tenants quotas.gpus)",
  ],
  [
    "an ingress for a sensitive tenant without a reason",
    { "inference[0].exposure": "ingress", "inference[0].hostname": "chat.oslo-1.aifactory.no" },
    "inference[0].exposure: 'ingress' is refused for sensitive tenant 'public-services'; use 'cluster', or set inference[0].sensitiveIngressReason to say why it must be reachable from outside the cluster",
  ],
  [
    "an ingress without a host name",
    { "inference[1].hostname": undefined },
    "inference[1].hostname: is required when exposure is 'ingress'",
  ],
  [
    "an autoscaling range from zero",
    { "inference[0].replicas": { min: 0, max: 2 } },
    "inference[0].replicas.min: must be at least 1 when autoscaling (the autoscaler cannot scale up from zero)",
  ],
  [
    "a model on another tenant's volume",
    { "inference[0].model.volume": "corpora" },
    "inference[0].model.volume: must name a volume of tenant 'public-services': models or casefiles",
  ],
  [
    "a model path that is a hub URL",
    { "inference[0].model.path": "hf://meta-llama/Llama-3.1-8B" },
    "inference[0].model.path: must be a relative path inside the volume (letters, digits, '.', '_', '-' and '/'; no '..', no URL)",
  ],
  [
    "a model path that climbs out of the volume",
    { "inference[0].model.path": "../../etc" },
    "inference[0].model.path: must be a relative path inside the volume (letters, digits, '.', '_', '-' and '/'; no '..', no URL)",
  ],
  [
    "a mirror that is not a URL",
    { "mirrors.chartRepository": "charts.example.com" },
    "mirrors.chartRepository: must be an https:// or oci:// URL",
  ],
  // Names that two objects would share.
  [
    "the GPU operator in the system namespace",
    { "cluster.gpuOperator": { namespace: "aifactory-system" } },
    "cluster.gpuOperator.namespace: 'aifactory-system' is already cluster.systemNamespace, which the factory also creates; namespaces must not be shared",
  ],
  [
    "a tenant named like the GPU operator's namespace",
    { "tenants[2].name": "gpu-operator", "storage.volumes[3].tenant": "gpu-operator", "storage.buckets[0].tenant": "gpu-operator" },
    "tenants[2].name: 'gpu-operator' is already cluster.gpuOperator.namespace, which the factory also creates; namespaces must not be shared",
  ],
  [
    "a tenant named velero",
    { "tenants[2].name": "velero", "storage.volumes[3].tenant": "velero", "storage.buckets[0].tenant": "velero" },
    "tenants[2].name: 'velero' is already storage.backup.namespace, which the site's platform software uses; namespaces must not be shared",
  ],
  [
    "a tenant named like the ingress controller's namespace",
    { "tenants[2].name": "ingress-nginx", "storage.volumes[3].tenant": "ingress-nginx", "storage.buckets[0].tenant": "ingress-nginx" },
    "tenants[2].name: 'ingress-nginx' is already cluster.ingress.namespace, which the site's platform software uses; namespaces must not be shared",
  ],
  [
    "a tenant named like the monitoring namespace from config",
    { "cluster.monitoring": { namespace: "research" } },
    "tenants[2].name: 'research' is already cluster.monitoring.namespace, which the site's platform software uses; namespaces must not be shared",
  ],
  [
    "kube-system as the system namespace",
    { "cluster.systemNamespace": "kube-system" },
    "cluster.systemNamespace: 'kube-system' is reserved by Kubernetes; must not be default, kube-system, kube-public, kube-node-lease or start with kube-",
  ],
  // Names that yield invalid objects.
  [
    "an inference service name starting with a digit",
    { "inference[0].name": "7b-chat" },
    "inference[0].name: must start with a letter (it names a Kubernetes Service)",
  ],
  [
    "a host name label over 63 characters",
    { "inference[1].hostname": `${"a".repeat(64)}.oslo-1.aifactory.no` },
    "inference[1].hostname: must be a DNS host name: lower-case labels of letters, digits and '-', each at most 63 characters",
  ],
  [
    "a bucket whose object-store name is over 63 characters",
    { "storage.buckets[0].name": "training-data-for-the-norwegian-language-models-2026" },
    "storage.buckets[0].name: gives the object-store bucket the name 'oslo-1-research-training-data-for-the-norwegian-language-models-2026' (68 characters); bucket names are at most 63: shorten site.name, the tenant or the bucket",
  ],
  [
    "a Cluster API pool whose object name is over 63 characters",
    { "gpuPools[2].name": "l40s-inference-pool-for-the-municipal-case-handling-services", "inference[0].gpuPool": "l40s-inference-pool-for-the-municipal-case-handling-services" },
    "gpuPools[2].name: gives Cluster API objects the name 'oslo-1-l40s-inference-pool-for-the-municipal-case-handling-services' (67 characters), also a label value, so at most 63; shorten site.name or the pool's name",
  ],
  // Zero where zero makes nothing.
  ["a volume size of 0e5", { "storage.volumes[0].size": "0e5" }, "storage.volumes[0].size: must be larger than zero"],
  ["a server with no CPU", { "inference[0].resources": { cpu: "0", memory: "64Gi" } }, "inference[0].resources.cpu: must be larger than zero"],
  ["a server with no memory", { "inference[0].resources": { cpu: "8", memory: "0Mi" } }, "inference[0].resources.memory: must be larger than zero"],
  ["an autoscaling target of zero", { "inference[0].autoscaling": { targetAverage: "0" } }, "inference[0].autoscaling.targetAverage: must be larger than zero"],
  [
    "a service on a pool with no nodes",
    { "gpuPools[2].nodes": 0 },
    "inference[0].gpuPool: pool 'l40s-infer' has no nodes (gpuPools[2].nodes is 0), so the service could never run",
  ],
  // Duplicates across services.
  [
    "two services with one external host name",
    { "inference[0].exposure": "ingress", "inference[0].hostname": "nb-llama.logistics.oslo-1.aifactory.no", "inference[0].sensitiveIngressReason": "Shared front door for two models" },
    "inference[1].hostname: 'nb-llama.logistics.oslo-1.aifactory.no' is already inference[0].hostname; each service needs its own host name",
  ],
  // Misspelt sections.
  ["a misspelt inference section", { inferences: [] }, "inferences: is not a config key of sovereign-ai-factory; did you mean 'inference'? Known keys: cluster, mirrors, site, tenants, gpuPools, storage, inference, energy"],
  ["a capitalised storage section", { Storage: {} }, "Storage: is not a config key of sovereign-ai-factory; did you mean 'storage'? Known keys: cluster, mirrors, site, tenants, gpuPools, storage, inference, energy"],
  ["gpuPool for gpuPools", { gpuPool: [] }, "gpuPool: is not a config key of sovereign-ai-factory; did you mean 'gpuPools'? Known keys: cluster, mirrors, site, tenants, gpuPools, storage, inference, energy"],
  ["tenant for tenants", { tenant: [] }, "tenant: is not a config key of sovereign-ai-factory; did you mean 'tenants'? Known keys: cluster, mirrors, site, tenants, gpuPools, storage, inference, energy"],
  ["sites for site", { sites: {} }, "sites: is not a config key of sovereign-ai-factory; did you mean 'site'? Known keys: cluster, mirrors, site, tenants, gpuPools, storage, inference, energy"],
  // GPU queues.
  ["a queue quota on a pool that does not exist", { "tenants[0].queue.nominal": { "a100-pool": 4 } }, "tenants[0].queue.nominal.a100-pool: must name a GPU pool or MIG flavor of the site: h100-train, dgx-h200 or l40s-infer"],
  [
    "a queue quota on a MIG profile the pool's layout does not have",
    { "gpuPools[0].mig": "all-3g.40gb", "cluster.gpuOperator": { migStrategy: "mixed" }, "tenants[0].queue.nominal": { "h100-train-1g.10gb": 4 }, "tenants[2].queue.nominal": { "dgx-h200": 4 } },
    "tenants[0].queue.nominal.h100-train-1g.10gb: must name a GPU pool or MIG flavor of the site: h100-train-3g.40gb, dgx-h200 or l40s-infer",
  ],
  ["a queue quota larger than the pool", { "tenants[1].queue.nominal": { "dgx-h200": 20 } }, "tenants[1].queue.nominal.dgx-h200: 20 is more than the 16 nvidia.com/gpu flavor 'dgx-h200' has at its largest"],
  ["a borrowing limit above the cohort", { "tenants[2].queue.borrowingLimit": 40 }, "tenants[2].queue.borrowingLimit: 40 is more than the other tenants of the cohort have to lend (32)"],
  ["nominal GPUs above the tenant's hard ceiling", { "tenants[2].queue.nominal": { "h100-train": 8, "dgx-h200": 4 }, "tenants[2].quotas.gpus": 8 }, "tenants[2].queue.nominal: 12 nominal GPUs are more than the tenant's hard ceiling (tenants[2].quotas.gpus: 8)"],
  ["Kueue's deployment integration without pods", { "cluster.kueue": { integrations: ["batch/job", "deployment"] } }, "cluster.kueue.integrations: 'deployment' needs 'pod' too: Kueue queues a deployment's pods"],
  ["an integration Kueue does not know", { "cluster.kueue": { integrations: ["batch/cronjob"] } }, "cluster.kueue.integrations[0]: must be batch/job, jobset.x-k8s.io/jobset, kubeflow.org/pytorchjob, kubeflow.org/mpijob, kubeflow.org/tfjob, kubeflow.org/jaxjob, trainer.kubeflow.org/trainjob, ray.io/rayjob, ray.io/raycluster, pod, deployment, statefulset or leaderworkerset.x-k8s.io/leaderworkerset"],
  ["a static pool's topology without a node's rack", { "gpuPools[1].nodeTopology": { "osl1-dgx-b01": { rack: "r1" } } }, "gpuPools[1].nodeTopology.osl1-dgx-b02.rack: is required: the pool's topology has level 'rack'"],
  // Energy reporting.
  [
    "metered IT energy above the total",
    { "energy.metered.itEnergyKwh": 8_000_000 },
    "energy.metered.itEnergyKwh: 8000000 kWh is more than energy.metered.totalEnergyKwh (7015000 kWh): IT energy is part of the total, so PUE is at least 1",
  ],
  [
    "renewable energy above the total",
    { "energy.metered.renewable": { guaranteesOfOriginKwh: 7_000_000, onSiteKwh: 100_000 } },
    "energy.metered.renewable: 7100000 kWh is more than energy.metered.totalEnergyKwh (7015000 kWh): renewable energy is counted against the total it covers",
  ],
  ["metered figures without a year", { "energy.reportingYear": undefined }, "energy.reportingYear: is required when energy.metered figures are given: the year they cover"],
  ["an alert share above one", { "energy.capacityAlertFraction": 1.5 }, "energy.capacityAlertFraction: must be at most 1"],
  ["negative installed IT power", { "energy.installedItKw": -5 }, "energy.installedItKw: must be greater than 0"],
  ["an unknown metered figure", { "energy.metered.gasKwh": 10 }, "energy.metered: unknown key 'gasKwh'"],
  // The EU database record's keys.
  [
    "a computer room larger than the data centre",
    { "energy.facility": { totalFloorAreaM2: 1000, computerRoomFloorAreaM2: 1200 } },
    "energy.facility.computerRoomFloorAreaM2: 1200 m2 is more than energy.facility.totalFloorAreaM2 (1000 m2): the computer room is part of the data centre",
  ],
  ["more potable water than water", { "energy.metered.potableWaterInputM3": 3000 }, "energy.metered.potableWaterInputM3: 3000 m3 is more than energy.metered.waterInputM3 (2400 m3): potable water is part of the water input"],
  ["more idle GPU energy than GPU energy", { "energy.metered.gpu": { energyKwh: 100, idleEnergyKwh: 120 } }, "energy.metered.gpu.idleEnergyKwh: 120 kWh is more than energy.metered.gpu.energyKwh (100 kWh): idle is part of the pools' energy"],
  ["a data centre type the regulation does not know", { "energy.facility": { type: "hyperscale" } }, "energy.facility.type: must be enterprise, colocation or co-hosting"],
  ["a start date that is not a date", { "energy.facility": { operatingSince: "March 2024" } }, "energy.facility.operatingSince: must be a date as YYYY-MM-DD"],
  ["set points that name no temperature", { "energy.facility": { temperatureSetPoints: {} } }, "energy.facility.temperatureSetPoints: must give itInletAirC, liquidCoolantSupplyC or both"],
  ["a set point in kelvin", { "energy.facility": { temperatureSetPoints: { itInletAirC: 300 } } }, "energy.facility.temperatureSetPoints.itInletAirC: must be at most 90"],
  ["an unknown facility key", { "energy.facility": { floorArea: 10 } }, "energy.facility: unknown key 'floorArea'"],
  // An error in a section does not hide a bad reference into it.
  [
    "a bad tenant quota and an inference service for a tenant that does not exist",
    { "tenants[0].quotas.gpus": -1, "inference[0].tenant": "marketing" },
    "inference[0].tenant: must name a tenant: logistics, public-services or research",
  ],
  [
    "a bad pool and an inference service on a pool that does not exist",
    { "gpuPools[0].gpusPerNode": 3, "gpuPools[1].zone": 7, "inference[0].gpuPool": "a100-pool" },
    "inference[0].gpuPool: must name a GPU pool: h100-train, dgx-h200 or l40s-infer",
  ],
  [
    "a bad volume and a model on a volume that does not exist",
    { "storage.volumes[0].size": "lots", "inference[1].model.volume": "weights" },
    "inference[1].model.volume: must name a volume of tenant 'logistics': models",
  ],
  [
    "a bad pool and a replica too big for another pool",
    { "gpuPools[0].gpusPerNode": "eight", "inference[0].gpusPerReplica": 8 },
    "inference[0].gpusPerReplica: must be at most 4: one replica runs on one node of pool 'l40s-infer'",
  ],
];

describe("an invalid config", () => {
  it.each(badConfigs)("reports %s with its key path", (_name, changes, expected) => {
    expect(problemLines(osloWith(changes))).toContain(expected);
  });

  it.each(badConfigs)("with %s registers no resource", async (_name, changes, expected) => {
    const failure = await programFailure(osloWith(changes));
    expect(failure.cause).toBeInstanceOf(ConfigError);
    expect(failure.message).toContain(`  - ${expected}`);
    expect(programResources(failure)).toHaveLength(0);
  });

  it("reports every problem at once, not just the first", () => {
    const lines = problemLines(
      osloWith({ "site.power.pue": 5, "gpuPools[2].gpusPerNode": 3, "tenants[1].quotas.gpus": "many" }),
    );
    expect(lines).toEqual([
      "site.power.pue: must be at most 3",
      "tenants[1].quotas.gpus: must be a number",
      "gpuPools[2].gpusPerNode: must be 1, 2, 4 or 8 for l40s",
    ]);
  });

  it("still checks other sections when one fails its schema", () => {
    const lines = problemLines(osloWith({ "site.power.source": "nuclear", "inference[0].gpuPool": "nowhere" }));
    expect(lines).toEqual([
      "site.power.source: must be hydro, wind, solar, geothermal, grid-mix, gas, coal, oil or diesel",
      "inference[0].gpuPool: must name a GPU pool: h100-train, dgx-h200 or l40s-infer",
    ]);
  });

  it("names the count of problems in the error the CLI prints", async () => {
    const failure = await programFailure(osloWith({ "site.power.pue": 5, "site.power.capacityKw": -1 }));
    expect(failure.message).toMatch(/^Invalid configuration for sovereign-ai-factory \(2 problems\):\n {2}- site\.power/);
  });
});

describe("a host image from outside the mirrors", () => {
  it("is refused by config naming the key, and by the mandatory sovereign-supply-chain in a resource", async () => {
    const foreign = "https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img";
    expect(problemLines(osloWith({ "cluster.clusterApi.hostImage.url": foreign }))[0]).toMatch(/^cluster\.clusterApi\.hostImage\.url: .*cloud-images\.ubuntu\.com/);
    const { resources } = await runWith(osloRaw());
    const swapped = JSON.parse(JSON.stringify(resources).replaceAll("https://images.oslo-1.aifactory.no/ubuntu-24.04-gpu-v1.34.2.qcow2\"", `${foreign}"`)) as typeof resources;
    const supply = (await evaluatePolicies(swapped)).filter((v) => v.policy === "sovereign-supply-chain");
    expect(supply.length).toBeGreaterThan(0);
    expect(supply.every((v) => v.enforcement === "mandatory")).toBe(true);
    expect(supply[0]?.message).toContain(`spec.template.spec.image.url = "${foreign}" downloads a host image from outside the in-country mirrors`);
    expect(problemLines(osloWith({ "cluster.clusterApi.hostImage.url": "http://images.oslo-1.aifactory.no/x.qcow2" }))).toEqual([
      "cluster.clusterApi.hostImage.url: must be an https:// URL",
    ]);
  });
});
