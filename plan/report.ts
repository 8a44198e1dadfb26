/**
 * `report.md`: what a reviewer reads in a pull request. The site, its power
 * and heat, GPUs per pool, tenants, storage, inference endpoints, policy
 * violations grouped by policy, a diagram, and (with --diff) what changes.
 * Built from the validated config and the plan; never from secret values.
 */
import { HOURS_PER_YEAR, gpuModel } from "../catalog";
import { type SitePower, maxNodes, serviceEndpoints, sitePower } from "../components";
import type { FactoryConfig } from "../config";
import { minOf, maxOf } from "../config";
import type { PlanDiff } from "./diff";
import type { HelmRelease } from "./manifests";
import type { PolicyViolation } from "./policies";
import { policies as packPolicies } from "../policies/policies";
import type { EnergyReport } from "../components";
import { sustainabilitySection } from "./sustainability";
import { usageSection } from "./usage";
import { queuesSection } from "./queues";
import { type StateBackend, stateBackendSection } from "./stateBackend";

/** What the report is made from. */
export interface ReportInput {
  readonly stack: string;
  readonly config: FactoryConfig;
  readonly violations: readonly PolicyViolation[];
  readonly invalidObjects: readonly { readonly object: string; readonly problems: readonly string[] }[];
  readonly resourceCount: number;
  readonly objectCount: number;
  readonly releases: readonly HelmRelease[];
  readonly diff?: PlanDiff;
  /** The site's energy report (indicators, figures, obligation). */
  readonly energy: EnergyReport;
  /** Where the stack's state lives in production. */
  readonly stateBackend: StateBackend;
}

/** Escapes text for a Markdown table cell. */
function cell(text: string | number): string {
  return String(text).replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  if (rows.length === 0) return ["_None._", ""];
  return [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`), ""];
}

function round(n: number, digits = 1): string {
  return n.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Heat delivered to the heat consumer per year at full load, in MWh. */
export function heatMwhPerYear(power: SitePower, recoveredFraction: number): number {
  return (power.itKw * recoveredFraction * HOURS_PER_YEAR) / 1000;
}

function status(input: ReportInput): string[] {
  const mandatory = input.violations.filter((v) => v.enforcement === "mandatory").length;
  const advisory = input.violations.length - mandatory;
  const invalid = input.invalidObjects.length;
  const verdict =
    invalid > 0
      ? `**Invalid:** ${invalid} Kubernetes object(s) fail schema validation.`
      : mandatory > 0
        ? `**Blocked:** ${mandatory} mandatory policy violation(s).`
        : "**OK:** no mandatory policy violation.";
  return [
    `# Site plan: ${input.config.site.name} (stack \`${input.stack}\`)`,
    "",
    `${verdict} ${advisory} advisory. ${input.resourceCount} resources, ${input.objectCount} Kubernetes objects.`,
    "",
  ];
}

function siteSection({ config }: ReportInput): string[] {
  const { site } = config;
  return [
    "## Site",
    "",
    ...table(
      ["name", "region", "zones", "power source", "guarantee of origin", "renewable capacity", "PUE"],
      [[site.displayName ?? site.name, site.region, site.zones.join(", "), site.power.source, site.power.guaranteeOfOrigin ?? "(none)", `${round(site.power.capacityKw)} kW`, site.power.pue]],
    ),
  ];
}

function powerSection({ config }: ReportInput): string[] {
  const power = sitePower(config.site, config.gpuPools);
  const heat = config.site.heatReuse;
  const heatLine = heat
    ? `Waste heat to **${heat.consumer}** (${heat.kind}): ${round(power.itKw * heat.recoveredFraction)} kW recovered at full load, about **${round(heatMwhPerYear(power, heat.recoveredFraction), 0)} MWh per year**.`
    : "No heat reuse declared: the waste heat is lost.";
  return [
    "## Power and heat",
    "",
    ...table(
      ["IT load (full)", "facility load (x PUE)", "renewable capacity", "headroom"],
      [[`${round(power.itKw)} kW`, `${round(power.facilityKw)} kW`, `${round(power.capacityKw)} kW`, `${round(power.headroomKw)} kW`]],
    ),
    heatLine,
    "",
  ];
}

