/**
 * Every tenant bucket encrypted at rest. The site's object store serves
 * SSE-S3 with the Vault, but Ceph's gateway encrypts an object only when the
 * upload asks for it or the bucket has a default encryption, and Rook
 * v1.20.6's bucket claims cannot set one. So, per claim, a Job that runs once
 * the claim is Bound (and again whenever what it does changes) sets the
 * bucket's default encryption to SSE-S3 (`PutBucketEncryption`, AES256)
 * with the claim's own keys, reads it back (`GetBucketEncryption`) and
 * uploads a probe without encryption headers that must come back encrypted;
 * a CronJob runs the same check on a schedule and puts the encryption back
 * if the bucket's owner removed it. Facts in `catalog/rook.ts` and
 * `catalog/s3Client.ts`.
 */
import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";
import { ROOK_BUCKET_CLAIM, ROOK_OBJECT_GATEWAY, SSE_S3_ALGORITHM, Annotations, WellKnownLabels } from "../../catalog";
import type { TenantConfig } from "../../config";
import { siteMetadata, tenantLabels } from "../labels";
import type { Spec } from "../spec";
import type { BucketConfig, TenantDataContext } from "./data";

/** Inputs of the bucket encryption specs: the tenants' data and the site's image mirror. */
export interface BucketEncryptionContext extends TenantDataContext {
  /** The registry host images come from (`mirrors.imageRegistry`). */
  readonly imageRegistry: string;
}

/** `app.kubernetes.io/component` of the encryption pods, which their NetworkPolicy selects. */
export const BUCKET_ENCRYPTION_COMPONENT = "bucket-encryption";

/** Name of the NetworkPolicy, in each tenant namespace with buckets, that lets the encryption pods reach the gateway. */
export const BUCKET_ENCRYPTION_POLICY_NAME = "bucket-encryption";

/** Name of the ConfigMap, in each tenant namespace with buckets, holding the CA bundle the client trusts for the gateway. */
export const BUCKET_ENCRYPTION_CA_NAME = "bucket-encryption-ca";

/** Where the client finds that bundle. */
const CA_DIR = "/etc/aifactory/bucket-ca";

/** Object key of the probe upload (removed again at once). */
export const PROBE_KEY = ".aifactory/encryption-probe";

/** The uid the client runs as: nobody (the image has no user of its own and needs none). */
const CLIENT_UID = 65534;

/**
 * The check, as `/bin/sh` runs it in the client's image. Reads the claim's
 * ConfigMap and Secret from the environment (`BUCKET_HOST`, `BUCKET_PORT`,
 * `BUCKET_NAME`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`) and
 * `BUCKET_SCHEME`; writes only under `HOME`. Idempotent: it puts the encryption only when the bucket
 * lacks it; it fails (and so does the Job) when the bucket does not end up
 * with AES256 or the probe is stored without it.
 */
export const BUCKET_ENCRYPTION_SCRIPT = `set -eu
endpoint="\${BUCKET_SCHEME}://\${BUCKET_HOST}:\${BUCKET_PORT}"
s3() { aws --endpoint-url "$endpoint" s3api "$@"; }
current() { s3 get-bucket-encryption --bucket "$BUCKET_NAME" --query 'ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm' --output text 2>/dev/null || true; }
if [ "$(current)" != "${SSE_S3_ALGORITHM}" ]; then
  echo "bucket $BUCKET_NAME: setting default encryption ${SSE_S3_ALGORITHM} (SSE-S3)"
  s3 put-bucket-encryption --bucket "$BUCKET_NAME" --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"${SSE_S3_ALGORITHM}"}}]}'
fi
now="$(current)"
if [ "$now" != "${SSE_S3_ALGORITHM}" ]; then
  echo "bucket $BUCKET_NAME: default encryption reads back as '$now', not ${SSE_S3_ALGORITHM}" >&2
  exit 1
fi
printf 'probe\\n' > "$HOME/probe"
stored="$(s3 put-object --bucket "$BUCKET_NAME" --key '${PROBE_KEY}' --body "$HOME/probe" --query ServerSideEncryption --output text)"
s3 delete-object --bucket "$BUCKET_NAME" --key '${PROBE_KEY}' > /dev/null
if [ "$stored" != "${SSE_S3_ALGORITHM}" ]; then
  echo "bucket $BUCKET_NAME: an upload without encryption headers was stored as '$stored', not ${SSE_S3_ALGORITHM}" >&2
  exit 1
fi
echo "bucket $BUCKET_NAME: default encryption ${SSE_S3_ALGORITHM}; an upload without encryption headers was stored encrypted"
`;

