/**
 * The metric path that makes an inference service scale: Prometheus Operator
 * scrapes the server's `/metrics` through a PodMonitor, and KEDA queries
 * Prometheus for the service's queue and sets the replica count (KEDA owns the
 * HorizontalPodAutoscaler it creates). vLLM names its metrics with a colon
 * (`vllm:num_requests_waiting`), which the custom-metrics API cannot carry as
 * a metric name; a PromQL query can.
 */
import { KEDA_PROMETHEUS_TRIGGER, VLLM_METRICS_PATH, podMonitorJob } from "../../catalog";
import { type ClusterConfig, quantityValue } from "../../config";
import type { CustomObjectSpec } from "../spec";
import { PROXY_STATS_PATH } from "./authProxy";
import { type InferenceContext, inferenceMetadata, selectorLabels } from "./deployment";

/** How often Prometheus scrapes the server. */
export const SCRAPE_INTERVAL = "15s";

/** The label every scraped series of a service carries: the service's name (from its pods' instance label). */
export const SERVICE_LABEL = "service";

const serviceRelabeling = {
  action: "replace",
  sourceLabels: ["__meta_kubernetes_pod_label_app_kubernetes_io_instance"],
  targetLabel: SERVICE_LABEL,
};

/** The PodMonitor: scrape `/metrics` on the server's `http` port, labelled for the site's Prometheus to select. */
export function serverPodMonitorSpec(ctx: InferenceContext, monitoring: ClusterConfig["monitoring"]): CustomObjectSpec {
  const meta = inferenceMetadata(ctx, ctx.service.name, monitoring.podMonitorLabels);
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: meta,
    spec: {
      selector: { matchLabels: selectorLabels(ctx.service) },
      // The proxy's metrics port, which only the site's Prometheus pods may reach; each series gets the service's name.
      podMetricsEndpoints: [
        { port: "metrics", path: VLLM_METRICS_PATH, interval: SCRAPE_INTERVAL, relabelings: [serviceRelabeling] },
        { port: "metrics", path: PROXY_STATS_PATH, interval: SCRAPE_INTERVAL, relabelings: [serviceRelabeling] },
      ],
    },
  };
}

/** A Kubernetes quantity as a plain decimal (`500m` is `0.5`), the form KEDA's threshold parses. */
export function decimalOf(quantity: string): string {
  const value = quantityValue(quantity);
  if (value === undefined) throw new Error(`'${quantity}' is not a quantity`);
  return String(value);
}

/** The service's metric summed over its pods: the targets of its own PodMonitor. */
export function scalingQuery(ctx: InferenceContext): string {
  const job = podMonitorJob(ctx.tenant.name, ctx.service.name);
  return `sum(${ctx.service.autoscaling.metric}{namespace="${ctx.tenant.name}",job="${job}"})`;
}

/**
 * The ScaledObject: replicas = ceil(query / targetAverage) between min and
 * max. Scale-down waits ten minutes: a replica that goes takes minutes to load
 * again.
 */
export function serverScaledObjectSpec(ctx: InferenceContext, monitoring: ClusterConfig["monitoring"]): CustomObjectSpec {
  const replicas = ctx.service.replicas;
  if (typeof replicas === "number") throw new Error(`${ctx.service.name}: a fixed replica count has no autoscaler`);
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: inferenceMetadata(ctx, ctx.service.name),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: ctx.service.name },
      minReplicaCount: replicas.min,
      maxReplicaCount: replicas.max,
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 600 } } } },
      triggers: [
        {
          type: KEDA_PROMETHEUS_TRIGGER,
          metadata: {
            serverAddress: monitoring.prometheusUrl,
            query: scalingQuery(ctx),
            threshold: decimalOf(ctx.service.autoscaling.targetAverage),
          },
        },
      ],
    },
  };
}
