/**
 * The site's Ceph object store (Rook v1.20.6 `CephObjectStore`), declared so
 * that it serves server-side encryption with the site's Vault (SSE-S3 on the
 * transit engine): without `security.s3`, the gateway encrypts nothing and
 * refuses requests that ask for SSE-S3 (as Velero's backups do). Its pools
 * hold every object, so it is data-bearing, and its pools are preserved if the
 * object is ever deleted.
 */
import { ROOK_OBJECT_SSE_S3 } from "../../catalog";
import type { StorageConfig } from "../../config";
import { siteMetadata } from "../labels";
import type { CustomObjectSpec } from "../spec";
import type { StorageContext } from "./classes";

/** The configured object store. */
export type ObjectStoreConfig = NonNullable<StorageConfig["objectStore"]>;

/** Rook's `security.s3`: SSE-S3 through Vault's transit engine, with the gateway's Vault token. */
export function objectStoreEncryption(storage: StorageConfig): Record<string, unknown> {
  const vault = storage.kms?.vault;
  if (vault === undefined) throw new Error("the object store needs storage.kms for SSE-S3");
  return {
    connectionDetails: {
      KMS_PROVIDER: ROOK_OBJECT_SSE_S3.provider,
      VAULT_ADDR: vault.address,
      VAULT_SECRET_ENGINE: ROOK_OBJECT_SSE_S3.secretEngine,
      ...(vault.caSecret === undefined ? {} : { VAULT_CACERT: vault.caSecret }),
    },
    tokenSecretName: vault.objectGatewayTokenSecret,
  };
}

/** The gateway: https from its own certificate, or http behind a TLS proxy whose forwarded https it trusts. */
function gateway(store: ObjectStoreConfig): Record<string, unknown> {
  const instances = store.gatewayInstances;
  if (store.gatewayCertificateSecret !== undefined) {
    return { instances, securePort: 443, sslCertificateRef: store.gatewayCertificateSecret };
  }
  // Ceph refuses SSE-C and SSE-KMS over plain http (rgw_crypt_require_ssl) unless the proxy that ended TLS
  // says it did (rgw_trust_forwarded_https); SSE-S3 is not gated (rgw_crypt.cc), so in-cluster clients may use http.
  return { instances, port: 80, rgwConfig: { rgw_trust_forwarded_https: "true" } };
}

/** The CephObjectStore, in Rook's cluster namespace. */
export function objectStoreSpec(ctx: StorageContext): CustomObjectSpec {
  const store = ctx.storage.objectStore;
  if (store === undefined) throw new Error("no storage.objectStore");
  const pool = { failureDomain: store.failureDomain, replicated: { size: store.replicas } };
  return {
    apiVersion: "ceph.rook.io/v1",
    kind: "CephObjectStore",
    metadata: siteMetadata(ctx.site, store.name, { namespace: ctx.storage.cephClusterId, component: "storage" }),
    spec: {
      metadataPool: pool,
      dataPool: pool,
      preservePoolsOnDelete: true,
      gateway: gateway(store),
      security: { s3: objectStoreEncryption(ctx.storage) },
    },
  };
}
