/**
 * Checks that relate one part of the config to another: zones of the site,
 * tenants and pools that exist, GPUs that fit on a node, unique names. Each
 * check runs only when the sections it reads parsed, so one mistake does not
 * bury the others under follow-on errors.
 */
import { IN_COUNTRY_ENDPOINT_DOMAINS, gpuModel, isInCountryHttpsEndpoint, regionOfZone } from "../catalog";
import type { FactoryConfig, GpuPoolConfig, InferenceConfig, StorageConfig } from "./schema";
import { RESERVED_NAMESPACES } from "./schema";
import { type ConfigProblem, listOr } from "./problems";

/** The sections that parsed; a missing one failed its own schema. */
export type ParsedSections = Partial<FactoryConfig>;

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
  if (!cfg.tenants) return;
  checkUnique(cfg.tenants, "tenants", push);
  const reserved = [...RESERVED_NAMESPACES, ...(cfg.cluster ? [cfg.cluster.systemNamespace] : [])];
  cfg.tenants.forEach((tenant, i) => {
    if (reserved.includes(tenant.name) || tenant.name.startsWith("kube-")) {
      push(`tenants[${i}].name`, `'${tenant.name}' is reserved; must not be ${listOr(reserved)} or start with kube-`);
    }
  });
}

function checkPoolNodes(pool: GpuPoolConfig, path: string, push: Push): void {
  checkRange(pool.nodes, `${path}.nodes`, push);
  if (pool.provisioning === "clusterapi") {
    if (pool.nodes === undefined) push(`${path}.nodes`, "is required for clusterapi pools: a count or {min, max}");
    if (pool.nodeNames !== undefined) push(`${path}.nodeNames`, "is only allowed for static pools");
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
    checkPoolNodes(pool, path, push);
  });
}

function tenantExists(cfg: ParsedSections, tenant: string, path: string, push: Push): boolean {
  if (!cfg.tenants) return false;
  if (cfg.tenants.some((t) => t.name === tenant)) return true;
  push(path, `must name a tenant: ${listOr(cfg.tenants.map((t) => t.name))}`);
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

function checkStorage(cfg: ParsedSections, push: Push): void {
  const storage = cfg.storage;
  if (!storage) return;
  checkStorageClasses(storage, cfg, push);
  checkUnique(storage.volumes, "storage.volumes", push);
  checkUnique(storage.buckets, "storage.buckets", push);
  storage.volumes.forEach((vol, i) => {
    tenantExists(cfg, vol.tenant, `storage.volumes[${i}].tenant`, push);
    const cls = storage.classes.find((c) => c.name === vol.class);
    if (!cls) {
      push(`storage.volumes[${i}].class`, `must name a storage class: ${listOr(storage.classes.map((c) => c.name))}`);
    } else if (!cls.encrypted) {
      push(`storage.volumes[${i}].class`, `'${cls.name}' is not encrypted; volumes must use an encrypted class`);
    }
  });
  storage.buckets.forEach((bucket, i) => {
    tenantExists(cfg, bucket.tenant, `storage.buckets[${i}].tenant`, push);
  });
  if (storage.buckets.length > 0 && storage.objectStore === undefined) {
    push("storage.objectStore", "is required when storage.buckets is not empty: the in-country object store buckets live in");
  }
  checkEndpoint(storage.objectStore?.endpoint, "storage.objectStore.endpoint", push);
  checkEndpoint(storage.backup?.s3Url, "storage.backup.s3Url", push);
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

function checkInferenceService(svc: InferenceConfig, path: string, cfg: ParsedSections, push: Push): void {
  checkRange(svc.replicas, `${path}.replicas`, push);
  if (typeof svc.replicas !== "number" && svc.replicas.min < 1) {
    push(`${path}.replicas.min`, "must be at least 1 when autoscaling (the autoscaler cannot scale up from zero)");
  }
  if (maxOf(svc.replicas) < 1) push(`${path}.replicas`, "must allow at least one replica");
  tenantExists(cfg, svc.tenant, `${path}.tenant`, push);
  checkExposure(svc, path, cfg, push);
  if (cfg.gpuPools) {
    const pool = cfg.gpuPools.find((p) => p.name === svc.gpuPool);
    if (!pool) {
      push(`${path}.gpuPool`, `must name a GPU pool: ${listOr(cfg.gpuPools.map((p) => p.name)) || "(none declared)"}`);
    } else if (svc.gpusPerReplica > pool.gpusPerNode) {
      push(
        `${path}.gpusPerReplica`,
        `must be at most ${pool.gpusPerNode}: one replica runs on one node of pool '${pool.name}'`,
      );
    }
  }
  if (cfg.storage) {
    const volumes = cfg.storage.volumes.filter((v) => v.tenant === svc.tenant);
    if (!volumes.some((v) => v.name === svc.model.volume)) {
      push(
        `${path}.model.volume`,
        `must name a volume of tenant '${svc.tenant}': ${listOr(volumes.map((v) => v.name)) || "(none declared)"}`,
      );
    }
  }
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

function checkInference(cfg: ParsedSections, push: Push): void {
  if (!cfg.inference) return;
  checkUnique(cfg.inference, "inference", push);
  cfg.inference.forEach((svc, i) => {
    checkInferenceService(svc, `inference[${i}]`, cfg, push);
  });
  checkGpuQuota(cfg, push);
}

/** Every problem between sections of a config whose sections parsed. */
export function crossCheck(cfg: ParsedSections): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const push: Push = (path, message) => problems.push({ path, message });
  checkSiteZones(cfg, push);
  checkTenants(cfg, push);
  checkGpuPools(cfg, push);
  checkStorage(cfg, push);
  checkInference(cfg, push);
  return problems;
}
