/**
 * The identity `pulumi preview` runs as from a pull request: a ServiceAccount
 * in the system namespace bound to a ClusterRole that reads and never writes.
 *
 * What a preview does against the cluster (pulumi-kubernetes provider, read at
 * 4.32.0+ main, provider/pkg/provider/provider.go; we pin 4.34.2): Diff is
 * computed client-side against the state; Create and Update in preview try a
 * server-side apply dry-run, and when the API server answers 403 Forbidden the
 * provider falls back to the client-side result ("unable to compute
 * Server-side dry-run and defaulting to client-side"). A dry-run is authorised
 * like the write itself (create/patch), so granting it would grant writes:
 * this role grants only get/list/watch and previews take the fallback. The
 * provider's discovery (which kinds exist) needs no grant beyond
 * `system:discovery`, which every authenticated user has.
 *
 * Secrets are left out: a preview never needs to read one, and the core
 * group is listed kind by kind for that reason.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { SiteConfig } from "../config";
import { siteLabels, standardLabels } from "./labels";
import { childName } from "./naming";

/** Name of the preview ServiceAccount and of its ClusterRole (README, "CI and pull requests"). */
export const PREVIEW_IDENTITY = "factory-preview";

/** The read-only verbs: everything the preview role may do. */
export const READ_VERBS = ["get", "list", "watch"] as const;

/** Core kinds the factory declares or reads; never `secrets`. */
const CORE_KINDS = [
  "namespaces", "configmaps", "services", "serviceaccounts", "persistentvolumeclaims", "persistentvolumes",
  "resourcequotas", "limitranges", "nodes", "pods", "endpoints",
] as const;

/** API groups of every kind the factory declares (built in and the pinned CRDs). */
const GROUPS = [
  "apps", "batch", "policy", "autoscaling", "networking.k8s.io", "storage.k8s.io", "rbac.authorization.k8s.io",
  "scheduling.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "node.k8s.io",
  "cluster.x-k8s.io", "infrastructure.cluster.x-k8s.io", "controlplane.cluster.x-k8s.io", "bootstrap.cluster.x-k8s.io",
  "ceph.rook.io", "objectbucket.io", "velero.io", "kueue.x-k8s.io", "nvidia.com",
  "gateway.networking.k8s.io", "gateway.envoyproxy.io", "monitoring.coreos.com", "pulumi.com", "auto.pulumi.com",
] as const;

/** One RBAC rule. */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** The preview role's rules: read every kind the factory manages, write nothing, read no Secret. */
export function previewRules(): PolicyRule[] {
  return [
    { apiGroups: [""], resources: [...CORE_KINDS], verbs: [...READ_VERBS] },
    { apiGroups: [...GROUPS], resources: ["*"], verbs: [...READ_VERBS] },
  ];
}

/** Inputs of the preview identity. */
export interface PreviewIdentityArgs {
  /** The factory's system namespace, where the ServiceAccount lives. */
  readonly namespace: pulumi.Input<string>;
  /** The site, for the labels every object carries. */
  readonly site: SiteConfig;
}

/** The preview ServiceAccount, its read-only ClusterRole and the binding between them. */
export class PreviewIdentity extends pulumi.ComponentResource {
  /** The ServiceAccount's name (`kubectl create token` takes it). */
  public readonly serviceAccountName: pulumi.Output<string>;

  constructor(name: string, args: PreviewIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sovereign-ai-factory:access:PreviewIdentity", name, {}, opts);
    const labels = { ...standardLabels("preview"), ...siteLabels(args.site) };
    const children = { parent: this };
    const account = new k8s.core.v1.ServiceAccount(childName(name, "sa"), {
      metadata: { name: PREVIEW_IDENTITY, namespace: args.namespace, labels },
      automountServiceAccountToken: false,
    }, children);
    const role = new k8s.rbac.v1.ClusterRole(childName(name, "role"), {
      metadata: { name: PREVIEW_IDENTITY, labels },
      rules: previewRules().map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    }, children);
    new k8s.rbac.v1.ClusterRoleBinding(childName(name, "binding"), {
      metadata: { name: PREVIEW_IDENTITY, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
      subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace: account.metadata.namespace }],
    }, children);
    this.serviceAccountName = account.metadata.name;
    this.registerOutputs({ serviceAccountName: this.serviceAccountName });
  }
}
