/**
 * The model server's Deployment: vLLM's OpenAI-compatible server on one GPU
 * pool, the model read from the tenant's in-country volume, nothing that phones
 * home, and probes patient enough for a large model to load.
 */
import type * as k8s from "@pulumi/kubernetes";
import { AUTH_PROXY_IMAGE, GPU_RESOURCE, KueueLabels, VLLM_CACHE_ENV, VLLM_IMAGE, WellKnownLabels } from "../../catalog";
import type { InferenceConfig, MirrorsConfig, SiteConfig, TenantConfig } from "../../config";
import { NVIDIA_RUNTIME_CLASS, PriorityClassNames } from "../gpuOperator";
import { NODE_STARTUP_TIMEOUT_SECONDS, gpuToleration, poolNodeSelector } from "../gpuPool";
import { type LabelMap, siteMetadata, tenantLabels } from "../labels";
import { LOCAL_QUEUE_NAME } from "../queues";
import type { Spec } from "../spec";
import { PROXY_API_PORT, VLLM_LOOPBACK_PORT, proxyContainer, proxyImage, proxySecretName } from "./authProxy";

/** The vLLM image used when a service names no image, under the site's mirror. */
export const DEFAULT_VLLM_IMAGE = VLLM_IMAGE;

/** Port the service answers on: the key-checking proxy's (vLLM itself listens on loopback). */
export const SERVER_PORT = PROXY_API_PORT;

/** Where the tenant's model volume is mounted, read-only. */
export const MODEL_MOUNT = "/models";

/** Key of the API key in the service's Secret. */
export const API_KEY_SECRET_KEY = "api-key";

/**
 * Environment that keeps the server offline: no usage statistics, no hub
 * downloads. The model is only ever read from the mounted volume.
 */
export const OFFLINE_ENV: Readonly<Record<string, string>> = {
  VLLM_NO_USAGE_STATS: "1",
  DO_NOT_TRACK: "1",
  HF_HUB_OFFLINE: "1",
  TRANSFORMERS_OFFLINE: "1",
  HF_DATASETS_OFFLINE: "1",
};

/** The writable cache volume (an emptyDir): the root filesystem is read-only. */
export const CACHE_MOUNT = "/cache";

/** The writable temp volume. */
export const TMP_MOUNT = "/tmp";

/** The uid the server runs as; the image has no passwd entry for it. */
export const SERVER_UID = 1000;

/** The user name the server's processes report (the image has no passwd entry to look it up in). */
export const SERVER_USER_NAME = "vllm";

/**
 * Environment a start needs under a read-only root filesystem as a uid with no
 * passwd entry: the user's name (CPython's `getpass.getuser()` reads
 * `LOGNAME`, then `USER`, before the passwd database, and PyTorch's Inductor
 * calls it while vLLM imports), and every cache directory the image's
 * software would otherwise put under `HOME` or guess from the user name,
 * under the cache volume (`catalog/vllm.ts`, read at vLLM v0.11.0).
 */
export function runtimeEnv(): Record<string, string> {
  const env: Record<string, string> = { LOGNAME: SERVER_USER_NAME, USER: SERVER_USER_NAME, TMPDIR: TMP_MOUNT };
  for (const [name, sub] of Object.entries(VLLM_CACHE_ENV)) env[name] = sub === "" ? CACHE_MOUNT : `${CACHE_MOUNT}/${sub}`;
  return env;
}

/** Inputs of an inference service's specs. */
export interface InferenceContext {
  /** The site's validated config. */
  readonly site: SiteConfig;
  /** The tenant the service belongs to. */
  readonly tenant: TenantConfig;
  /** The service's validated config. */
  readonly service: InferenceConfig;
  /** Where the default image comes from. */
  readonly mirrors: MirrorsConfig;
  /**
   * The key-checking proxy's image (`cluster.authProxy`).
   * @default Envoy as Envoy Gateway v1.9.0 runs it, no digest
   */
  readonly authProxy?: { readonly image: string; readonly digest?: string | undefined };
  /**
   * Whether the server goes through the tenant's Kueue queue (Kueue's Deployment integration is on).
   * @default false
   */
  readonly queued?: boolean;
}

