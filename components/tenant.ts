/**
 * A tenant of the factory: its namespace under Pod Security `restricted`, GPU
 * and storage quotas, default container resources, and a default-deny network
 * policy that still lets pods resolve names.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GPU_RESOURCE, PodSecurityLabels } from "../catalog";
import type { SiteConfig, TenantConfig } from "../config";
import { descriptionAnnotation, siteMetadata, tenantLabels } from "./labels";
import { DATA_BEARING } from "./dataProtection";
import { childName } from "./naming";
import { dnsEgressRule } from "./network";
import type { Spec } from "./spec";
import { withGuardRails } from "./guardRails";

/** Object names inside every tenant namespace. */
export const TenantObjectNames = {
  quota: "tenant-quota",
  limitRange: "tenant-defaults",
  defaultDeny: "default-deny",
} as const;

/** Resources a container gets when it asks for none. */
export interface ContainerDefaults {
  /** CPU limit. @default "2" */
  readonly cpu: string;
  /** Memory limit. @default "8Gi" */
  readonly memory: string;
  /** CPU request. @default "250m" */
  readonly cpuRequest: string;
  /** Memory request. @default "512Mi" */
  readonly memoryRequest: string;
}

/** Container defaults when a tenant's config sets none. */
export const DEFAULT_CONTAINER_RESOURCES: ContainerDefaults = {
  cpu: "2",
  memory: "8Gi",
  cpuRequest: "250m",
  memoryRequest: "512Mi",
};

/** Inputs of a tenant. */
export interface TenantArgs {
  /** The site the tenant lives at. */
  readonly site: SiteConfig;
  /** The tenant's validated config. */
  readonly tenant: TenantConfig;
  /**
   * Its ceilings per GPU resource (`nvidia.com/gpu`, `nvidia.com/mig-<profile>`)
   * from the entitlement model (`gpuQuotas`). @default only `nvidia.com/gpu`, from `quotas.gpus`
   */
  readonly gpuQuotas?: ReadonlyMap<string, number>;
}

function tenantMeta(args: TenantArgs, name: string, component: string) {
  return siteMetadata(args.site, name, {
    namespace: args.tenant.name,
    component,
    labels: tenantLabels(args.tenant),
  });
}

/** The tenant's namespace, enforcing the `restricted` Pod Security Standard. */
export function tenantNamespaceSpec(args: TenantArgs): Spec<k8s.types.input.core.v1.Namespace> {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: siteMetadata(args.site, args.tenant.name, {
      component: "tenant",
      labels: {
        ...tenantLabels(args.tenant),
        [PodSecurityLabels.enforce]: "restricted",
        [PodSecurityLabels.enforceVersion]: "latest",
        [PodSecurityLabels.audit]: "restricted",
        [PodSecurityLabels.warn]: "restricted",
      },
      annotations: descriptionAnnotation(args.tenant.displayName),
    }),
  };
}

/**
 * The quota's hard limits: GPUs (whole, and every MIG resource of the site
 * when given), storage and exposed Services always (no LoadBalancer and no
 * node port unless config allows them), CPU, memory and pods when set.
 * Extended resources such as GPUs and MIG slices are limited only as
 * `requests.<resource>` (Kubernetes does not overcommit them).
 */
export function tenantQuotaHard(quotas: TenantConfig["quotas"], gpuQuotas?: ReadonlyMap<string, number>): Record<string, string> {
  const gpu = gpuQuotas ?? new Map([[GPU_RESOURCE, quotas.gpus]]);
  return {
    ...Object.fromEntries([...gpu].map(([resource, n]) => [`requests.${resource}`, String(n)])),
    "requests.storage": quotas.storage,
    "services.loadbalancers": String(quotas.loadBalancers),
    "services.nodeports": String(quotas.nodePorts),
    ...(quotas.cpu === undefined ? {} : { "requests.cpu": quotas.cpu, "limits.cpu": quotas.cpu }),
    ...(quotas.memory === undefined ? {} : { "requests.memory": quotas.memory, "limits.memory": quotas.memory }),
    ...(quotas.pods === undefined ? {} : { pods: String(quotas.pods) }),
  };
}

/** The tenant's ResourceQuota. */
export function tenantQuotaSpec(args: TenantArgs): Spec<k8s.types.input.core.v1.ResourceQuota> {
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: tenantMeta(args, TenantObjectNames.quota, "quota"),
    spec: { hard: tenantQuotaHard(args.tenant.quotas, args.gpuQuotas) },
  };
}

/**
 * Default container resources. Needed because a CPU or memory quota makes the
 * API server reject any pod that does not state requests and limits.
 */
export function tenantLimitRangeSpec(args: TenantArgs): Spec<k8s.types.input.core.v1.LimitRange> {
  const d = args.tenant.containerDefaults ?? DEFAULT_CONTAINER_RESOURCES;
  return {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: tenantMeta(args, TenantObjectNames.limitRange, "limit-range"),
    spec: {
      limits: [
        {
          type: "Container",
          default: { cpu: d.cpu, memory: d.memory },
          defaultRequest: { cpu: d.cpuRequest, memory: d.memoryRequest },
        },
      ],
    },
  };
}

/**
 * Deny all ingress and egress in the namespace except DNS lookups to the
 * cluster's DNS service; each workload opens what it needs with its own policy.
 */
export function tenantDefaultDenySpec(args: TenantArgs): Spec<k8s.types.input.networking.v1.NetworkPolicy> {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: tenantMeta(args, TenantObjectNames.defaultDeny, "network-policy"),
    spec: {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [dnsEgressRule()],
    },
  };
}

/** A tenant: namespace, quota, limit range and default-deny network policy. */
export class Tenant extends pulumi.ComponentResource {
  /** The tenant's namespace name. */
  public readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: TenantArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sovereign-ai-factory:tenant:Tenant", name, {}, withGuardRails(opts));
    // The namespace holds the tenant's volumes: deleting it would delete their claims.
    const ns = new k8s.core.v1.Namespace(childName(name, "namespace"), tenantNamespaceSpec(args), {
      parent: this,
      ...DATA_BEARING,
    });
    const inNamespace = { parent: this, dependsOn: [ns] };
    new k8s.core.v1.ResourceQuota(childName(name, "quota"), tenantQuotaSpec(args), inNamespace);
    new k8s.core.v1.LimitRange(childName(name, "limits"), tenantLimitRangeSpec(args), inNamespace);
    new k8s.networking.v1.NetworkPolicy(childName(name, "default-deny"), tenantDefaultDenySpec(args), inNamespace);
    this.namespace = ns.metadata.name;
    this.registerOutputs({ namespace: this.namespace });
  }
}
