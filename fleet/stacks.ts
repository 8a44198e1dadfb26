/**
 * The fleet's objects as plain specs: the Pulumi Kubernetes Operator's Helm
 * release, and per site a ServiceAccount (with `system:auth-delegator`) and
 * one `Stack` (pulumi.com/v1, operator v2.9.0): the program from the
 * in-country git server at a pinned commit, state under the site's own prefix
 * of the in-country backend, secrets under the site's own Vault key, the
 * site's own Secrets, npm and plugin mirrors in the workspace, periodic
 * resync so drift is corrected, refresh before every update, never destroy
 * on delete, and rollout waves through prerequisites.
 */
import type * as k8s from "@pulumi/kubernetes";
import { chartSource, mirroredRepository } from "../components";
import type { CustomObjectSpec, Spec } from "../components";
import { Labels, MANAGED_BY, WORKSPACE_AUTH_CLUSTER_ROLE, WORKSPACE_CONTAINER, WellKnownLabels, NPM_REGISTRY_ENV, PART_OF, PLUGIN_OVERRIDES_ENV, VAULT_ADDRESS_ENV, VAULT_TOKEN_ENV, pluginOverridesFor } from "../catalog";
import { type FleetConfig, STACK_PLACEHOLDER } from "./config";

/** The operator chart's name in the mirror. */
export const OPERATOR_CHART = "pulumi-kubernetes-operator";

/** The operator's image upstream (chart `image.registry` + `image.repository` at 2.9.0). */
export const OPERATOR_IMAGE = "docker.io/pulumi/pulumi-kubernetes-operator";

/** How long a wave's sites have to succeed before the next wave proceeds. */
export const WAVE_WINDOW = "24h";

/** The operator's Helm release: chart and image from the mirrors. */
export function operatorReleaseArgs(fleet: FleetConfig): Spec<k8s.helm.v3.ReleaseArgs> {
  const repository = mirroredRepository(fleet.mirrors.imageRegistry, OPERATOR_IMAGE);
  const [registry = "", ...path] = repository.split("/");
  return {
    name: OPERATOR_CHART,
    namespace: fleet.operator.namespace,
    createNamespace: true,
    version: fleet.operator.chartVersion,
    ...chartSource(fleet.mirrors.chartRepository, OPERATOR_CHART),
    values: { image: { registry, repository: path.join("/"), tag: `v${fleet.operator.chartVersion.replace(/^v/, "")}` } },
  };
}

const secretRef = (name: string, key: string) => ({ type: "Secret", secret: { name, key } });
const literal = (value: string) => ({ type: "Literal", literal: { value } });

/** The sites a site waits for: every site of the wave before its own. */
export function prerequisitesOf(fleet: FleetConfig, stack: string): string[] {
  const wave = fleet.sites.find((s) => s.stack === stack)?.wave ?? 0;
  const previous = Math.max(-1, ...fleet.sites.filter((s) => s.wave < wave).map((s) => s.wave));
  return fleet.sites.filter((s) => s.wave === previous).map((s) => s.stack);
}

/**
 * The Secrets of one site, each its own (in the Stacks' namespace): the
 * kubeconfig its workspace mounts, its state keys, its git token and its
 * Vault token. No other site's Stack names them.
 */
export function siteSecrets(fleet: FleetConfig, stack: string) {
  return {
    kubeconfig: `kubeconfig-${stack}`,
    state: `${fleet.stateCredentialsSecret}-${stack}`,
    git: fleet.git.authSecret === undefined ? undefined : `${fleet.git.authSecret}-${stack}`,
    vault: `${fleet.vault.tokenSecret}-${stack}`,
  };
}

/** The ServiceAccount a site's workspace pod runs as. */
export function workspaceServiceAccount(stack: string): string {
  return `pulumi-${stack}`;
}

const labelsOf = (stack: string) => ({ [WellKnownLabels.managedBy]: MANAGED_BY, [WellKnownLabels.partOf]: PART_OF, [Labels.siteStack]: stack });

/** The site's workspace ServiceAccount: its own identity, no token for anything but the agent's reviews. */
export function serviceAccountSpec(fleet: FleetConfig, stack: string): Spec<k8s.core.v1.ServiceAccountArgs> {
  return { metadata: { name: workspaceServiceAccount(stack), namespace: fleet.operator.namespace, labels: labelsOf(stack) } };
}

