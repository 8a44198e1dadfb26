/**
 * Kueue facts at the version the factory pins (v0.19.2): its chart's value
 * paths and image, its API, and the labels workloads carry to be queued.
 * Read from kubernetes-sigs/kueue at that tag (`charts/kueue/values.yaml`,
 * `apis/config/v1beta2`, `config/components/crd/bases`).
 */

/** The chart and app version. */
export const KUEUE_VERSION = "0.19.2";

/** The API group and the version the factory writes (served and stored at v0.19). */
export const KUEUE_API_VERSION = "kueue.x-k8s.io/v1beta2";

/** The released controller image (the published chart points at it; the chart's source at a staging build). */
export const KUEUE_IMAGE = { repository: "registry.k8s.io/kueue/kueue", tag: `v${KUEUE_VERSION}` } as const;

/** Labels a workload carries to be queued and prioritised. */
export const KueueLabels = {
  queueName: "kueue.x-k8s.io/queue-name",
  priorityClass: "kueue.x-k8s.io/priority-class",
} as const;

/** Integrations (`integrations.frameworks`) Kueue v0.19.2 knows. */
export const KUEUE_FRAMEWORKS = [
  "batch/job",
  "jobset.x-k8s.io/jobset",
  "kubeflow.org/pytorchjob",
  "kubeflow.org/mpijob",
  "kubeflow.org/tfjob",
  "kubeflow.org/jaxjob",
  "trainer.kubeflow.org/trainjob",
  "ray.io/rayjob",
  "ray.io/raycluster",
  "pod",
  "deployment",
  "statefulset",
  "leaderworkerset.x-k8s.io/leaderworkerset",
] as const;

/** Fair-sharing preemption strategies, in the order Kueue tries them. */
export const KUEUE_FAIR_SHARING_STRATEGIES = ["LessThanOrEqualToFinalShare", "LessThanInitialShare"] as const;

/**
 * The LocalQueue Kueue's webhooks put a workload in when it names none
 * (`pkg/controller/constants` DefaultLocalQueueName; LocalQueueDefaulting is GA
 * and locked on since v0.17, its gate removed by v0.19.2), only in namespaces
 * `managedJobsNamespaceSelector` selects.
 */
export const KUEUE_DEFAULT_LOCAL_QUEUE = "default";

/**
 * Scheduling gates Kueue puts on the pods it manages and only its controller
 * lifts: `kueue.x-k8s.io/admission` until the workload is admitted
 * (`pkg/controller/jobs/pod/constants`), `kueue.x-k8s.io/topology` until
 * topology-aware placement is decided (`apis/kueue/v1beta2/topology_types.go`).
 */
export const KUEUE_SCHEDULING_GATES = ["kueue.x-k8s.io/admission", "kueue.x-k8s.io/topology"] as const;

/** The controller's ServiceAccount as the chart names it (`<fullname>-controller-manager`; fullname is the release name when it contains `kueue`). */
export function kueueControllerServiceAccount(releaseName: string, namespace: string): string {
  const fullname = releaseName.includes("kueue") ? releaseName : `${releaseName}-kueue`;
  return `system:serviceaccount:${namespace}:${fullname}-controller-manager`;
}
