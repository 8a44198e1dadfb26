/**
 * Encryption at rest as the storage controllers see it: ceph-csi finds the
 * KMS id every encrypted class names in its KMS config (Rook v1.20.6 with the
 * ceph-csi-operator), in the namespace its drivers run in.
 */
import { describe, expect, it } from "vitest";
import {
  type StorageContext,
  cephCsiVaultConnection,
  csiKmsConfigMapSpec,
  rookOperatorNamespace,
  storageClassSpec,
} from "../../components";
import { CEPH_CSI_VAULT_TYPES, ROOK_CSI_KMS } from "../../catalog";
import { type FactoryConfig, parseFactoryConfig } from "../../config";
import { osloRaw, osloWith, parseConfig, runWith } from "../helpers";

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
