/**
 * The report's "GPU queues" section, from the same entitlement model as the
 * ClusterQueues and ResourceQuotas: per tenant, nominal GPUs per flavor and
 * what it may borrow there, what it lends, and per resource what Kueue may
 * admit it against what its quota lets run; the cohort's total against the
 * GPUs the site has, with a warning where quotas promise more than exists or
 * leave GPUs unowned.
 */
import { type FactoryConfig, entitlementInputsOf, flavorEntitlements, gpuFlavors, gpuQuotas, resourceEntitlements } from "../config";

/** One row per tenant: `nominal (+borrowing)` per flavor, then admissible / quota per resource. */
function tenantRows(config: FactoryConfig, resources: readonly string[]): string[] {
  const inputs = entitlementInputsOf(config);
  return config.tenants.map((tenant) => {
    const entitlements = flavorEntitlements(inputs, tenant);
    const flavors = entitlements.map((e) => (e.borrowing === 0 ? String(e.nominal) : `${e.nominal} (+${e.borrowing})`));
    const lends = entitlements.map((e) => (e.lending === undefined ? "all" : String(e.lending)));
    const lending = new Set(lends).size === 1 ? (lends[0] ?? "all") : entitlements.map((e, i) => `${e.flavor}: ${lends[i] ?? "all"}`).join(", ");
    const admissible = resourceEntitlements(inputs, tenant);
    const quotas = gpuQuotas(inputs, tenant);
    const ceilings = resources.map((r) => `${admissible.get(r) ?? 0} / ${quotas.get(r) ?? 0}`);
    return `| ${tenant.name} (${tenant.dataClassification}) | ${flavors.join(" | ")} | ${ceilings.join(" | ")} | ${lending} | ${tenant.queue?.weight ?? 1} |`;
  });
}

/** The section's lines. */
export function queuesSection(config: FactoryConfig): string[] {
  if (config.gpuPools.length === 0) return [];
  const flavors = gpuFlavors(config.gpuPools, config.cluster.gpuOperator.migStrategy);
  const resources = [...new Set(flavors.map((f) => f.resource))];
  const blank = resources.map(() => "").join(" | ");
  const out = [
    "## GPU queues (Kueue)",
    "",
    `Cohort \`${config.site.name}\`: every tenant's ClusterQueue lends unused quota to the others. Per flavor, nominal GPUs (+ what the tenant may borrow there); per resource, what Kueue may admit the tenant / what its ResourceQuota lets run, which is never less. Workloads name the LocalQueue \`gpu\`; Kueue manages every workload in a tenant namespace, and one that names no queue goes to the LocalQueue \`default\`, which feeds the same ClusterQueue.`,
    "",
    `| tenant | ${flavors.map((f) => `\`${f.name}\``).join(" | ")} | ${resources.map((r) => `\`${r}\` admit / quota`).join(" | ")} | lends at most | weight |`,
    `| --- | ${flavors.map(() => "---:").join(" | ")} | ${resources.map(() => "---:").join(" | ")} | --- | ---: |`,
    ...tenantRows(config, resources),
  ];
  const totals = flavors.map((f) => config.tenants.reduce((n, t) => n + (t.queue?.nominal[f.name] ?? 0), 0));
  out.push(`| **cohort** | ${totals.map(String).join(" | ")} | ${blank} | | |`, `| **site has** | ${flavors.map((f) => String(f.physical)).join(" | ")} | ${blank} | | |`, "");
  flavors.forEach((f, i) => {
    const total = totals[i] ?? 0;
    if (total > f.physical) out.push(`- Warning: nominal quotas on \`${f.name}\` (${total}) exceed the ${f.physical} ${f.resource} it has.`);
    else if (total < f.physical) out.push(`- Warning: ${f.physical - total} ${f.resource} on \`${f.name}\` are in no tenant's nominal quota, so no queue can use them.`);
  });
  out.push("");
  return out;
}
