/**
 * in-country-data and norwegian-region-only at the cluster's door, for
 * storage: a StorageClass pins volumes to Norwegian zones, is encrypted (or
 * provisions on an encrypting backend, or is a Rook bucket class on an
 * object store the site declares with server-side encryption), and writes
 * only through the site's own backends (`allowedProvisioners`,
 * `allowedCephClusterIds`); a PersistentVolume pins to Norwegian places and
 * names its class; a PersistentVolumeClaim names its class (the cluster
 * default class is not checked). Whether a named class is itself compliant is
 * judged when the class is admitted.
 */
import { CLUSTER_ID_KEYS, IN_COUNTRY_DATA_DEFAULTS, type InCountryDataConfig } from "../../policies/inCountryData";
import { ROOK_BUCKET_PROVISIONER_SUFFIX } from "../../policies/lib/buckets";
import type { StorageConfig } from "../../config";
import { celIsPlaceKey } from "./celKeys";
import { celAllowed, celConfigMapOk, celList, celOptional, celString, celTermOk } from "./celPlaces";
import type { AdmissionPolicyDefinition } from "./types";

/**
 * What the storage policies allow: in-country-data's allow-lists (the same
 * config object the pack judges with) and the object stores the site
 * declares with server-side encryption, which the pack finds in the stack
 * and admission, seeing one object, is told.
 */
export interface StorageBackends {
  /** in-country-data's config: zones, encrypting backends, provisioners and Ceph cluster ids. */
  readonly inCountryData: InCountryDataConfig;
  /** `namespace/name` of every CephObjectStore the site declares with SSE-S3 on its KMS. */
  readonly encryptingObjectStores: readonly string[];
}

/** The pack's defaults, and no object store. */
export const DEFAULT_STORAGE_BACKENDS: StorageBackends = { inCountryData: IN_COUNTRY_DATA_DEFAULTS, encryptingObjectStores: [] };

/**
 * The site's backends: the pack's allow-lists (the plan and the guard rails
 * judge with the pack's defaults, so admission does too) and the site's
 * object store, which the factory always declares with SSE-S3
 * (`objectStore.ts`) in the Ceph cluster's namespace.
 */
export function siteStorageBackends(storage: Pick<StorageConfig, "objectStore" | "cephClusterId">): StorageBackends {
  const store = storage.objectStore;
  return { inCountryData: IN_COUNTRY_DATA_DEFAULTS, encryptingObjectStores: store === undefined ? [] : [`${storage.cephClusterId}/${store.name}`] };
}

const zones = "variables.zones";
const zonesVariable = (config: InCountryDataConfig) => ({ name: "zones", expression: celList(config.allowedZones.map((z) => z.toLowerCase())) });

/** CEL: a parameter by name, or '' (the pack reads missing and non-string parameters as absent). */
const param = (key: string) => `(has(object.parameters) && ${celString(key)} in object.parameters ? object.parameters[${celString(key)}] : '')`;

/**
 * The backend checks, as the pack's `storageBackendProblems`: the provisioner
 * and every Ceph cluster id are compared exactly. Keys are matched without
 * case; the pack lower-cases with Unicode rules and CEL with ASCII ones,
 * which differ only for letters no key here has (the Kelvin sign folds to
 * `k`), so both read the same keys.
 */
function backendValidations(config: InCountryDataConfig) {
  return [
    {
      expression: `object.provisioner in ${celList(config.allowedProvisioners)}`,
      messageExpression: `'in-country-data: StorageClass ' + object.metadata.name + ': provisioner ' + object.provisioner + ' is not an allowed storage backend (allowedProvisioners: ${config.allowedProvisioners.join(", ")})'`,
      message: "in-country-data: the provisioner is not an allowed storage backend",
    },
    {
      expression: celOptional(
        "object",
        "parameters",
        `object.parameters.all(k, !(k.lowerAscii() in ${celList(CLUSTER_ID_KEYS)}) || object.parameters[k] in ${celList(config.allowedCephClusterIds)})`,
      ),
      message: `in-country-data: a Ceph cluster id (clusterID, objectStoreNamespace) is not the site's own (allowedCephClusterIds: ${config.allowedCephClusterIds.join(", ")})`,
    },
  ];
}

