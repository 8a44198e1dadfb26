/**
 * A tenant cannot open itself to the network with its own `kubectl apply`:
 * its ResourceQuota caps LoadBalancer Services and node ports at zero, unless
 * config allows a number, with a reason, for an open or internal tenant.
 */
import { describe, expect, it } from "vitest";
import { tenantQuotaSpec } from "../../components";
import { parseFactoryConfig } from "../../config";
import { osloWith, parseConfig } from "../helpers";
import { quotaAdmitsService } from "./../upstream/quota";

const loadBalancer = { type: "LoadBalancer", ports: [{ port: 443 }] } as const;
const nodePort = { type: "NodePort", ports: [{ port: 8000 }] } as const;
const clusterIp = { type: "ClusterIP", ports: [{ port: 8000 }] } as const;

function hardOf(changes: Record<string, unknown>, tenant: number): Record<string, string> {
  const config = parseConfig(osloWith(changes));
  return tenantQuotaSpec({ site: config.site, tenant: config.tenants[tenant]! }).spec!.hard as Record<string, string>;
}

function problems(changes: Record<string, unknown>): string[] {
  const result = parseFactoryConfig(osloWith(changes));
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe("a tenant's exposed Services", () => {
  it.each([0, 1, 2])("are capped at zero by default, so quota admission refuses a LoadBalancer or NodePort Service (tenant %i)", (i) => {
    const hard = hardOf({}, i);
    expect(hard).toMatchObject({ "services.loadbalancers": "0", "services.nodeports": "0" });
    expect(quotaAdmitsService(hard, {}, loadBalancer)).toBe(false);
    expect(quotaAdmitsService(hard, {}, nodePort)).toBe(false);
    expect(quotaAdmitsService(hard, {}, clusterIp)).toBe(true);
  });

  it("may be allowed, with a reason, for an internal tenant: a LoadBalancer then needs node ports too, unless it allocates none", () => {
    const changes = { "tenants[0].quotas.loadBalancers": 1, "tenants[0].quotas.exposureReason": "partner SFTP gateway on the logistics VLAN" };
    const hard = hardOf(changes, 0);
    expect(hard).toMatchObject({ "services.loadbalancers": "1", "services.nodeports": "0" });
    expect(quotaAdmitsService(hard, {}, loadBalancer)).toBe(false);
    expect(quotaAdmitsService(hard, {}, { ...loadBalancer, allocateLoadBalancerNodePorts: false })).toBe(true);
    expect(quotaAdmitsService(hard, { "services.loadbalancers": 1 }, { ...loadBalancer, allocateLoadBalancerNodePorts: false })).toBe(false);
  });

  it("above zero need a reason", () => {
    expect(problems({ "tenants[0].quotas.nodePorts": 2 })).toEqual([
      "tenants[0].quotas.exposureReason: is required when quotas.loadBalancers (0) or quotas.nodePorts (2) is above 0: say why the tenant's Services must be reachable outside the cluster",
    ]);
  });

  it("stay at zero for sensitive and restricted tenants, reason or not", () => {
    expect(problems({ "tenants[1].quotas.loadBalancers": 1, "tenants[1].quotas.exposureReason": "a reason long enough" })).toEqual([
      "tenants[1].quotas.loadBalancers: must be 0 for a sensitive tenant (dataClassification: sensitive); expose its services through the site's Gateway instead (inference[].exposure: ingress)",
    ]);
  });
});
