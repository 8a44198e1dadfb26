/**
 * The shape of a site's stack config, as zod schemas. Only shape and value
 * ranges live here; checks that relate one section to another (a zone of the
 * site, a pool that exists) are in `crossChecks.ts`.
 */
import { z } from "zod";
import {
  AUTH_PROXY_IMAGE,
  CLUSTER_AUTOSCALER_VERSIONS,
  ENVOY_GATEWAY_PROXY_POD_LABELS,
  GPU_MODEL_IDS,
  INGRESS_CONTROLLERS,
  INGRESS_NGINX_POD_LABELS,
  KUEUE_FRAMEWORKS,
  POWER_SOURCES,
  PROMETHEUS_POD_LABELS,
  VLLM_SCALING_METRICS,
} from "../catalog";
import { durationSeconds } from "./duration";
import { kmsSchema } from "./kms";
import { QUANTITY, quantityValue } from "./quantity";
import { exposureProblems, exposureQuotaShape } from "./exposure";
import { energySchema } from "./energySchema";
import { checkClientNames, clientRateLimitSchema } from "./clientsSchema";
import { BUCKET_STORAGE_DEFAULTS, bucketEncryptionSchema } from "./bucketEncryptionSchema";
import { tenantQueueSchema } from "./queueSchema";

export { energySchema } from "./energySchema";

/** Lower-case RFC 1123 label: namespaces, object names and our config names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 subdomain: node names. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;


/** A value Kubernetes accepts in a label. */
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** A label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** A region id: lower-case words and a number (`no-oslo-1`, `eu-north-1`). */
const REGION_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;


const dnsLabel = z
  .string()
  .max(63, { error: "must be at most 63 characters (a DNS label)" })
  .regex(DNS_LABEL, {
    error: "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit",
  });

/** A quantity as a string; a bare YAML number (`cpu: 64`) is accepted as its text. */
const quantity = z.preprocess(
  (value) => (typeof value === "number" && Number.isFinite(value) ? String(value) : value),
  z.string().regex(QUANTITY, { error: "must be a Kubernetes quantity such as 500Gi, 10Ti or 64" }),
);

/** A quantity larger than zero (`0`, `0Gi` and `0e5` make no volume, no CPU, no target). */
const positiveQuantity = quantity.refine((q) => (quantityValue(q) ?? 0) > 0, { error: "must be larger than zero" });

/** An RFC 1035 label: a DNS label that starts with a letter, as Service names must. */
const dns1035Label = dnsLabel.regex(/^[a-z]/, { error: "must start with a letter (it names a Kubernetes Service)" });

/** A DNS host name: labels of at most 63 characters, 253 in all. */
const hostname = z
  .string()
  .max(253, { error: "must be at most 253 characters (a DNS host name)" })
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/, {
    error: "must be a DNS host name: lower-case labels of letters, digits and '-', each at most 63 characters",
  });

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

/** A replica or node range: a fixed count, or `{min, max}` to scale between. */
const countOrRange = z.union([nonNegativeInt, z.strictObject({ min: nonNegativeInt, max: positiveInt })], {
  error: "must be a whole number, or {min, max} with whole numbers",
});

const heatReuseSchema = z.strictObject({
  consumer: z.string().min(1),
  kind: z.enum(["district-heating", "industrial-process", "greenhouse", "aquaculture"]).default("district-heating"),
  recoveredFraction: z.number().min(0).max(1),
});

const powerSchema = z.strictObject({
  source: z.enum(POWER_SOURCES),
  guaranteeOfOrigin: z
    .string()
    .regex(LABEL_VALUE, {
      error: "must be a certificate id of letters, digits, '-', '_' or '.' (at most 63 characters)",
    })
    .optional(),
  capacityKw: z.number().positive(),
  pue: z.number().min(1).max(3),
});

/** `sovereign-ai-factory:site`: the data centre this stack declares. */
export const siteSchema = z.strictObject({
  name: dnsLabel,
  displayName: z.string().min(1).optional(),
  region: z.string().regex(REGION_ID, { error: "must be a lower-case region id such as no-oslo-1" }),
  zones: z.array(z.string().min(1)).min(1),
  power: powerSchema,
  heatReuse: heatReuseSchema.optional(),
});