/**
 * `system:auth-delegator` for the site's ServiceAccount. The workspace's
 * agent serves the operator over gRPC with `--auth-mode kube`: it checks each
 * caller's token with a TokenReview and its `use` of `workspaces/rpc` with a
 * SubjectAccessReview, as the pod's ServiceAccount (operator v2.9.0,
 * agent/pkg/server/auth.go; docs/migration.md). Without it every call fails
 * with "TokenReview API is unavailable".
 */
export function authDelegatorBindingSpec(fleet: FleetConfig, stack: string): Spec<k8s.rbac.v1.ClusterRoleBindingArgs> {
  return {
    metadata: { name: `${workspaceServiceAccount(stack)}-auth-delegator`, labels: labelsOf(stack) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: WORKSPACE_AUTH_CLUSTER_ROLE },
    subjects: [{ kind: "ServiceAccount", name: workspaceServiceAccount(stack), namespace: fleet.operator.namespace }],
  };
}

/**
 * The workspace's environment (operator v2.9.0 turns `envRefs` into the
 * `pulumi` container's env): the site's state keys; the Vault address and
 * the site's token, under the names gocloud.dev's hashivault reads in
 * every CLI we may pin (`VAULT_SERVER_URL`, `VAULT_SERVER_TOKEN`); and the
 * mirrors `pulumi install` downloads from (npm's registry, and every
 * provider plugin through one catch-all override).
 */
export function workspaceEnvRefs(fleet: FleetConfig, stack: string) {
  const secrets = siteSecrets(fleet, stack);
  return {
    AWS_ACCESS_KEY_ID: secretRef(secrets.state, "AWS_ACCESS_KEY_ID"),
    AWS_SECRET_ACCESS_KEY: secretRef(secrets.state, "AWS_SECRET_ACCESS_KEY"),
    [VAULT_ADDRESS_ENV[0]]: literal(fleet.vault.address),
    [VAULT_TOKEN_ENV[0]]: secretRef(secrets.vault, "token"),
    [NPM_REGISTRY_ENV]: literal(fleet.mirrors.npmRegistry),
    [PLUGIN_OVERRIDES_ENV]: literal(pluginOverridesFor(fleet.mirrors.pluginDownloadUrl)),
  };
}

const perSite = (template: string, stack: string) => template.split(STACK_PLACEHOLDER).join(stack);

/** One site's Stack. */
export function siteStackSpec(fleet: FleetConfig, stack: string): CustomObjectSpec {
  const prerequisites = prerequisitesOf(fleet, stack);
  const site = fleet.sites.find((s) => s.stack === stack);
  const secrets = siteSecrets(fleet, stack);
  const source = fleet.git.commit === undefined ? { branch: fleet.git.branch } : { commit: fleet.git.commit };
  return {
    apiVersion: "pulumi.com/v1",
    kind: "Stack",
    // Every site's Stack in one namespace: operator v2.9.0 looks `prerequisites` up in the Stack's own namespace.
    metadata: { name: stack, namespace: fleet.operator.namespace, labels: { ...labelsOf(stack), [Labels.stage]: site?.stage ?? "production" } },
    spec: {
      stack,
      projectRepo: fleet.git.repo,
      ...source,
      ...(secrets.git === undefined ? {} : { gitAuth: { accessToken: secretRef(secrets.git, "accessToken") } }),
      backend: perSite(fleet.backend, stack),
      secretsProvider: perSite(fleet.secretsProvider, stack),
      envRefs: workspaceEnvRefs(fleet, stack),
      refresh: true,
      destroyOnFinalize: false,
      // Resync on a schedule even when the commit has not moved, so drift in the cluster is corrected.
      continueResyncOnCommitMatch: true,
      resyncFrequencySeconds: fleet.resyncMinutes * 60,
      ...(prerequisites.length === 0
        ? {}
        : { prerequisites: prerequisites.map((name) => ({ name, requirement: { succeededWithinDuration: WAVE_WINDOW } })) }),
      workspaceTemplate: {
        spec: {
          // The workspace pod's identity (the Workspace's default is the namespace's `default`).
          serviceAccountName: workspaceServiceAccount(stack),
          image: fleet.workspaceImage,
          podTemplate: {
            spec: {
              containers: [{ name: WORKSPACE_CONTAINER, volumeMounts: [{ name: "kubeconfig", mountPath: "/home/pulumi/.kube", readOnly: true }] }],
              volumes: [{ name: "kubeconfig", secret: { secretName: secrets.kubeconfig } }],
            },
          },
        },
      },
    },
  };
}
