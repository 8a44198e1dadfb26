/**
 * Tenant data: persistent volume claims on the site's storage classes, object
 * bucket claims on the site's object store, and the backup location that
 * copies of it all go to. Every endpoint involved is in the country.
 */
import type * as k8s from "@pulumi/kubernetes";
import { Labels, PULUMI_WAIT_FOR } from "../../catalog";
import { type StorageConfig, type TenantConfig, bucketObjectName } from "../../config";
import { siteMetadata, tenantLabels } from "../labels";
import type { CustomObjectSpec, Spec } from "../spec";
import { type StorageContext, bucketClassName } from "./classes";

/** One configured volume. */
export type VolumeConfig = StorageConfig["volumes"][number];
/** One configured bucket. */
export type BucketConfig = StorageConfig["buckets"][number];
/** The configured backup location. */
export type BackupConfig = NonNullable<StorageConfig["backup"]>;

/** Inputs for tenant data specs: the site's storage and its tenants. */
export interface TenantDataContext extends StorageContext {
  /** Every tenant of the site. */
  readonly tenants: readonly TenantConfig[];
}

function tenantOf(ctx: TenantDataContext, name: string): TenantConfig {
  const tenant = ctx.tenants.find((t) => t.name === name);
  if (!tenant) throw new Error(`unknown tenant '${name}'`);
  return tenant;
}

/** Access mode when a volume sets none: shared filesystems are mounted by many pods. */
export function defaultAccessMode(ctx: StorageContext, vol: VolumeConfig): string {
  const cls = ctx.storage.classes.find((c) => c.name === vol.class);
  return cls?.type === "filesystem" ? "ReadWriteMany" : "ReadWriteOnce";
}

/** A tenant's PersistentVolumeClaim. */
export function volumeClaimSpec(
  ctx: TenantDataContext,
  vol: VolumeConfig,
): Spec<k8s.types.input.core.v1.PersistentVolumeClaim> {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: siteMetadata(ctx.site, vol.name, {
      namespace: vol.tenant,
      component: "volume",
      labels: { ...tenantLabels(tenantOf(ctx, vol.tenant)), [Labels.dataPurpose]: vol.purpose },
    }),
    spec: {
      accessModes: [vol.accessMode ?? defaultAccessMode(ctx, vol)],
      storageClassName: vol.class,
      resources: { requests: { storage: vol.size } },
    },
  };
}

/** The bucket's name in the object store: site, tenant and bucket, so it is unique and readable. */
export function bucketName(ctx: StorageContext, bucket: BucketConfig): string {
  return bucketObjectName(ctx.site.name, bucket.tenant, bucket.name);
}

/**
 * A tenant's ObjectBucketClaim on the site's object store. `pulumi up` waits
 * until Rook has bound it (its ConfigMap and Secret exist) before the Job
 * that encrypts its bucket starts.
 */
export function bucketClaimSpec(ctx: TenantDataContext, bucket: BucketConfig): CustomObjectSpec {
  return {
    apiVersion: "objectbucket.io/v1alpha1",
    kind: "ObjectBucketClaim",
    metadata: siteMetadata(ctx.site, bucket.name, {
      namespace: bucket.tenant,
      component: "bucket",
      labels: tenantLabels(tenantOf(ctx, bucket.tenant)),
      annotations: { [PULUMI_WAIT_FOR.annotation]: PULUMI_WAIT_FOR.claimBound },
    }),
    spec: { bucketName: bucketName(ctx, bucket), storageClassName: bucketClassName(ctx) },
  };
}

/**
 * The Velero BackupStorageLocation. `s3Url` is always set: without it the S3
 * plugin falls back to the public AWS endpoint. Path-style addressing because
 * in-country S3 stores (Ceph RGW, MinIO) do not serve bucket subdomains.
 */
export function backupLocationSpec(ctx: StorageContext, backup: BackupConfig): CustomObjectSpec {
  return {
    apiVersion: "velero.io/v1",
    kind: "BackupStorageLocation",
    metadata: siteMetadata(ctx.site, backup.name, { namespace: backup.namespace, component: "backup" }),
    spec: {
      provider: "aws",
      default: true,
      accessMode: "ReadWrite",
      objectStorage: { bucket: backup.bucket, ...(backup.prefix === undefined ? {} : { prefix: backup.prefix }) },
      credential: { name: backup.credentialSecret, key: "cloud" },
      config: {
        region: backup.region,
        s3Url: backup.s3Url,
        s3ForcePathStyle: "true",
        // Velero's AWS plugin asks the store for this on every upload; "none" asks nothing.
        ...(backup.serverSideEncryption === "none" ? {} : { serverSideEncryption: backup.serverSideEncryption }),
      },
    },
  };
}
