/**
 * sensitive-data-isolation (mandatory): a sensitive or restricted tenant's
 * workloads are not reachable from outside the cluster except through TLS,
 * and its namespace denies all traffic by default. An HTTPRoute is judged by
 * the Gateway listeners it attaches to: a plain-HTTP listener is an Ingress
 * without TLS, and a Gateway the stack does not declare cannot be shown to
 * terminate TLS.
 */
import { Annotations, Labels } from "./catalog";
import { stringList } from "./lib/config";
import { stackPolicy } from "./lib/define";
import { type ResourceView, type Violation, annotationsOf, describe, kindOf, labelsOf, metadataOf, namespaceOf } from "./lib/resource";
import { isRecord } from "./lib/walk";
import { Frameworks } from "./lib/compliance";

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

/** Whether a certificate name covers a host: exactly, or a `*.` wildcard one label below it (RFC 6125). */
export function certificateCovers(name: string, host: string): boolean {
  const n = name.trim().toLowerCase();
  const h = host.trim().toLowerCase();
  if (!n.startsWith("*.")) return n === h;
  const dot = h.indexOf(".");
  return dot > 0 && h.slice(dot + 1) === n.slice(2);
}

function ingressProblems(spec: Record<string, unknown>): string[] {
  const tls = Array.isArray(spec["tls"]) ? spec["tls"].filter(isRecord) : [];
  if (tls.length === 0) return ["spec.tls is empty: the ingress serves plain HTTP"];
  const names = tls.flatMap((t) => (Array.isArray(t["hosts"]) ? t["hosts"].filter((h): h is string => typeof h === "string") : []));
  const rules = Array.isArray(spec["rules"]) ? spec["rules"].filter(isRecord) : [];
  return rules.flatMap((rule, i) => {
    const host = typeof rule["host"] === "string" ? rule["host"] : "";
    return names.some((n) => certificateCovers(n, host)) ? [] : [`spec.rules[${i}].host = ${JSON.stringify(host)} is not covered by spec.tls`];
  });
}

const GATEWAY_GROUP = "gateway.networking.k8s.io";

/** A listener's name, protocol and port, as the Gateway declares it. */
interface Listener {
  readonly name: string;
  readonly protocol: string;
  readonly port: unknown;
}

function listenersOf(gateway: ResourceView): Listener[] {
  const listeners = specOf(gateway)["listeners"];
  return (Array.isArray(listeners) ? listeners.filter(isRecord) : []).map((l) => ({
    name: typeof l["name"] === "string" ? l["name"] : "",
    protocol: typeof l["protocol"] === "string" ? l["protocol"].toUpperCase() : "",
    port: l["port"],
  }));
}

/** Listeners of a Gateway that carry plain text (HTTP; TCP and UDP carry no TLS either). */
function plainListeners(listeners: readonly Listener[]): Listener[] {
  return listeners.filter((l) => l.protocol !== "HTTPS" && l.protocol !== "TLS");
}

