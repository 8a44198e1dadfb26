/**
 * Services a tenant may open outside the cluster. A tenant's own
 * `kubectl apply` of a LoadBalancer or NodePort Service never reaches the
 * policy pack, so the tenant's ResourceQuota caps both at zero unless config
 * allows a number, with a reason, for a tenant whose data may be exposed.
 */
import { z } from "zod";

/** Classifications whose services never leave the cluster except through the site's Gateway or Ingress. */
const CLOSED_CLASSIFICATIONS: readonly string[] = ["sensitive", "restricted"];

/** The `tenants[].quotas` keys that cap exposed Services. */
export const exposureQuotaShape = {
  /** LoadBalancer Services the tenant may create (`services.loadbalancers`). @default 0 */
  loadBalancers: z.number().int().nonnegative().default(0),
  /**
   * Node ports the tenant may allocate (`services.nodeports`): each port of a
   * NodePort Service counts, and so does each port of a LoadBalancer Service
   * unless it sets `allocateLoadBalancerNodePorts: false`. @default 0
   */
  nodePorts: z.number().int().nonnegative().default(0),
  /** Why the tenant exposes Services outside the cluster; required when either cap is above zero. */
  exposureReason: z.string().min(10, { error: "must explain the reason in at least 10 characters" }).optional(),
};

/** What the exposure check reads of a tenant. */
interface ExposureTenant {
  readonly dataClassification: string;
  readonly quotas: { readonly loadBalancers: number; readonly nodePorts: number; readonly exposureReason?: string | undefined };
}

/** One problem with a tenant's exposure caps, its path relative to the tenant. */
export interface ExposureProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * Problems with a tenant's exposure caps: above zero for a sensitive or
 * restricted tenant, or above zero with no reason.
 */
export function exposureProblems(tenant: ExposureTenant): ExposureProblem[] {
  const { loadBalancers, nodePorts, exposureReason } = tenant.quotas;
  const open = (["loadBalancers", "nodePorts"] as const).filter((key) => tenant.quotas[key] > 0);
  if (open.length === 0) return [];
  if (CLOSED_CLASSIFICATIONS.includes(tenant.dataClassification)) {
    return open.map((key) => ({
      path: ["quotas", key],
      message: `must be 0 for a ${tenant.dataClassification} tenant (dataClassification: ${tenant.dataClassification}); expose its services through the site's Gateway instead (inference[].exposure: ingress)`,
    }));
  }
  if (exposureReason !== undefined) return [];
  return [
    {
      path: ["quotas", "exposureReason"],
      message: `is required when quotas.loadBalancers (${loadBalancers}) or quotas.nodePorts (${nodePorts}) is above 0: say why the tenant's Services must be reachable outside the cluster`,
    },
  ];
}
