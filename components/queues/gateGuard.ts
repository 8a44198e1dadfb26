/**
 * Only Kueue lets a tenant's pod go: a ValidatingAdmissionPolicy that refuses
 * an update lifting one of Kueue's scheduling gates from a pod in a tenant
 * namespace unless Kueue's own controller makes it. Kueue gates every pod it
 * manages there at creation (its pod webhook, see `kueueManagerConfig`) and
 * lifts the gate when the tenant's ClusterQueue admits the workload; anyone
 * else who may update pods (a tenant's `edit` role) could otherwise lift it
 * and run past the queue. Scheduling gates can only be removed after
 * creation, never added (Kubernetes 1.30), so guarding removal is enough.
 */
import type * as k8s from "@pulumi/kubernetes";
import { KUEUE_SCHEDULING_GATES, kueueControllerServiceAccount } from "../../catalog";
import type { ClusterConfig, SiteConfig } from "../../config";
import { celList, celString } from "../admission/celPlaces";
import type { AdmissionPolicyDefinition } from "../admission/types";
import { siteMetadata } from "../labels";
import type { Spec } from "../spec";
import { KUEUE_CHART, tenantNamespaceSelector } from "./kueue";

/** The policy's name. */
export const GATE_GUARD_POLICY = "kueue-gates.aifactory.no";

/** What the policy judges: pod updates, by who lifts which of Kueue's gates. */
export function gateGuardDefinition(kueue: ClusterConfig["kueue"]): AdmissionPolicyDefinition {
  const controller = kueueControllerServiceAccount(KUEUE_CHART, kueue.namespace);
  const names = (obj: string) => `(has(${obj}.spec.schedulingGates) ? ${obj}.spec.schedulingGates.map(g, g.name) : [])`;
  return {
    name: GATE_GUARD_POLICY,
    packPolicies: [],
    resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["UPDATE"], resources: ["pods"] }],
    variables: [
      { name: "gates", expression: celList(KUEUE_SCHEDULING_GATES) },
      { name: "lifted", expression: `${names("oldObject")}.filter(n, n in variables.gates && !(n in ${names("object")}))` },
    ],
    validations: [
      {
        expression: `size(variables.lifted) == 0 || request.userInfo.username == ${celString(controller)}`,
        messageExpression: `'only Kueue lifts ' + variables.lifted.join(', ') + ' from a pod in a tenant namespace, when the tenant\\'s ClusterQueue admits it'`,
        message: "only Kueue lifts its scheduling gates from a pod in a tenant namespace, when the tenant's ClusterQueue admits it",
      },
    ],
  };
}

/** The ValidatingAdmissionPolicy (Deny on failure: an expression that cannot be evaluated refuses too). */
export function gateGuardPolicySpec(site: SiteConfig, kueue: ClusterConfig["kueue"]): Spec<k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicy> {
  const def = gateGuardDefinition(kueue);
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: siteMetadata(site, def.name, { component: "queues" }),
    spec: {
      failurePolicy: "Fail",
      matchConstraints: { resourceRules: def.resourceRules.map((r) => ({ ...r, apiGroups: [...r.apiGroups], apiVersions: [...r.apiVersions], operations: [...r.operations], resources: [...r.resources] })) },
      variables: def.variables.map((v) => ({ ...v })),
      validations: def.validations.map((v) => ({ ...v, reason: "Forbidden" })),
    },
  };
}

/** Its binding: Deny, in exactly the tenants' namespaces (the ones Kueue manages). */
export function gateGuardBindingSpec(site: SiteConfig, tenantNamespaces: readonly string[]): Spec<k8s.types.input.admissionregistration.v1.ValidatingAdmissionPolicyBinding> {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: siteMetadata(site, GATE_GUARD_POLICY, { component: "queues" }),
    spec: {
      policyName: GATE_GUARD_POLICY,
      validationActions: ["Deny"],
      matchResources: { namespaceSelector: tenantNamespaceSelector(tenantNamespaces) },
    },
  };
}
