/**
 * Network policy building blocks shared by the tenant's default deny and each
 * workload's own policy.
 */
import { WellKnownLabels } from "../catalog";

/** Egress to the cluster's DNS pods on port 53, UDP and TCP: the one thing a default deny still allows. */
export function dnsEgressRule() {
  return {
    to: [
      {
        namespaceSelector: { matchLabels: { [WellKnownLabels.namespaceName]: "kube-system" } },
        podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
      },
    ],
    ports: [
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ],
  };
}
