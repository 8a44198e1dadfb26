/**
 * sensitive-data-isolation (mandatory): a sensitive or restricted tenant's
 * workloads are not reachable from outside the cluster except through TLS,
 * and its namespace denies all traffic by default.
 */
import { Labels } from "../catalog";
import { stringList } from "./lib/config";
import { stackPolicy } from "./lib/define";
import { type ResourceView, type Violation, describe, kindOf, labelsOf, namespaceOf } from "./lib/resource";
import { isRecord } from "./lib/walk";

/** Config of sensitive-data-isolation. */
export interface IsolationConfig {
  protectedClassifications: string[];
}

/** Defaults: the two most protected data classes. */
export const ISOLATION_DEFAULTS: IsolationConfig = { protectedClassifications: ["sensitive", "restricted"] };

function specOf(r: ResourceView): Record<string, unknown> {
  return isRecord(r.props["spec"]) ? r.props["spec"] : {};
}

function isEmptySelector(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const labels = value["matchLabels"];
  const exprs = value["matchExpressions"];
  return (!isRecord(labels) || Object.keys(labels).length === 0) && (!Array.isArray(exprs) || exprs.length === 0);
}

/** A NetworkPolicy that denies all ingress and all egress but DNS to every pod of its namespace. */
export function isDefaultDeny(r: ResourceView): boolean {
  if (kindOf(r) !== "NetworkPolicy") return false;
  const spec = specOf(r);
  const types = Array.isArray(spec["policyTypes"]) ? spec["policyTypes"] : [];
  const ingress = spec["ingress"];
  const egress = Array.isArray(spec["egress"]) ? spec["egress"] : [];
  const dnsOnly = egress.every(
    (rule) => isRecord(rule) && Array.isArray(rule["ports"]) && rule["ports"].length > 0 && rule["ports"].every((p) => isRecord(p) && p["port"] === 53),
  );
  return (
    isEmptySelector(spec["podSelector"]) &&
    types.includes("Ingress") &&
    types.includes("Egress") &&
    (ingress === undefined || (Array.isArray(ingress) && ingress.length === 0)) &&
    dnsOnly
  );
}

function exposureProblems(r: ResourceView): string[] {
  const spec = specOf(r);
  if (kindOf(r) === "Service" && (spec["type"] === "LoadBalancer" || spec["type"] === "NodePort")) {
    return [`spec.type = ${JSON.stringify(spec["type"])} exposes it outside the cluster`];
  }
  if (kindOf(r) !== "Ingress") return [];
  const tls = Array.isArray(spec["tls"]) ? spec["tls"].filter(isRecord) : [];
  if (tls.length === 0) return ["spec.tls is empty: the ingress serves plain HTTP"];
  const covered = new Set(tls.flatMap((t) => (Array.isArray(t["hosts"]) ? t["hosts"].map(String) : [])));
  const rules = Array.isArray(spec["rules"]) ? spec["rules"].filter(isRecord) : [];
  return rules.flatMap((rule, i) => {
    const host = typeof rule["host"] === "string" ? rule["host"] : "";
    return covered.has(host) ? [] : [`spec.rules[${i}].host = ${JSON.stringify(host)} is not covered by spec.tls`];
  });
}

/** Every violation in a stack. */
export function isolationViolations(resources: readonly ResourceView[], config: IsolationConfig): Violation[] {
  const guarded = (labels: Record<string, string>) => config.protectedClassifications.includes(labels[Labels.dataClassification] ?? "");
  const protectedNamespaces = new Set(
    resources.filter((r) => kindOf(r) === "Namespace" && guarded(labelsOf(r))).map((r) => namespaceOf(r) ?? ""),
  );
  const out: Violation[] = [];
  for (const r of resources) {
    const ns = namespaceOf(r);
    if (!guarded(labelsOf(r)) && (ns === undefined || !protectedNamespaces.has(ns))) continue;
    for (const p of exposureProblems(r)) out.push({ urn: r.urn, message: `${describe(r)} in protected namespace ${JSON.stringify(ns)}: ${p}` });
  }
  for (const r of resources) {
    const ns = namespaceOf(r);
    if (kindOf(r) !== "Namespace" || ns === undefined || !protectedNamespaces.has(ns)) continue;
    const denied = resources.some((p) => isDefaultDeny(p) && namespaceOf(p) === ns);
    if (!denied) out.push({ urn: r.urn, message: `${describe(r)}: namespace ${JSON.stringify(ns)} holds ${labelsOf(r)[Labels.dataClassification] ?? ""} data but has no default-deny NetworkPolicy` });
  }
  return out;
}


/** The policy. */
export const sensitiveDataIsolation = stackPolicy({
  name: "sensitive-data-isolation",
  description: "Sensitive and restricted tenants: no LoadBalancer or NodePort services, no ingress without TLS, default-deny networking.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      protectedClassifications: stringList("Data classifications that get isolation.", ISOLATION_DEFAULTS.protectedClassifications),
    },
  },
  defaults: ISOLATION_DEFAULTS,
  violations: isolationViolations,
});
