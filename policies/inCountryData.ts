/**
 * in-country-data (mandatory): data stays in Norway. Storage classes are
 * pinned to Norwegian zones and encrypted; volumes use such classes; backup
 * locations and object-store endpoints are in-country hosts (or in the
 * site's own cluster); no string names a foreign object store, model hub or
 * cloud service, or a foreign URI scheme; models are read only from
 * in-country storage, with hub downloads switched off. Buckets: the object
 * store encrypts (SSE-S3 on a KMS) and every claim's bucket has a default
 * encryption set with the claim's keys (`lib/buckets.ts`).
 */
import {
  type ForeignHostKind,
  IN_COUNTRY_ENDPOINT_DOMAINS,
  NORWEGIAN_REGIONS,
  NORWEGIAN_ZONES,
  isAllowedLocation,
  isHostInDomains,
  isInCountryHttpsEndpoint,
  stateBackendHost,
  urlHost,
} from "./catalog";
import { stringList } from "./lib/config";
import { stackPolicy } from "./lib/define";
import { bucketClaimChecks, bucketStoreChecks, isRookBucketProvisioner } from "./lib/buckets";
import { isLocationKey } from "./lib/locations";
import { envOf, podSpecs } from "./lib/podSpecs";
import { type ResourceView, type Violation, describe, kindOf, metadataOf, stringMap } from "./lib/resource";
import { type TokenFinding, scanResource } from "./lib/scan";
import { isRecord } from "./lib/walk";
import { Frameworks } from "./lib/compliance";

/** Config of in-country-data. */
export interface InCountryDataConfig {
  allowedZones: string[];
  allowedEndpointDomains: string[];
  /** Provisioners whose backend encrypts everything (an object store with server-side encryption). */
  encryptedBackendProvisioners: string[];
  /** StorageClass provisioners data may be written through: the site's own Rook cluster's. */
  allowedProvisioners: string[];
  /** Ceph cluster ids (`clusterID`, Rook's `objectStoreNamespace`) classes may point at: the site's own. */
  allowedCephClusterIds: string[];
}

/**
 * Defaults: Norwegian zones, the factory's own endpoints. No provisioner is
 * taken on trust: Rook's bucket classes are judged by the object store they
 * name, and their claims by what sets each bucket's default encryption
 * (`bucketStoreChecks`, `bucketClaimChecks`).
 */
export const IN_COUNTRY_DATA_DEFAULTS: InCountryDataConfig = {
  allowedZones: [...NORWEGIAN_REGIONS, ...NORWEGIAN_ZONES],
  allowedEndpointDomains: [...IN_COUNTRY_ENDPOINT_DOMAINS],
  encryptedBackendProvisioners: [],
  allowedProvisioners: ["rook-ceph.rbd.csi.ceph.com", "rook-ceph.cephfs.csi.ceph.com", "rook-ceph.ceph.rook.io/bucket"],
  allowedCephClusterIds: ["rook-ceph"],
};

/**
 * Parameters that name the Ceph cluster a class writes to: ceph-csi's
 * `clusterID` and Rook's bucket class `objectStoreNamespace` (the
 * CephCluster's namespace). Keys are matched without case, so a `ClusterId`
 * is judged too; values are matched exactly (an id is case-sensitive, and a
 * look-alike letter is another id).
 */
export const CLUSTER_ID_KEYS: ReadonlySet<string> = new Set(["clusterid", "objectstorenamespace"]);

/** Why a class's backend is not one of the site's own, if it is not. */
export function storageBackendProblems(provisioner: string, params: Readonly<Record<string, string>>, config: InCountryDataConfig): string[] {
  const out: string[] = [];
  if (!config.allowedProvisioners.includes(provisioner)) {
    out.push(`provisioner ${JSON.stringify(provisioner)} is not an allowed storage backend (allowedProvisioners: ${config.allowedProvisioners.join(", ")})`);
  }
  for (const [key, value] of Object.entries(params)) {
    if (CLUSTER_ID_KEYS.has(key.toLowerCase()) && !config.allowedCephClusterIds.includes(value)) {
      out.push(`parameters.${key} ${JSON.stringify(value)} is not the site's own Ceph cluster (allowedCephClusterIds: ${config.allowedCephClusterIds.join(", ")})`);
    }
  }
  return out;
}

type Check = (r: ResourceView, config: InCountryDataConfig) => string[];