/** Data classes of tenants, least to most protected. */
export const DATA_CLASSIFICATIONS = ["open", "internal", "sensitive", "restricted"] as const;

/** One tenant. */
export const tenantSchema = z.strictObject({
  name: dnsLabel,
  displayName: z.string().min(1).optional(),
  dataClassification: z.enum(DATA_CLASSIFICATIONS),
  quotas: z.strictObject({
    gpus: nonNegativeInt,
    /** MIG slices per profile (`1g.10gb: 60`); a profile not named is capped at what the tenant's queue may admit. */
    mig: z.record(z.string(), nonNegativeInt).optional(),
    storage: quantity,
    cpu: quantity.optional(),
    memory: quantity.optional(),
    pods: positiveInt.optional(),
    ...exposureQuotaShape,
  }),
  /** The tenant's Kueue queue (`config/queueSchema.ts`). */
  queue: tenantQueueSchema.optional(),
  containerDefaults: z
    .strictObject({
      cpu: positiveQuantity,
      memory: positiveQuantity,
      cpuRequest: positiveQuantity,
      memoryRequest: positiveQuantity,
    })
    .optional(),
}).superRefine((tenant, ctx) => {
  for (const problem of exposureProblems(tenant)) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
});

/** `sovereign-ai-factory:tenants`: who uses the site. */
export const tenantsSchema = z.array(tenantSchema).min(1);

/** How a pool's nodes come to be. */
export const PROVISIONING_MODES = ["clusterapi", "static"] as const;

/** One GPU pool. */
export const gpuPoolSchema = z.strictObject({
  name: dnsLabel,
  gpuModel: z.enum(GPU_MODEL_IDS),
  gpusPerNode: positiveInt,
  nodes: countOrRange.optional(),
  zone: z.string().min(1),
  provisioning: z.enum(PROVISIONING_MODES),
  nodeNames: z
    .array(z.string().regex(DNS_SUBDOMAIN, { error: "must be a Kubernetes node name (RFC 1123 subdomain)" }))
    .optional(),
  mig: z.string().min(1).optional(),
  /**
   * Who installs the NVIDIA driver: the GPU operator, or the host image
   * (DGX OS and similar). Default: `preinstalled` for static pools,
   * `operator` for Cluster API pools.
   */
  driver: z.enum(["operator", "preinstalled"]).optional(),
  /** Whether sensitive and restricted tenants may borrow this pool's GPUs while other classifications use it. */
  sharedWithSensitive: z.boolean().default(false),
  /** Topology levels of the pool's nodes for Kueue (outermost first), set on nodes in the node-restriction domain. */
  topology: z.strictObject({ levels: z.array(z.enum(["block", "rack"])).min(1) }).optional(),
  /** Static pools: each node's block and rack, by node name. */
  nodeTopology: z.record(z.string(), z.strictObject({ block: dnsLabel.optional(), rack: dnsLabel.optional() })).optional(),
});

/** `sovereign-ai-factory:gpuPools`: the site's GPU node pools. */
export const gpuPoolsSchema = z.array(gpuPoolSchema).default([]);

/** One storage class. */
export const storageClassSchema = z.strictObject({
  name: dnsLabel,
  type: z.enum(["block", "filesystem"]),
  provisioner: z.string().min(1).optional(),
  encrypted: z.boolean().default(true),
  zones: z.array(z.string().min(1)).min(1).optional(),
  parameters: z.record(z.string(), z.string()).optional(),
});

/** One tenant volume. */
export const volumeSchema = z.strictObject({
  name: dnsLabel,
  tenant: z.string().min(1),
  class: z.string().min(1),
  size: positiveQuantity,
  accessMode: z.enum(["ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany"]).optional(),
  purpose: z.enum(["models", "datasets", "scratch"]).default("datasets"),
});

