/**
 * Encryption at rest as the storage controllers see it: ceph-csi finds the
 * KMS id every encrypted class names in its KMS config (Rook v1.20.6 with the
 * ceph-csi-operator), in the namespace its drivers run in.
 */
import { describe, expect, it } from "vitest";
import {
  type StorageContext,
  backupLocationSpec,
  bucketClassSpec,
  cephCsiVaultConnection,
  csiEncryptionPatchSpec,
  csiKmsConfigMapSpec,
  objectStoreSpec,
  rookOperatorNamespace,
  storageClassSpec,
} from "../../components";
import { CEPH_CSI_VAULT_TYPES, ROOK_CSI_KMS } from "../../catalog";
import { type FactoryConfig, parseFactoryConfig } from "../../config";
import { type FleetSite, fleetProblems } from "../../plan";
import { IN_COUNTRY_DATA_DEFAULTS, inCountryDataViolations } from "../../policies/inCountryData";
import type { ResourceView } from "../../policies/lib/resource";
import * as path from "node:path";
import { CONFIG_NAMESPACE } from "../../config";
import { readStackConfig } from "../../plan";
import { ROOT, osloRaw, osloWith, parseConfig, runWith } from "../helpers";

/** The Rjukan stack's config sections. */
function rjukanRaw(): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(readStackConfig(path.join(ROOT, "Pulumi.rjukan.yaml")))) {
    raw[k.slice(CONFIG_NAMESPACE.length + 1)] = JSON.parse(v) as unknown;
  }
  return raw;
}

const ctxOf = (config: FactoryConfig): StorageContext => ({ site: config.site, storage: config.storage });
const oslo = parseConfig();
const kmsConfig = (config: FactoryConfig) => {
  const cm = csiKmsConfigMapSpec(ctxOf(config));
  return JSON.parse(cm.data![ROOK_CSI_KMS.configKey]!) as Record<string, Record<string, string>>;
};

/** What ceph-csi does with a class's encryptionKMSID: looks it up in config.json, then needs vaultAddress (vault.go). */
function cephCsiResolves(config: Record<string, Record<string, string>>, kmsId: string): string | undefined {
  const entry = config[kmsId];
  if (entry === undefined) return `missing encryption KMS configuration with ${kmsId}`;
  if (!Object.values(CEPH_CSI_VAULT_TYPES).includes(entry["encryptionKMSType"] as never)) return "unknown KMS type";
  if ((entry["vaultAddress"] ?? "") === "") return "vaultAddress missing";
  return undefined;
}

describe("ceph-csi's KMS config", () => {
  it("holds the KMS id every encrypted class names, with a Vault it can reach", () => {
    const config = kmsConfig(oslo);
    const encrypted = oslo.storage.classes.filter((c) => c.encrypted);
    expect(encrypted.length).toBeGreaterThan(0);
    for (const cls of encrypted) {
      const kmsId = storageClassSpec(ctxOf(oslo), cls).parameters!["encryptionKMSID"]!;
      expect(cephCsiResolves(config, kmsId), cls.name).toBeUndefined();
    }
    expect(cephCsiResolves(config, "some-other-kms")).toMatch(/missing/);
  });

  it("is the ConfigMap the drivers mount, in the operator's namespace (Rook's cluster namespace unless set)", () => {
    const cm = csiKmsConfigMapSpec(ctxOf(oslo));
    expect(cm.metadata).toMatchObject({ name: "rook-ceph-csi-kms-config", namespace: "rook-ceph" });
    const custom = parseConfig(osloWith({ "storage.kms.namespace": "rook-operator" }));
    expect(csiKmsConfigMapSpec(ctxOf(custom)).metadata?.namespace).toBe("rook-operator");
    expect(rookOperatorNamespace(custom.storage)).toBe("rook-operator");
  });

  it("logs in with the CSI driver's service account by default, and with each tenant's own when asked", () => {
    expect(kmsConfig(oslo)["vault-oslo-1"]).toEqual({
      encryptionKMSType: "vault",
      vaultAddress: "https://vault.oslo-1.aifactory.no:8200",
      vaultBackend: "kv-v2",
      vaultBackendPath: "secret/",
      vaultAuthPath: "/v1/auth/kubernetes/login",
      vaultRole: "ceph-csi-oslo-1",
    });
    const tenantSa = parseConfig(osloWith({ "storage.kms.vault.auth.method": "tenant-service-account" })).storage.kms!;
    expect(cephCsiVaultConnection(tenantSa)).toMatchObject({ encryptionKMSType: "vaulttenantsa", vaultRole: "ceph-csi-oslo-1" });
    const tokens = parseConfig(osloWith({ "storage.kms.vault.auth.method": "tenant-token", "storage.kms.vault.caSecret": "vault-ca" }))
      .storage.kms!;
    expect(cephCsiVaultConnection(tokens)).toEqual(
      expect.objectContaining({ encryptionKMSType: "vaulttokens", vaultCAFromSecret: "vault-ca" }),
    );
    expect(cephCsiVaultConnection(tokens)["vaultRole"]).toBeUndefined();
  });

  it("is kept on destroy like the data it unlocks, and the classes wait for it", async () => {
    const { resources } = await runWith(osloRaw());
    const cm = resources.find((r) => (r.inputs["metadata"] as { name?: string } | undefined)?.name === "rook-ceph-csi-kms-config")!;
    expect(cm.options).toMatchObject({ retainOnDelete: true, protect: true });
    const classes = resources.filter((r) => r.inputs["kind"] === "StorageClass" && r.name.includes("-class-"));
    expect(classes.length).toBe(2);
    for (const cls of classes) expect(cls.options.dependsOn, cls.name).toContain(cm.urn);
  });
});

