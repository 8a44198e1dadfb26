/**
 * Checks that relate one part of the config to another: zones of the site,
 * tenants and pools that exist, GPUs that fit on a node, unique names. Each
 * check runs only when the sections it reads parsed, so one mistake does not
 * bury the others under follow-on errors.
 */
import { IN_COUNTRY_ENDPOINT_DOMAINS, gpuModel, isInCountryHttpsEndpoint, regionOfZone } from "../catalog";
import { entitlementProblems, servingProblems } from "./entitlement";
import { gpuFlavors } from "./flavors";
import { MAX_LABEL_VALUE, bucketObjectName, capiObjectName } from "./names";
import { namespaceProblems } from "./namespaces";
import { endpointProblems } from "./endpoints";
import { supplyChainProblems } from "./supplyChain";
import type { FactoryConfig, GpuPoolConfig, InferenceConfig, StorageConfig } from "./schema";
import { type ConfigProblem, listOr } from "./problems";

/** The sections that parsed; a missing one failed its own schema. Lists may hold only their valid entries. */
export type ParsedSections = Partial<FactoryConfig>;

/**
 * Names declared in the raw config, valid entries or not. A reference to an
 * entry that exists but has errors of its own is not reported as missing
 * (its own errors are), and a reference to a name declared nowhere is
 * reported even when the section it points into has errors elsewhere.
 */
export interface DeclaredNames {
  readonly tenants: readonly string[];
  readonly gpuPools: readonly string[];
  /** `<tenant>/<volume>`. */
  readonly volumes: readonly string[];
  readonly classes: readonly string[];
}

function namesIn(list: unknown, key = (e: Record<string, unknown>) => e["name"]): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((e: unknown) => {
    if (e === null || typeof e !== "object") return [];
    const name = key(e as Record<string, unknown>);
    return typeof name === "string" ? [name] : [];
  });
}

/** The names raw config declares. */
export function declaredNames(raw: Readonly<Record<string, unknown>>): DeclaredNames {
  const storage = raw["storage"] !== null && typeof raw["storage"] === "object" ? (raw["storage"] as Record<string, unknown>) : {};
  return {
    tenants: namesIn(raw["tenants"]),
    gpuPools: namesIn(raw["gpuPools"]),
    volumes: namesIn(storage["volumes"], (e) => (typeof e["tenant"] === "string" && typeof e["name"] === "string" ? `${e["tenant"]}/${e["name"]}` : undefined)),
    classes: namesIn(storage["classes"]),
  };
}

/** What parsed sections declare, when no raw config is at hand. */
function declaredFromParsed(cfg: ParsedSections): DeclaredNames {
  return {
    tenants: (cfg.tenants ?? []).map((t) => t.name),
    gpuPools: (cfg.gpuPools ?? []).map((p) => p.name),
    volumes: (cfg.storage?.volumes ?? []).map((v) => `${v.tenant}/${v.name}`),
    classes: (cfg.storage?.classes ?? []).map((c) => c.name),
  };
}

type Push = (path: string, message: string) => void;

/** A replica or node count, or its range. */
export type CountOrRange = number | { readonly min: number; readonly max: number };

/** The largest value a count or range can take. */
export function maxOf(value: CountOrRange): number {
  return typeof value === "number" ? value : value.max;
}

/** The smallest value a count or range can take. */
export function minOf(value: CountOrRange): number {
  return typeof value === "number" ? value : value.min;
}

interface Named {
  readonly name: string;
  readonly tenant?: string;
}