function poolsSection({ config }: ReportInput): string[] {
  const rows = config.gpuPools.map((pool) => {
    const nodes = pool.provisioning === "static" ? maxNodes(pool) : (pool.nodes ?? 0);
    const range = typeof nodes === "number" ? String(nodes) : `${nodes.min}-${nodes.max}`;
    const it = sitePower(config.site, [pool]).itKw;
    return [pool.name, gpuModel(pool.gpuModel)?.displayName ?? pool.gpuModel, pool.provisioning, pool.zone, range, pool.gpusPerNode, maxNodes(pool) * pool.gpusPerNode, pool.mig ?? "all-disabled", `${round(it)} kW`];
  });
  const total = config.gpuPools.reduce((sum, p) => sum + maxNodes(p) * p.gpusPerNode, 0);
  return [
    "## GPU pools",
    "",
    ...table(["pool", "GPU", "provisioning", "zone", "nodes", "GPUs/node", "GPUs (max)", "MIG", "IT load"], rows),
    `${total} GPUs at full size.`,
    "",
  ];
}

function softwareSection({ releases }: ReportInput): string[] {
  return [
    "## Cluster software",
    "",
    ...table(
      ["release", "namespace", "chart", "version", "from"],
      releases.map((r) => [r.name, r.namespace, r.chart, r.version, r.repository || "(OCI chart reference)"]),
    ),
    ...(releases.length > 0 ? ["Values: `helm/<release>.values.yaml` beside this report.", ""] : []),
  ];
}

function tenantsSection({ config }: ReportInput): string[] {
  return [
    "## Tenants",
    "",
    ...table(
      ["tenant", "data", "GPU quota", "storage quota", "namespace"],
      config.tenants.map((t) => [t.displayName ? `${t.name} (${t.displayName})` : t.name, t.dataClassification, t.quotas.gpus, t.quotas.storage, t.name]),
    ),
  ];
}

function storageSection({ config }: ReportInput): string[] {
  const { storage, site } = config;
  const backup = storage.backup;
  return [
    "## Storage",
    "",
    ...table(
      ["class", "type", "zones", "encrypted", "reclaim"],
      storage.classes.map((c) => [c.name, c.type, (c.zones ?? site.zones).join(", "), c.encrypted ? "yes" : "**no**", "Retain"]),
    ),
    ...table(["tenant", "volume", "class", "size", "holds"], storage.volumes.map((v) => [v.tenant, v.name, v.class, v.size, v.purpose])),
    ...(storage.buckets.length > 0 ? table(["tenant", "bucket", "object store", "at rest"], storage.buckets.map((b) => [b.tenant, b.name, storage.objectStore?.endpoint ?? "", `SSE-S3 by default (set by a Job, checked \`${storage.bucketEncryption.schedule}\`)`])) : []),
    backup ? `Backups: bucket \`${backup.bucket}\` at ${backup.s3Url} (region ${backup.region}).` : "No backup location declared.",
    "",
  ];
}

function inferenceSection({ config }: ReportInput): string[] {
  return [
    "## Inference endpoints",
    "",
    ...table(
      ["service", "tenant", "model", "pool", "GPUs/replica", "replicas", "in cluster", "external"],
      config.inference.map((s) => {
        const ends = serviceEndpoints(s);
        const replicas = minOf(s.replicas) === maxOf(s.replicas) ? String(maxOf(s.replicas)) : `${minOf(s.replicas)}-${maxOf(s.replicas)}`;
        return [s.name, s.tenant, s.model.servedName, s.gpuPool, s.gpusPerReplica, replicas, ends.cluster, ends.external ?? "-"];
      }),
    ),
    "API keys are Pulumi secrets (`inferenceApiKeys`); they are not in this report.",
    "",
  ];
}

const PER_POLICY = 15;

const NO_FRAMEWORK = "No compliance framework";

/** The compliance framework each of the pack's policies answers to, by policy name. */
const FRAMEWORK_OF: ReadonlyMap<string, string> = new Map(
  packPolicies.map((p) => [p.name, p.framework === undefined ? NO_FRAMEWORK : `${p.framework.name} (${p.framework.version})`]),
);