describe("the KMS in config", () => {
  const problemsOf = (changes: Record<string, unknown>) => {
    const result = parseFactoryConfig(osloWith(changes));
    return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
  };

  it("is required when a class is encrypted, naming the class and the KMS id", () => {
    expect(problemsOf({ "storage.kms": undefined })).toContainEqual(expect.stringMatching(/^storage\.kms: is required: storage\.classes\[0\] is encrypted.*'vault-oslo-1'/));
  });

  it("is required with an object store, which encrypts objects with it", () => {
    const raw = {
      "storage.kms": undefined,
      "storage.classes[0].encrypted": false,
      "storage.classes[1].encrypted": false,
    };
    expect(problemsOf(raw)).toContainEqual(expect.stringMatching(/^storage\.kms: is required with storage\.objectStore/));
  });

  it("refuses a Vault outside the country, or not on https", () => {
    expect(problemsOf({ "storage.kms.vault.address": "https://vault.example.com" })).toContainEqual(
      expect.stringMatching(/^storage\.kms\.vault\.address: must be an https:\/\/ URL of an in-country Vault/),
    );
    expect(problemsOf({ "storage.kms.vault.address": "http://vault.oslo-1.aifactory.no" })).toContainEqual(
      expect.stringMatching(/^storage\.kms\.vault\.address: must be an https/),
    );
  });
});

/**
 * Whether Rook v1.20.6 starts a CephObjectStore's gateways with SSE-S3
 * (`CheckRGWSSES3Enabled`, `ValidateConnectionDetails` in
 * pkg/operator/ceph/object/spec.go and pkg/daemon/ceph/osd/kms/kms.go):
 * connection details present, KMS_PROVIDER and VAULT_ADDR set, a token Secret
 * (or Kubernetes/agent auth), and the transit engine.
 */
function rookServesSseS3(spec: Record<string, unknown>): string | undefined {
  const s3 = (spec["security"] as { s3?: { connectionDetails?: Record<string, string>; tokenSecretName?: string } } | undefined)?.s3;
  const details = s3?.connectionDetails ?? {};
  if (Object.keys(details).length === 0) return "SSE-S3 off: no security.s3.connectionDetails";
  if ((details["KMS_PROVIDER"] ?? "") === "") return "KMS_PROVIDER cannot be empty";
  if ((details["VAULT_ADDR"] ?? "") === "") return "VAULT_ADDR missing";
  const auth = details["VAULT_AUTH_METHOD"];
  if ((s3?.tokenSecretName ?? "") === "" && auth !== "kubernetes" && auth !== "agent") return "missing token in spec";
  if (details["VAULT_SECRET_ENGINE"] !== "transit") return "vault secret engine is not transit";
  return undefined;
}

const view = (spec: object, name: string): ResourceView => ({
  type: "kubernetes:test",
  name,
  urn: `urn:test::${name}`,
  props: { ...spec },
});

describe("the site's object store", () => {
  const store = objectStoreSpec(ctxOf(oslo));

  it("is the store the bucket class names, in Rook's cluster namespace", () => {
    const params = bucketClassSpec(ctxOf(oslo)).parameters!;
    expect(store.metadata).toMatchObject({ name: params["objectStoreName"], namespace: params["objectStoreNamespace"] });
    expect(store.apiVersion).toBe("ceph.rook.io/v1");
  });

  it("serves SSE-S3 with the site's Vault, as Rook v1.20.6 requires to switch it on", () => {
    expect(rookServesSseS3(store.spec)).toBeUndefined();
    expect(store.spec["security"]).toEqual({
      s3: {
        connectionDetails: { KMS_PROVIDER: "vault", VAULT_ADDR: "https://vault.oslo-1.aifactory.no:8200", VAULT_SECRET_ENGINE: "transit" },
        tokenSecretName: "rgw-vault-token",
      },
    });
    expect(rookServesSseS3({})).toMatch(/off/);
  });

  it("takes https from its own certificate, or trusts the forwarded https of the proxy that ends TLS (Ceph refuses SSE over http)", () => {
    expect(store.spec["gateway"]).toEqual({ instances: 2, port: 80, rgwConfig: { rgw_trust_forwarded_https: "true" } });
    const own = parseConfig(osloWith({ "storage.objectStore.gatewayCertificateSecret": "s3-oslo-1-tls" }));
    expect(objectStoreSpec(ctxOf(own)).spec["gateway"]).toEqual({ instances: 2, securePort: 443, sslCertificateRef: "s3-oslo-1-tls" });
  });

  it("keeps its pools when the object is deleted, and is kept and protected itself; the bucket class waits for it", async () => {
    expect(store.spec["preservePoolsOnDelete"]).toBe(true);
    const { resources } = await runWith(osloRaw());
    const cr = resources.find((r) => r.inputs["kind"] === "CephObjectStore")!;
    expect(cr.options).toMatchObject({ retainOnDelete: true, protect: true });
    const bucketClass = resources.find((r) => r.name.endsWith("-bucket-class"))!;
    expect(bucketClass.options.dependsOn).toContain(cr.urn);
  });
});

