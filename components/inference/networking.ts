/**
 * How an inference service is reached and kept available: a cluster-internal
 * Service, a disruption budget, a network policy that admits only allowed
 * namespaces and the site's monitoring and lets nothing out but DNS and the
 * tenant's own pods, and (for `exposure: ingress`) an HTTPRoute on the site's
 * Gateway or a TLS-only Ingress that route only the OpenAI API.
 */
import type * as k8s from "@pulumi/kubernetes";
import { Annotations, GATEWAY_API_GROUP, OPENAI_API_PREFIX, WellKnownLabels } from "../../catalog";
import { PROXY_API_PORT, PROXY_METRICS_PORT } from "./authProxy";
import { type ClusterConfig, type InferenceConfig, listenerName as listener } from "../../config";
import { dnsEgressRule } from "../network";
import type { CustomObjectSpec, Spec } from "../spec";
import { type InferenceContext, SERVER_PORT, inferenceMetadata, inferenceNames, selectorLabels } from "./deployment";
import { ingressTimeouts, routeTimeouts } from "./timeouts";

/** The cluster-internal Service. */
export function serverServiceSpec(ctx: InferenceContext): Spec<k8s.types.input.core.v1.Service> {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: inferenceMetadata(ctx, ctx.service.name),
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(ctx.service),
      ports: [{ name: "http", port: SERVER_PORT, targetPort: "http", protocol: "TCP" }],
    },
  };
}

/** Voluntary disruptions (node drains) take one replica at a time, and never block a drain. */
export function serverDisruptionBudgetSpec(ctx: InferenceContext): Spec<k8s.types.input.policy.v1.PodDisruptionBudget> {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: inferenceMetadata(ctx, ctx.service.name),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(ctx.service) } },
  };
}

/** Where the site's Gateway object lives: its own namespace, or the factory's system namespace. */
export function gatewayNamespace(cluster: ClusterConfig): string {
  return cluster.gateway.namespace ?? cluster.systemNamespace;
}

/** Where the proxies that carry outside traffic to the service run. */
export function externalProxyNamespace(cluster: ClusterConfig): string {
  return cluster.externalExposure === "gateway" ? cluster.gateway.proxyNamespace : cluster.ingress.namespace;
}

/** Namespaces whose pods may call the service: the tenant's own, configured ones, the external proxies'. */
export function callerNamespaces(ctx: InferenceContext, cluster: ClusterConfig): string[] {
  const names = [ctx.tenant.name, ...ctx.service.allowFrom];
  if (ctx.service.exposure === "ingress") names.push(externalProxyNamespace(cluster));
  return [...new Set(names)];
}

const namespacePeer = (ns: string) => ({ namespaceSelector: { matchLabels: { [WellKnownLabels.namespaceName]: ns } } });

/** Pods with these labels in one namespace, and no others. */
const podPeer = (ns: string, labels: Readonly<Record<string, string>>) => ({
  ...namespacePeer(ns),
  podSelector: { matchLabels: { ...labels } },
});

/** The pods that carry outside traffic to the service: the Gateway's proxies or the Ingress controller's. */
function externalProxyPeer(cluster: ClusterConfig) {
  return cluster.externalExposure === "gateway"
    ? podPeer(cluster.gateway.proxyNamespace, cluster.gateway.proxyPodLabels)
    : podPeer(cluster.ingress.namespace, cluster.ingress.podLabels);
}

/**
 * Ingress to the key-checking proxy's API port from the tenant's namespace,
 * the `allowFrom` namespaces and (for `exposure: ingress`) the Gateway's or
 * Ingress controller's proxy pods; to the metrics port from the site's
 * Prometheus pods only (selected by pod and namespace). vLLM itself listens
 * on loopback, so nothing reaches it but through the proxy. Egress to DNS
 * and the tenant's own pods only.
 */
