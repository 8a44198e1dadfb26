/**
 * norwegian-region-only at the cluster's door, for pods and every workload
 * kind's pod template: node selectors, node affinity (required and
 * preferred), pod (anti-)affinity and topology spread selectors, and the
 * object's and template's labels may name only Norwegian regions and zones.
 */
import { NORWEGIAN_REGION_DEFAULTS } from "../../policies/norwegianRegionOnly";
import { celConfigMapOk, celList, celOptional, celStrictMapOffenders, celStrictMapOk, celTermOk } from "./celPlaces";
import type { AdmissionValidation, AdmissionVariable, ResourceRule } from "./types";

/** Workload kinds whose pod template sits at `spec.template` (CronJob has its own path; a Pod is its own spec). */
export const WORKLOAD_RULES: readonly ResourceRule[] = [
  { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] },
  { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["deployments", "statefulsets", "daemonsets", "replicasets"] },
  { apiGroups: ["batch"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["jobs", "cronjobs"] },
];

/** The regions and zones a workload may be placed in: the pack's defaults, from the region catalogue. */
export const ALLOWED_PLACES: readonly string[] = [...NORWEGIAN_REGION_DEFAULTS.allowedRegions, ...NORWEGIAN_REGION_DEFAULTS.allowedZones];

/** Variables: the pod template (wherever the kind keeps it), its labels, and the allow-list. */
export function placementVariables(): AdmissionVariable[] {
  const template = "(object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template : object.spec.template)";
  return [
    { name: "allowed", expression: celList(ALLOWED_PLACES.map((p) => p.toLowerCase())) },
    { name: "template", expression: `object.kind == 'Pod' ? {'metadata': object.metadata, 'spec': object.spec} : ${template}` },
    { name: "pod", expression: "variables.template.spec" },
  ];
}

const allowed = "variables.allowed";

/** Every selector term a pod spec carries, each as a list of expressions, judged as a whole. */
function affinityChecks(): AdmissionValidation[] {
  const nodeAffinity = "variables.pod.affinity.nodeAffinity";
  const required = celOptional(
    "variables.pod",
    "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution",
    `${nodeAffinity}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.all(t, ` +
      `${celOptional("t", "matchExpressions", celTermOk("t.matchExpressions", allowed))} && ${celOptional("t", "matchFields", celTermOk("t.matchFields", allowed))})`,
  );
  const preferred = celOptional(
    "variables.pod",
    "affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution",
    `${nodeAffinity}.preferredDuringSchedulingIgnoredDuringExecution.all(p, ` +
      `${celOptional("p", "preference.matchExpressions", celTermOk("p.preference.matchExpressions", allowed))})`,
  );
  const selectorOk = (sel: string) => {
    const [base = sel, ...rest] = sel.split(".");
    const path = rest.join(".");
    return (
      `${celOptional(base, `${path}.matchExpressions`, celTermOk(`${sel}.matchExpressions`, allowed))} && ` +
      celOptional(base, `${path}.matchLabels`, celConfigMapOk(`${sel}.matchLabels`, allowed))
    );
  };
  const podTerms = (kind: "podAffinity" | "podAntiAffinity") =>
    celOptional(
      "variables.pod",
      `affinity.${kind}.requiredDuringSchedulingIgnoredDuringExecution`,
      `variables.pod.affinity.${kind}.requiredDuringSchedulingIgnoredDuringExecution.all(a, ${selectorOk("a.labelSelector")} && ${selectorOk("a.namespaceSelector")})`,
    ) +
    " && " +
    celOptional(
      "variables.pod",
      `affinity.${kind}.preferredDuringSchedulingIgnoredDuringExecution`,
      `variables.pod.affinity.${kind}.preferredDuringSchedulingIgnoredDuringExecution.all(w, ` +
        `${selectorOk("w.podAffinityTerm.labelSelector")} && ${selectorOk("w.podAffinityTerm.namespaceSelector")})`,
    );
  const spread = celOptional(
    "variables.pod",
    "topologySpreadConstraints",
    `variables.pod.topologySpreadConstraints.all(c, ${selectorOk("c.labelSelector")})`,
  );
  return [
    { expression: required, message: "norwegian-region-only: required node affinity selects a region or zone that is not Norwegian (or does not pin one)" },
    { expression: preferred, message: "norwegian-region-only: preferred node affinity prefers a region or zone that is not Norwegian (or does not pin one)" },
    { expression: `${podTerms("podAffinity")} && ${podTerms("podAntiAffinity")}`, message: "norwegian-region-only: a pod affinity selector names a region or zone that is not Norwegian" },
    { expression: spread, message: "norwegian-region-only: a topology spread selector names a region or zone that is not Norwegian" },
  ];
}

/** The placement policy's validations. */
export function placementValidations(): AdmissionValidation[] {
  const nodeSelector = "variables.pod.nodeSelector";
  const labels = (m: string) => `${m}.metadata.labels`;
  const labelsOk = (m: string) => celOptional(m, "metadata.labels", celStrictMapOk(labels(m), allowed));
  return [
    {
      expression: celOptional("variables.pod", "nodeSelector", celStrictMapOk(nodeSelector, allowed)),
      messageExpression: `'norwegian-region-only: nodeSelector ' + ${celStrictMapOffenders(nodeSelector, allowed)} + ' is not a Norwegian region or zone'`,
      message: "norwegian-region-only: nodeSelector names a region or zone that is not Norwegian",
    },
    ...affinityChecks(),
    {
      expression: `${labelsOk("object")} && ${labelsOk("variables.template")}`,
      message: "norwegian-region-only: a region or zone label is not Norwegian",
    },
  ];
}