/** Names must be unique in a list; per tenant where items belong to a tenant's namespace. */
function checkUnique(items: readonly Named[], section: string, push: Push): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const key = item.tenant === undefined ? item.name : `${item.tenant}/${item.name}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else push(`${section}[${i}].name`, `'${item.name}' is already used by ${section}[${first}]; names must be unique`);
  });
}

function checkRange(value: CountOrRange | undefined, path: string, push: Push): void {
  if (value !== undefined && typeof value !== "number" && value.min > value.max) {
    push(`${path}.min`, `must not be greater than ${path}.max (${value.max})`);
  }
}

function checkSiteZones(cfg: ParsedSections, push: Push): void {
  const site = cfg.site;
  if (!site) return;
  const seen = new Set<string>();
  site.zones.forEach((zone, i) => {
    if (regionOfZone(zone) !== site.region) {
      push(`site.zones[${i}]`, `must be a zone of ${site.region}: the region name plus one letter, e.g. ${site.region}a`);
    }
    if (seen.has(zone)) push(`site.zones[${i}]`, `'${zone}' is listed twice`);
    seen.add(zone);
  });
}

function checkTenants(cfg: ParsedSections, push: Push): void {
  if (cfg.tenants) checkUnique(cfg.tenants, "tenants", push);
  for (const p of namespaceProblems(cfg)) push(p.path, p.message);
}

function checkPoolNodes(pool: GpuPoolConfig, path: string, push: Push): void {
  checkRange(pool.nodes, `${path}.nodes`, push);
  if (pool.provisioning === "clusterapi") {
    if (pool.nodes === undefined) push(`${path}.nodes`, "is required for clusterapi pools: a count or {min, max}");
    if (pool.nodeNames !== undefined) push(`${path}.nodeNames`, "is only allowed for static pools");
    // cluster-autoscaler 1.34 (clusterapi provider) scales a group up from zero only with capacity annotations
    // (CPU, memory) the factory cannot know for a bare-metal host, so it would never leave zero.
    if (typeof pool.nodes === "object" && pool.nodes.min === 0) {
      push(`${path}.nodes.min`, "must be at least 1 for a clusterapi pool that scales: the cluster-autoscaler cannot scale a bare-metal group up from zero");
    }
    return;
  }
  const names = pool.nodeNames ?? [];
  if (names.length === 0) push(`${path}.nodeNames`, "must list the existing nodes of a static pool");
  const seen = new Set<string>();
  names.forEach((node, j) => {
    if (seen.has(node)) push(`${path}.nodeNames[${j}]`, `'${node}' is listed twice`);
    seen.add(node);
  });
  if (pool.nodes !== undefined && pool.nodes !== names.length) {
    push(`${path}.nodes`, `must be ${names.length} (the number of nodeNames) or left out for a static pool`);
  }
}

function checkStaticNodesOnce(pools: readonly GpuPoolConfig[], push: Push): void {
  const owner = new Map<string, string>();
  pools.forEach((pool, i) => {
    pool.nodeNames?.forEach((node, j) => {
      const first = owner.get(node);
      if (first !== undefined && first !== pool.name) {
        push(`gpuPools[${i}].nodeNames[${j}]`, `'${node}' already belongs to pool '${first}'; a node is in one pool`);
      }
      owner.set(node, first ?? pool.name);
    });
  });
}

function checkGpuPools(cfg: ParsedSections, push: Push): void {
  if (!cfg.gpuPools) return;
  checkUnique(cfg.gpuPools, "gpuPools", push);
  checkStaticNodesOnce(cfg.gpuPools, push);
  const capiPool = cfg.gpuPools.findIndex((p) => p.provisioning === "clusterapi");
  if (capiPool >= 0 && cfg.cluster && cfg.cluster.clusterApi === undefined) {
    push("cluster.clusterApi", `is required because gpuPools[${capiPool}] is provisioned by clusterapi`);
  }
  cfg.gpuPools.forEach((pool, i) => {
    const path = `gpuPools[${i}]`;
    const model = gpuModel(pool.gpuModel);
    if (model && !model.gpusPerNode.includes(pool.gpusPerNode)) {
      push(`${path}.gpusPerNode`, `must be ${listOr(model.gpusPerNode)} for ${model.id}`);
    }
    if (model && pool.mig !== undefined && !model.migConfigs.includes(pool.mig)) {
      push(`${path}.mig`, `must be ${listOr(model.migConfigs)} for ${model.id}`);
    }
    if (cfg.site && !cfg.site.zones.includes(pool.zone)) {
      push(`${path}.zone`, `must be one of the site's zones: ${listOr(cfg.site.zones)}`);
    }
    if (cfg.site && pool.provisioning === "clusterapi") {
      const name = capiObjectName(cfg.site.name, pool.name);
      if (name.length > MAX_LABEL_VALUE) {
        push(`${path}.name`, `gives Cluster API objects the name '${name}' (${name.length} characters), also a label value, so at most ${MAX_LABEL_VALUE}; shorten site.name or the pool's name`);
      }
    }
    checkPoolNodes(pool, path, push);
    checkPoolTopology(pool, path, push);
  });
}