/** http to the gateway's plain port, or https when the gateway serves its own certificate (as the claim's BUCKET_PORT is). */
export function gatewayScheme(ctx: Pick<TenantDataContext, "storage">): "http" | "https" {
  return ctx.storage.objectStore?.gatewayCertificateSecret === undefined ? "http" : "https";
}

/** The port the gateway's pods listen on for what the claim's address reaches (what a NetworkPolicy must open). */
export function gatewayContainerPort(ctx: Pick<TenantDataContext, "storage">): number {
  return gatewayScheme(ctx) === "https" ? 443 : ROOK_OBJECT_GATEWAY.httpContainerPort;
}

/** The CA bundle the client trusts, when the gateway serves https and config names one. */
export function gatewayCaBundle(ctx: Pick<TenantDataContext, "storage">): string | undefined {
  return gatewayScheme(ctx) === "https" ? ctx.storage.bucketEncryption.caBundle : undefined;
}

function tenantOf(ctx: TenantDataContext, name: string): TenantConfig {
  const tenant = ctx.tenants.find((t) => t.name === name);
  if (tenant === undefined) throw new Error(`unknown tenant '${name}'`);
  return tenant;
}

/** The client's container: the claim's ConfigMap and Secret as its environment, nothing written outside /tmp. */
function clientContainer(ctx: BucketEncryptionContext, bucket: BucketConfig): Spec<k8s.types.input.core.v1.Container> {
  const enc = ctx.storage.bucketEncryption;
  return {
    name: "encrypt",
    image: `${ctx.imageRegistry}/${enc.image}@${enc.digest}`,
    command: ["/bin/sh", "-c", BUCKET_ENCRYPTION_SCRIPT],
    // Rook names the claim's ConfigMap and Secret after the claim.
    envFrom: [{ configMapRef: { name: bucket.name } }, { secretRef: { name: bucket.name } }],
    env: [
      { name: "BUCKET_SCHEME", value: gatewayScheme(ctx) },
      // Ceph takes the signing region as sent; the site's own keeps every string in the manifest Norwegian.
      { name: "AWS_DEFAULT_REGION", value: ctx.site.region },
      { name: "AWS_EC2_METADATA_DISABLED", value: "true" },
      { name: "AWS_PAGER", value: "" },
      { name: "AWS_RETRY_MODE", value: "standard" },
      { name: "AWS_MAX_ATTEMPTS", value: "5" },
      { name: "HOME", value: "/tmp" },
      ...(gatewayCaBundle(ctx) === undefined ? [] : [{ name: "AWS_CA_BUNDLE", value: `${CA_DIR}/ca.crt` }]),
    ],
    resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    },
    volumeMounts: [
      { name: "tmp", mountPath: "/tmp" },
      ...(gatewayCaBundle(ctx) === undefined ? [] : [{ name: "ca", mountPath: CA_DIR, readOnly: true }]),
    ],
  };
}

