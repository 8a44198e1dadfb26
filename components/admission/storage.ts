/**
 * in-country-data and norwegian-region-only at the cluster's door, for
 * storage: a StorageClass pins volumes to Norwegian zones and is encrypted
 * (or provisions on an encrypting backend); a PersistentVolume pins to
 * Norwegian places and names its class; a PersistentVolumeClaim names its
 * class (the cluster default class is not checked). Whether a named class is
 * itself compliant is judged when the class is admitted. A Rook bucket class
 * has no `encrypted` parameter: the pack judges it by the object store it
 * names, which an admission policy cannot see, so here it is admitted.
 */
import { IN_COUNTRY_DATA_DEFAULTS } from "../../policies/inCountryData";
import { ROOK_BUCKET_PROVISIONER_SUFFIX } from "../../policies/lib/buckets";
import { celIsPlaceKey } from "./celKeys";
import { celAllowed, celConfigMapOk, celList, celOptional, celTermOk } from "./celPlaces";
import type { AdmissionPolicyDefinition } from "./types";

const zones = "variables.zones";
const zonesVariable = { name: "zones", expression: celList(IN_COUNTRY_DATA_DEFAULTS.allowedZones.map((z) => z.toLowerCase())) };

/** StorageClasses: pinned to Norwegian zones, encrypted. */
export function storageClassPolicy(): AdmissionPolicyDefinition {
  const pins = "object.allowedTopologies.filter(t, has(t.matchLabelExpressions)).map(t, t.matchLabelExpressions.filter(p, " + celIsPlaceKey("p.key") + "))";
  const encrypted =
    "(has(object.parameters) && 'encrypted' in object.parameters && object.parameters.encrypted.trim().lowerAscii() == 'true')";
  return {
    name: "storage-classes.aifactory.no",
    packPolicies: ["in-country-data", "norwegian-region-only"],
    resourceRules: [{ apiGroups: ["storage.k8s.io"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["storageclasses"] }],
    variables: [zonesVariable],
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
        expression: `${encrypted} || object.provisioner in ${celList(IN_COUNTRY_DATA_DEFAULTS.encryptedBackendProvisioners)} || object.provisioner.endsWith('${ROOK_BUCKET_PROVISIONER_SUFFIX}')`,
        messageExpression: "'in-country-data: StorageClass ' + object.metadata.name + ' (provisioner ' + object.provisioner + '): parameters.encrypted is not \"true\"'",
        message: 'in-country-data: parameters.encrypted is not "true"',
      },
      {
        expression: celOptional("object", "parameters", celConfigMapOk("object.parameters", zones)),
        message: "norwegian-region-only: a region or zone parameter is not Norwegian",
      },
    ],
  };
}

/** PersistentVolumes and claims: a named class, and (volumes) node affinity pinned to Norwegian places. */
export function volumePolicy(): AdmissionPolicyDefinition {
  const terms = "object.spec.nodeAffinity.required.nodeSelectorTerms";
  return {
    name: "volumes.aifactory.no",
    packPolicies: ["in-country-data", "norwegian-region-only"],
    resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["persistentvolumes", "persistentvolumeclaims"] }],
    variables: [zonesVariable],
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
