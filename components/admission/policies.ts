/**
 * Every admission policy the factory declares, and the objects that declare
 * them: a ValidatingAdmissionPolicy (Deny on failure: an expression that
 * cannot be evaluated refuses too) and its binding, which selects the
 * namespaces the factory manages. Cluster-scoped objects (StorageClasses,
 * PersistentVolumes) are judged whatever the namespace selector says.
 */
import type * as k8s from "@pulumi/kubernetes";
import { MANAGED_BY, PART_OF, WellKnownLabels } from "../../catalog";
import type { SiteConfig } from "../../config";
import { siteMetadata } from "../labels";
import type { Spec } from "../spec";
import { exposurePolicy } from "./exposure";
import { WORKLOAD_RULES, placementValidations, placementVariables } from "./placement";
import { DEFAULT_STORAGE_BACKENDS, type StorageBackends, storageClassPolicy, volumePolicy } from "./storage";
import type { AdmissionPolicyDefinition } from "./types";

/** The admission policies, generated from the pack's catalogue and defaults and the site's storage backends. */
export function admissionPolicyDefinitions(backends: StorageBackends = DEFAULT_STORAGE_BACKENDS): AdmissionPolicyDefinition[] {
  return [
    {
      name: "workload-placement.aifactory.no",
      packPolicies: ["norwegian-region-only"],
      resourceRules: WORKLOAD_RULES,
      variables: placementVariables(),
      validations: placementValidations(),
    },
    storageClassPolicy(backends),
    volumePolicy(backends.inCountryData),
    exposurePolicy(),
  ];
}

/** The labels a namespace the factory manages carries (`standardLabels`), which the bindings select on. */
export const MANAGED_NAMESPACE_LABELS: Readonly<Record<string, string>> = {
  [WellKnownLabels.partOf]: PART_OF,
  [WellKnownLabels.managedBy]: MANAGED_BY,
};

/** The ValidatingAdmissionPolicy of one definition. */
export function admissionPolicySpec(site: SiteConfig, def: AdmissionPolicyDefinition): Spec<k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicy> {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: siteMetadata(site, def.name, { component: "admission" }),
    spec: {
      failurePolicy: "Fail",
      matchConstraints: {
        resourceRules: def.resourceRules.map((r) => ({
          apiGroups: [...r.apiGroups],
          apiVersions: [...r.apiVersions],
          operations: [...r.operations],
          resources: [...r.resources],
        })),
      },
      variables: def.variables.map((v) => ({ ...v })),
      validations: def.validations.map((v) => ({ ...v, reason: "Forbidden" })),
    },
  };
}

/** The binding of one policy: Deny, in every namespace the factory manages. */
export function admissionBindingSpec(site: SiteConfig, def: AdmissionPolicyDefinition): Spec<k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicyBinding> {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: siteMetadata(site, def.name, { component: "admission" }),
    spec: {
      policyName: def.name,
      validationActions: ["Deny"],
      matchResources: { namespaceSelector: { matchLabels: { ...MANAGED_NAMESPACE_LABELS } } },
    },
  };
}
