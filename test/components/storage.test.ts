import { describe, expect, it } from "vitest";
import {
  type TenantDataContext,
  backupLocationSpec,
  bucketClaimSpec,
  bucketClassSpec,
  storageClassSpec,
  volumeClaimSpec,
} from "../../components";
import { ROOK_BUCKET_CLASS_PARAMETERS } from "../../catalog";
import type { FactoryConfig } from "../../config";
import { osloRaw, osloWith, parseConfig, runWith } from "../helpers";

const parse = parseConfig;

function context(config: FactoryConfig): TenantDataContext {
  return { site: config.site, storage: config.storage, tenants: config.tenants };
}

const oslo = parse();
const ctx = context(oslo);

describe("storage classes", () => {
  it("pin volumes to exactly the site's zones", () => {
    const cls = storageClassSpec(ctx, oslo.storage.classes[0]!);
    expect(cls.allowedTopologies).toEqual([
      { matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: ["no-oslo-1a", "no-oslo-1b"] }] },
    ]);
  });

  it("pin to a subset of zones when the class names them", () => {
    const custom = parse(osloWith({ "storage.classes[0].zones": ["no-oslo-1b"] }));
    const cls = storageClassSpec(context(custom), custom.storage.classes[0]!);
    expect(cls.allowedTopologies?.[0]?.matchLabelExpressions?.[0]?.values).toEqual(["no-oslo-1b"]);
  });

  it("encrypt with keys from the site's KMS, retain released volumes and bind where the pod runs", () => {
    const block = storageClassSpec(ctx, oslo.storage.classes[0]!);
    expect(block).toMatchObject({
      provisioner: "rook-ceph.rbd.csi.ceph.com",
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      parameters: { encrypted: "true", encryptionKMSID: "vault-oslo-1", clusterID: "rook-ceph", pool: "replicapool" },
    });
    const shared = storageClassSpec(ctx, oslo.storage.classes[1]!);
    expect(shared.provisioner).toBe("rook-ceph.cephfs.csi.ceph.com");
    expect(shared.parameters).toMatchObject({ encrypted: "true", encryptionKMSID: "vault-oslo-1", fsName: "aifactory-fs" });
  });

  it("take a custom provisioner and parameters from config", () => {
    const custom = parse(
      osloWith({ "storage.classes[0].provisioner": "csi.example.no", "storage.classes[0].parameters": { pool: "fast-nvme" } }),
    );
    const cls = storageClassSpec(context(custom), custom.storage.classes[0]!);
    expect(cls.provisioner).toBe("csi.example.no");
    expect(cls.parameters).toMatchObject({ pool: "fast-nvme", encrypted: "true" });
  });

  it("leave out encryption only for a class configured unencrypted", () => {
    const custom = parse(osloWith({ "storage.classes[0].encrypted": false, "storage.volumes[2].class": "ceph-shared" }));
    expect(storageClassSpec(context(custom), custom.storage.classes[0]!).parameters).not.toHaveProperty("encrypted");
  });

  it("give bucket claims a class on the site's object store, in the site's zones", () => {
    expect(bucketClassSpec(ctx)).toMatchObject({
      metadata: { name: "oslo-1-objects-buckets" },
      provisioner: "rook-ceph.ceph.rook.io/bucket",
      reclaimPolicy: "Retain",
      parameters: { objectStoreName: "oslo-1-objects", objectStoreNamespace: "rook-ceph" },
      allowedTopologies: [{ matchLabelExpressions: [{ values: ["no-oslo-1a", "no-oslo-1b"] }] }],
    });
  });

  it("set on the bucket class only parameters Rook's bucket provisioner reads", () => {
    const unread = Object.keys(bucketClassSpec(ctx).parameters ?? {}).filter((k) => !ROOK_BUCKET_CLASS_PARAMETERS.has(k));
    expect(unread).toEqual([]);
  });
});

