/**
 * Synthetic factories for the benchmark: the Oslo site scaled to a given
 * number of resources by adding tenants, each with a model volume and
 * inference services. Valid config, so the real program runs end to end.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CONFIG_NAMESPACE } from "../config";
import { engineConfig } from "../plan";

/** Resources the Oslo site has before any tenant (site, pools, operator, storage, queues, telemetry, admission and the rest, as measured). */
const BASE = 69;
/** Resources one tenant adds: component, namespace, quota, limit range, network policy, volume, ClusterQueue, LocalQueues gpu and default. */
const PER_TENANT = 9;
/** Resources one inference service adds (component, password, secret, deployment, service, PDB, policy, PodMonitor, ScaledObject and the rest, as measured). */
const PER_SERVICE = 10;
/** Services per synthetic tenant. */
const SERVICES_PER_TENANT = 4;

function osloSections(root: string): Record<string, unknown> {
  const doc = parse(fs.readFileSync(path.join(root, "Pulumi.oslo.yaml"), "utf8")) as { config: Record<string, unknown> };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc.config)) out[k.slice(CONFIG_NAMESPACE.length + 1)] = v;
  return out;
}

/** Engine-style config for a factory of about `target` resources. */
export function syntheticFactory(root: string, target: number): Record<string, string> {
  const base = osloSections(root);
  const tenants = Math.max(1, Math.round((target - BASE) / (PER_TENANT + SERVICES_PER_TENANT * PER_SERVICE)));
  const tenantList = Array.from({ length: tenants }, (_, i) => ({
    name: `tenant-${i}`,
    dataClassification: i % 3 === 0 ? "sensitive" : "internal",
    quotas: { gpus: SERVICES_PER_TENANT * 2, storage: "10Ti" },
    // Queued servers must fit the tenant's nominal quota on their pool.
    queue: { nominal: { "l40s-infer": SERVICES_PER_TENANT * 2 }, borrowingLimit: 0 },
  }));
  const volumes = tenantList.map((t) => ({ name: "models", tenant: t.name, class: "ceph-shared", size: "1Ti", purpose: "models" }));
  const inference = tenantList.flatMap((t) =>
    Array.from({ length: SERVICES_PER_TENANT }, (_, j) => ({
      name: `llm-${j}`,
      tenant: t.name,
      model: { servedName: `model-${j}`, volume: "models", path: `models/${j}` },
      gpuPool: "l40s-infer",
      gpusPerReplica: 1,
      replicas: { min: 1, max: 2 },
    })),
  );
  const storage = { ...(base["storage"] as Record<string, unknown>), volumes, buckets: [] };
  const raw = { ...base, tenants: tenantList, storage, inference };
  const namespaced: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) namespaced[`${CONFIG_NAMESPACE}:${k}`] = v;
  return engineConfig(namespaced);
}