/** Why a StorageClass does not keep data in the country, if it does not. */
function storageClassProblems(r: ResourceView, config: InCountryDataConfig): string[] {
  const out: string[] = [];
  const topologies = Array.isArray(r.props["allowedTopologies"]) ? r.props["allowedTopologies"] : [];
  const pins = topologies.flatMap((t) =>
    isRecord(t) && Array.isArray(t["matchLabelExpressions"]) ? t["matchLabelExpressions"].filter(isRecord) : [],
  );
  const zonePins = pins.filter((p) => typeof p["key"] === "string" && isLocationKey(p["key"]));
  if (zonePins.length === 0) out.push("allowedTopologies does not pin volumes to Norwegian zones");
  for (const pin of zonePins) {
    const values = Array.isArray(pin["values"]) ? pin["values"].map(String) : [];
    if (values.length === 0) out.push(`allowedTopologies pins ${String(pin["key"])} to no zone`);
    for (const v of values) {
      if (!isAllowedLocation(v, config.allowedZones)) out.push(`allowedTopologies allows ${JSON.stringify(v)}, not a Norwegian zone`);
    }
  }
  const params = stringMap(r.props["parameters"]);
  const provisioner = typeof r.props["provisioner"] === "string" ? r.props["provisioner"] : "";
  const encrypted = (params["encrypted"] ?? "").trim().toLowerCase() === "true";
  if (!encrypted && !config.encryptedBackendProvisioners.includes(provisioner) && !isRookBucketProvisioner(provisioner)) {
    out.push('parameters.encrypted is not "true"');
  }
  out.push(...storageBackendProblems(provisioner, params, config));
  return out;
}

const storageClassChecks: Check = (r, config) =>
  kindOf(r) === "StorageClass" ? storageClassProblems(r, config).map((p) => `${describe(r)}: ${p}`) : [];

/** Volume claims and volumes must use a storage class that is declared and compliant. */
function volumeChecks(resources: readonly ResourceView[], config: InCountryDataConfig): Violation[] {
  const compliant = new Map<string, boolean>();
  for (const r of resources) {
    const name = metadataOf(r)["name"];
    if (kindOf(r) === "StorageClass" && typeof name === "string") compliant.set(name, storageClassProblems(r, config).length === 0);
  }
  const problem = (cls: unknown): string | undefined => {
    if (typeof cls !== "string" || cls === "") return "is not set, so the cluster default class (unchecked) would be used";
    const ok = compliant.get(cls);
    if (ok === undefined) return `= ${JSON.stringify(cls)} is not a storage class declared in this stack`;
    return ok ? undefined : `= ${JSON.stringify(cls)} is not pinned to Norwegian zones and encrypted`;
  };
  return resources.flatMap((r) => {
    const kind = kindOf(r);
    if (kind !== "PersistentVolumeClaim" && kind !== "PersistentVolume") return [];
    const spec = isRecord(r.props["spec"]) ? r.props["spec"] : {};
    const p = problem(spec["storageClassName"]);
    return p === undefined ? [] : [{ urn: r.urn, message: `${describe(r)}: spec.storageClassName ${p}` }];
  });
}

/** Where Velero's object-store plugins put backups when a location names no endpoint of its own. */
const VELERO_DEFAULT_STORES: Readonly<Record<string, string>> = {
  aws: "the public AWS S3 endpoint (Velero's AWS plugin falls back to it)",
  azure: "Azure Blob Storage, a foreign cloud (Velero's Azure plugin writes to the storage account it names)",
  gcp: "Google Cloud Storage, a foreign cloud (Velero's GCP plugin has no endpoint setting)",
};

/** The object-store plugin a BackupStorageLocation uses (`velero.io/aws` → `aws`). */
function veleroPlugin(spec: Record<string, unknown>): string {
  const provider = typeof spec["provider"] === "string" ? spec["provider"].toLowerCase() : "";
  return provider.slice(provider.lastIndexOf("/") + 1);
}

/** A Velero backup location must write to an in-country endpoint through the S3 plugin. */
const backupChecks: Check = (r, config) => {
  if (kindOf(r) !== "BackupStorageLocation") return [];
  const spec = isRecord(r.props["spec"]) ? r.props["spec"] : {};
  const cfg = stringMap(spec["config"]);
  const plugin = veleroPlugin(spec);
  if (plugin === "azure" || plugin === "gcp") {
    return [`${describe(r)}: spec.provider = ${JSON.stringify(spec["provider"])} stores backups in ${VELERO_DEFAULT_STORES[plugin]}`];
  }
  if (cfg["s3Url"] === undefined || cfg["s3Url"].trim() === "") {
    return [`${describe(r)}: spec.config.s3Url is not set, so backups would go to ${VELERO_DEFAULT_STORES["aws"]}`];
  }
  return ["s3Url", "publicUrl"].flatMap((key) => {
    const url = cfg[key];
    if (url === undefined || isInCountryHttpsEndpoint(url, config.allowedEndpointDomains)) return [];
    return [`${describe(r)}: spec.config.${key} = ${JSON.stringify(url)} is not an in-country https endpoint`];
  });
};

