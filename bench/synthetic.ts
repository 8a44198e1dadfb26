/**
 * Synthetic factories for the benchmark: the Oslo site scaled to a given
 * number of resources by adding tenants, each with a model volume and
 * inference services. Valid config, so the real program runs end to end.
 * A shape says how the added resources are made up: many tenants with one
 * service each, or few tenants with many services (memory and time must not
 * depend on which).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { CONFIG_NAMESPACE } from "../config";
import { engineConfig } from "../plan";

/** Resources the Oslo site has before any tenant (site, pools, operator, storage, queues, telemetry, admission and the rest, as measured). */
const BASE = 69;
/** Resources one tenant adds: component, namespace, quota, limit range, network policy, volume, ClusterQueue, LocalQueues gpu and default. */
const PER_TENANT = 9;
/** Resources one inference service adds: component, password, two secrets, deployment, service, PDB, policy, PodMonitor, ScaledObject. */
const PER_SERVICE = 10;

/** How a synthetic site is made up. */
export type SiteShape =
  /** Tenants with this many services each (the golden test's factory: 4). */
  | { readonly kind: "mixed"; readonly servicesPerTenant: number }
  /** As many tenants as the size needs, one service each. */
  | { readonly kind: "tenant-heavy" }
  /** A fixed number of tenants, as many services as the size needs. */
  | { readonly kind: "service-heavy"; readonly tenants: number };

/** The benchmark's two shapes, by name. */
export const BENCH_SHAPES = {
  "tenant-heavy": { kind: "tenant-heavy" },
  "service-heavy": { kind: "service-heavy", tenants: 8 },
} as const satisfies Record<string, SiteShape>;
export type BenchShape = keyof typeof BENCH_SHAPES;

/** The shape the golden test's factory has: four services per tenant. */
const MIXED: SiteShape = { kind: "mixed", servicesPerTenant: 4 };

function osloSections(root: string): Record<string, unknown> {
  const doc = parse(fs.readFileSync(path.join(root, "Pulumi.oslo.yaml"), "utf8")) as { config: Record<string, unknown> };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc.config)) out[k.slice(CONFIG_NAMESPACE.length + 1)] = v;
  return out;
}

/** Services per tenant, tenant by tenant, for a site of about `target` resources. */
export function servicesPerTenant(target: number, shape: SiteShape): number[] {
  const room = Math.max(0, target - BASE);
  switch (shape.kind) {
    case "mixed": {
      const tenants = Math.max(1, Math.round(room / (PER_TENANT + shape.servicesPerTenant * PER_SERVICE)));
      return Array.from({ length: tenants }, () => shape.servicesPerTenant);
    }
    case "tenant-heavy":
      return Array.from({ length: Math.max(1, Math.round(room / (PER_TENANT + PER_SERVICE))) }, () => 1);
    case "service-heavy": {
      const services = Math.max(shape.tenants, Math.round((room - shape.tenants * PER_TENANT) / PER_SERVICE));
      // Spread evenly: the first tenants take one more when it does not divide.
      return Array.from({ length: shape.tenants }, (_, i) => Math.floor(services / shape.tenants) + (i < services % shape.tenants ? 1 : 0));
    }
  }
}

/** Engine-style config for a factory of about `target` resources, of the given shape. */
export function syntheticFactory(root: string, target: number, shape: SiteShape = MIXED): Record<string, string> {
  const base = osloSections(root);
  const counts = servicesPerTenant(target, shape);
  const tenantList = counts.map((services, i) => ({
    name: `tenant-${i}`,
    dataClassification: i % 3 === 0 ? "sensitive" : "internal",
    quotas: { gpus: services * 2, storage: "10Ti" },
    // Queued servers must fit the tenant's nominal quota on their pool (each server's largest size is 2 GPUs).
    queue: { nominal: { "l40s-infer": services * 2 }, borrowingLimit: 0 },
  }));
  const volumes = tenantList.map((t) => ({ name: "models", tenant: t.name, class: "ceph-shared", size: "1Ti", purpose: "models" }));
  const inference = tenantList.flatMap((t, i) =>
    Array.from({ length: counts[i] ?? 0 }, (_, j) => ({
      name: `llm-${j}`,
      tenant: t.name,
      model: { servedName: `model-${j}`, volume: "models", path: `models/${j}` },
      gpuPool: "l40s-infer",
      gpusPerReplica: 1,
      replicas: { min: 1, max: 2 },
    })),
  );
  const storage = { ...(base["storage"] as Record<string, unknown>), volumes, buckets: [] };
  // No tenant's nominal quota may exceed its pool: the inference pool grows (a Cluster API pool, so by replicas,
  // not by resources) until the tenant with the most services fits.
  const gpuPools = (base["gpuPools"] as { name: string; gpusPerNode: number; nodes: number }[]).map((p) =>
    p.name === "l40s-infer" ? { ...p, nodes: Math.max(p.nodes, Math.ceil((Math.max(...counts) * 2) / p.gpusPerNode)) } : p,
  );
  const raw = { ...base, gpuPools, tenants: tenantList, storage, inference };
  const namespaced: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) namespaced[`${CONFIG_NAMESPACE}:${k}`] = v;
  return engineConfig(namespaced);
}

/**
 * Stack files of a generated fleet of `n` sites, by file name: the Oslo and
 * Rjukan sites in turn, each with a name of its own. Regions repeat once
 * there are more sites than regions, so the fleet rules report it; the
 * benchmark times the fleet, it does not deploy it.
 */
export function syntheticFleet(root: string, n: number): Record<string, string> {
  const files: Record<string, string> = {};
  const bases = ["oslo", "rjukan"].map((stack) => parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> });
  for (let i = 0; i < n; i++) {
    const doc = structuredClone(bases[i % bases.length]) as { config: Record<string, unknown> };
    const site = doc.config[`${CONFIG_NAMESPACE}:site`] as { name: string };
    site.name = `${site.name}-g${i}`;
    files[`Pulumi.site-${String(i).padStart(2, "0")}.yaml`] = stringify(doc);
  }
  return files;
}