describe("tenant data", () => {
  it("claims a shared model cache readable by many pods on the filesystem class", () => {
    const pvc = volumeClaimSpec(ctx, oslo.storage.volumes[0]!);
    expect(pvc.metadata).toMatchObject({
      name: "models",
      namespace: "logistics",
      labels: { "aifactory.no/tenant": "logistics", "aifactory.no/data-purpose": "models", "aifactory.no/site": "oslo-1" },
    });
    expect(pvc.spec).toEqual({
      accessModes: ["ReadWriteMany"],
      storageClassName: "ceph-shared",
      resources: { requests: { storage: "2Ti" } },
    });
  });

  it("claims block volumes for one pod at a time", () => {
    expect(volumeClaimSpec(ctx, oslo.storage.volumes[2]!).spec?.accessModes).toEqual(["ReadWriteOnce"]);
  });

  it("claims buckets named after site, tenant and bucket", () => {
    expect(bucketClaimSpec(ctx, oslo.storage.buckets[0]!)).toMatchObject({
      apiVersion: "objectbucket.io/v1alpha1",
      kind: "ObjectBucketClaim",
      metadata: { name: "training-data", namespace: "research" },
      spec: { bucketName: "oslo-1-research-training-data", storageClassName: "oslo-1-objects-buckets" },
    });
  });

  it("backs up to an in-country https endpoint, path-style, encrypted, in a Norwegian region", () => {
    const bsl = backupLocationSpec(ctx, oslo.storage.backup!);
    expect(bsl.metadata).toMatchObject({ name: "site-backup", namespace: "velero" });
    expect(bsl.spec).toEqual({
      provider: "aws",
      default: true,
      accessMode: "ReadWrite",
      objectStorage: { bucket: "aifactory-oslo-1-backup" },
      credential: { name: "velero-backup-credentials", key: "cloud" },
      config: {
        region: "no-rjukan-1",
        s3Url: "https://s3.rjukan-1.aifactory.no",
        s3ForcePathStyle: "true",
        serverSideEncryption: "AES256",
      },
    });
  });
});

describe("data survives destroy and renames", () => {
  // The recording monitor captures each RegisterResource request exactly as the
  // Pulumi engine would receive it, including the retainOnDelete and protect
  // flags; those flags are what make the engine keep a resource on destroy and
  // refuse to delete or replace it on a rename.
  const dataKinds = new Set(["StorageClass", "PersistentVolumeClaim", "ObjectBucketClaim", "BackupStorageLocation"]);

  it("marks every storage class, volume, bucket claim, backup location and tenant namespace retained and protected", async () => {
    const { resources } = await runWith(osloRaw());
    const data = resources.filter(
      (r) =>
        dataKinds.has(String(r.inputs["kind"])) ||
        (r.inputs["kind"] === "Namespace" && r.parent?.includes("tenant:Tenant")),
    );
    expect(data.map((r) => r.inputs["kind"]).sort()).toEqual([
      "BackupStorageLocation",
      "Namespace",
      "Namespace",
      "Namespace",
      "ObjectBucketClaim",
      "PersistentVolumeClaim",
      "PersistentVolumeClaim",
      "PersistentVolumeClaim",
      "PersistentVolumeClaim",
      "StorageClass",
      "StorageClass",
      "StorageClass",
    ]);
    for (const r of data) expect(r.options, r.name).toMatchObject({ retainOnDelete: true, protect: true });
  });

  it("does not protect resources that hold no data", async () => {
    const { resources } = await runWith(osloRaw());
    // ceph-csi's KMS config is kept like the data: encrypted volumes cannot be opened without it.
    const kmsConfig = (r: { inputs: Record<string, unknown> }) =>
      (r.inputs["metadata"] as { name?: string } | undefined)?.name === "rook-ceph-csi-kms-config";
    const config = resources.filter(
      (r) => (r.inputs["kind"] === "ConfigMap" && !kmsConfig(r)) || r.inputs["kind"] === "LimitRange",
    );
    expect(config.length).toBeGreaterThan(0);
    for (const r of config) expect(r.options, r.name).toMatchObject({ retainOnDelete: false, protect: false });
  });

  it("exports the volumes and the backup endpoint", async () => {
    const { outputs } = await runWith(osloRaw());
    expect(outputs["storage"]).toEqual({
      backupUrl: "https://s3.rjukan-1.aifactory.no",
      volumes: [
        { tenant: "logistics", name: "models", class: "ceph-shared", size: "2Ti" },
        { tenant: "public-services", name: "models", class: "ceph-shared", size: "1Ti" },
        { tenant: "public-services", name: "casefiles", class: "ceph-block", size: "5Ti" },
        { tenant: "research", name: "corpora", class: "ceph-shared", size: "4Ti" },
      ],
    });
  });
});