/** Hosts inside the site's own cluster: a Service name, `*.svc`, `*.cluster.local`. */
function isInClusterHost(host: string): boolean {
  return !host.includes(".") || /\.(svc|svc\.cluster\.local|cluster\.local)$/.test(host);
}

/** The host an endpoint value names: from a URL, or a bare `host[:port][/path]`; undefined when it names none. */
export function endpointHost(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  if (v.includes("://")) return urlHost(v);
  const match = /^([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?(?:\/\S*)?$/.exec(v);
  return match?.[1];
}

/** Why an endpoint is not in the country, if it is not. */
function endpointProblem(value: string, domains: readonly string[]): string | undefined {
  const host = endpointHost(value);
  if (host === undefined) return undefined;
  if (isInClusterHost(host)) return undefined;
  if (!isHostInDomains(host, domains)) return `is not an in-country endpoint (host ${host} is not under ${domains.join(", ")})`;
  if (/^http:\/\//i.test(value.trim())) return "is an in-country host reached over plain http";
  return undefined;
}

const HOST_FINDINGS: Readonly<Record<ForeignHostKind, string>> = {
  "object-store": "names a foreign object store",
  "model-hub": "downloads from a model hub abroad",
  "cloud-service": "calls a foreign cloud service",
};

/** Object-store endpoints (URLs or bare hosts, in any format), foreign hosts and schemes anywhere, `s3://` without an in-country endpoint. */
const endpointAndModelChecks: Check = (r, config) => {
  const { endpoints, tokens } = scanResource(r);
  const out: string[] = [];
  const domains = config.allowedEndpointDomains;
  let inCountryEndpoint = false;
  const reportedHosts = new Set<string>();
  // A backup location's own endpoints are judged by backupChecks, with the plugin in mind.
  const ownedByBackup = kindOf(r) === "BackupStorageLocation";
  for (const e of endpoints) {
    if (ownedByBackup && e.path.startsWith("spec.config.")) continue;
    const problem = endpointProblem(e.value, domains);
    const host = endpointHost(e.value);
    if (problem === undefined) {
      if (host !== undefined && isHostInDomains(host, domains)) inCountryEndpoint = true;
      continue;
    }
    if (host !== undefined) reportedHosts.add(host);
    out.push(`${describe(r)}: ${e.path} = ${JSON.stringify(e.value)} ${problem}`);
  }
  // One finding per string: a foreign scheme says it all (`wasbs://c@acct.blob.core.windows.net`).
  const schemePaths = new Set(tokens.filter((t) => t.kind === "scheme").map((t) => t.path));
  const s3: TokenFinding[] = [];
  for (const t of tokens) {
    if (t.kind === "host") {
      if (schemePaths.has(t.path) || reportedHosts.has(t.token) || isHostInDomains(t.token, domains)) continue;
      reportedHosts.add(t.token);
      out.push(`${describe(r)}: ${t.path} ${HOST_FINDINGS[t.hostKind ?? "cloud-service"]} (${t.token})`);
    } else if (t.kind === "scheme") {
      out.push(`${describe(r)}: ${t.path} reads from outside the country (${t.token} URI)`);
    } else if (t.kind === "s3") {
      s3.push(t);
    }
  }
  if (!inCountryEndpoint) {
    // An s3:// URL may name its own endpoint (`s3://bucket?endpoint=https://s3.oslo-1.aifactory.no`, a Pulumi state backend).
    for (const t of s3.filter((t) => !namesInCountryEndpoint(t.token, domains))) out.push(`${describe(r)}: ${t.path} = ${JSON.stringify(t.token)} names no in-country S3 endpoint, so it reads from a public cloud`);
  }
  return out;
};

/** Whether an `s3://` URL names an in-country endpoint in its own query (`?endpoint=...`). */
function namesInCountryEndpoint(url: string, domains: readonly string[]): boolean {
  if (!/[?&]endpoint=/.test(url)) return false;
  const reached = stateBackendHost(url);
  return "host" in reached && isHostInDomains(reached.host, domains);
}

const MODEL_SERVER = /(vllm|text-generation-inference|sglang|lmdeploy|tensorrt-llm|tritonserver|ollama|huggingfaceserver|llama\.cpp|llamacpp)/i;

/** Model servers must have hub downloads switched off. */
const hubChecks: Check = (r) =>
  podSpecs(r.props).flatMap(({ path, containers }) =>
    containers.flatMap((c, i) => {
      const identity = JSON.stringify([c.image, c.command, c.args]);
      if (!MODEL_SERVER.test(identity)) return [];
      if (envOf(c)["HF_HUB_OFFLINE"] === "1") return [];
      return [`${describe(r)}: ${path}.containers[${i}] runs a model server without HF_HUB_OFFLINE=1, so it may download models from abroad`];
    }),
  );

/**
 * A KServe InferenceService has no image of its own: with the Hugging Face
 * runtime and no in-country `storageUri`, its server downloads the model id
 * it is given from the hub.
 */
const kserveChecks: Check = (r) => {
  const apiVersion = typeof r.props["apiVersion"] === "string" ? r.props["apiVersion"] : r.type;
  if (kindOf(r) !== "InferenceService" || !apiVersion.includes("serving.kserve.io")) return [];
  const spec = isRecord(r.props["spec"]) ? r.props["spec"] : {};
  const predictor = isRecord(spec["predictor"]) ? spec["predictor"] : {};
  const model = isRecord(predictor["model"]) ? predictor["model"] : {};
  const format = isRecord(model["modelFormat"]) && typeof model["modelFormat"]["name"] === "string" ? model["modelFormat"]["name"] : "";
  const runtime = typeof model["runtime"] === "string" ? model["runtime"] : "";
  if (!/huggingface/i.test(format) && !/huggingface/i.test(runtime)) return [];
  // A storageUri is judged like every other string (foreign schemes and hosts, s3:// without an endpoint).
  if (typeof model["storageUri"] === "string" && model["storageUri"].trim() !== "") return [];
  const env = Array.isArray(model["env"]) ? model["env"] : [];
  const offline = env.some((e) => isRecord(e) && e["name"] === "HF_HUB_OFFLINE" && e["value"] === "1");
  if (offline) return [];
  const args = Array.isArray(model["args"]) ? model["args"].map(String) : [];
  const id = args.find((a) => /^--model[_-]id(=|$)/.test(a)) ?? "its model id";
  return [`${describe(r)}: spec.predictor.model uses the Hugging Face runtime with no in-country storageUri, so it downloads ${id} from the hub abroad`];
};

/** Every violation in a stack. */
export function inCountryDataViolations(resources: readonly ResourceView[], config: InCountryDataConfig): Violation[] {
  const perResource = [storageClassChecks, backupChecks, endpointAndModelChecks, hubChecks, kserveChecks];
  // Checks overlap (a backup location's s3Url is also an endpoint): report each finding once.
  const out = resources.flatMap((r) =>
    [...new Set(perResource.flatMap((check) => check(r, config)))].map((message) => ({ urn: r.urn, message })),
  );
  return [...out, ...volumeChecks(resources, config), ...bucketStoreChecks(resources), ...bucketClaimChecks(resources)];
}


/** The policy. */
export const inCountryData = stackPolicy({
  name: "in-country-data",
  description: "Data, backups and models stay in Norway: pinned and encrypted storage, in-country endpoints, no hub downloads.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "Point storage, backups and model sources at in-country hosts (under `aifactory.no`) or the site's own cluster; pin and encrypt storage classes; declare the object store with `security.s3` and give every bucket claim a Job that sets its bucket's default encryption with the claim's keys; set `HF_HUB_OFFLINE=1` and read models from an in-country volume. Add a trusted in-country domain to `allowedEndpointDomains`.",
  framework: Frameworks.gdpr,
  configSchema: {
    properties: {
      allowedZones: stringList("Zones (and regions) storage may be pinned to.", IN_COUNTRY_DATA_DEFAULTS.allowedZones),
      allowedEndpointDomains: stringList("Domains of in-country object stores.", IN_COUNTRY_DATA_DEFAULTS.allowedEndpointDomains),
      encryptedBackendProvisioners: stringList(
        "Provisioners whose backend encrypts all data, so their classes need no encryption parameter (Rook's bucket classes are judged by their object store instead).",
        IN_COUNTRY_DATA_DEFAULTS.encryptedBackendProvisioners,
      ),
      allowedProvisioners: stringList("StorageClass provisioners allowed: the site's own Rook cluster's.", IN_COUNTRY_DATA_DEFAULTS.allowedProvisioners),
      allowedCephClusterIds: stringList("Ceph cluster ids (clusterID, objectStoreNamespace) classes may use: the site's own.", IN_COUNTRY_DATA_DEFAULTS.allowedCephClusterIds),
    },
  },
  defaults: IN_COUNTRY_DATA_DEFAULTS,
  violations: inCountryDataViolations,
});