/** A static pool with topology levels names every node's place at every level. */
function checkPoolTopology(pool: GpuPoolConfig, path: string, push: Push): void {
  if (pool.nodeTopology !== undefined && pool.provisioning !== "static") {
    push(`${path}.nodeTopology`, "is only for static pools; Cluster API hosts carry their block and rack as BareMetalHost labels");
  }
  if (!pool.topology || pool.provisioning !== "static") return;
  for (const node of pool.nodeNames ?? []) {
    for (const level of pool.topology.levels) {
      if (pool.nodeTopology?.[node]?.[level] === undefined) push(`${path}.nodeTopology.${node}.${level}`, `is required: the pool's topology has level '${level}'`);
    }
  }
}

function tenantExists(declared: DeclaredNames, tenant: string, path: string, push: Push): boolean {
  if (declared.tenants.includes(tenant)) return true;
  push(path, `must name a tenant: ${listOr(declared.tenants) || "(none declared)"}`);
  return false;
}

function checkStorageClasses(storage: StorageConfig, cfg: ParsedSections, push: Push): void {
  checkUnique(storage.classes, "storage.classes", push);
  storage.classes.forEach((cls, i) => {
    cls.zones?.forEach((zone, j) => {
      if (cfg.site && !cfg.site.zones.includes(zone)) {
        push(`storage.classes[${i}].zones[${j}]`, `must be one of the site's zones: ${listOr(cfg.site.zones)}`);
      }
    });
  });
}

function checkStorage(cfg: ParsedSections, declared: DeclaredNames, push: Push): void {
  const storage = cfg.storage;
  if (!storage) return;
  checkStorageClasses(storage, cfg, push);
  checkUnique(storage.volumes, "storage.volumes", push);
  checkUnique(storage.buckets, "storage.buckets", push);
  storage.volumes.forEach((vol, i) => {
    tenantExists(declared, vol.tenant, `storage.volumes[${i}].tenant`, push);
    const cls = storage.classes.find((c) => c.name === vol.class);
    if (!cls) {
      if (!declared.classes.includes(vol.class)) {
        push(`storage.volumes[${i}].class`, `must name a storage class: ${listOr(declared.classes) || "(none declared)"}`);
      }
    } else if (!cls.encrypted) {
      push(`storage.volumes[${i}].class`, `'${cls.name}' is not encrypted; volumes must use an encrypted class`);
    }
  });
  storage.buckets.forEach((bucket, i) => {
    tenantExists(declared, bucket.tenant, `storage.buckets[${i}].tenant`, push);
    if (cfg.site) {
      const name = bucketObjectName(cfg.site.name, bucket.tenant, bucket.name);
      if (name.length > MAX_LABEL_VALUE) {
        push(`storage.buckets[${i}].name`, `gives the object-store bucket the name '${name}' (${name.length} characters); bucket names are at most ${MAX_LABEL_VALUE}: shorten site.name, the tenant or the bucket`);
      }
    }
  });
  if (storage.buckets.length > 0 && storage.objectStore === undefined) {
    push("storage.objectStore", "is required when storage.buckets is not empty: the in-country object store buckets live in");
  }
  if (storage.bucketEncryption.caBundle !== undefined && storage.objectStore?.gatewayCertificateSecret === undefined) {
    push("storage.bucketEncryption.caBundle", "is read only when the gateway serves https itself: set storage.objectStore.gatewayCertificateSecret, or remove it");
  }
  checkKms(storage, push);
  checkEndpoint(storage.objectStore?.endpoint, "storage.objectStore.endpoint", push);
  checkEndpoint(storage.backup?.s3Url, "storage.backup.s3Url", push);
}