/** Object names of one service: `<name>` and `<name>-api-key`. */
export function inferenceNames(service: Pick<InferenceConfig, "name">) {
  return { workload: service.name, apiKeySecret: `${service.name}-api-key`, tls: `${service.name}-tls` };
}

/** Labels that identify the service's pods; the Deployment, Service and policies select by these. */
export function selectorLabels(service: Pick<InferenceConfig, "name">): Record<string, string> {
  return { [WellKnownLabels.name]: "vllm", [WellKnownLabels.instance]: service.name };
}

/** Metadata of every object of the service. */
export function inferenceMetadata(ctx: InferenceContext, name: string, extra: LabelMap = {}) {
  return siteMetadata(ctx.site, name, {
    namespace: ctx.tenant.name,
    component: "inference",
    labels: { ...tenantLabels(ctx.tenant), ...selectorLabels(ctx.service), ...extra },
  });
}

/** The image: the service's own, or vLLM from the site's registry. */
export function serverImage(ctx: InferenceContext): string {
  return ctx.service.image ?? `${ctx.mirrors.imageRegistry}/${DEFAULT_VLLM_IMAGE}`;
}

/** `vllm serve` arguments: the local model path, its served name, tensor parallelism. */
export function serverArgs(service: InferenceConfig): string[] {
  return [
    `${MODEL_MOUNT}/${service.model.path}`,
    "--served-model-name",
    service.model.servedName,
    "--tensor-parallel-size",
    String(service.gpusPerReplica),
    // Loopback only: every request comes through the proxy beside it, which checks the key.
    "--host",
    "127.0.0.1",
    "--port",
    String(VLLM_LOOPBACK_PORT),
    ...(service.maxModelLen === undefined ? [] : ["--max-model-len", String(service.maxModelLen)]),
  ];
}

/** Container resources: whole GPUs, with CPU and memory that grow with them unless configured. */
export function serverResources(service: InferenceConfig) {
  const gpus = String(service.gpusPerReplica);
  const cpu = service.resources?.cpu ?? String(4 * service.gpusPerReplica);
  const memory = service.resources?.memory ?? `${32 * service.gpusPerReplica}Gi`;
  return {
    requests: { cpu, memory, [GPU_RESOURCE]: gpus },
    limits: { cpu, memory, [GPU_RESOURCE]: gpus },
  };
}

/** Shared memory for NCCL between tensor-parallel workers. */
export function sharedMemorySize(service: InferenceConfig): string {
  return `${Math.max(2, 4 * service.gpusPerReplica)}Gi`;
}

const probe = (periodSeconds: number, failureThreshold: number) => ({
  // Through the proxy, which serves /health without a key: the kubelet cannot reach the loopback.
  httpGet: { path: "/health", port: PROXY_API_PORT },
  periodSeconds,
  timeoutSeconds: 5,
  failureThreshold,
});

/** Probes: up to 30 minutes to load a large model before liveness starts to count. */
export function serverProbes() {
  return {
    startupProbe: probe(10, 180),
    readinessProbe: probe(10, 3),
    livenessProbe: probe(20, 3),
  };
}

/** Seconds the startup probe gives the server before the kubelet restarts it. */
export function startupWindowSeconds(): number {
  const { startupProbe } = serverProbes();
  return startupProbe.periodSeconds * startupProbe.failureThreshold;
}

/** Time to schedule a replica and pull a server image of many gigabytes before the probe starts counting. */
export const SCHEDULE_AND_PULL_SECONDS = 15 * 60;

/**
 * How long `pulumi up` waits for the server's Deployment and Service to be
 * ready (@pulumi/kubernetes gives up after 10 minutes by default, and model
 * loading alone may take the startup probe's 30). An update waits for the
 * rollout: scheduling, image pull and the startup window. A create may also
 * wait for the first bare-metal GPU nodes to be provisioned.
 */
