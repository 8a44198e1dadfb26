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

/**
 * Volume encryption with Rook v1.20.6. Rook no longer deploys the CSI drivers
 * (since v1.20, commit "csi: move csi management to admin"): the
 * ceph-csi-operator (chart 1.0.4, a subchart of Rook's) runs them from its
 * `Driver` and `OperatorConfig` objects, which the admin's `ceph-csi-drivers`
 * chart declares. The operator setting `CSI_ENABLE_ENCRYPTION` that Rook's
 * `ceph-csi-drivers.md` still names is read by nothing at v1.20.6. What mounts
 * the KMS config into the CSI pods is `spec.encryption.configMapName.name` on
 * a Driver, or `spec.driverSpecDefaults.encryption.configMapName.name` on the
 * OperatorConfig (ceph-csi-operator v1.0.4 `api/v1/driver_types.go`,
 * `internal/controller/driver_controller.go`; chart value
 * `operatorConfig.driverSpecDefaults.encryption.configMapRef.name`): the
 * ConfigMap's key `config.json` lands at `/etc/ceph-csi-encryption-kms-config/`
 * in the driver's namespace (the operator's). CephFS encryption (fscrypt)
 * also needs Linux 6.6 or newer on the nodes.
 */
export const ROOK_CSI_KMS = {
  configMapName: "rook-ceph-csi-kms-config",
  configKey: "config.json",
  operatorConfigName: "ceph-csi-operator-config",
  encryptionValuePath: "operatorConfig.driverSpecDefaults.encryption.configMapRef.name",
  cephFsMinimumKernel: "6.6",
} as const;

/**
 * ceph-csi's KMS types for Vault and the config.json keys each reads
 * (`internal/kms/vault.go`, `vault_sa.go`, `vault_tokens.go`, read at the
 * devel branch of late 2024, after v3.12.2; unchanged in the keys used here
 * since v3.4): every type reads `vaultAddress` (required), `vaultBackend`,
 * `vaultBackendPath`, `vaultNamespace`, `vaultCAFromSecret`; `vault` logs in
 * with the CSI driver's own service account token at `vaultAuthPath` as
 * `vaultRole`; `vaulttenantsa` with a service account in each tenant's
 * namespace (`tenantSAName`); `vaulttokens` with a token Secret in each
 * tenant's namespace (`tenantTokenName`).
 */
export const CEPH_CSI_VAULT_TYPES = {
  kubernetes: "vault",
  "tenant-service-account": "vaulttenantsa",
  "tenant-token": "vaulttokens",
} as const;

/**
 * Server-side encryption in Rook v1.20.6's CephObjectStore (`security.s3`,
 * `pkg/operator/ceph/object/spec.go`): with `KMS_PROVIDER: vault`,
 * `VAULT_ADDR` and `VAULT_SECRET_ENGINE: transit` (the only engine SSE-S3
 * takes), Rook starts the gateways with `rgw crypt sse s3 backend = vault`
 * and the vault prefix `/v1/transit`; the token comes from `tokenSecretName`
 * (key `token`), TLS from the Secrets named by `VAULT_CACERT`. The gateway
 * then serves SSE-S3: requests that ask for `AES256`, and buckets with a
 * default-encryption configuration (Ceph's PutBucketEncryption, AES256
 * only). Without it, a request asking for SSE-S3 is refused.
 */
export const ROOK_OBJECT_SSE_S3 = {
  provider: "vault",
  secretEngine: "transit",
  tokenKey: "token",
} as const;

/**
 * What a bound ObjectBucketClaim gives its namespace (Rook v1.20.6, with the
 * lib-bucket-provisioner it builds on at d1a8c34, `pkg/provisioner/resourcehandlers.go`):
 * a ConfigMap and a Secret, both named as the claim, in the claim's
 * namespace. The ConfigMap holds `BUCKET_HOST` (the store's advertised
 * address: `rook-ceph-rgw-<store>.<namespace>.svc` unless `hosting` says
 * otherwise, `CephObjectStore.GetAdvertiseEndpoint`), `BUCKET_PORT` (the
 * gateway's `securePort` when it serves TLS, else its `port`), `BUCKET_NAME`,
 * and `BUCKET_REGION` / `BUCKET_SUBREGION` (Rook leaves both empty). The
 * Secret holds the bucket owner's `AWS_ACCESS_KEY_ID` and
 * `AWS_SECRET_ACCESS_KEY`. The claim's `status.phase` is `Bound` once all of
 * it exists. Nothing says whether the address speaks TLS: that follows from
 * the store's gateway.
 */
export const ROOK_BUCKET_CLAIM = {
  configMapKeys: ["BUCKET_HOST", "BUCKET_PORT", "BUCKET_NAME", "BUCKET_REGION", "BUCKET_SUBREGION"],
  secretKeys: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
  boundPhase: "Bound",
} as const;

/**
 * The object gateway's pods and ports (Rook v1.20.6,
 * `pkg/operator/ceph/object/spec.go` `getLabels`, `generateService`;
 * `config.go` `portString`): pods carry `app: rook-ceph-rgw` and
 * `rook_object_store: <store>`; the Service's `http` port (`gateway.port`)
 * forwards to the container's 8080 (`rgwPortInternalPort`, off host
 * networking), its `https` port (`gateway.securePort`) to the same number in
 * the container. A NetworkPolicy sees the container's port.
 */
export const ROOK_OBJECT_GATEWAY = {
  appLabel: "app",
  app: "rook-ceph-rgw",
  storeLabel: "rook_object_store",
  httpContainerPort: 8080,
} as const;

/**
 * pulumi-kubernetes (4.18 onwards, 4.34.2 pinned) waits on any object for
 * `pulumi.com/waitFor` (`jsonpath={<path>}=<value>` or `condition=<type>`,
 * as `kubectl wait` takes them) before what depends on it is created: a
 * bucket claim is ready for its users once Rook has bound it.
 */
export const PULUMI_WAIT_FOR = {
  annotation: "pulumi.com/waitFor",
  claimBound: `jsonpath={.status.phase}=${ROOK_BUCKET_CLAIM.boundPhase}`,
} as const;