/**
 * Encrypted classes provision only when ceph-csi finds their KMS id in its
 * KMS config, and the object store encrypts with the same Vault: both need
 * `storage.kms`, and Vault must be in the country.
 */
function checkKms(storage: StorageConfig, push: Push): void {
  const encrypted = storage.classes.findIndex((c) => c.encrypted);
  if (storage.kms === undefined) {
    if (encrypted >= 0) {
      push("storage.kms", `is required: storage.classes[${encrypted}] is encrypted, and ceph-csi provisions it only with the Vault that holds key '${storage.encryptionKmsId}' (set storage.kms.vault.address, or encrypted: false)`);
    } else if (storage.objectStore !== undefined) {
      push("storage.kms", "is required with storage.objectStore: the object store encrypts objects (SSE-S3) with keys from the site's Vault");
    }
    return;
  }
  if (!isInCountryHttpsEndpoint(storage.kms.vault.address)) {
    const domains = listOr(IN_COUNTRY_ENDPOINT_DOMAINS.map((d) => `*.${d}`));
    push("storage.kms.vault.address", `must be an https:// URL of an in-country Vault (a host under ${domains}), got '${storage.kms.vault.address}'`);
  }
}

/** An object-store endpoint must be https and in the country. */
function checkEndpoint(url: string | undefined, path: string, push: Push): void {
  if (url === undefined || isInCountryHttpsEndpoint(url)) return;
  const domains = listOr(IN_COUNTRY_ENDPOINT_DOMAINS.map((d) => `*.${d}`));
  push(path, `must be an https:// URL of an in-country object store (a host under ${domains}), got '${url}'`);
}

function checkExposure(svc: InferenceConfig, path: string, cfg: ParsedSections, push: Push): void {
  if (svc.exposure !== "ingress") return;
  if (svc.hostname === undefined) push(`${path}.hostname`, "is required when exposure is 'ingress'");
  const tenant = cfg.tenants?.find((t) => t.name === svc.tenant);
  const guarded = tenant?.dataClassification === "sensitive" || tenant?.dataClassification === "restricted";
  if (tenant && guarded && svc.sensitiveIngressReason === undefined) {
    push(
      `${path}.exposure`,
      `'ingress' is refused for ${tenant.dataClassification} tenant '${tenant.name}'; use 'cluster', or set ${path}.sensitiveIngressReason to say why it must be reachable from outside the cluster`,
    );
  }
}

function checkInferenceService(svc: InferenceConfig, path: string, cfg: ParsedSections, declared: DeclaredNames, push: Push): void {
  checkRange(svc.replicas, `${path}.replicas`, push);
  if (typeof svc.replicas !== "number" && svc.replicas.min < 1) {
    push(`${path}.replicas.min`, "must be at least 1 when autoscaling (the autoscaler cannot scale up from zero)");
  }
  if (maxOf(svc.replicas) < 1) push(`${path}.replicas`, "must allow at least one replica");
  tenantExists(declared, svc.tenant, `${path}.tenant`, push);
  checkExposure(svc, path, cfg, push);
  checkPoolOfService(svc, path, cfg, declared, push);
  const volumes = declared.volumes.filter((v) => v.startsWith(`${svc.tenant}/`)).map((v) => v.slice(svc.tenant.length + 1));
  if (!volumes.includes(svc.model.volume)) {
    push(`${path}.model.volume`, `must name a volume of tenant '${svc.tenant}': ${listOr(volumes) || "(none declared)"}`);
  }
}

