/**
 * in-country-data's rules for object buckets (Rook v1.20.6, Ceph's object
 * gateway). Objects are encrypted at rest only when two things hold: the
 * object store serves server-side encryption with a KMS (CephObjectStore
 * `security.s3`: without it the gateway encrypts nothing and refuses SSE-S3),
 * and each upload asks for it or the bucket has a default encryption. Rook's
 * bucket claims cannot set a default encryption, so every claim needs
 * something that sets it with the claim's own keys: a Job or CronJob in the
 * claim's namespace annotated `aifactory.no/bucket-encryption-of: <claim>`
 * whose pod takes the claim's Secret.
 */
import { Annotations } from "../catalog";
import { podSpecs } from "./podSpecs";
import { type ResourceView, type Violation, annotationsOf, describe, kindOf, metadataOf, namespaceOf, stringMap } from "./resource";
import { isRecord } from "./walk";

/** How Rook's object bucket provisioner's name ends: `<operator namespace>.ceph.rook.io/bucket`. */
export const ROOK_BUCKET_PROVISIONER_SUFFIX = ".ceph.rook.io/bucket";

/** Whether a provisioner is Rook's object bucket provisioner. */
export function isRookBucketProvisioner(provisioner: string): boolean {
  return provisioner.endsWith(ROOK_BUCKET_PROVISIONER_SUFFIX);
}

function rookBucketClasses(resources: readonly ResourceView[]): Map<string, ResourceView> {
  const out = new Map<string, ResourceView>();
  for (const r of resources) {
    const provisioner = typeof r.props["provisioner"] === "string" ? r.props["provisioner"] : "";
    const name = metadataOf(r)["name"];
    if (kindOf(r) === "StorageClass" && isRookBucketProvisioner(provisioner) && typeof name === "string") out.set(name, r);
  }
  return out;
}

/** `namespace/name` of every CephObjectStore declared with SSE-S3 on a KMS. */
function encryptingStores(resources: readonly ResourceView[]): Set<string> {
  return new Set(
    resources.flatMap((r) => {
      if (kindOf(r) !== "CephObjectStore") return [];
      const spec = isRecord(r.props["spec"]) ? r.props["spec"] : {};
      const security = isRecord(spec["security"]) ? spec["security"] : {};
      const s3 = isRecord(security["s3"]) ? security["s3"] : {};
      const kms = stringMap(s3["connectionDetails"])["KMS_PROVIDER"] ?? "";
      const meta = metadataOf(r);
      return kms.trim() === "" ? [] : [`${String(meta["namespace"])}/${String(meta["name"])}`];
    }),
  );
}

/** A Rook bucket class must name a CephObjectStore of the stack that serves SSE-S3. */
export function bucketStoreChecks(resources: readonly ResourceView[]): Violation[] {
  const stores = encryptingStores(resources);
  return [...rookBucketClasses(resources).values()].flatMap((r) => {
    const params = stringMap(r.props["parameters"]);
    const store = `${params["objectStoreNamespace"] ?? ""}/${params["objectStoreName"] ?? ""}`;
    if (stores.has(store)) return [];
    return [{
      urn: r.urn,
      message: `${describe(r)}: parameters.objectStoreName = ${JSON.stringify(store)} is not a CephObjectStore declared in this stack with server-side encryption (spec.security.s3 with a KMS), so its gateway cannot encrypt the buckets' objects`,
    }];
  });
}

/** Whether a pod template takes the named Secret, whole (`envFrom`) or a key of it. */
function takesSecret(r: ResourceView, secret: string): boolean {
  return podSpecs(r.props).some(({ containers }) =>
    containers.some((c) => {
      const from = Array.isArray(c["envFrom"]) ? c["envFrom"] : [];
      const env = Array.isArray(c["env"]) ? c["env"] : [];
      const whole = from.some((f) => isRecord(f) && isRecord(f["secretRef"]) && f["secretRef"]["name"] === secret);
      const key = env.some((e) => isRecord(e) && isRecord(e["valueFrom"]) && isRecord(e["valueFrom"]["secretKeyRef"]) && e["valueFrom"]["secretKeyRef"]["name"] === secret);
      return whole || key;
    }),
  );
}

/** `namespace/claim` of every claim whose bucket a Job or CronJob of the stack encrypts with the claim's keys. */
function encryptedClaims(resources: readonly ResourceView[]): Set<string> {
  return new Set(
    resources.flatMap((r) => {
      const kind = kindOf(r);
      if (kind !== "Job" && kind !== "CronJob") return [];
      const claim = annotationsOf(r)[Annotations.bucketEncryptionOf];
      return claim !== undefined && takesSecret(r, claim) ? [`${namespaceOf(r) ?? ""}/${claim}`] : [];
    }),
  );
}

/** Every ObjectBucketClaim on a Rook bucket class of the stack has its bucket's default encryption set. */
export function bucketClaimChecks(resources: readonly ResourceView[]): Violation[] {
  const classes = rookBucketClasses(resources);
  const encrypted = encryptedClaims(resources);
  return resources.flatMap((r) => {
    if (kindOf(r) !== "ObjectBucketClaim") return [];
    const spec = isRecord(r.props["spec"]) ? r.props["spec"] : {};
    const cls = spec["storageClassName"];
    const meta = metadataOf(r)["name"];
    const name = typeof meta === "string" ? meta : "";
    if (typeof cls !== "string" || !classes.has(cls)) {
      return [{ urn: r.urn, message: `${describe(r)}: spec.storageClassName = ${JSON.stringify(cls ?? null)} is not a Rook bucket class declared in this stack` }];
    }
    if (encrypted.has(`${namespaceOf(r) ?? ""}/${name}`)) return [];
    return [{
      urn: r.urn,
      message: `${describe(r)}: no Job or CronJob in this stack sets its bucket's default encryption with the claim's keys (annotation ${Annotations.bucketEncryptionOf}: ${name}, its pod taking Secret ${JSON.stringify(name)}), and Ceph's gateway encrypts only uploads that ask for it, so objects in the bucket would be stored unencrypted`,
    }];
  });
}