/** One bucket claim. */
export const bucketSchema = z.strictObject({
  name: dnsLabel,
  tenant: z.string().min(1),
});

const backupSchema = z.strictObject({
  name: dnsLabel.default("site-backup"),
  namespace: dnsLabel.default("velero"),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be an S3 bucket name" }),
  s3Url: z.string().min(1),
  region: z.string().min(1),
  prefix: z.string().min(1).optional(),
  credentialSecret: dnsLabel.default("velero-backup-credentials"),
  /**
   * Server-side encryption Velero asks of the target store: `AES256` (SSE-S3,
   * which the fleet checks the target site's object store serves) or `none`.
   * @default "AES256"
   */
  serverSideEncryption: z.enum(["AES256", "none"]).default("AES256"),
});

/** The site's Ceph object store, which the factory declares (with SSE-S3 on the site's Vault). */
const objectStoreSchema = z.strictObject({
  name: dnsLabel,
  /** The in-country https address clients reach the store at. */
  endpoint: z.string().min(1),
  /** Copies of every object and of the index (replicated pools). @default 3 */
  replicas: positiveInt.default(3),
  /** Where the copies are kept apart. @default "host" */
  failureDomain: z.enum(["host", "zone"]).default("host"),
  /** Gateway pods. @default 2 */
  gatewayInstances: positiveInt.default(2),
  /**
   * Secret (in Rook's namespace) with the gateway's TLS certificate: the
   * gateway then serves https itself. Without it, TLS ends at the endpoint's
   * proxy and the gateway trusts its forwarded https (SSE needs https).
   */
  gatewayCertificateSecret: dnsLabel.optional(),
});

/** Storage settings when a site's config has no `storage` key. */
const STORAGE_DEFAULTS = {
  encryptionKmsId: "aifactory-vault",
  cephClusterId: "rook-ceph",
  classes: [],
  volumes: [],
  ...BUCKET_STORAGE_DEFAULTS,
};

/** `sovereign-ai-factory:storage`: in-country storage classes, volumes, buckets, backup. */
export const storageSchema = z
  .strictObject({
    /** KMS connection (in Rook's KMS config) that holds volume encryption keys. */
    encryptionKmsId: z.string().min(1).default(STORAGE_DEFAULTS.encryptionKmsId),
    /** Rook's CephCluster namespace (also ceph-csi's cluster id): a namespace name. */
    cephClusterId: dnsLabel.default(STORAGE_DEFAULTS.cephClusterId),
    /** The site's Vault for volume and object encryption keys; required when a class is encrypted or buckets exist. */
    kms: kmsSchema.optional(),
    objectStore: objectStoreSchema.optional(),
    classes: z.array(storageClassSchema).default([]),
    volumes: z.array(volumeSchema).default([]),
    buckets: z.array(bucketSchema).default([]),
    bucketEncryption: bucketEncryptionSchema,
    backup: backupSchema.optional(),
  })
  .default(STORAGE_DEFAULTS);

/** Our own images: pinned by digest, `registry/repository:tag@sha256:<64 hex>` (the tag is for people). */
const imageRef = z.string().regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[\w.-]+)?@sha256:[a-f0-9]{64}$/, {
  error: "must be a registry/repository image pinned by digest, e.g. cr.oslo-1.aifactory.no/vllm/vllm-openai:v0.11.0@sha256:<64 hex digits>",
});

/** One application that calls an inference service with its own key. */
export const inferenceClientSchema = z.strictObject({
  name: dnsLabel,
  /** Last day the key is issued (UTC, `YYYY-MM-DD`); an `up` after it revokes the key. */
  expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date such as 2027-06-30" }).optional(),
  /** Bump to rotate the key: each generation is a new key. */
  keyGeneration: positiveInt.default(1),
  /** While true, the previous generation's key stays valid beside the new one (drop it at the next up to revoke it). */
  keepPreviousKey: z.boolean().default(false),
  /** At most this many requests a minute per replica; without it the client is not limited. */
  rateLimit: clientRateLimitSchema.optional(),
});

