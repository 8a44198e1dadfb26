/**
 * Every endpoint a site depends on, from its config, with a verdict: image
 * and chart mirrors, the host image, the models' storage, object stores,
 * backup targets, the KMS, the Prometheus the energy and scaling rules live
 * in, and the DNS names the site serves. Pure: `plan/sovereignty.ts` writes
 * them to `sovereignty.json` and the report; the cross-checks refuse a
 * config with any endpoint that is not in the country.
 */
import { IN_COUNTRY_ENDPOINT_DOMAINS, isHostInDomains, urlHost } from "../catalog";
import type { ConfigProblem } from "./problems";
import type { FactoryConfig } from "./schema";
import { mirrorDomains, supplySources } from "./supplyChain";

/** Where an endpoint is: under the allowed in-country domains or inside the site's cluster, elsewhere, or not known. */
export type Verdict = "in-country" | "foreign" | "unknown";

/** One endpoint the site depends on. */
export interface SiteEndpoint {
  /** What kind of endpoint (`image mirror`, `backup target`, ...). */
  readonly kind: string;
  /** The host, or a description of an in-cluster service. */
  readonly host: string;
  /** The config key it comes from. */
  readonly key: string;
  /** What uses it. */
  readonly usedBy: string;
  readonly verdict: Verdict;
}

/** A bare host or the host of a URL, lower-cased; undefined if none can be read. */
export function hostOf(value: string): string | undefined {
  const v = value.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return urlHost(v);
  const host = v.replace(/[/:].*$/, "").toLowerCase();
  return /^[a-z0-9.-]+$/.test(host) && host !== "" ? host : undefined;
}

/** Whether a host is a Service inside the site's cluster. */
function inCluster(host: string): boolean {
  return host.endsWith(".svc") || host.endsWith(".cluster.local") || !host.includes(".");
}

/** The verdict on a host, given the site's allowed in-country domains. */
export function verdictOf(host: string | undefined, domains: readonly string[]): Verdict {
  if (host === undefined) return "unknown";
  return inCluster(host) || isHostInDomains(host, domains) ? "in-country" : "foreign";
}

/** The domains endpoints may be under: the mirrors' and the object stores'. */
export function allowedDomains(cfg: Partial<FactoryConfig>): string[] {
  return [...new Set([...mirrorDomains(cfg), ...IN_COUNTRY_ENDPOINT_DOMAINS])];
}

/** Every endpoint of the site, in a stable order. */
export function siteEndpoints(cfg: Partial<FactoryConfig>): SiteEndpoint[] {
  const domains = allowedDomains(cfg);
  const out: SiteEndpoint[] = [];
  const add = (kind: string, key: string, value: string, usedBy: string) => {
    const host = hostOf(value);
    out.push({ kind, key, usedBy, host: host ?? value, verdict: verdictOf(host, domains) });
  };
  for (const s of supplySources(cfg)) add(s.path.startsWith("mirrors.chart") ? "chart mirror" : s.path.includes("hostImage") ? "host image" : "image mirror", s.path, s.value, s.usedBy);
  const storage = cfg.storage;
  if (storage !== undefined) {
    const cluster = `${storage.cephClusterId}.svc`;
    for (const svc of cfg.inference ?? []) {
      out.push({ kind: "models' storage", key: "storage.cephClusterId", host: `${storage.cephClusterId} (Rook-Ceph in the site's cluster)`, usedBy: `model volume ${svc.tenant}/${svc.model.volume} of ${svc.name}`, verdict: verdictOf(cluster, domains) });
    }
    out.push({ kind: "KMS", key: "storage.encryptionKmsId", host: `${storage.encryptionKmsId} (Rook CSI KMS connection in the site's cluster)`, usedBy: "encryption keys of every encrypted volume", verdict: "in-country" });
    if (storage.kms !== undefined) add("Vault", "storage.kms.vault.address", storage.kms.vault.address, "volume passphrases (ceph-csi) and the object store's SSE-S3 keys");
    if (storage.objectStore !== undefined) add("object store", "storage.objectStore.endpoint", storage.objectStore.endpoint, `buckets of object store ${storage.objectStore.name}`);
    if (storage.backup !== undefined) add("backup target", "storage.backup.s3Url", storage.backup.s3Url, `Velero backups (bucket ${storage.backup.bucket})`);
  }
  const monitoring = cfg.cluster?.monitoring;
  if (monitoring !== undefined) add("Prometheus", "cluster.monitoring.prometheusUrl", monitoring.prometheusUrl, "the energy recording rules and the autoscalers' queries");
  for (const [i, svc] of (cfg.inference ?? []).entries()) {
    if (svc.hostname !== undefined) add("DNS name served", `inference[${i}].hostname`, svc.hostname, `inference service ${svc.tenant}/${svc.name}`);
  }
  return out;
}

/** A problem for each endpoint that is not in the country. */
export function endpointProblems(cfg: Partial<FactoryConfig>): ConfigProblem[] {
  const domains = allowedDomains(cfg);
  return siteEndpoints(cfg)
    // The Vault's address is judged with the rest of storage.kms (crossChecks' checkKms).
    .filter((e) => e.verdict !== "in-country" && e.kind !== "Vault")
    .map((e) => ({ path: e.key, message: `${e.host} is ${e.verdict === "foreign" ? "outside the country" : "not a host that can be judged"}: ${e.kind} must be inside the site's cluster or under ${domains.join(", ")}` }));
}