/** The pool a service runs on must exist, have room for a replica, and have nodes. */
function checkPoolOfService(svc: InferenceConfig, path: string, cfg: ParsedSections, declared: DeclaredNames, push: Push): void {
  if (!declared.gpuPools.includes(svc.gpuPool)) {
    push(`${path}.gpuPool`, `must name a GPU pool: ${listOr(declared.gpuPools) || "(none declared)"}`);
    return;
  }
  const i = (cfg.gpuPools ?? []).findIndex((p) => p.name === svc.gpuPool);
  const pool = cfg.gpuPools?.[i];
  if (!pool) return; // declared, but with errors of its own
  if (svc.gpusPerReplica > pool.gpusPerNode) {
    push(`${path}.gpusPerReplica`, `must be at most ${pool.gpusPerNode}: one replica runs on one node of pool '${pool.name}'`);
  }
  const nodes = pool.nodes ?? pool.nodeNames?.length ?? 0;
  if (maxOf(nodes) === 0) {
    push(`${path}.gpuPool`, `pool '${pool.name}' has no nodes (gpuPools[${i}].nodes is 0), so the service could never run`);
  }
}

/** Two services must not claim one external hostname. */
function checkHostnames(services: readonly InferenceConfig[], push: Push): void {
  const first = new Map<string, number>();
  services.forEach((svc, i) => {
    if (svc.exposure !== "ingress" || svc.hostname === undefined) return;
    const j = first.get(svc.hostname);
    if (j === undefined) first.set(svc.hostname, i);
    else push(`inference[${i}].hostname`, `'${svc.hostname}' is already inference[${j}].hostname; each service needs its own host name`);
  });
}

/** GPUs a tenant's services can take at their largest must fit the tenant's GPU quota. */
function checkGpuQuota(cfg: ParsedSections, push: Push): void {
  if (!cfg.inference || !cfg.tenants) return;
  const used = new Map<string, number>();
  cfg.inference.forEach((svc, i) => {
    const quota = cfg.tenants?.find((t) => t.name === svc.tenant)?.quotas.gpus;
    if (quota === undefined) return;
    const gpus = maxOf(svc.replicas) * svc.gpusPerReplica;
    const total = (used.get(svc.tenant) ?? 0) + gpus;
    used.set(svc.tenant, total);
    if (total > quota) {
      push(
        `inference[${i}].replicas`,
        `${maxOf(svc.replicas)} replicas x ${svc.gpusPerReplica} GPUs brings tenant '${svc.tenant}' to ${total} GPUs, over its quota of ${quota} (tenants quotas.gpus)`,
      );
    }
  });
}

function checkInference(cfg: ParsedSections, declared: DeclaredNames, push: Push): void {
  if (!cfg.inference) return;
  checkUnique(cfg.inference, "inference", push);
  cfg.inference.forEach((svc, i) => {
    checkInferenceService(svc, `inference[${i}]`, cfg, declared, push);
  });
  checkHostnames(cfg.inference, push);
  checkGpuQuota(cfg, push);
}

/** Metered figures must add up: parts of the total may not exceed it, and they belong to a year. */
function checkEnergy(cfg: ParsedSections, push: Push): void {
  const metered = cfg.energy?.metered;
  if (!metered) return;
  if (cfg.energy?.reportingYear === undefined) push("energy.reportingYear", "is required when energy.metered figures are given: the year they cover");
  const total = metered.totalEnergyKwh;
  if (total === undefined) return;
  const part = (value: number | undefined, path: string, what: string) => {
    if (value !== undefined && value > total) push(path, `${value} kWh is more than energy.metered.totalEnergyKwh (${total} kWh): ${what}`);
  };
  part(metered.itEnergyKwh, "energy.metered.itEnergyKwh", "IT energy is part of the total, so PUE is at least 1");
  part(metered.heatReusedKwh, "energy.metered.heatReusedKwh", "reused heat cannot exceed the energy taken in");
  const r = metered.renewable;
  if (r) {
    const renewable = (r.guaranteesOfOriginKwh ?? 0) + (r.powerPurchaseAgreementsKwh ?? 0) + (r.onSiteKwh ?? 0);
    part(renewable, "energy.metered.renewable", "renewable energy is counted against the total it covers");
  }
}