export function serverNetworkPolicySpec(
  ctx: InferenceContext,
  cluster: ClusterConfig,
): Spec<k8s.types.input.networking.v1.NetworkPolicy> {
  const callers = [...new Set([ctx.tenant.name, ...ctx.service.allowFrom])].map(namespacePeer);
  if (ctx.service.exposure === "ingress") callers.push(externalProxyPeer(cluster));
  const meta = inferenceMetadata(ctx, ctx.service.name);
  const reason = ctx.service.allowFromReason;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: reason === undefined ? meta : { ...meta, annotations: { ...meta.annotations, [Annotations.allowFromReason]: reason } },
    spec: {
      podSelector: { matchLabels: selectorLabels(ctx.service) },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        { from: callers, ports: [{ protocol: "TCP", port: PROXY_API_PORT }] },
        {
          from: [podPeer(cluster.monitoring.namespace, cluster.monitoring.prometheusPodLabels)],
          ports: [{ protocol: "TCP", port: PROXY_METRICS_PORT }],
        },
      ],
      egress: [dnsEgressRule(), { to: [{ podSelector: {} }] }],
    },
  };
}

/** Annotation cert-manager reads to issue the TLS certificate. */
export const CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer";

function externalHost(ctx: InferenceContext): string {
  const host = ctx.service.hostname;
  if (host === undefined) throw new Error(`${ctx.service.name}: external exposure needs a hostname`);
  return host;
}

/**
 * The TLS-only Ingress (`cluster.externalExposure: ingress`). Only the OpenAI
 * API (`/v1`) is routed: vLLM checks the API key on `/v1` paths only, so
 * `/invocations`, `/tokenize`, `/metrics` and the rest stay inside the cluster.
 */
export function serverIngressSpec(
  ctx: InferenceContext,
  ingress: ClusterConfig["ingress"],
): Spec<k8s.types.input.networking.v1.Ingress> {
  const host = externalHost(ctx);
  const meta = inferenceMetadata(ctx, ctx.service.name);
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      ...meta,
      annotations: { [CLUSTER_ISSUER_ANNOTATION]: ingress.clusterIssuer, ...ingressTimeouts(ctx.service, ingress) },
    },
    spec: {
      ingressClassName: ingress.className,
      tls: [{ hosts: [host], secretName: inferenceNames(ctx.service).tls }],
      rules: [
        {
          host,
          http: {
            paths: [
              {
                path: OPENAI_API_PREFIX,
                pathType: "Prefix",
                backend: { service: { name: ctx.service.name, port: { name: "http" } } },
              },
            ],
          },
        },
      ],
    },
  };
}

/** The Gateway listener that serves one service's hostname over HTTPS. */
export function listenerName(ctx: Pick<InferenceContext, "service">): string {
  return listener(ctx.service.tenant, ctx.service.name);
}

/**
 * The HTTPRoute (`cluster.externalExposure: gateway`, the default): attached to
 * the service's HTTPS listener on the site's Gateway, which terminates TLS;
 * only the OpenAI API (`/v1`) is routed, as for the Ingress.
 */
export function serverHttpRouteSpec(ctx: InferenceContext, cluster: ClusterConfig): CustomObjectSpec {
  return {
    apiVersion: `${GATEWAY_API_GROUP}/v1`,
    kind: "HTTPRoute",
    metadata: inferenceMetadata(ctx, ctx.service.name),
    spec: {
      parentRefs: [
        {
          group: GATEWAY_API_GROUP,
          kind: "Gateway",
          namespace: gatewayNamespace(cluster),
          name: cluster.gateway.name,
          sectionName: listenerName(ctx),
        },
      ],
      hostnames: [externalHost(ctx)],
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: OPENAI_API_PREFIX } }],
          backendRefs: [{ name: ctx.service.name, port: SERVER_PORT }],
          timeouts: routeTimeouts(ctx.service),
        },
      ],
    },
  };
}

/** Where clients reach the service (OpenAI-compatible base URLs). */
export function serviceEndpoints(service: InferenceConfig): { cluster: string; external: string | undefined } {
  return {
    cluster: `http://${service.name}.${service.tenant}.svc.cluster.local:${SERVER_PORT}${OPENAI_API_PREFIX}`,
    external:
      service.exposure === "ingress" && service.hostname ? `https://${service.hostname}${OPENAI_API_PREFIX}` : undefined,
  };
}
