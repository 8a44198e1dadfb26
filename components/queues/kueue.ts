/**
 * Kueue itself: a Helm release from the site's chart mirror, the controller
 * image from the image mirror, and a manager configuration that enables the
 * integrations config asks for, fair sharing across the cohort, and quota
 * checks on GPU resources only (CPU and memory stay with each tenant's
 * ResourceQuota and LimitRange).
 */
import type * as k8s from "@pulumi/kubernetes";
import { stringify } from "yaml";
import { KUEUE_FAIR_SHARING_STRATEGIES, KUEUE_IMAGE, WellKnownLabels } from "../../catalog";
import type { ClusterConfig, MirrorsConfig } from "../../config";
import { chartSource, mirroredRepository } from "../gpuOperator";
import type { Spec } from "../spec";

/** The chart's name in the mirror. */
export const KUEUE_CHART = "kueue";

/**
 * Kueue's manager configuration (`config.kueue.x-k8s.io/v1beta2`
 * Configuration), as the chart takes it. Every workload in a tenant
 * namespace is Kueue's, whether or not it names a queue
 * (`manageJobsWithoutQueueName` with `managedJobsNamespaceSelector` on the
 * tenants' namespaces, read at v0.19.2 `apis/config/v1beta2`): one that names
 * none is put in the namespace's LocalQueue `default` and waits for the
 * tenant's ClusterQueue like any other. For the pod-based integrations the
 * selector is a hard boundary (pods elsewhere are never managed, so system
 * namespaces are untouched), and the chart copies it onto its pod webhook's
 * `namespaceSelector` (failurePolicy Fail with the `pod` integration on), so
 * a tenant's pod is not created unless Kueue has gated it.
 */
export function kueueManagerConfig(kueue: ClusterConfig["kueue"], tenantNamespaces: readonly string[]): Record<string, unknown> {
  return {
    apiVersion: "config.kueue.x-k8s.io/v1beta2",
    kind: "Configuration",
    health: { healthProbeBindAddress: ":8081" },
    metrics: { bindAddress: ":8443" },
    webhook: { port: 9443 },
    leaderElection: { leaderElect: true, resourceName: "c1f6bfd2.kueue.x-k8s.io" },
    manageJobsWithoutQueueName: true,
    managedJobsNamespaceSelector: tenantNamespaceSelector(tenantNamespaces),
    integrations: { frameworks: [...kueue.integrations] },
    fairSharing: { preemptionStrategies: [...KUEUE_FAIR_SHARING_STRATEGIES] },
    // Only the GPU resources a ClusterQueue declares count against its quota.
    resources: { quotaCheckStrategy: "IgnoreUndeclared" },
  };
}

/** Exactly the tenants' namespaces, by the name label the API server sets (nobody can put it on another namespace). */
export function tenantNamespaceSelector(tenantNamespaces: readonly string[]): { matchExpressions: { key: string; operator: "In"; values: string[] }[] } {
  return { matchExpressions: [{ key: WellKnownLabels.namespaceName, operator: "In", values: [...tenantNamespaces] }] };
}

/** The Helm release. */
export function kueueReleaseArgs(kueue: ClusterConfig["kueue"], mirrors: MirrorsConfig, tenantNamespaces: readonly string[]): Spec<k8s.helm.v3.ReleaseArgs> {
  return {
    name: KUEUE_CHART,
    namespace: kueue.namespace,
    createNamespace: true,
    version: kueue.chartVersion,
    ...chartSource(mirrors.chartRepository, KUEUE_CHART),
    values: {
      controllerManager: {
        // The image tag follows the pinned chart version (the released chart does the same).
        manager: { image: { repository: mirroredRepository(mirrors.imageRegistry, KUEUE_IMAGE.repository), tag: `v${kueue.chartVersion.replace(/^v/, "")}` } },
      },
      managerConfig: { controllerManagerConfigYaml: stringify(kueueManagerConfig(kueue, tenantNamespaces)) },
    },
  };
}
