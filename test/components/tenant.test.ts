import { describe, expect, it } from "vitest";
import {
  DEFAULT_CONTAINER_RESOURCES,
  tenantDefaultDenySpec,
  tenantLimitRangeSpec,
  tenantNamespaceSpec,
  tenantQuotaSpec,
} from "../../components";
import type { TenantConfig } from "../../config";
import { osloRaw, osloWith, parseConfig, runWith } from "../helpers";

const osloConfig = parseConfig;

const config = osloConfig();
const research: TenantConfig = config.tenants[2]!;
const args = { site: config.site, tenant: research };

describe("Tenant, with defaults", () => {
  it("enforces the restricted Pod Security Standard on its namespace", () => {
    const labels = tenantNamespaceSpec(args).metadata?.labels;
    expect(labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "latest",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
      "aifactory.no/tenant": "research",
      "aifactory.no/data-classification": "open",
    });
  });

  it("quotas GPUs, storage and exposed Services (none) only, when CPU, memory and pods are not set", () => {
    expect(tenantQuotaSpec(args).spec).toEqual({
      hard: { "requests.nvidia.com/gpu": "32", "requests.storage": "10Ti", "services.loadbalancers": "0", "services.nodeports": "0" },
    });
  });

  it("gives containers the default requests and limits", () => {
    expect(tenantLimitRangeSpec(args).spec).toEqual({
      limits: [
        {
          type: "Container",
          default: { cpu: DEFAULT_CONTAINER_RESOURCES.cpu, memory: DEFAULT_CONTAINER_RESOURCES.memory },
          defaultRequest: {
            cpu: DEFAULT_CONTAINER_RESOURCES.cpuRequest,
            memory: DEFAULT_CONTAINER_RESOURCES.memoryRequest,
          },
        },
      ],
    });
  });

  it("denies all traffic except DNS to the cluster's DNS pods", () => {
    const policy = tenantDefaultDenySpec(args);
    expect(policy.metadata).toMatchObject({ name: "default-deny", namespace: "research" });
    expect(policy.spec).toEqual({
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    });
  });
});

describe("Tenant, customised", () => {
  const custom = osloConfig(
    osloWith({
      "tenants[2].quotas": { gpus: 0, storage: "500Gi", cpu: 32, memory: "256Gi", pods: 200 },
      // No GPUs, so no nominal GPUs in the queue either.
      "tenants[2].queue": undefined,
      "tenants[2].containerDefaults": { cpu: "4", memory: "16Gi", cpuRequest: "1", memoryRequest: "2Gi" },
      "tenants[2].dataClassification": "restricted",
    }),
  );
  const customArgs = { site: custom.site, tenant: custom.tenants[2]! };

  it("quotas CPU and memory as both requests and limits, and pods", () => {
    expect(tenantQuotaSpec(customArgs).spec).toEqual({
      hard: {
        "requests.nvidia.com/gpu": "0",
        "requests.storage": "500Gi",
        "services.loadbalancers": "0",
        "services.nodeports": "0",
        "requests.cpu": "32",
        "limits.cpu": "32",
        "requests.memory": "256Gi",
        "limits.memory": "256Gi",
        pods: "200",
      },
    });
  });

  it("uses the tenant's container defaults", () => {
    expect(tenantLimitRangeSpec(customArgs).spec?.limits).toEqual([
      { type: "Container", default: { cpu: "4", memory: "16Gi" }, defaultRequest: { cpu: "1", memory: "2Gi" } },
    ]);
  });

  it("labels the namespace with the tenant's classification", () => {
    expect(tenantNamespaceSpec(customArgs).metadata?.labels).toMatchObject({
      "aifactory.no/data-classification": "restricted",
    });
  });
});

describe("Tenant, registered", () => {
  it("declares namespace, quota, limit range and network policy for each tenant, in its namespace", async () => {
    const { resources } = await runWith(osloRaw());
    for (const tenant of ["logistics", "public-services", "research"]) {
      const kinds = resources
        .filter((r) => r.parent?.endsWith(`::oslo-1-tenant-${tenant}`))
        .map((r) => [r.inputs["kind"], (r.inputs["metadata"] as { namespace?: string }).namespace]);
      expect(kinds).toEqual([
        ["Namespace", undefined],
        ["ResourceQuota", tenant],
        ["LimitRange", tenant],
        ["NetworkPolicy", tenant],
      ]);
    }
  });
});
