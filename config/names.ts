/**
 * Names the factory derives from config, in one place, so that config can
 * check the names Kubernetes and the object store will see (not only the
 * user's string) and components build them the same way.
 */

/** The name shared by a Cluster API pool's objects: `<site>-<pool>` (also a label value, so at most 63 characters). */
export function capiObjectName(site: string, pool: string): string {
  return `${site}-${pool}`;
}

/** The object-store name of a tenant's bucket: `<site>-<tenant>-<bucket>` (an S3 bucket name, at most 63 characters). */
export function bucketObjectName(site: string, tenant: string, bucket: string): string {
  return `${site}-${tenant}-${bucket}`;
}

/** The Gateway listener that serves one service's hostname over HTTPS. */
export function listenerName(tenant: string, service: string): string {
  return `https-${tenant}-${service}`;
}

/** Most characters in a label value and in an S3 bucket name. */
export const MAX_LABEL_VALUE = 63;