describe("in-country-data on bucket classes", () => {
  const bucketClass = view(bucketClassSpec(ctxOf(oslo)), "bucket-class");
  const store = view(objectStoreSpec(ctxOf(oslo)), "store");
  const check = (resources: ResourceView[]) =>
    inCountryDataViolations(resources, IN_COUNTRY_DATA_DEFAULTS).map((v) => v.message);

  it("passes a bucket class whose object store is declared with server-side encryption", () => {
    expect(check([bucketClass, store])).toEqual([]);
  });

  it("refuses one whose object store is not declared, or encrypts nothing: Ceph's gateway does not encrypt on its own", () => {
    expect(check([bucketClass])).toEqual([
      expect.stringMatching(/parameters\.objectStoreName = "rook-ceph\/oslo-1-objects" is not a CephObjectStore declared in this stack with server-side encryption/),
    ]);
    const plain = objectStoreSpec(ctxOf(oslo));
    delete plain.spec["security"];
    expect(check([bucketClass, view(plain, "plain-store")])).toHaveLength(1);
  });
});

describe("the backup location's server-side encryption", () => {
  const sites = (): FleetSite[] =>
    ["oslo", "rjukan"].map((stack) => ({
      stack,
      config: stack === "oslo" ? oslo : parseConfig(rjukanRaw()),
      violations: [],
    }));

  it("asks for SSE-S3 (AES256) by default, and nothing when set to none", () => {
    expect(backupLocationSpec(ctxOf(oslo), oslo.storage.backup!).spec["config"]).toMatchObject({ serverSideEncryption: "AES256" });
    const none = parseConfig(osloWith({ "storage.backup.serverSideEncryption": "none" }));
    expect(backupLocationSpec(ctxOf(none), none.storage.backup!).spec["config"]).not.toHaveProperty("serverSideEncryption");
  });

  it("matches what the target site serves: its declared object store serves SSE-S3, an undeclared one may refuse it", () => {
    expect(fleetProblems(sites())).toEqual([]);
    const [osloSite, rjukanSite] = sites();
    const noStore = { ...rjukanSite!, config: { ...rjukanSite!.config, storage: { ...rjukanSite!.config.storage, objectStore: undefined } } };
    expect(fleetProblems([osloSite!, noStore]).map((p) => p.rule)).toEqual(["backup-encryption"]);
    const asksNothing = {
      ...osloSite!,
      config: { ...oslo, storage: { ...oslo.storage, backup: { ...oslo.storage.backup!, serverSideEncryption: "none" as const } } },
    };
    expect(fleetProblems([asksNothing, noStore])).toEqual([]);
  });
});

describe("the drivers' encryption switch (ceph-csi-operator's OperatorConfig)", () => {
  const patch = csiEncryptionPatchSpec(ctxOf(oslo));

  it("points the drivers' default encryption at the KMS ConfigMap, in the same namespace, and sets nothing else", () => {
    const cm = csiKmsConfigMapSpec(ctxOf(oslo));
    expect(patch).toEqual({
      apiVersion: "csi.ceph.io/v1",
      kind: "OperatorConfig",
      metadata: {
        name: "ceph-csi-operator-config",
        namespace: cm.metadata?.namespace,
        labels: expect.objectContaining({ "aifactory.no/site": "oslo-1" }) as unknown,
        annotations: { "pulumi.com/patchFieldManager": "aifactory-csi-encryption" },
      },
      spec: { driverSpecDefaults: { encryption: { configMapName: { name: cm.metadata?.name } } } },
    });
    expect(Object.keys((patch.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {}).filter((k) => k.startsWith("app.kubernetes.io/"))).toEqual([]);
  });

  it("is kept on destroy (deleting a patch relinquishes its field, and the drivers would lose the KMS mount)", async () => {
    const { resources } = await runWith(osloRaw());
    const r = resources.find((x) => x.type === "kubernetes:csi.ceph.io/v1:OperatorConfigPatch")!;
    expect(r.options).toMatchObject({ retainOnDelete: true });
    const classes = resources.filter((x) => x.inputs["kind"] === "StorageClass" && x.name.includes("-class-"));
    for (const cls of classes) expect(cls.options.dependsOn, cls.name).toContain(r.urn);
  });

  it("refuses a tenant named like the operator's namespace", () => {
    const result = parseFactoryConfig(osloWith({ "storage.kms.namespace": "research" }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message).join("\n")).toMatch(/storage\.kms\.namespace/);
  });
});