/** One inference service. */
export const inferenceServiceSchema = z.strictObject({
  name: dns1035Label,
  tenant: z.string().min(1),
  model: z.strictObject({
    servedName: z.string().min(1),
    volume: z.string().min(1),
    /** Inside the volume; never a URL or `..`, so the model can only come from in-country storage. */
    path: z
      .string()
      .regex(/^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, {
        error: "must be a relative path inside the volume (letters, digits, '.', '_', '-' and '/'; no '..', no URL)",
      }),
  }),
  image: imageRef.optional(),
  gpuPool: z.string().min(1),
  gpusPerReplica: positiveInt,
  replicas: countOrRange.default(1),
  exposure: z.enum(["cluster", "ingress"]).default("cluster"),
  hostname: hostname.optional(),
  /** Why a sensitive or restricted tenant's service must be reachable from outside the cluster. */
  sensitiveIngressReason: z.string().min(10, { error: "must explain the reason in at least 10 characters" }).optional(),
  /** Namespaces (besides the tenant's own) whose pods may call the service, through its key-checking proxy. */
  allowFrom: z.array(dnsLabel).default([]),
  /** Why a sensitive or restricted tenant's service admits namespaces of a lower classification, `default` or non-tenants. */
  allowFromReason: z.string().min(10, { error: "must explain the reason in at least 10 characters" }).optional(),
  /** Applications that call the service, each with its own key; without clients the service has one key. */
  clients: z.array(inferenceClientSchema).default([]).superRefine(checkClientNames),
  maxModelLen: positiveInt.optional(),
  /**
   * How long the external route waits for a whole response, streamed or not
   * (Gateway API duration). The OpenAI clients' own default is 10 minutes.
   * @default "10m"
   */
  requestTimeout: z
    .string()
    .refine((d) => (durationSeconds(d) ?? 0) > 0, {
      error: "must be a Gateway API duration longer than zero, such as 10m, 1h or 90s (h, m, s, ms; at most 5 digits a part)",
    })
    .default("10m"),
  resources: z.strictObject({ cpu: positiveQuantity, memory: positiveQuantity }).optional(),
  autoscaling: z
    .strictObject({
      /** A vLLM gauge, summed over the service's pods and divided by `targetAverage` to get replicas. */
      metric: z.enum(VLLM_SCALING_METRICS).default("vllm:num_requests_waiting"),
      targetAverage: positiveQuantity.default("5"),
    })
    .default({ metric: "vllm:num_requests_waiting", targetAverage: "5" }),
});

/** `sovereign-ai-factory:inference`: OpenAI-compatible model servers. */
export const inferenceSchema = z.array(inferenceServiceSchema).default([]);

const httpsUrl = z.string().regex(/^https:\/\/[^\s/]+(\/\S*)?$/, { error: "must be an https:// URL" });

/** An IPv4 or IPv6 CIDR block (`10.96.0.0/12`, `fd00:10:96::/108`). */
const cidr = z
  .string()
  .regex(/^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-f:]+:[0-9a-f:]*\/\d{1,3})$/, { error: "must be a CIDR block such as 10.96.0.0/12" });

/** The control plane of a Cluster API cluster: its size, API endpoint and hosts. */
const controlPlaneSchema = z.strictObject({
  /** Control-plane machines: odd (the KubeadmControlPlane webhook, v1.14.0, refuses an even number when etcd is stacked, as it is here). */
  replicas: z.union([z.literal(1), z.literal(3), z.literal(5), z.literal(7)], { error: "must be 1, 3, 5 or 7 (Cluster API v1.14.0 refuses an even number of control-plane machines with stacked etcd)" }).default(3),
  /** The API server's address (a load-balanced name or virtual IP in front of the control-plane hosts). */
  endpoint: z.strictObject({
    host: hostname.or(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, { error: "must be a DNS host name or an IPv4 address" })),
    port: z.number().int().min(1).max(65535).default(6443),
  }),
  /** Labels of the BareMetalHosts that may run the control plane, besides the site label. @default {aifactory.no/host-role: control-plane} */
  hostSelector: z.record(z.string().regex(LABEL_KEY, { error: "must be a label key such as aifactory.no/host-role" }), z.string().regex(LABEL_VALUE, { error: "must be a label value" })).optional(),
});