/** The pod template both the Job and the CronJob run: restricted Pod Security, no API token, no retries in place. */
export function bucketEncryptionPodTemplate(
  ctx: BucketEncryptionContext,
  bucket: BucketConfig,
): Spec<k8s.types.input.core.v1.PodTemplateSpec> {
  return {
    metadata: {
      labels: {
        ...tenantLabels(tenantOf(ctx, bucket.tenant)),
        [WellKnownLabels.component]: BUCKET_ENCRYPTION_COMPONENT,
        [WellKnownLabels.instance]: bucket.name,
      },
    },
    spec: {
      restartPolicy: "Never",
      automountServiceAccountToken: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: CLIENT_UID,
        runAsGroup: CLIENT_UID,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containers: [clientContainer(ctx, bucket)],
      volumes: [
        { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
        ...(gatewayCaBundle(ctx) === undefined ? [] : [{ name: "ca", configMap: { name: BUCKET_ENCRYPTION_CA_NAME } }]),
      ],
    },
  };
}

/** The longest object name whose pods' `job-name` label still fits (63) with the CronJob's 11-character suffix. */
const MAX_CRONJOB_NAME = 52;

/** `<bucket>-<role>`, shortened with a hash of the whole when it would be too long. */
function boundedName(bucket: string, role: string, max: number): string {
  const full = `${bucket}-${role}`;
  if (full.length <= max) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${bucket.slice(0, max - role.length - hash.length - 2)}-${hash}-${role}`;
}

/**
 * The Job's name: the bucket and a hash of the pod template and the CA bundle
 * it trusts, so any change to what it does (image, bucket, endpoint, the
 * check itself, the CA) is a new Job that runs again, and an unchanged one is
 * left alone.
 */
export function bucketEncryptionJobName(ctx: BucketEncryptionContext, bucket: BucketConfig): string {
  const what = JSON.stringify([bucketEncryptionPodTemplate(ctx, bucket), gatewayCaBundle(ctx) ?? null]);
  const hash = createHash("sha256").update(what).digest("hex").slice(0, 8);
  return boundedName(bucket.name, `encryption-${hash}`, 63);
}

function encryptionMetadata(ctx: BucketEncryptionContext, bucket: BucketConfig, name: string) {
  return siteMetadata(ctx.site, name, {
    namespace: bucket.tenant,
    component: BUCKET_ENCRYPTION_COMPONENT,
    labels: tenantLabels(tenantOf(ctx, bucket.tenant)),
    annotations: { [Annotations.bucketEncryptionOf]: bucket.name },
  });
}

/** The Job `pulumi up` waits for: the claim's bucket ends up with SSE-S3 by default, or the update fails. */
export function bucketEncryptionJobSpec(ctx: BucketEncryptionContext, bucket: BucketConfig): Spec<k8s.types.input.batch.v1.Job> {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: encryptionMetadata(ctx, bucket, bucketEncryptionJobName(ctx, bucket)),
    spec: { backoffLimit: 4, activeDeadlineSeconds: 540, template: bucketEncryptionPodTemplate(ctx, bucket) },
  };
}

/** The CronJob that checks again on `storage.bucketEncryption.schedule` and puts the encryption back if it was removed. */
export function bucketEncryptionCronJobSpec(ctx: BucketEncryptionContext, bucket: BucketConfig): Spec<k8s.types.input.batch.v1.CronJob> {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: encryptionMetadata(ctx, bucket, boundedName(bucket.name, "encryption", MAX_CRONJOB_NAME)),
    spec: {
      schedule: ctx.storage.bucketEncryption.schedule,
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: { spec: { backoffLimit: 2, activeDeadlineSeconds: 540, template: bucketEncryptionPodTemplate(ctx, bucket) } },
    },
  };
}

/**
 * Egress from the encryption pods to the site's object gateway pods, on the
 * port they listen on (the tenant's default deny already lets them resolve
 * names). One per tenant namespace with buckets.
 */
export function bucketEncryptionNetworkPolicySpec(
  ctx: BucketEncryptionContext,
  tenant: TenantConfig,
): Spec<k8s.types.input.networking.v1.NetworkPolicy> {
  const store = ctx.storage.objectStore;
  if (store === undefined) throw new Error("bucket claims need storage.objectStore");
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: siteMetadata(ctx.site, BUCKET_ENCRYPTION_POLICY_NAME, {
      namespace: tenant.name,
      component: "network-policy",
      labels: tenantLabels(tenant),
    }),
    spec: {
      podSelector: { matchLabels: { [WellKnownLabels.component]: BUCKET_ENCRYPTION_COMPONENT } },
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [WellKnownLabels.namespaceName]: ctx.storage.cephClusterId } },
              podSelector: { matchLabels: { [ROOK_OBJECT_GATEWAY.appLabel]: ROOK_OBJECT_GATEWAY.app, [ROOK_OBJECT_GATEWAY.storeLabel]: store.name } },
            },
          ],
          ports: [{ protocol: "TCP", port: gatewayContainerPort(ctx) }],
        },
      ],
    },
  };
}

/** The CA bundle's ConfigMap in a tenant namespace, when the client needs one (see `gatewayCaBundle`). */
export function bucketEncryptionCaConfigMapSpec(ctx: BucketEncryptionContext, tenant: TenantConfig): Spec<k8s.types.input.core.v1.ConfigMap> | undefined {
  const bundle = gatewayCaBundle(ctx);
  if (bundle === undefined) return undefined;
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: siteMetadata(ctx.site, BUCKET_ENCRYPTION_CA_NAME, { namespace: tenant.name, component: BUCKET_ENCRYPTION_COMPONENT, labels: tenantLabels(tenant) }),
    data: { "ca.crt": bundle },
  };
}

/** The environment variables the claim's ConfigMap and Secret provide (Rook v1.20.6). */
export const CLAIM_ENVIRONMENT: readonly string[] = [...ROOK_BUCKET_CLAIM.configMapKeys, ...ROOK_BUCKET_CLAIM.secretKeys];
