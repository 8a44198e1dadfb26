/**
 * A compliant baseline for policy tests: resources as the engine hands them
 * to the pack. Each test changes one thing.
 */
import type { ResourceView } from "../../policies/lib/resource";

/** Site labels of a compliant resource at Oslo 1. */
export const SITE_LABELS = {
  "aifactory.no/site": "oslo-1",
  "aifactory.no/region": "no-oslo-1",
  "aifactory.no/power-source": "hydro",
  "aifactory.no/renewable": "true",
  "aifactory.no/guarantee-of-origin": "NECS-NO-2026-OSL1-004711",
};

/** A Kubernetes resource view of a manifest. */
export function k8s(kind: string, props: Record<string, unknown>, name = `test-${kind.toLowerCase()}`): ResourceView {
  const group = kind === "Deployment" || kind === "StatefulSet" || kind === "DaemonSet" || kind === "ReplicaSet" ? "apps/v1" : "v1";
  return { type: `kubernetes:${group === "v1" ? "core/v1" : group}:${kind}`, name, urn: `urn:test::${name}`, props: { kind, ...props } };
}

/** Any provider's resource. */
export function cloud(type: string, props: Record<string, unknown>, name = "test-cloud"): ResourceView {
  return { type, name, urn: `urn:test::${name}`, props };
}

/** A compliant GPU pod spec: pool selected, taint tolerated, image from the mirror, hub offline. */
export function gpuPodSpec(): Record<string, unknown> {
  return {
    nodeSelector: { "aifactory.no.node-restriction.kubernetes.io/gpu-pool": "l40s-infer" },
    tolerations: [{ key: "nvidia.com/gpu", operator: "Equal", value: "present", effect: "NoSchedule" }],
    containers: [
      {
        name: "server",
        image: "cr.oslo-1.aifactory.no/vllm/vllm-openai:v0.11.0",
        env: [{ name: "HF_HUB_OFFLINE", value: "1" }],
        resources: { limits: { "nvidia.com/gpu": "2" } },
      },
    ],
  };
}

/** A pod spec wrapped the way each workload kind embeds it. */
export function workload(kind: string, podSpec: Record<string, unknown>): ResourceView {
  const template = { metadata: { labels: { ...SITE_LABELS } }, spec: podSpec };
  const metadata = { name: "w", namespace: "research", labels: { ...SITE_LABELS } };
  switch (kind) {
    case "Pod":
      return k8s("Pod", { apiVersion: "v1", metadata, spec: podSpec });
    case "CronJob":
      return k8s("CronJob", { apiVersion: "batch/v1", metadata, spec: { schedule: "0 3 * * *", timeZone: "Europe/Oslo", jobTemplate: { spec: { template } } } });
    case "PyTorchJob":
      return cloud("kubernetes:kubeflow.org/v1:PyTorchJob", {
        apiVersion: "kubeflow.org/v1",
        kind: "PyTorchJob",
        metadata,
        spec: { pytorchReplicaSpecs: { Worker: { replicas: 2, template } } },
      });
    default:
      return k8s(kind, { apiVersion: "apps/v1", metadata, spec: { selector: {}, template } });
  }
}

/** Every kind that embeds a pod template. */
export const WORKLOAD_KINDS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "PyTorchJob"];
