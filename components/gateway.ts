/**
 * The site's Gateway (Gateway API): one HTTPS listener per externally exposed
 * inference service, terminating TLS with a certificate cert-manager issues
 * for the listener's hostname, and accepting routes only from that service's
 * tenant namespace. The Gateway controller (Envoy Gateway, Cilium, ...) is the
 * site's; the factory declares what it serves.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GATEWAY_API_GROUP, GatewayProtocols, WellKnownLabels } from "../catalog";
import type { ClusterConfig, InferenceConfig, SiteConfig } from "../config";
import { CLUSTER_ISSUER_ANNOTATION, gatewayNamespace, listenerName } from "./inference";
import { siteMetadata } from "./labels";
import { childName } from "./naming";
import type { CustomObjectSpec } from "./spec";
import { withGuardRails } from "./guardRails";

/** Inputs of the site's Gateway. */
export interface SiteGatewayArgs {
  /** The site's validated config. */
  readonly site: SiteConfig;
  /** Gateway name, class, namespace and certificate issuer. */
  readonly cluster: ClusterConfig;
  /** The services exposed outside the cluster (`exposure: ingress` with a hostname). */
  readonly services: readonly InferenceConfig[];
}

/** The services a Gateway serves: those exposed outside the cluster. */
export function externallyExposed(services: readonly InferenceConfig[]): InferenceConfig[] {
  return services.filter((s) => s.exposure === "ingress" && s.hostname !== undefined);
}

/** The HTTPS listener of one service. */
function listener(service: InferenceConfig) {
  const name = listenerName({ service });
  return {
    name,
    hostname: service.hostname,
    port: 443,
    protocol: GatewayProtocols.https,
    tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: `${name}-tls` }] },
    allowedRoutes: {
      namespaces: { from: "Selector", selector: { matchLabels: { [WellKnownLabels.namespaceName]: service.tenant } } },
      kinds: [{ group: GATEWAY_API_GROUP, kind: "HTTPRoute" }],
    },
  };
}

/** The Gateway object. */
export function siteGatewaySpec(args: SiteGatewayArgs): CustomObjectSpec {
  const gateway = args.cluster.gateway;
  return {
    apiVersion: `${GATEWAY_API_GROUP}/v1`,
    kind: "Gateway",
    metadata: siteMetadata(args.site, gateway.name, {
      namespace: gatewayNamespace(args.cluster),
      component: "gateway",
      annotations: { [CLUSTER_ISSUER_ANNOTATION]: gateway.clusterIssuer },
    }),
    spec: {
      gatewayClassName: gateway.className,
      listeners: externallyExposed(args.services).map(listener),
    },
  };
}

/** The site's Gateway for externally exposed inference services. */
export class SiteGateway extends pulumi.ComponentResource {
  constructor(name: string, args: SiteGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sovereign-ai-factory:network:SiteGateway", name, {}, withGuardRails(opts));
    new k8s.apiextensions.CustomResource(childName(name, "gateway"), siteGatewaySpec(args), { parent: this });
    this.registerOutputs({});
  }
}
