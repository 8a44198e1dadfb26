/**
 * The report's "GPU queues" section: per tenant, nominal GPUs per flavor,
 * what it may borrow and lend, and the cohort's total against the GPUs the
 * site has, with a warning where quotas promise more than exists or leave
 * GPUs unowned.
 */
import { clusterQueueFlavors } from "../components";
import { type FactoryConfig, gpuFlavors } from "../config";

/** The section's lines. */
export function queuesSection(config: FactoryConfig): string[] {
  if (config.gpuPools.length === 0) return [];
  const flavors = gpuFlavors(config.gpuPools, config.cluster.gpuOperator.migStrategy);
  const out = [
    "## GPU queues (Kueue)",
    "",
    `Cohort \`${config.site.name}\`: every tenant's ClusterQueue lends unused quota to the others; each tenant's ResourceQuota stays the hard ceiling. Workloads name the LocalQueue \`gpu\` in their namespace.`,
    "",
    `| tenant | ${flavors.map((f) => `\`${f.name}\``).join(" | ")} | may borrow | lends at most | weight |`,
    `| --- | ${flavors.map(() => "---:").join(" | ")} | --- | --- | ---: |`,
  ];
  for (const tenant of config.tenants) {
    const quotas = clusterQueueFlavors(config, tenant);
    const borrow = quotas.map((q) => (q.borrowingLimit === undefined ? "unlimited" : String(q.borrowingLimit)));
    const borrowing = new Set(borrow).size === 1 ? (borrow[0] ?? "") : quotas.map((q, i) => `${q.flavor}: ${borrow[i] ?? ""}`).join(", ");
    out.push(
      `| ${tenant.name} (${tenant.dataClassification}) | ${quotas.map((q) => String(q.nominal)).join(" | ")} | ${borrowing} | ${tenant.queue?.lendingLimit ?? "all"} | ${tenant.queue?.weight ?? 1} |`,
    );
  }
  const totals = flavors.map((f) => config.tenants.reduce((n, t) => n + (t.queue?.nominal[f.name] ?? 0), 0));
  out.push(`| **cohort** | ${totals.map(String).join(" | ")} | | | |`, `| **site has** | ${flavors.map((f) => String(f.physical)).join(" | ")} | | | |`, "");
  flavors.forEach((f, i) => {
    const total = totals[i] ?? 0;
    if (total > f.physical) out.push(`- Warning: nominal quotas on \`${f.name}\` (${total}) exceed the ${f.physical} ${f.resource} it has.`);
    else if (total < f.physical) out.push(`- Warning: ${f.physical - total} ${f.resource} on \`${f.name}\` are in no tenant's nominal quota, so no queue can use them.`);
  });
  out.push("");
  return out;
}
