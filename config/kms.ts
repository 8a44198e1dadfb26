/**
 * `storage.kms`: the site's Vault, which holds the keys of encrypted volumes
 * (through ceph-csi) and of encrypted objects (through the Ceph object
 * gateway). Kept beside the storage section it belongs to.
 */
import { z } from "zod";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const label = z.string().max(63).regex(DNS_LABEL, {
  error: "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit",
});

/** How ceph-csi authenticates to Vault (its `encryptionKMSType`): see `catalog/rook.ts`. */
export const VAULT_AUTH_METHODS = ["kubernetes", "tenant-service-account", "tenant-token"] as const;

const AUTH_DEFAULTS = { method: "kubernetes", path: "/v1/auth/kubernetes/login", role: "csi-kubernetes" } as const;

const vaultSchema = z.strictObject({
  /** Vault's https address; must be in the country (checked with the other endpoints). */
  address: z.string().regex(/^https:\/\/[^\s/]+(\/\S*)?$/, { error: "must be an https:// URL of the site's Vault" }),
  /** Path of the KV secrets engine that holds volume passphrases (ceph-csi `vaultBackendPath`). @default "secret/" */
  backendPath: z.string().min(1).default("secret/"),
  /** Version of that KV engine (ceph-csi `vaultBackend`). @default "kv-v2" */
  backend: z.enum(["kv-v2", "kv"]).default("kv-v2"),
  /** Vault Enterprise namespace, if any (ceph-csi `vaultNamespace`). */
  namespace: z.string().min(1).optional(),
  /** Secret (in Rook's namespace) holding Vault's CA certificate, for a private CA. */
  caSecret: label.optional(),
  /** How volumes' keys are fetched. @default kubernetes auth with ceph-csi's own service account */
  auth: z
    .strictObject({
      /** `kubernetes`: the CSI driver's service account; `tenant-service-account` / `tenant-token`: each tenant's own. */
      method: z.enum(VAULT_AUTH_METHODS).default(AUTH_DEFAULTS.method),
      /** Login path of Vault's Kubernetes auth mount (ceph-csi `vaultAuthPath`). */
      path: z.string().regex(/^\/v1\/auth\/[^\s]+\/login$/, { error: "must be a Vault login path such as /v1/auth/kubernetes/login" }).default(AUTH_DEFAULTS.path),
      /** Vault role bound to the service account (ceph-csi `vaultRole`). */
      role: z.string().min(1).default(AUTH_DEFAULTS.role),
    })
    .default(AUTH_DEFAULTS),
  /**
   * Secret (in Rook's namespace, key `token`) with the Vault token the object
   * gateway uses for SSE-S3 on the transit engine (Rook v1.20.6 supports a
   * token or a Vault Agent sidecar there, not Kubernetes auth).
   * @default "rgw-vault-token"
   */
  objectGatewayTokenSecret: label.default("rgw-vault-token"),
});

/** `storage.kms`. */
export const kmsSchema = z.strictObject({
  /** The site's Vault. */
  vault: vaultSchema,
  /**
   * Namespace of the Rook operator and the ceph-csi drivers, where ceph-csi
   * reads its KMS config. @default storage.cephClusterId (Rook's single-namespace install)
   */
  namespace: label.optional(),
});

/** The site's KMS settings. */
export type KmsConfig = z.output<typeof kmsSchema>;
