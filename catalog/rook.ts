/**
 * Facts about Rook-Ceph (v1.20.6) that the factory relies on.
 */

/**
 * StorageClass parameters Rook's object bucket provisioner reads
 * (`pkg/operator/ceph/object/bucket/provisioner.go` and the
 * lib-bucket-provisioner it builds on, v1.20.6). Anything else on a bucket
 * class is ignored.
 */
export const ROOK_BUCKET_CLASS_PARAMETERS: ReadonlySet<string> = new Set([
  "objectStoreName",
  "objectStoreNamespace",
  "endpoint",
  "bucketName",
  "bucketPlacement",
  "bucketStorageClass",
]);
