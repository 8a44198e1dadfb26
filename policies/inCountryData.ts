/**
 * in-country-data (mandatory): data stays in Norway. Storage classes are
 * pinned to Norwegian zones and encrypted; volumes use such classes; backup
 * locations and object-store endpoints are in-country https hosts; models are
 * read only from in-country storage, with hub downloads switched off.
 */
import { IN_COUNTRY_ENDPOINT_DOMAINS, NORWEGIAN_REGIONS, NORWEGIAN_ZONES, isAllowedLocation, isInCountryHttpsEndpoint } from "./catalog";
import { stringList } from "./lib/config";
import { stackPolicy } from "./lib/define";
import { embeddedDocument, isLocationKey } from "./lib/locations";
import { envOf, podSpecs } from "./lib/podSpecs";
import { type ResourceView, type Violation, describe, kindOf, metadataOf, stringMap } from "./lib/resource";
import { formatPath, isRecord, memoKeyTest, visit } from "./lib/walk";

/** Config of in-country-data. */
export interface InCountryDataConfig {
  allowedZones: string[];
  allowedEndpointDomains: string[];
  /** Provisioners whose backend encrypts everything (an object store with server-side encryption). */
  encryptedBackendProvisioners: string[];
}

/** Defaults: Norwegian zones, the factory's own endpoints, Rook's bucket provisioner (SSE on the object store). */
export const IN_COUNTRY_DATA_DEFAULTS: InCountryDataConfig = {
  allowedZones: [...NORWEGIAN_REGIONS, ...NORWEGIAN_ZONES],
  allowedEndpointDomains: [...IN_COUNTRY_ENDPOINT_DOMAINS],
  encryptedBackendProvisioners: ["rook-ceph.ceph.rook.io/bucket"],
};

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
  if (!encrypted && !config.encryptedBackendProvisioners.includes(provisioner)) {
    out.push('parameters.encrypted is not "true"');
  }
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

/** A Velero backup location must name an in-country endpoint; without `s3Url` it goes to AWS. */
const backupChecks: Check = (r, config) => {
  if (kindOf(r) !== "BackupStorageLocation") return [];
  const spec = isRecord(r.props["spec"]) ? r.props["spec"] : {};
  const cfg = stringMap(spec["config"]);
  if (cfg["s3Url"] === undefined || cfg["s3Url"].trim() === "") {
    return [`${describe(r)}: spec.config.s3Url is not set, so backups would go to the public AWS S3 endpoint`];
  }
  return ["s3Url", "publicUrl"].flatMap((key) => {
    const url = cfg[key];
    if (url === undefined || isInCountryHttpsEndpoint(url, config.allowedEndpointDomains)) return [];
    return [`${describe(r)}: spec.config.${key} = ${JSON.stringify(url)} is not an in-country https endpoint`];
  });
};

const isEndpointKey = memoKeyTest((key) => /(endpoint|endpoints|endpointurl|s3url|publicurl|s3endpoint|endpoint_url)$/i.test(key));
const FOREIGN_SCHEMES = /^(hf|gs|gcs|az|abfss?|wasbs?):\/\//i;
/** Model hubs abroad, by host (and subdomains). */
const MODEL_HUB_URL = /^https?:\/\/([^/?#]*\.)?(huggingface\.co|hf\.co|modelscope\.cn|ollama\.com|registry\.ollama\.ai)([/:?#]|$)/i;

/** Object-store endpoints anywhere (keys, env vars) and model URIs from outside. */
const endpointAndModelChecks: Check = (r, config) => {
  const out: string[] = [];
  let inCountryEndpoint = false;
  const s3Uris: string[] = [];
  visit(r.props, (rawKey, raw, parent, parts) => {
    if (typeof raw !== "string" || !raw.includes("://")) return;
    const doc = embeddedDocument(raw);
    if (doc !== undefined) {
      // A config file carried in a string (Velero, Loki, an app's settings) is checked like properties.
      const inner = { ...r, name: `${r.name} ${formatPath(parts)} (embedded)`, props: doc as Record<string, unknown> };
      out.push(...endpointAndModelChecks(inner, config));
      return;
    }
    const value = raw.trim();
    const envName = isRecord(parent) && rawKey === "value" && typeof parent["name"] === "string" ? parent["name"] : undefined;
    const key = envName ?? (typeof rawKey === "string" ? rawKey : "");
    const at = () => `${describe(r)}: ${formatPath(parts)} = ${JSON.stringify(value)}`;
    if (isEndpointKey(key)) {
      if (isInCountryHttpsEndpoint(value, config.allowedEndpointDomains)) inCountryEndpoint = true;
      else out.push(`${at()} is not an in-country https endpoint`);
    }
    if (FOREIGN_SCHEMES.test(value)) out.push(`${at()} reads a model from outside the country`);
    if (MODEL_HUB_URL.test(value)) out.push(`${at()} downloads from a model hub abroad`);
    if (/^s3:\/\//i.test(value)) s3Uris.push(`${formatPath(parts)} = ${JSON.stringify(value)}`);
  });
  if (!inCountryEndpoint) {
    for (const uri of s3Uris) out.push(`${describe(r)}: ${uri} names no in-country S3 endpoint, so it reads from a public cloud`);
  }
  return out;
};

const MODEL_SERVER = /(vllm|text-generation-inference|sglang|lmdeploy|tensorrt-llm|tritonserver|ollama)/i;

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

/** Every violation in a stack. */
export function inCountryDataViolations(resources: readonly ResourceView[], config: InCountryDataConfig): Violation[] {
  const perResource = [storageClassChecks, backupChecks, endpointAndModelChecks, hubChecks];
  // Checks overlap (a backup location's s3Url is also an endpoint): report each finding once.
  const out = resources.flatMap((r) =>
    [...new Set(perResource.flatMap((check) => check(r, config)))].map((message) => ({ urn: r.urn, message })),
  );
  return [...out, ...volumeChecks(resources, config)];
}


/** The policy. */
export const inCountryData = stackPolicy({
  name: "in-country-data",
  description: "Data, backups and models stay in Norway: pinned and encrypted storage, in-country endpoints, no hub downloads.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedZones: stringList("Zones (and regions) storage may be pinned to.", IN_COUNTRY_DATA_DEFAULTS.allowedZones),
      allowedEndpointDomains: stringList("Domains of in-country object stores.", IN_COUNTRY_DATA_DEFAULTS.allowedEndpointDomains),
      encryptedBackendProvisioners: stringList(
        "Provisioners whose backend encrypts all data, so their classes need no encryption parameter.",
        IN_COUNTRY_DATA_DEFAULTS.encryptedBackendProvisioners,
      ),
    },
  },
  defaults: IN_COUNTRY_DATA_DEFAULTS,
  violations: inCountryDataViolations,
});
