/**
 * A model of how the Kubernetes quota admission plugin charges a Service
 * (kubernetes v1.34, pkg/quota/v1/evaluator/core/services.go): every Service
 * counts one `services`; a NodePort Service one node port per port; a
 * LoadBalancer Service one `services.loadbalancers` and one node port per
 * port, unless it sets `allocateLoadBalancerNodePorts: false` (then only the
 * ports that name a nodePort). Admission refuses a Service when usage plus
 * what the namespace already uses exceeds any hard limit it is charged on.
 */

/** What the evaluator reads of a Service. */
export interface ServiceShape {
  readonly type?: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
  readonly ports: readonly { readonly port: number; readonly nodePort?: number }[];
  readonly allocateLoadBalancerNodePorts?: boolean;
}

/** The quota resources one Service uses. */
export function serviceUsage(svc: ServiceShape): Record<string, number> {
  const usage: Record<string, number> = { services: 1, "services.loadbalancers": 0, "services.nodeports": 0 };
  if (svc.type === "NodePort") usage["services.nodeports"] = svc.ports.length;
  if (svc.type === "LoadBalancer") {
    usage["services.loadbalancers"] = 1;
    usage["services.nodeports"] =
      svc.allocateLoadBalancerNodePorts === false ? svc.ports.filter((p) => (p.nodePort ?? 0) !== 0).length : svc.ports.length;
  }
  return usage;
}

/** Whether quota admission lets the Service in, given the quota's hard limits and what is already used. */
export function quotaAdmitsService(hard: Readonly<Record<string, string>>, used: Readonly<Record<string, number>>, svc: ServiceShape): boolean {
  return Object.entries(serviceUsage(svc)).every(([resource, amount]) => {
    const limit = hard[resource];
    return limit === undefined || (used[resource] ?? 0) + amount <= Number(limit);
  });
}
