/**
 * `storage.bucketEncryption`: the client that sets every tenant bucket's
 * default encryption (SSE-S3) with the claim's own keys, as a zod schema of
 * its own. The image comes from the site's mirror, pinned by digest.
 */
import { z } from "zod";
import { S3_CLIENT_DIGEST, S3_CLIENT_IMAGE } from "../catalog";

/** Five-field cron schedule (minute hour day-of-month month day-of-week), as a CronJob takes it. */
const cronSchedule = z
  .string()
  .regex(/^(\S+\s+){4}\S+$/, { error: "must be a five-field cron schedule such as \"17 * * * *\"" });

/** Bucket encryption settings when config sets none. */
export const BUCKET_ENCRYPTION_DEFAULTS = {
  image: S3_CLIENT_IMAGE,
  digest: S3_CLIENT_DIGEST,
  schedule: "17 * * * *",
} as const;

/** `storage.bucketEncryption`. */
export const bucketEncryptionSchema = z
  .strictObject({
    /** The AWS CLI under `mirrors.imageRegistry`, `repository:tag`. @default "amazon/aws-cli:2.22.35" */
    image: z
      .string()
      .regex(/^[a-z0-9._/-]+:[\w.-]+$/, { error: "must be repository:tag under the image mirror, such as amazon/aws-cli:2.22.35" })
      .default(BUCKET_ENCRYPTION_DEFAULTS.image),
    /** The image's digest as the mirror serves it. @default the digest of amazon/aws-cli:2.22.35 */
    digest: z.string().regex(/^sha256:[a-f0-9]{64}$/, { error: "must be sha256: and 64 hex digits" }).default(BUCKET_ENCRYPTION_DEFAULTS.digest),
    /** When each bucket's encryption is checked again and put back if its owner removed it. @default hourly */
    schedule: cronSchedule.default(BUCKET_ENCRYPTION_DEFAULTS.schedule),
    /**
     * PEM certificates the client trusts for the gateway's own certificate
     * (read only when `storage.objectStore.gatewayCertificateSecret` is set).
     * @default the client image's public CA bundle
     */
    caBundle: z
      .string()
      .regex(/^\s*-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/, { error: "must be PEM certificates (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)" })
      .optional(),
  })
  .refine((b) => b.image === BUCKET_ENCRYPTION_DEFAULTS.image || b.digest !== BUCKET_ENCRYPTION_DEFAULTS.digest, {
    error: `another image needs its own digest: the default digest is that of ${BUCKET_ENCRYPTION_DEFAULTS.image}`,
    path: ["digest"],
  })
  .default({ ...BUCKET_ENCRYPTION_DEFAULTS });

/** The bucket keys of `storage` when a site's config has no `storage` key: no buckets, the default client. */
export const BUCKET_STORAGE_DEFAULTS = { buckets: [] as never[], bucketEncryption: { ...BUCKET_ENCRYPTION_DEFAULTS } };

/** The validated `storage.bucketEncryption`. */
export type BucketEncryptionConfig = z.infer<typeof bucketEncryptionSchema>;
