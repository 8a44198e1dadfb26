/**
 * Namespaces: which ones the factory creates (and so owns), which ones the
 * site's platform software uses (named in config), and which Kubernetes
 * keeps for itself. Two owners of one namespace, or a tenant inside the
 * platform's, would make objects that collide; config refuses them.
 */
import type { ConfigProblem } from "./problems";
import type { FactoryConfig } from "./schema";

/** Namespaces Kubernetes keeps for itself; `kube-*` as a whole is reserved too. */
export const RESERVED_NAMESPACES: readonly string[] = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** Whether Kubernetes reserves a namespace name. */
export function isReservedNamespace(name: string): boolean {
  return RESERVED_NAMESPACES.includes(name) || name.startsWith("kube-");
}

/** A namespace named in config, and whether the factory creates it or only uses it. */
interface NamespaceClaim {
  readonly name: string;
  readonly path: string;
  readonly created: boolean;
}

/** Every namespace the parsed sections name. */
function claims(cfg: Partial<FactoryConfig>): NamespaceClaim[] {
  const out: NamespaceClaim[] = [];
  const c = cfg.cluster;
  if (c) {
    out.push({ name: c.systemNamespace, path: "cluster.systemNamespace", created: true });
    if ((cfg.gpuPools ?? []).length > 0) out.push({ name: c.gpuOperator.namespace, path: "cluster.gpuOperator.namespace", created: true });
    if (c.clusterApi) out.push({ name: c.clusterApi.namespace, path: "cluster.clusterApi.namespace", created: false });
    out.push({ name: c.ingress.namespace, path: "cluster.ingress.namespace", created: false });
    out.push({ name: c.gateway.proxyNamespace, path: "cluster.gateway.proxyNamespace", created: false });
    out.push({ name: c.monitoring.namespace, path: "cluster.monitoring.namespace", created: false });
    if ((cfg.gpuPools ?? []).length > 0) out.push({ name: c.kueue.namespace, path: "cluster.kueue.namespace", created: true });
  }
  const s = cfg.storage;
  if (s) {
    out.push({ name: s.cephClusterId, path: "storage.cephClusterId", created: false });
    if (s.kms?.namespace !== undefined) out.push({ name: s.kms.namespace, path: "storage.kms.namespace", created: false });
    if (s.backup) out.push({ name: s.backup.namespace, path: "storage.backup.namespace", created: false });
  }
  (cfg.tenants ?? []).forEach((t, i) => out.push({ name: t.name, path: `tenants[${i}].name`, created: true }));
  return out;
}

/**
 * Problems with namespaces: a namespace the factory creates that Kubernetes
 * reserves, or that another part of config also creates or the platform uses.
 * Each clash names both key paths.
 */
export function namespaceProblems(cfg: Partial<FactoryConfig>): ConfigProblem[] {
  const all = claims(cfg);
  const problems: ConfigProblem[] = [];
  for (const [i, claim] of all.entries()) {
    if (!claim.created) continue;
    if (isReservedNamespace(claim.name)) {
      problems.push({ path: claim.path, message: `'${claim.name}' is reserved by Kubernetes; must not be ${RESERVED_NAMESPACES.join(", ")} or start with kube-` });
      continue;
    }
    // Report each pair once: against earlier claims, or any claim the platform makes.
    const other = all.find((o, j) => o.name === claim.name && j !== i && (!o.created || j < i));
    if (other) {
      const what = other.created ? "which the factory also creates" : "which the site's platform software uses";
      problems.push({ path: claim.path, message: `'${claim.name}' is already ${other.path}, ${what}; namespaces must not be shared` });
    }
  }
  return problems;
}
