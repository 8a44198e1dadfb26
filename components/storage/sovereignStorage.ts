/**
 * The site's in-country storage: storage classes, tenant volumes and bucket
 * claims, and the backup location. Every resource here holds or routes data,
 * so every one is declared data-bearing (retained and protected).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DATA_BEARING } from "../dataProtection";
import { childName } from "../naming";
import { bucketClassSpec, storageClassSpec } from "./classes";
import { backupLocationSpec, bucketClaimSpec, volumeClaimSpec } from "./data";
import { csiEncryptionPatchSpec, csiKmsConfigMapSpec } from "./kms";
import { objectStoreSpec } from "./objectStore";
import {
  type BucketEncryptionContext,
  bucketEncryptionCaConfigMapSpec,
  bucketEncryptionCronJobSpec,
  bucketEncryptionJobSpec,
  bucketEncryptionNetworkPolicySpec,
} from "./bucketEncryption";
import { withGuardRails } from "../guardRails";

/** Inputs of the site's storage: its tenants' data and the image mirror the bucket encryption client comes from. */
export interface SovereignStorageArgs extends BucketEncryptionContext {
  /**
   * The caller declares each tenant volume itself, with `declareVolume`
   * (the factory steps through a large site's tenants, so that their
   * registrations are never all in flight at once).
   * @default false: the constructor declares every volume
   */
  readonly volumesByCaller?: boolean;
  /**
   * What each tenant's Jobs wait for, by tenant (settling once the caller has
   * declared them): on a site with GPU pools, Kueue (v0.19.2,
   * `manageJobsWithoutQueueName` on tenant namespaces) takes every Job there,
   * so the bucket encryption Jobs wait for its webhooks and the tenant's
   * `default` LocalQueue, or they are refused or never admitted.
   */
  readonly tenantJobsAfter?: ReadonlyMap<string, Promise<readonly pulumi.Resource[]>>;
}

/** A tenant volume as config gives it. */
type VolumeConfig = SovereignStorageArgs["storage"]["volumes"][number];

/** A volume at a glance, for stack outputs. */
export interface VolumeSummary {
  readonly tenant: string;
  readonly name: string;
  readonly class: string;
  readonly size: string;
}

/** In-country storage classes, volumes, buckets and backup of one site. */
export class SovereignStorage extends pulumi.ComponentResource {
  /** Every tenant volume. */
  public readonly volumes: readonly VolumeSummary[];
  /**
   * Each volume's claim, by `tenant/volume`: what a workload that mounts it
   * waits for. (Depending on the whole component would make every workload
   * wait for every claim of every tenant: the SDK expands a component in
   * `dependsOn` to all its resources.)
   */
  public readonly claims: ReadonlyMap<string, pulumi.Resource>;
  private readonly claimsByKey = new Map<string, pulumi.Resource>();
  /** How `declareVolume` names and declares a claim. */
  private readonly volumeContext: { readonly name: string; readonly args: SovereignStorageArgs; readonly opts: pulumi.CustomResourceOptions };

  constructor(name: string, args: SovereignStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sovereign-ai-factory:storage:SovereignStorage", name, {}, withGuardRails(opts));
    const keep = { parent: this, ...DATA_BEARING };
    // Encrypted volumes cannot be opened without it, so it is kept like the data (and provisioning waits for it).
    // Deleting the patch would relinquish the drivers' encryption setting, so it is kept on destroy too.
    const kms =
      args.storage.kms === undefined
        ? []
        : [
            new k8s.core.v1.ConfigMap(childName(name, "csi-kms-config"), csiKmsConfigMapSpec(args), keep),
            new k8s.apiextensions.CustomResourcePatch(childName(name, "csi-encryption"), csiEncryptionPatchSpec(args), keep),
          ];
    const classes = args.storage.classes.map(
      (cls) =>
        new k8s.storage.v1.StorageClass(childName(name, `class-${cls.name}`), storageClassSpec(args, cls), {
          ...keep,
          dependsOn: kms,
        }),
    );
    this.claims = this.claimsByKey;
    this.volumeContext = { name, args, opts: { ...keep, dependsOn: classes } };
    if (args.volumesByCaller !== true) for (const vol of args.storage.volumes) this.declareVolume(vol);
    const store =
      args.storage.objectStore === undefined
        ? []
        : [new k8s.apiextensions.CustomResource(childName(name, "object-store"), objectStoreSpec(args), keep)];
    if (args.storage.buckets.length > 0) {
      const bucketClass = new k8s.storage.v1.StorageClass(childName(name, "bucket-class"), bucketClassSpec(args), {
        ...keep,
        dependsOn: store,
      });
      this.declareBucketClaims(name, args, bucketClass);
    }
    if (args.storage.backup !== undefined) {
      new k8s.apiextensions.CustomResource(childName(name, "backup"), backupLocationSpec(args, args.storage.backup), keep);
    }
    this.volumes = args.storage.volumes.map((v) => ({ tenant: v.tenant, name: v.name, class: v.class, size: v.size }));
    this.registerOutputs({ volumes: this.volumes });
  }

  /**
   * Each bucket's claim, kept like the data, and what encrypts the bucket:
   * the Job `pulumi up` waits for once the claim is Bound, and the CronJob
   * that checks again; neither holds data, so neither is protected.
   */
  private declareBucketClaims(name: string, args: SovereignStorageArgs, bucketClass: pulumi.Resource): void {
    const keep = { parent: this, ...DATA_BEARING };
    // What each tenant's encryption pods need before they start: the way to the gateway, and the CA they trust.
    const needs = new Map<string, pulumi.Resource[]>();
    for (const tenant of args.tenants.filter((t) => args.storage.buckets.some((b) => b.tenant === t.name))) {
      const role = `bucket-encryption-${tenant.name}`;
      const ca = bucketEncryptionCaConfigMapSpec(args, tenant);
      needs.set(tenant.name, [
        new k8s.networking.v1.NetworkPolicy(childName(name, role), bucketEncryptionNetworkPolicySpec(args, tenant), { parent: this }),
        ...(ca === undefined ? [] : [new k8s.core.v1.ConfigMap(childName(name, `${role}-ca`), ca, { parent: this })]),
      ]);
    }
    for (const bucket of args.storage.buckets) {
      const role = `bucket-${bucket.tenant}-${bucket.name}`;
      const claim = new k8s.apiextensions.CustomResource(childName(name, role), bucketClaimSpec(args, bucket), {
        ...keep,
        dependsOn: [bucketClass],
      });
      const first = [claim, ...(needs.get(bucket.tenant) ?? [])];
      const later = args.tenantJobsAfter?.get(bucket.tenant);
      const after = { parent: this, dependsOn: later === undefined ? first : later.then((l) => [...first, ...l]) };
      new k8s.batch.v1.Job(childName(name, `${role}-encryption`), bucketEncryptionJobSpec(args, bucket), after);
      new k8s.batch.v1.CronJob(childName(name, `${role}-encryption-check`), bucketEncryptionCronJobSpec(args, bucket), after);
    }
  }

  /** One tenant volume's claim, after the storage classes (the constructor declares them all unless `volumesByCaller`). */
  declareVolume(vol: VolumeConfig): pulumi.Resource {
    const { name, args, opts } = this.volumeContext;
    const claim = new k8s.core.v1.PersistentVolumeClaim(childName(name, `volume-${vol.tenant}-${vol.name}`), volumeClaimSpec(args, vol), opts);
    this.claimsByKey.set(`${vol.tenant}/${vol.name}`, claim);
    return claim;
  }
}