/** StorageClasses: pinned to Norwegian zones, encrypted, on the site's own backends. */
export function storageClassPolicy(backends: StorageBackends = DEFAULT_STORAGE_BACKENDS): AdmissionPolicyDefinition {
  const config = backends.inCountryData;
  const pins = "object.allowedTopologies.filter(t, has(t.matchLabelExpressions)).map(t, t.matchLabelExpressions.filter(p, " + celIsPlaceKey("p.key") + "))";
  const encrypted = `${param("encrypted")}.trim().lowerAscii() == 'true'`;
  const bucketClass = `object.provisioner.endsWith(${celString(ROOK_BUCKET_PROVISIONER_SUFFIX)})`;
  const store = `${param("objectStoreNamespace")} + '/' + ${param("objectStoreName")}`;
  return {
    name: "storage-classes.aifactory.no",
    packPolicies: ["in-country-data", "norwegian-region-only"],
    resourceRules: [{ apiGroups: ["storage.k8s.io"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["storageclasses"] }],
    variables: [zonesVariable(config)],
    validations: [
      {
        expression: `has(object.allowedTopologies) && ${pins}.exists(l, size(l) > 0)`,
        message: "in-country-data: allowedTopologies does not pin volumes to Norwegian zones",
      },
      {
        expression: celOptional(
          "object",
          "allowedTopologies",
          `${pins}.all(l, l.all(p, has(p.values) && size(p.values) > 0 && p.values.all(v, ${celAllowed("v", zones)})))`,
        ),
        message: "in-country-data: allowedTopologies allows a zone that is not Norwegian",
      },
      {
        // A Rook bucket class is judged by its object store instead (the next rule).
        expression: `${encrypted} || object.provisioner in ${celList(config.encryptedBackendProvisioners)} || ${bucketClass}`,
        messageExpression: "'in-country-data: StorageClass ' + object.metadata.name + ' (provisioner ' + object.provisioner + '): parameters.encrypted is not \"true\"'",
        message: 'in-country-data: parameters.encrypted is not "true"',
      },
      {
        // The Ceph object gateway encrypts nothing on its own: only a store declared with SSE-S3 keeps buckets encrypted.
        expression: `!${bucketClass} || ${store} in ${celList(backends.encryptingObjectStores)}`,
        messageExpression: `'in-country-data: StorageClass ' + object.metadata.name + ': object store ' + ${store} + ' is not one the site declares with server-side encryption (${backends.encryptingObjectStores.join(", ")})'`,
        message: "in-country-data: the bucket class's object store is not one the site declares with server-side encryption",
      },
      ...backendValidations(config),
      {
        expression: celOptional("object", "parameters", celConfigMapOk("object.parameters", zones)),
        message: "norwegian-region-only: a region or zone parameter is not Norwegian",
      },
    ],
  };
}

/** PersistentVolumes and claims: a named class, and (volumes) node affinity pinned to Norwegian places. */
export function volumePolicy(config: InCountryDataConfig = IN_COUNTRY_DATA_DEFAULTS): AdmissionPolicyDefinition {
  const terms = "object.spec.nodeAffinity.required.nodeSelectorTerms";
  return {
    name: "volumes.aifactory.no",
    packPolicies: ["in-country-data", "norwegian-region-only"],
    resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["persistentvolumes", "persistentvolumeclaims"] }],
    variables: [zonesVariable(config)],
    validations: [
      {
        expression: "has(object.spec.storageClassName) && object.spec.storageClassName != ''",
        message: "in-country-data: spec.storageClassName is not set, so the cluster default class (unchecked) would be used",
      },
      {
        expression: celOptional(
          "object",
          "spec.nodeAffinity.required.nodeSelectorTerms",
          `${terms}.all(t, ${celOptional("t", "matchExpressions", celTermOk("t.matchExpressions", zones))})`,
        ),
        message: "norwegian-region-only: the volume's node affinity names a region or zone that is not Norwegian",
      },
    ],
  };
}