/** Violations grouped by framework, then by policy, mandatory first. */
function violationsSection({ violations, invalidObjects }: ReportInput): string[] {
  const out = ["## Policy violations", ""];
  if (violations.length === 0) out.push("None.", "");
  const byFramework = new Map<string, Map<string, PolicyViolation[]>>();
  for (const v of [...violations].sort((a, b) => (a.enforcement === b.enforcement ? 0 : a.enforcement === "mandatory" ? -1 : 1))) {
    const framework = FRAMEWORK_OF.get(v.policy) ?? NO_FRAMEWORK;
    const byPolicy = byFramework.get(framework) ?? new Map<string, PolicyViolation[]>();
    byFramework.set(framework, byPolicy);
    byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
  }
  for (const [framework, byPolicy] of byFramework) {
    out.push(`### ${framework}`, "");
    for (const [policy, list] of byPolicy) {
      out.push(`#### \`${policy}\` (${list[0]?.enforcement ?? ""}, ${list.length})`, "");
      for (const v of list.slice(0, PER_POLICY)) out.push(`- ${v.message}`);
      if (list.length > PER_POLICY) out.push(`- ... and ${list.length - PER_POLICY} more (see plan.json)`);
      out.push("");
    }
  }
  if (invalidObjects.length > 0) {
    out.push("## Invalid Kubernetes objects", "");
    for (const o of invalidObjects) out.push(`- ${o.object}: ${o.problems.join("; ")}`);
    out.push("");
  }
  return out;
}

/** A Mermaid node id from any text. */
function nodeId(prefix: string, text: string): string {
  return `${prefix}_${text.replace(/[^A-Za-z0-9]/g, "_")}`;
}

/** Mermaid diagram: site, its pools, and the services on each pool. */
export function diagram(config: FactoryConfig): string[] {
  const site = nodeId("site", config.site.name);
  const lines = ["```mermaid", "flowchart LR", `  ${site}["${config.site.name}<br/>${config.site.region} · ${config.site.power.source}"]`];
  for (const pool of config.gpuPools) {
    const id = nodeId("pool", pool.name);
    lines.push(`  ${id}["${pool.name}<br/>${maxNodes(pool)} x ${pool.gpusPerNode} ${pool.gpuModel}"]`, `  ${site} --> ${id}`);
  }
  for (const svc of config.inference) {
    const id = nodeId("svc", `${svc.tenant}-${svc.name}`);
    lines.push(`  ${id}["${svc.name}<br/>${svc.tenant}: ${svc.model.servedName}"]`, `  ${nodeId("pool", svc.gpuPool)} --> ${id}`);
  }
  lines.push("```", "");
  return ["## Diagram", "", ...lines];
}

function diffSection(diff: PlanDiff | undefined): string[] {
  if (!diff) return [];
  const out = ["## Changes against the previous plan", ""];
  out.push(`${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed.`, "");
  for (const r of diff.added) out.push(`- **add** ${r.name} (${r.type})`);
  for (const r of diff.changed) out.push(`- **change** ${r.name} (${r.type}): ${r.keys.join(", ")}`);
  for (const r of diff.removed) out.push(`- **remove** ${r.name} (${r.type})`);
  if (diff.removedData.length > 0) {
    out.push("", `**Data:** ${diff.removedData.length} removed resource(s) hold data; they are protected, so \`pulumi up\` will stop until they are migrated (see README, "Data survives").`);
  }
  out.push("");
  return out;
}

/** The whole report as Markdown. */
export function renderReport(input: ReportInput): string {
  return [
    ...status(input),
    ...siteSection(input),
    ...powerSection(input),
    ...sustainabilitySection(input.energy),
    ...usageSection(input.energy),
    ...poolsSection(input),
    ...queuesSection(input.config),
    ...softwareSection(input),
    ...tenantsSection(input),
    ...storageSection(input),
    ...stateBackendSection(input.stateBackend),
    ...inferenceSection(input),
    ...violationsSection(input),
    ...diagram(input.config),
    ...diffSection(input.diff),
  ].join("\n");
}
