/**
 * sensitive-data-isolation at the cluster's door: in a namespace (or on an
 * object) labelled with a protected data classification, no LoadBalancer or
 * NodePort Service, no Ingress without TLS covering every host, and no
 * Gateway listener serving plain text. Routes are judged by the pack only:
 * whether a route's Gateway terminates TLS is a fact about another object.
 */
import { Labels } from "../../catalog";
import { ISOLATION_DEFAULTS } from "../../policies/sensitiveDataIsolation";
import { celList, celString } from "./celPlaces";
import type { AdmissionPolicyDefinition } from "./types";

const LABEL = celString(Labels.dataClassification);

/** CEL: an object's labels carry a protected classification. */
function guardedBy(meta: string): string {
  return `(has(${meta}.labels) && ${LABEL} in ${meta}.labels && ${meta}.labels[${LABEL}] in variables.protected)`;
}

/** CEL: a certificate name covers a host, exactly or by a `*.` wildcard one label below it (RFC 6125). */
function covers(name: string, host: string): string {
  const n = `${name}.trim().lowerAscii()`;
  const h = `${host}.trim().lowerAscii()`;
  return `(${n}.startsWith('*.') ? (${h}.indexOf('.') > 0 && ${h}.substring(${h}.indexOf('.') + 1) == ${n}.substring(2)) : ${n} == ${h})`;
}

/** Services, Ingresses and Gateways of protected tenants. */
export function exposurePolicy(): AdmissionPolicyDefinition {
  const tlsHosts = "(has(object.spec.tls) ? object.spec.tls.filter(t, has(t.hosts)).map(t, t.hosts) : [])";
  const ingressOk =
    `has(object.spec.tls) && size(object.spec.tls) > 0 && (!has(object.spec.rules) || object.spec.rules.all(r, ` +
    `${tlsHosts}.exists(hs, hs.exists(n, ${covers("n", "(has(r.host) ? r.host : '')")}))))`;
  return {
    name: "exposure.aifactory.no",
    packPolicies: ["sensitive-data-isolation"],
    resourceRules: [
      { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["services"] },
      { apiGroups: ["networking.k8s.io"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["ingresses"] },
      { apiGroups: ["gateway.networking.k8s.io"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["gateways"] },
    ],
    variables: [
      { name: "protected", expression: celList(ISOLATION_DEFAULTS.protectedClassifications) },
      { name: "guarded", expression: `${guardedBy("object.metadata")} || (namespaceObject != null && ${guardedBy("namespaceObject.metadata")})` },
    ],
    validations: [
      {
        expression: "!variables.guarded || object.kind != 'Service' || !has(object.spec.type) || !(object.spec.type in ['LoadBalancer', 'NodePort'])",
        messageExpression: "'sensitive-data-isolation: spec.type = ' + object.spec.type + ' exposes ' + object.metadata.name + ' outside the cluster, in a namespace that holds protected data'",
        message: "sensitive-data-isolation: a LoadBalancer or NodePort Service exposes protected data outside the cluster",
      },
      {
        expression: `!variables.guarded || object.kind != 'Ingress' || (${ingressOk})`,
        message: "sensitive-data-isolation: the Ingress serves a host of a protected namespace without TLS covering it",
      },
      {
        expression: "!variables.guarded || object.kind != 'Gateway' || !has(object.spec.listeners) || object.spec.listeners.all(l, l.protocol.upperAscii() in ['HTTPS', 'TLS'])",
        message: "sensitive-data-isolation: a Gateway listener serves a protected namespace in plain text",
      },
    ],
  };
}
