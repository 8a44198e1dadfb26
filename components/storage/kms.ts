/**
 * The site's KMS as the storage controllers read it: ceph-csi's
 * `rook-ceph-csi-kms-config` ConfigMap, whose `config.json` maps the KMS id
 * the encrypted StorageClasses name (`encryptionKMSID`) to the site's Vault.
 * Without it (and without the drivers mounting it) an encrypted class
 * provisions nothing. Facts in `catalog/rook.ts` (Rook v1.20.6, ceph-csi).
 */
import type * as k8s from "@pulumi/kubernetes";
import { CEPH_CSI_VAULT_TYPES, ROOK_CSI_KMS } from "../../catalog";
import type { KmsConfig, StorageConfig } from "../../config";
import { siteLabels, siteMetadata } from "../labels";
import type { Spec } from "../spec";
import type { StorageContext } from "./classes";

/** Where the Rook operator and the ceph-csi drivers run: `storage.kms.namespace`, else Rook's cluster namespace. */
export function rookOperatorNamespace(storage: Pick<StorageConfig, "kms" | "cephClusterId">): string {
  return storage.kms?.namespace ?? storage.cephClusterId;
}

/** Whether any of the site's storage needs the KMS: an encrypted class, or buckets (SSE-S3 on the object store). */
export function needsKms(storage: Pick<StorageConfig, "classes" | "buckets" | "objectStore">): boolean {
  return storage.classes.some((c) => c.encrypted) || storage.objectStore !== undefined;
}

/** One KMS connection of ceph-csi's `config.json`, for the configured Vault and auth method. */
export function cephCsiVaultConnection(kms: KmsConfig): Record<string, string> {
  const vault = kms.vault;
  const method = vault.auth.method;
  const common: Record<string, string> = {
    encryptionKMSType: CEPH_CSI_VAULT_TYPES[method],
    vaultAddress: vault.address,
    vaultBackend: vault.backend,
    vaultBackendPath: vault.backendPath,
    ...(vault.namespace === undefined ? {} : { vaultNamespace: vault.namespace }),
    ...(vault.caSecret === undefined ? {} : { vaultCAFromSecret: vault.caSecret }),
  };
  // The tenant-token type has no login of its own: each tenant's token Secret is the credential.
  if (method === "tenant-token") return common;
  return { ...common, vaultAuthPath: vault.auth.path, vaultRole: vault.auth.role };
}

/** The ConfigMap ceph-csi reads its KMS connections from, in the operator's namespace. */
export function csiKmsConfigMapSpec(ctx: StorageContext): Spec<k8s.types.input.core.v1.ConfigMap> {
  const kms = ctx.storage.kms;
  if (kms === undefined) throw new Error("encrypted storage needs storage.kms");
  const config = { [ctx.storage.encryptionKmsId]: cephCsiVaultConnection(kms) };
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: siteMetadata(ctx.site, ROOK_CSI_KMS.configMapName, {
      namespace: rookOperatorNamespace(ctx.storage),
      component: "storage",
    }),
    data: { [ROOK_CSI_KMS.configKey]: JSON.stringify(config, null, 2) },
  };
}

/** The field manager that owns only the drivers' encryption setting on the ceph-csi-operator's OperatorConfig. */
export const CSI_ENCRYPTION_FIELD_MANAGER = "aifactory-csi-encryption";

/**
 * A server-side patch of the ceph-csi-operator's OperatorConfig (which the
 * admin's `ceph-csi-drivers` chart declares) that sets only
 * `driverSpecDefaults.encryption`: the operator then mounts the KMS config
 * into every driver that sets no encryption of its own (ceph-csi-operator
 * v1.0.4 merges the defaults into each Driver). This is Rook v1.20's
 * "switch CSI encryption on"; `CSI_ENABLE_ENCRYPTION` is read by nothing.
 */
export function csiEncryptionPatchSpec(ctx: StorageContext): k8s.apiextensions.CustomResourcePatchArgs {
  return {
    apiVersion: "csi.ceph.io/v1",
    kind: "OperatorConfig",
    // The site's labels only: `app.kubernetes.io/*` (managed-by: Helm) are the chart's, and a
    // server-side apply of another value would conflict with its manager.
    metadata: {
      name: ROOK_CSI_KMS.operatorConfigName,
      namespace: rookOperatorNamespace(ctx.storage),
      labels: siteLabels(ctx.site),
      annotations: { "pulumi.com/patchFieldManager": CSI_ENCRYPTION_FIELD_MANAGER },
    },
    spec: { driverSpecDefaults: { encryption: { configMapName: { name: ROOK_CSI_KMS.configMapName } } } },
  };
}
