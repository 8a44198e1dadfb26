/**
 * The fleet's objects as plain specs: the Pulumi Kubernetes Operator's Helm
 * release, and one `Stack` (pulumi.com/v1, operator v2.9.0) per site: the
 * program from the in-country git server at a pinned commit, state in the
 * in-country backend, secrets from Kubernetes Secrets, periodic resync so
 * drift is corrected, refresh before every update, never destroy on delete,
 * and rollout waves through prerequisites.
 */
import type * as k8s from "@pulumi/kubernetes";
import { chartSource, mirroredRepository } from "../components";
import type { CustomObjectSpec, Spec } from "../components";
import type { FleetConfig } from "./config";

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

/** The sites a site waits for: every site of the wave before its own. */
export function prerequisitesOf(fleet: FleetConfig, stack: string): string[] {
  const wave = fleet.sites.find((s) => s.stack === stack)?.wave ?? 0;
  const previous = Math.max(-1, ...fleet.sites.filter((s) => s.wave < wave).map((s) => s.wave));
  return fleet.sites.filter((s) => s.wave === previous).map((s) => s.stack);
}

/** The kubeconfig Secret a site's workspace mounts to reach the site's cluster. */
export function kubeconfigSecret(stack: string): string {
  return `kubeconfig-${stack}`;
}

/** One site's Stack. */
export function siteStackSpec(fleet: FleetConfig, stack: string): CustomObjectSpec {
  const prerequisites = prerequisitesOf(fleet, stack);
  const source = fleet.git.commit === undefined ? { branch: fleet.git.branch } : { commit: fleet.git.commit };
  return {
    apiVersion: "pulumi.com/v1",
    kind: "Stack",
    metadata: {
      name: stack,
      namespace: fleet.operator.namespace,
      labels: { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "sovereign-ai-factory", "aifactory.no/site-stack": stack },
    },
    spec: {
      stack,
      projectRepo: fleet.git.repo,
      ...source,
      ...(fleet.git.authSecret === undefined ? {} : { gitAuth: { accessToken: secretRef(fleet.git.authSecret, "accessToken") } }),
      backend: fleet.backend,
      secretsProvider: fleet.secretsProvider,
      envRefs: {
        AWS_ACCESS_KEY_ID: secretRef(fleet.stateCredentialsSecret, "AWS_ACCESS_KEY_ID"),
        AWS_SECRET_ACCESS_KEY: secretRef(fleet.stateCredentialsSecret, "AWS_SECRET_ACCESS_KEY"),
      },
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
          image: fleet.workspaceImage,
          podTemplate: {
            spec: {
              containers: [{ name: "pulumi", volumeMounts: [{ name: "kubeconfig", mountPath: "/home/pulumi/.kube", readOnly: true }] }],
              volumes: [{ name: "kubeconfig", secret: { secretName: kubeconfigSecret(stack) } }],
            },
          },
        },
      },
    },
  };
}
