/**
 * Facts about the S3 client the factory runs to set each tenant bucket's
 * default encryption, and about what the Ceph object gateway does with it.
 *
 * The client is the AWS CLI v2 image (`amazon/aws-cli`, Amazon Linux 2 with
 * `/bin/sh`, entrypoint `aws`, runs as whatever user the pod says). 2.22.35
 * is the last release before 2.23.0, which stopped sending `Content-MD5` on
 * operations S3's model marks as needing a checksum (it sends
 * `x-amz-checksum-crc32` instead: aws/aws-cli#9215); S3-compatible stores
 * that still want MD5 refuse those, so the pin keeps MD5. The digest is the
 * image index Docker Hub serves for that tag; a mirror that copies the index
 * whole (`skopeo copy --all`, or a pull-through cache) serves the same digest.
 *
 * Ceph's object gateway (rgw_rest_s3.cc `get_encryption_defaults`,
 * rgw_crypt.cc `rgw_s3_prepare_encrypt`, read on ceph main of 2025, the
 * SSE-S3 paths unchanged since Quincy): a bucket's default encryption
 * (`PutBucketEncryption`, stored as the bucket attribute `sse-s3.policy`) is
 * applied to every upload that names no encryption, as if the upload had
 * sent `x-amz-server-side-encryption: AES256`; `AES256` is SSE-S3, served
 * only with `rgw_crypt_sse_s3_backend = vault` (what Rook sets from
 * `security.s3`) and refused otherwise. SSE-S3 is not gated by
 * `rgw_crypt_require_ssl` (only SSE-C and SSE-KMS are). The owner of a
 * bucket may read, set and delete its encryption with the bucket's own keys.
 */

/** The AWS CLI under the site's image mirror, `repository:tag`. */
export const S3_CLIENT_IMAGE = "amazon/aws-cli:2.22.35";

/** Digest of `amazon/aws-cli:2.22.35` (the multi-architecture index). */
export const S3_CLIENT_DIGEST = "sha256:6977c83ae3dc99f28fcf8276b9ea5eec33833cd5be40574b34112e98113ec7a2";

/** The only default encryption the gateway serves with a Vault: SSE-S3. */
export const SSE_S3_ALGORITHM = "AES256";
