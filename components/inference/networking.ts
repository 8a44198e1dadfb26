/**
 * How an inference service is reached and kept available: a cluster-internal
 * Service, a disruption budget, an autoscaler on queue depth, a network policy
 * that admits only allowed namespaces and lets nothing out but DNS and the
 * tenant's own pods, and (for `exposure: ingress`) a TLS-only Ingress.
 */
import type * as k8s from "@pulumi/kubernetes";
import { WellKnownLabels } from "../../catalog";
import type { ClusterConfig, InferenceConfig } from "../../config";
import { dnsEgressRule } from "../network";
import type { Spec } from "../spec";
import { type InferenceContext, SERVER_PORT, inferenceMetadata, inferenceNames, selectorLabels } from "./deployment";

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

/**
 * Scales on the queue of waiting requests per pod, as published by the
 * cluster's metrics adapter. Scale-down waits ten minutes: a replica that goes
 * takes minutes to load again.
 */
export function serverAutoscalerSpec(ctx: InferenceContext): Spec<k8s.types.input.autoscaling.v2.HorizontalPodAutoscaler> {
  const replicas = ctx.service.replicas;
  if (typeof replicas === "number") throw new Error(`${ctx.service.name}: a fixed replica count has no autoscaler`);
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: inferenceMetadata(ctx, ctx.service.name),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: ctx.service.name },
      minReplicas: replicas.min,
      maxReplicas: replicas.max,
      metrics: [
        {
          type: "Pods",
          pods: {
            metric: { name: ctx.service.autoscaling.metric },
            target: { type: "AverageValue", averageValue: ctx.service.autoscaling.targetAverage },
          },
        },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 600 } },
    },
  };
}

/** Namespaces whose pods may call the service: the tenant's own, configured ones, the ingress controller's. */
export function callerNamespaces(ctx: InferenceContext, ingress: ClusterConfig["ingress"]): string[] {
  const names = [ctx.tenant.name, ...ctx.service.allowFrom];
  if (ctx.service.exposure === "ingress") names.push(ingress.namespace);
  return [...new Set(names)];
}

/** Ingress from allowed namespaces to the server port; egress to DNS and the tenant's own pods only. */
export function serverNetworkPolicySpec(
  ctx: InferenceContext,
  ingress: ClusterConfig["ingress"],
): Spec<k8s.types.input.networking.v1.NetworkPolicy> {
  const from = callerNamespaces(ctx, ingress).map((ns) => ({
    namespaceSelector: { matchLabels: { [WellKnownLabels.namespaceName]: ns } },
  }));
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: inferenceMetadata(ctx, ctx.service.name),
    spec: {
      podSelector: { matchLabels: selectorLabels(ctx.service) },
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from, ports: [{ protocol: "TCP", port: SERVER_PORT }] }],
      egress: [dnsEgressRule(), { to: [{ podSelector: {} }] }],
    },
  };
}

/** Annotation cert-manager reads to issue the TLS certificate. */
export const CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer";

/** The TLS-only Ingress for `exposure: ingress`. */
export function serverIngressSpec(
  ctx: InferenceContext,
  ingress: ClusterConfig["ingress"],
): Spec<k8s.types.input.networking.v1.Ingress> {
  const host = ctx.service.hostname;
  if (host === undefined) throw new Error(`${ctx.service.name}: an ingress needs a hostname`);
  const meta = inferenceMetadata(ctx, ctx.service.name);
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      ...meta,
      annotations: {
        [CLUSTER_ISSUER_ANNOTATION]: ingress.clusterIssuer,
        "nginx.ingress.kubernetes.io/ssl-redirect": "true",
        "nginx.ingress.kubernetes.io/proxy-read-timeout": "600",
      },
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
                path: "/",
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

/** Where clients reach the service (OpenAI-compatible base URLs). */
export function serviceEndpoints(service: InferenceConfig): { cluster: string; external: string | undefined } {
  return {
    cluster: `http://${service.name}.${service.tenant}.svc.cluster.local:${SERVER_PORT}/v1`,
    external: service.exposure === "ingress" && service.hostname ? `https://${service.hostname}/v1` : undefined,
  };
}