/** Tenants' queues: quotas on flavors that exist and fit them, borrowing within what the cohort has, within the hard ceiling. */
function checkQueues(cfg: ParsedSections, push: Push): void {
  const integrations = cfg.cluster?.kueue.integrations ?? [];
  for (const needsPods of ["deployment", "statefulset"] as const) {
    if (integrations.includes(needsPods) && !integrations.includes("pod")) {
      push("cluster.kueue.integrations", `'${needsPods}' needs 'pod' too: Kueue queues a ${needsPods}'s pods`);
    }
  }
  if (cfg.gpuPools !== undefined && cfg.gpuPools.length > 0 && cfg.cluster && !integrations.includes("pod")) {
    push("cluster.kueue.integrations", "must include 'pod': Kueue manages every pod in tenant namespaces, so a GPU pod that names no queue still waits for its tenant's ClusterQueue");
  }
  if (!cfg.tenants || !cfg.gpuPools || !cfg.cluster) return;
  const flavors = gpuFlavors(cfg.gpuPools, cfg.cluster.gpuOperator.migStrategy);
  const cohortNominal = cfg.tenants.reduce((n, t) => n + Object.values(t.queue?.nominal ?? {}).reduce((a, b) => a + b, 0), 0);
  cfg.tenants.forEach((tenant, i) => {
    const queue = tenant.queue;
    if (!queue) return;
    const path = `tenants[${i}].queue`;
    let wholeGpus = 0;
    for (const [name, nominal] of Object.entries(queue.nominal)) {
      const flavor = flavors.find((f) => f.name === name);
      if (!flavor) {
        push(`${path}.nominal.${name}`, `must name a GPU pool or MIG flavor of the site: ${listOr(flavors.map((f) => f.name)) || "(none)"}`);
        continue;
      }
      if (nominal > flavor.physical) {
        push(`${path}.nominal.${name}`, `${nominal} is more than the ${flavor.physical} ${flavor.resource} flavor '${name}' has at its largest`);
      }
      if (flavor.resource === "nvidia.com/gpu") wholeGpus += nominal;
    }
    if (wholeGpus > tenant.quotas.gpus) {
      push(`${path}.nominal`, `${wholeGpus} nominal GPUs are more than the tenant's hard ceiling (tenants[${i}].quotas.gpus: ${tenant.quotas.gpus})`);
    }
    const lendable = cohortNominal - Object.values(queue.nominal).reduce((a, b) => a + b, 0);
    if (queue.borrowingLimit !== undefined && queue.borrowingLimit > lendable) {
      push(`${path}.borrowingLimit`, `${queue.borrowingLimit} is more than the other tenants of the cohort have to lend (${lendable})`);
    }
  });
  const inputs = { tenants: cfg.tenants, gpuPools: cfg.gpuPools, migStrategy: cfg.cluster.gpuOperator.migStrategy };
  for (const p of entitlementProblems(inputs)) push(p.path, p.message);
  const servers = (cfg.inference ?? []).map((s) => ({ tenant: s.tenant, gpuPool: s.gpuPool, gpusPerReplica: s.gpusPerReplica, maxReplicas: maxOf(s.replicas) }));
  for (const p of servingProblems(inputs, servers)) push(p.path, p.message);
}

/** Every problem between sections of a config whose sections parsed. */
export function crossCheck(cfg: ParsedSections, declared: DeclaredNames = declaredFromParsed(cfg)): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const push: Push = (path, message) => problems.push({ path, message });
  checkSiteZones(cfg, push);
  checkTenants(cfg, push);
  checkGpuPools(cfg, push);
  checkStorage(cfg, declared, push);
  checkInference(cfg, declared, push);
  checkEnergy(cfg, push);
  checkQueues(cfg, push);
  problems.push(...supplyChainProblems(cfg));
  // Every other endpoint (sovereignty.json): one problem per key, the more specific check first.
  for (const p of endpointProblems(cfg)) if (!problems.some((q) => q.path === p.path)) problems.push(p);
  return problems;
}