/** Pod and Service address ranges (Cluster `spec.clusterNetwork`). */
const clusterNetworkSchema = z
  .strictObject({
    pods: z.array(cidr).min(1).default(["192.168.0.0/16"]),
    services: z.array(cidr).min(1).default(["10.96.0.0/12"]),
  })
  .default({ pods: ["192.168.0.0/16"], services: ["10.96.0.0/12"] });

/** The cluster-autoscaler (kubernetes/autoscaler chart and image, from the mirrors), pinned. */
const autoscalerSchema = z
  .strictObject({
    chartVersion: z.string().regex(/^\d+\.\d+\.\d+$/, { error: "must be a pinned chart version such as 9.53.0" }).default(CLUSTER_AUTOSCALER_VERSIONS.chart),
    imageTag: z.string().regex(/^v\d+\.\d+\.\d+$/, { error: "must be a pinned image tag such as v1.34.2" }).default(CLUSTER_AUTOSCALER_VERSIONS.image),
  })
  .default({ chartVersion: CLUSTER_AUTOSCALER_VERSIONS.chart, imageTag: CLUSTER_AUTOSCALER_VERSIONS.image });

/** Cluster API settings for `clusterapi` pools (bare metal via Metal3). */
const clusterApiSchema = z.strictObject({
  clusterName: dnsLabel,
  namespace: dnsLabel,
  kubernetesVersion: z.string().regex(/^v\d+\.\d+\.\d+$/, { error: "must be a Kubernetes version such as v1.34.2" }),
  /** kubeconfig context of the management cluster, when it is not the site's own cluster. */
  managementKubeContext: z.string().min(1).optional(),
  hostImage: z.strictObject({
    url: httpsUrl,
    checksum: httpsUrl,
    checksumType: z.enum(["sha256", "sha512"]).default("sha256"),
    format: z.enum(["raw", "qcow2"]).default("qcow2"),
  }),
  /** The cluster's control plane (KubeadmControlPlane on its own bare-metal hosts). */
  controlPlane: controlPlaneSchema,
  /** Pod and Service address ranges of the cluster. */
  network: clusterNetworkSchema,
  /** The cluster-autoscaler for `{min, max}` pools, from the mirrors. */
  autoscaler: autoscalerSchema,
});

/** The NVIDIA GPU operator, installed once per site. */
const gpuOperatorSchema = z
  .strictObject({
    chartVersion: z.string().regex(/^v?\d+\.\d+\.\d+$/, { error: "must be a pinned chart version such as v25.10.0" }).default("v25.10.0"),
    namespace: dnsLabel.default("gpu-operator"),
    migStrategy: z.enum(["single", "mixed"]).default("single"),
  })
  .default({ chartVersion: "v25.10.0", namespace: "gpu-operator", migStrategy: "single" });

/** The Ingress controller, for sites that expose services through Ingress (`cluster.externalExposure: ingress`). */
const ingressSchema = z
  .strictObject({
    className: z.string().min(1).default("nginx"),
    /** The controller behind `className`, which decides the timeout annotations (`other`: none). */
    controller: z.enum(INGRESS_CONTROLLERS).default("ingress-nginx"),
    namespace: dnsLabel.default("ingress-nginx"),
    clusterIssuer: z.string().min(1).default("aifactory-ca"),
    /** Labels of the controller's pods; inference network policies admit only these. */
    podLabels: z.record(z.string(), z.string()).default({ ...INGRESS_NGINX_POD_LABELS }),
  })
  .default({ className: "nginx", controller: "ingress-nginx", namespace: "ingress-nginx", clusterIssuer: "aifactory-ca", podLabels: { ...INGRESS_NGINX_POD_LABELS } });