/** Problems of an HTTPRoute: each parent Gateway listener it may attach to must terminate TLS. */
function httpRouteProblems(route: ResourceView, gateways: readonly ResourceView[]): string[] {
  const refs = specOf(route)["parentRefs"];
  const parents = Array.isArray(refs) ? refs.filter(isRecord) : [];
  if (parents.length === 0) return ["spec.parentRefs is empty: the route's listener cannot be shown to use TLS"];
  return parents.flatMap((ref, i) => {
    const at = `spec.parentRefs[${i}]`;
    if ((ref["group"] ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (ref["kind"] ?? "Gateway") !== "Gateway") {
      return [`${at} is not a Gateway: the route's listener cannot be shown to use TLS`];
    }
    const ns = typeof ref["namespace"] === "string" ? ref["namespace"] : namespaceOf(route);
    const gateway = gateways.find((g) => metadataOf(g)["name"] === ref["name"] && namespaceOf(g) === ns);
    if (gateway === undefined) {
      return [`${at} = Gateway ${String(ns)}/${String(ref["name"])} is not declared in this stack, so its listener cannot be shown to use TLS`];
    }
    const section = ref["sectionName"];
    const listeners = listenersOf(gateway).filter(
      (l) => (section === undefined || l.name === section) && (ref["port"] === undefined || l.port === ref["port"]),
    );
    if (listeners.length === 0) return [`${at} names no listener of Gateway ${String(ns)}/${String(ref["name"])}`];
    return plainListeners(listeners).map(
      (l) => `${at} attaches to listener ${JSON.stringify(l.name)} (protocol ${l.protocol}) of Gateway ${String(ns)}/${String(ref["name"])}: plain HTTP`,
    );
  });
}

function exposureProblems(r: ResourceView, gateways: readonly ResourceView[]): string[] {
  const spec = specOf(r);
  switch (kindOf(r)) {
    case "Service":
      return spec["type"] === "LoadBalancer" || spec["type"] === "NodePort"
        ? [`spec.type = ${JSON.stringify(spec["type"])} exposes it outside the cluster`]
        : [];
    case "Ingress":
      return ingressProblems(spec);
    case "HTTPRoute":
      return httpRouteProblems(r, gateways);
    case "Gateway":
      return plainListeners(listenersOf(r)).map((l) => `spec.listeners ${JSON.stringify(l.name)} serves protocol ${l.protocol}: plain text`);
    default:
      return [];
  }
}

interface FlavorQuota {
  readonly flavor: string;
  readonly nominal: number;
  readonly borrowingLimit: number | undefined;
}

function quantityNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** A ClusterQueue's quota per flavor (every resource of a flavor, summed). */
function flavorQuotas(cq: ResourceView): FlavorQuota[] {
  const groups = specOf(cq)["resourceGroups"];
  return (Array.isArray(groups) ? groups.filter(isRecord) : []).flatMap((g) =>
    (Array.isArray(g["flavors"]) ? g["flavors"].filter(isRecord) : []).flatMap((f) =>
      (Array.isArray(f["resources"]) ? f["resources"].filter(isRecord) : []).map((r) => ({
        flavor: String(f["name"]),
        nominal: quantityNumber(r["nominalQuota"]) ?? 0,
        borrowingLimit: r["borrowingLimit"] === undefined ? undefined : (quantityNumber(r["borrowingLimit"]) ?? Infinity),
      })),
    ),
  );
}

/** The namespace a ClusterQueue serves (its selector on the namespace name), if it names one. */
function queueNamespace(cq: ResourceView): string | undefined {
  const selector = specOf(cq)["namespaceSelector"];
  const labels = isRecord(selector) && isRecord(selector["matchLabels"]) ? selector["matchLabels"] : {};
  const ns = labels["kubernetes.io/metadata.name"];
  return typeof ns === "string" ? ns : undefined;
}

/**
 * A protected tenant's ClusterQueue must not borrow (no borrowingLimit, or
 * one above zero) on a flavor that tenants of other classifications hold
 * quota on, unless the flavor says its pool may be shared with them.
 */
function borrowingViolations(resources: readonly ResourceView[], isProtected: (cq: ResourceView) => boolean): Violation[] {
  const queues = resources.filter((r) => kindOf(r) === "ClusterQueue");
  const sharing = new Set(
    resources
      .filter((r) => kindOf(r) === "ResourceFlavor" && annotationsOf(r)[Annotations.sensitiveSharing] === "allowed")
      .map((r) => String(metadataOf(r)["name"])),
  );
  const usedByOthers = new Set(queues.filter((q) => !isProtected(q)).flatMap((q) => flavorQuotas(q).filter((f) => f.nominal > 0).map((f) => f.flavor)));
  return queues.filter(isProtected).flatMap((cq) =>
    flavorQuotas(cq)
      .filter((f) => usedByOthers.has(f.flavor) && !sharing.has(f.flavor) && (f.borrowingLimit === undefined || f.borrowingLimit > 0))
      .map((f) => ({
        urn: cq.urn,
        message: `${describe(cq)}: may borrow on flavor ${JSON.stringify(f.flavor)} (borrowingLimit ${f.borrowingLimit === undefined ? "unset" : String(f.borrowingLimit)}), a pool tenants of other classifications use; set borrowingLimit 0 or allow sharing on the pool`,
      })),
  );
}

/** Data classifications from least to most protected. */
const CLASSIFICATION_ORDER = ["open", "internal", "sensitive", "restricted"];

function rank(classification: string | undefined): number {
  return CLASSIFICATION_ORDER.indexOf(classification ?? "");
}

/** The namespace a peer's namespaceSelector names, `*` when it selects every namespace, undefined when it has none. */
function peerNamespace(peer: Record<string, unknown>): string | undefined {
  const selector = peer["namespaceSelector"];
  if (!isRecord(selector)) return undefined;
  const labels = isRecord(selector["matchLabels"]) ? selector["matchLabels"] : {};
  const ns = labels["kubernetes.io/metadata.name"];
  return typeof ns === "string" ? ns : "*";
}

/**
 * Who a protected namespace's NetworkPolicy admits: a whole namespace must be
 * a tenant's of at least the same classification; pods selected by label may
 * be infrastructure (Prometheus, the Gateway's proxies) but not in `default`
 * or a lower-classified tenant's namespace. A reason on the policy
 * (`inference[].allowFromReason`) accepts the admission.
 */
function callerViolations(r: ResourceView, ns: string, classifications: ReadonlyMap<string, string>): string[] {
  if (kindOf(r) !== "NetworkPolicy" || (annotationsOf(r)[Annotations.allowFromReason] ?? "").trim() !== "") return [];
  const own = rank(classifications.get(ns));
  const rules = Array.isArray(specOf(r)["ingress"]) ? (specOf(r)["ingress"] as unknown[]).filter(isRecord) : [];
  return rules.flatMap((rule, i) =>
    (Array.isArray(rule[`from`]) ? rule[`from`].filter(isRecord) : []).flatMap((peer, j) => {
      const from = peerNamespace(peer);
      if (from === undefined || from === ns) return [];
      const at = `spec.ingress[${i}].from[${j}]`;
      const podScoped = isRecord(peer["podSelector"]) && !isEmptySelector(peer["podSelector"]);
      const tenant = classifications.get(from);
      const lower = tenant !== undefined && rank(tenant) < own;
      if (from === "*") return [`${at} admits every namespace`];
      if (from === "default") return [`${at} admits namespace "default"`];
      if (lower) return [`${at} admits namespace ${JSON.stringify(from)} of ${tenant} tenant, below ${classifications.get(ns) ?? ""}`];
      if (!podScoped && tenant === undefined) return [`${at} admits every pod of namespace ${JSON.stringify(from)}, which is not a tenant's`];
      return [];
    }),
  );
}

/** Every violation in a stack. */
export function isolationViolations(resources: readonly ResourceView[], config: IsolationConfig): Violation[] {
  const guarded = (labels: Record<string, string>) => config.protectedClassifications.includes(labels[Labels.dataClassification] ?? "");
  const protectedNamespaces = new Set(
    resources.filter((r) => kindOf(r) === "Namespace" && guarded(labelsOf(r))).map((r) => namespaceOf(r) ?? ""),
  );
  const gateways = resources.filter((r) => kindOf(r) === "Gateway");
  const classifications = new Map(
    resources
      .filter((r) => kindOf(r) === "Namespace" && labelsOf(r)[Labels.dataClassification] !== undefined)
      .map((r) => [namespaceOf(r) ?? "", labelsOf(r)[Labels.dataClassification] ?? ""] as const),
  );
  const out: Violation[] = [];
  const protectedQueue = (cq: ResourceView) => guarded(labelsOf(cq)) || protectedNamespaces.has(queueNamespace(cq) ?? "");
  out.push(...borrowingViolations(resources, protectedQueue));
  for (const r of resources) {
    const ns = namespaceOf(r);
    if (!guarded(labelsOf(r)) && (ns === undefined || !protectedNamespaces.has(ns))) continue;
    for (const p of exposureProblems(r, gateways)) out.push({ urn: r.urn, message: `${describe(r)} in protected namespace ${JSON.stringify(ns)}: ${p}` });
    if (ns === undefined) continue;
    for (const p of callerViolations(r, ns, classifications)) {
      out.push({ urn: r.urn, message: `${describe(r)} in protected namespace ${JSON.stringify(ns)}: ${p}; admit only tenants of the same classification, or give inference[].allowFromReason` });
    }
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
  description:
    "Sensitive and restricted tenants: no LoadBalancer or NodePort services, no Ingress or Gateway listener without TLS, default-deny networking, no callers admitted from lower classifications, `default` or non-tenant namespaces without a reason.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "Keep sensitive tenants' services ClusterIP; expose them only through TLS (an Ingress with covering `tls`, or an HTTPRoute on an HTTPS listener of a Gateway declared in the stack); give the namespace a default-deny NetworkPolicy.",
  framework: Frameworks.nsm,
  configSchema: {
    properties: {
      protectedClassifications: stringList("Data classifications that get isolation.", ISOLATION_DEFAULTS.protectedClassifications),
    },
  },
  defaults: ISOLATION_DEFAULTS,
  violations: isolationViolations,
});