export function serverAwaitTimeouts(): { create: string; update: string } {
  const update = SCHEDULE_AND_PULL_SECONDS + startupWindowSeconds();
  const create = update + NODE_STARTUP_TIMEOUT_SECONDS;
  return { create: `${Math.ceil(create / 60)}m`, update: `${Math.ceil(update / 60)}m` };
}

function serverContainer(ctx: InferenceContext): Spec<k8s.types.input.core.v1.Container> {
  const env = Object.entries({ ...OFFLINE_ENV, ...runtimeEnv() }).map(([name, value]) => ({ name, value }));
  return {
    name: "server",
    image: serverImage(ctx),
    command: ["vllm", "serve"],
    args: serverArgs(ctx.service),
    env,
    resources: serverResources(ctx.service),
    ...serverProbes(),
    volumeMounts: [
      { name: "model", mountPath: MODEL_MOUNT, readOnly: true },
      { name: "shm", mountPath: "/dev/shm" },
      { name: "cache", mountPath: CACHE_MOUNT },
      { name: "tmp", mountPath: TMP_MOUNT },
    ],
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    },
  };
}

/** The pod template: on the named GPU pool, tolerating its taint, non-root. */
export function serverPodTemplate(ctx: InferenceContext): Spec<k8s.types.input.core.v1.PodTemplateSpec> {
  const meta = inferenceMetadata(ctx, ctx.service.name);
  return {
    metadata: { labels: meta.labels },
    spec: {
      runtimeClassName: NVIDIA_RUNTIME_CLASS,
      priorityClassName: PriorityClassNames.inference,
      nodeSelector: poolNodeSelector(ctx.service.gpuPool),
      tolerations: [gpuToleration()],
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: SERVER_UID,
        runAsGroup: SERVER_UID,
        fsGroup: SERVER_UID,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containers: [serverContainer(ctx), proxyContainer(proxyImage(ctx.mirrors.imageRegistry, ctx.authProxy ?? { image: AUTH_PROXY_IMAGE }))],
      volumes: [
        { name: "model", persistentVolumeClaim: { claimName: ctx.service.model.volume, readOnly: true } },
        { name: "shm", emptyDir: { medium: "Memory", sizeLimit: sharedMemorySize(ctx.service) } },
        { name: "cache", emptyDir: { sizeLimit: "20Gi" } },
        { name: "tmp", emptyDir: { sizeLimit: "2Gi" } },
        { name: "auth-proxy", secret: { secretName: proxySecretName(ctx.service), defaultMode: 0o440 } },
      ],
    },
  };
}

/** Whether the replica range lets an autoscaler decide the count. */
export function autoscales(service: InferenceConfig): boolean {
  return typeof service.replicas !== "number" && service.replicas.max > service.replicas.min;
}

/**
 * Labels that put the server in its tenant's Kueue queue at inference
 * priority, when Kueue's Deployment integration is on (its webhook copies
 * them to the pods, which wait for admission).
 */
export function queueLabels(ctx: InferenceContext): LabelMap {
  if (ctx.queued !== true) return {};
  return { [KueueLabels.queueName]: LOCAL_QUEUE_NAME, [KueueLabels.priorityClass]: PriorityClassNames.inference };
}

/** The Deployment. With an autoscaler, `replicas` is left to it so `pulumi up` does not fight it. */
export function serverDeploymentSpec(ctx: InferenceContext): Spec<k8s.types.input.apps.v1.Deployment> {
  const replicas = ctx.service.replicas;
  const fixed = typeof replicas === "number" ? replicas : replicas.min;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: inferenceMetadata(ctx, ctx.service.name, queueLabels(ctx)),
    spec: {
      ...(autoscales(ctx.service) ? {} : { replicas: fixed }),
      selector: { matchLabels: selectorLabels(ctx.service) },
      // A new replica needs its GPUs free: replace pods one at a time, never surge past the quota.
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      template: serverPodTemplate(ctx),
    },
  };
}