/** The site's Gateway (Gateway API), the default way services are exposed outside the cluster. */
const gatewaySchema = z
  .strictObject({
    /** Name of the Gateway the factory declares. */
    name: dnsLabel.default("aifactory"),
    /** GatewayClass of the site's Gateway controller (Envoy Gateway's quick start calls its class `eg`). */
    className: z.string().min(1).default("eg"),
    /** Namespace of the Gateway object and its certificates. @default the system namespace */
    namespace: dnsLabel.optional(),
    /** Where the controller runs the Gateway's proxies; inference network policies admit it. */
    proxyNamespace: dnsLabel.default("envoy-gateway-system"),
    /** Labels of the controller's proxy pods; inference network policies admit only these. */
    proxyPodLabels: z.record(z.string(), z.string()).default({ ...ENVOY_GATEWAY_PROXY_POD_LABELS }),
    /** cert-manager ClusterIssuer that issues the listeners' certificates. */
    clusterIssuer: z.string().min(1).default("aifactory-ca"),
  })
  .default({
    name: "aifactory",
    className: "eg",
    proxyNamespace: "envoy-gateway-system",
    proxyPodLabels: { ...ENVOY_GATEWAY_PROXY_POD_LABELS },
    clusterIssuer: "aifactory-ca",
  });

/** The site's monitoring: Prometheus Operator scrapes inference servers; KEDA queries Prometheus to autoscale. */
const monitoringSchema = z
  .strictObject({
    /** Where Prometheus runs; inference network policies admit it to the metrics port. */
    namespace: dnsLabel.default("monitoring"),
    /** Prometheus' query URL inside the cluster, for KEDA. */
    prometheusUrl: z
      .string()
      .regex(/^https?:\/\/[a-z0-9.-]+(:\d+)?(\/\S*)?$/, { error: "must be an http(s) URL inside the cluster" })
      .default("http://prometheus-operated.monitoring.svc:9090"),
    /** Labels the site's Prometheus selects PodMonitors by (its `podMonitorSelector`). */
    podMonitorLabels: z.record(z.string(), z.string()).default({}),
    /** Labels of the site's Prometheus pods; only these may scrape inference metrics. @default kube-prometheus-stack's */
    prometheusPodLabels: z.record(z.string(), z.string()).default({ ...PROMETHEUS_POD_LABELS }),
  })
  .default({ namespace: "monitoring", prometheusUrl: "http://prometheus-operated.monitoring.svc:9090", podMonitorLabels: {}, prometheusPodLabels: { ...PROMETHEUS_POD_LABELS } });

/** The proxy in every inference pod that checks keys before vLLM sees a request. */
const authProxySchema = z
  .strictObject({
    /** Envoy under the site's mirror, `repository:tag`; the tag Envoy Gateway v1.9.0 runs by default. */
    image: z.string().regex(/^[a-z0-9._/-]+:[\w.-]+$/, { error: "must be repository:tag under the image mirror, such as envoyproxy/envoy:distroless-v1.39.0" }).default(AUTH_PROXY_IMAGE),
    /** The image's digest as the mirror serves it (`sha256:` and 64 hex digits), pinned beside the tag. */
    digest: z.string().regex(/^sha256:[a-f0-9]{64}$/, { error: "must be sha256: and 64 hex digits" }).optional(),
  })
  .default({ image: AUTH_PROXY_IMAGE });

/** How services with `exposure: ingress` are reached from outside the cluster. */
export const EXTERNAL_EXPOSURES = ["gateway", "ingress"] as const;

/** Kueue, the site's GPU queueing layer. */
const kueueSchema = z
  .strictObject({
    chartVersion: z.string().regex(/^v?\d+\.\d+\.\d+$/, { error: "must be a pinned chart version such as 0.19.2" }).default("0.19.2"),
    namespace: dnsLabel.default("kueue-system"),
    /** Workload kinds Kueue queues; `deployment` (which needs `pod`) queues the inference servers too. */
    integrations: z
      .array(z.enum(KUEUE_FRAMEWORKS))
      .min(1)
      .default(["batch/job", "jobset.x-k8s.io/jobset", "kubeflow.org/pytorchjob", "trainer.kubeflow.org/trainjob", "pod", "deployment"]),
  })
  .default({
    chartVersion: "0.19.2",
    namespace: "kueue-system",
    integrations: ["batch/job", "jobset.x-k8s.io/jobset", "kubeflow.org/pytorchjob", "trainer.kubeflow.org/trainjob", "pod", "deployment"],
  });

