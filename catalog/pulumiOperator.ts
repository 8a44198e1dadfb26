/**
 * Facts about the Pulumi Kubernetes Operator the fleet relies on, read in
 * pulumi/pulumi-kubernetes-operator at v2.9.0.
 */

/** The operator version (and chart version) these facts were read at. */
export const PULUMI_OPERATOR_VERSION = "2.9.0";

/**
 * The ClusterRole a workspace's ServiceAccount needs: the agent serves the
 * operator with `--auth-mode kube` and creates TokenReviews and
 * SubjectAccessReviews as the pod's account (agent/pkg/server/auth.go,
 * operator/internal/controller/auto/workspace_controller.go, docs/migration.md).
 */
export const WORKSPACE_AUTH_CLUSTER_ROLE = "system:auth-delegator";

/** The workspace pod's container that runs the Pulumi CLI (and `pulumi install`), named by the workspace template. */
export const WORKSPACE_CONTAINER = "pulumi";
