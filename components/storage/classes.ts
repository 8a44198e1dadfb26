/**
 * Storage classes pinned to the site's zones, encrypted with keys from the
 * site's own KMS, retained when released, bound only when a pod is scheduled
 * (so a volume is created in the zone the pod actually runs in).
 */
import type * as k8s from "@pulumi/kubernetes";
import { WellKnownLabels } from "../../catalog";
import type { SiteConfig, StorageConfig } from "../../config";
import { siteMetadata } from "../labels";
import type { Spec } from "../spec";

/** One configured storage class. */
export type StorageClassConfig = StorageConfig["classes"][number];

/** Rook-Ceph CSI provisioners by class type. */
export const DEFAULT_PROVISIONERS = {
  block: "rook-ceph.rbd.csi.ceph.com",
  filesystem: "rook-ceph.cephfs.csi.ceph.com",
} as const;

/** Rook's object bucket provisioner. */
export const BUCKET_PROVISIONER = "rook-ceph.ceph.rook.io/bucket";

/** Inputs of the site's storage specs. */
export interface StorageContext {
  /** The site's validated config. */
  readonly site: SiteConfig;
  /** The site's storage config. */
  readonly storage: StorageConfig;
}

/** Rook-Ceph CSI parameters for a class type, before the class's own overrides. */
function cephParameters(type: StorageClassConfig["type"], ns: string): Record<string, string> {
  const csi = type === "block" ? "rbd" : "cephfs";
  const secrets = {
    "csi.storage.k8s.io/provisioner-secret-name": `rook-csi-${csi}-provisioner`,
    "csi.storage.k8s.io/provisioner-secret-namespace": ns,
    "csi.storage.k8s.io/controller-expand-secret-name": `rook-csi-${csi}-provisioner`,
    "csi.storage.k8s.io/controller-expand-secret-namespace": ns,
    "csi.storage.k8s.io/node-stage-secret-name": `rook-csi-${csi}-node`,
    "csi.storage.k8s.io/node-stage-secret-namespace": ns,
  };
  const layout: Record<string, string> =
    type === "block"
      ? { pool: "replicapool", imageFormat: "2", imageFeatures: "layering", "csi.storage.k8s.io/fstype": "ext4" }
      : { fsName: "aifactory-fs", pool: "aifactory-fs-replicated" };
  return { clusterID: ns, ...layout, ...secrets };
}

/** The zones a class may place volumes in: its own list, or all of the site's. */
export function classZones(ctx: StorageContext, cls: Pick<StorageClassConfig, "zones">): string[] {
  return [...(cls.zones ?? ctx.site.zones)];
}

/** `allowedTopologies` that pins volumes to exactly these zones. */
export function zoneTopology(zones: readonly string[]) {
  return [{ matchLabelExpressions: [{ key: WellKnownLabels.topologyZone, values: [...zones] }] }];
}

/** A block or shared-filesystem StorageClass. */
export function storageClassSpec(ctx: StorageContext, cls: StorageClassConfig): Spec<k8s.types.input.storage.v1.StorageClass> {
  const encryption: Record<string, string> = cls.encrypted
    ? { encrypted: "true", encryptionKMSID: ctx.storage.encryptionKmsId }
    : {};
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: siteMetadata(ctx.site, cls.name, { component: "storage" }),
    provisioner: cls.provisioner ?? DEFAULT_PROVISIONERS[cls.type],
    parameters: { ...cephParameters(cls.type, ctx.storage.cephClusterId), ...encryption, ...cls.parameters },
    reclaimPolicy: "Retain",
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
    allowedTopologies: zoneTopology(classZones(ctx, cls)),
  };
}

/** Name of the StorageClass bucket claims use. */
export function bucketClassName(ctx: StorageContext): string {
  return `${ctx.storage.objectStore?.name ?? ctx.site.name}-buckets`;
}

/** The StorageClass for object bucket claims on the site's Ceph object store. */
export function bucketClassSpec(ctx: StorageContext): Spec<k8s.types.input.storage.v1.StorageClass> {
  const store = ctx.storage.objectStore;
  if (store === undefined) throw new Error("bucket claims need storage.objectStore");
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: siteMetadata(ctx.site, bucketClassName(ctx), { component: "storage" }),
    provisioner: BUCKET_PROVISIONER,
    parameters: { objectStoreName: store.name, objectStoreNamespace: ctx.storage.cephClusterId },
    reclaimPolicy: "Retain",
    // Object stores are not zonal, but pinning keeps every class checkably in the site's zones.
    allowedTopologies: zoneTopology(ctx.site.zones),
  };
}