/** `sovereign-ai-factory:cluster`: how to reach the site's Kubernetes cluster. */
export const clusterSchema = z
  .strictObject({
    kubeContext: z.string().min(1).optional(),
    systemNamespace: dnsLabel.default("aifactory-system"),
    clusterApi: clusterApiSchema.optional(),
    gpuOperator: gpuOperatorSchema,
    externalExposure: z.enum(EXTERNAL_EXPOSURES).default("gateway"),
    gateway: gatewaySchema,
    ingress: ingressSchema,
    monitoring: monitoringSchema,
    authProxy: authProxySchema,
    kueue: kueueSchema,
  })
  .default({
    systemNamespace: "aifactory-system",
    gpuOperator: { chartVersion: "v25.10.0", namespace: "gpu-operator", migStrategy: "single" },
    externalExposure: "gateway",
    gateway: {
      name: "aifactory",
      className: "eg",
      proxyNamespace: "envoy-gateway-system",
      proxyPodLabels: { ...ENVOY_GATEWAY_PROXY_POD_LABELS },
      clusterIssuer: "aifactory-ca",
    },
    ingress: { className: "nginx", controller: "ingress-nginx", namespace: "ingress-nginx", clusterIssuer: "aifactory-ca", podLabels: { ...INGRESS_NGINX_POD_LABELS } },
    monitoring: { namespace: "monitoring", prometheusUrl: "http://prometheus-operated.monitoring.svc:9090", podMonitorLabels: {}, prometheusPodLabels: { ...PROMETHEUS_POD_LABELS } },
    authProxy: { image: AUTH_PROXY_IMAGE },
    kueue: {
      chartVersion: "0.19.2",
      namespace: "kueue-system",
      integrations: ["batch/job", "jobset.x-k8s.io/jobset", "kubeflow.org/pytorchjob", "trainer.kubeflow.org/trainjob", "pod", "deployment"],
    },
  });

/** `sovereign-ai-factory:mirrors`: the in-country registries images and charts come from. */
export const mirrorsSchema = z
  .strictObject({
    imageRegistry: z.string().regex(/^[a-z0-9.-]+(:\d+)?$/, { error: "must be a registry host such as cr.oslo-1.aifactory.no" }),
    chartRepository: z.string().regex(/^(https|oci):\/\/[^\s]+$/, { error: "must be an https:// or oci:// URL" }),
    /** In-country domains every mirror, host image and image of our own must be served from (default `aifactory.no`). */
    allowedDomains: z.array(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, { error: "must be a DNS domain such as aifactory.no" })).min(1).optional(),
  });

/** The config keys this program reads, each with its schema. */
export const sectionSchemas = {
  cluster: clusterSchema,
  mirrors: mirrorsSchema,
  site: siteSchema,
  tenants: tenantsSchema,
  gpuPools: gpuPoolsSchema,
  storage: storageSchema,
  inference: inferenceSchema,
  energy: energySchema,
} as const;

/** The name of one config section (`sovereign-ai-factory:<section>`). */
export type SectionName = keyof typeof sectionSchemas;

/** A site's config: site, tenants, pools, storage, inference, cluster, mirrors. */
export type FactoryConfig = { readonly [K in SectionName]: z.output<(typeof sectionSchemas)[K]> };

export type SiteConfig = FactoryConfig["site"];
export type TenantConfig = FactoryConfig["tenants"][number];
export type GpuPoolConfig = FactoryConfig["gpuPools"][number];
export type StorageConfig = FactoryConfig["storage"];
export type InferenceConfig = FactoryConfig["inference"][number];
export type ClusterConfig = FactoryConfig["cluster"];
export type MirrorsConfig = FactoryConfig["mirrors"];
export type EnergyConfig = FactoryConfig["energy"];
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];
