/**
 * Facts about the monitoring and autoscaling projects the inference services
 * rely on, with the versions they were read from.
 */

/** Versions the generated objects were checked against (schemas from kubernetes-models). */
export const MONITORING_VERSIONS = {
  /** Prometheus Operator: `PodMonitor` (monitoring.coreos.com/v1). */
  prometheusOperator: "v0.65.1",
  /** KEDA: `ScaledObject` (keda.sh/v1alpha1) with the `prometheus` trigger. */
  keda: "v2.10.1",
} as const;

/**
 * The `job` label Prometheus Operator gives targets of a PodMonitor that sets
 * no `jobLabel`: the PodMonitor's namespace and name.
 */
export function podMonitorJob(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** KEDA's trigger type for a Prometheus query (its metric type defaults to AverageValue). */
export const KEDA_PROMETHEUS_TRIGGER = "prometheus";

/**
 * Labels Prometheus Operator (v0.65 onwards, as kube-prometheus-stack runs
 * it) puts on every Prometheus server pod it runs.
 */
export const PROMETHEUS_POD_LABELS: Readonly<Record<string, string>> = { "app.kubernetes.io/name": "prometheus" };
