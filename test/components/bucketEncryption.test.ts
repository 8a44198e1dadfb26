/**
 * Every tenant bucket encrypted at rest: the Job (and CronJob) that sets each
 * claim's bucket default encryption to SSE-S3 with the claim's own keys.
 * The check's shell script runs here against a stand-in `aws` that behaves
 * as Ceph's gateway does for what the script relies on (Ceph
 * rgw_rest_s3.cc / rgw_crypt.cc: a bucket's default encryption applies to
 * uploads that ask for none, and only a store with SSE-S3 on a KMS encrypts).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  BUCKET_ENCRYPTION_SCRIPT,
  type BucketEncryptionContext,
  CLAIM_ENVIRONMENT,
  bucketClaimSpec,
  bucketClassSpec,
  bucketEncryptionCaConfigMapSpec,
  bucketEncryptionCronJobSpec,
  bucketEncryptionJobName,
  bucketEncryptionJobSpec,
  bucketEncryptionNetworkPolicySpec,
  bucketEncryptionPodTemplate,
  objectStoreSpec,
} from "../../components";
import { Annotations, ROOK_BUCKET_CLAIM, ROOK_OBJECT_GATEWAY, S3_CLIENT_DIGEST } from "../../catalog";
import { type FactoryConfig, parseFactoryConfig } from "../../config";
import { IN_COUNTRY_DATA_DEFAULTS, inCountryDataViolations } from "../../policies/inCountryData";
import type { ResourceView } from "../../policies/lib/resource";
import { osloRaw, osloWith, parseConfig, runWith } from "../helpers";

const ctxOf = (config: FactoryConfig): BucketEncryptionContext => ({
  site: config.site,
  storage: config.storage,
  tenants: config.tenants,
  imageRegistry: config.mirrors.imageRegistry,
});
const oslo = parseConfig();
const ctx = ctxOf(oslo);
const bucket = oslo.storage.buckets[0]!;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bucket-encryption-"));
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * A stand-in for the AWS CLI talking to one bucket of Ceph's gateway, its
 * state in a directory: `encryption` (the bucket's default encryption),
 * `sse-s3` (the store serves SSE-S3), `refuse-put` (PutBucketEncryption is
 * refused). Every call is logged to `calls`.
 */
const FAKE_AWS = `#!/bin/sh
state="$FAKE_S3"
ep=""; op=""
while [ $# -gt 0 ]; do
  case "$1" in
    --endpoint-url) ep="$2"; shift 2 ;;
    s3api) op="$2"; shift 2 ;;
    *) shift ;;
  esac
done
echo "$op $ep $AWS_ACCESS_KEY_ID" >> "$state/calls"
case "$op" in
  get-bucket-encryption)
    if [ -f "$state/encryption" ]; then cat "$state/encryption"; else echo "ServerSideEncryptionConfigurationNotFoundError" >&2; exit 254; fi ;;
  put-bucket-encryption)
    if [ -f "$state/refuse-put" ]; then echo "AccessDenied" >&2; exit 254; fi
    echo AES256 > "$state/encryption" ;;
  put-object)
    if [ -f "$state/encryption" ] && [ -f "$state/sse-s3" ]; then echo AES256; else echo None; fi ;;
  delete-object) ;;
  *) echo "unexpected $op" >&2; exit 2 ;;
esac
`;

const bin = path.join(tmp, "bin");
fs.mkdirSync(bin);
fs.writeFileSync(path.join(bin, "aws"), FAKE_AWS, { mode: 0o755 });

/** A fresh bucket on a store that serves SSE-S3 (unless told otherwise). */
function bucketState(opts: { sseS3?: boolean; encryption?: string; refusePut?: boolean } = {}): string {
  const dir = fs.mkdtempSync(path.join(tmp, "bucket-"));
  if (opts.sseS3 ?? true) fs.writeFileSync(path.join(dir, "sse-s3"), "");
  if (opts.encryption !== undefined) fs.writeFileSync(path.join(dir, "encryption"), `${opts.encryption}\n`);
  if (opts.refusePut === true) fs.writeFileSync(path.join(dir, "refuse-put"), "");
  return dir;
}

/** The pod's environment: its own `env`, then the claim's ConfigMap and Secret as Rook writes them. */
function podEnvironment(config: FactoryConfig): Record<string, string> {
  const container = bucketEncryptionPodTemplate(ctxOf(config), bucket).spec!.containers[0]!;
  const own = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? ""]));
  const claim = {
    BUCKET_HOST: `rook-ceph-rgw-${config.storage.objectStore!.name}.${config.storage.cephClusterId}.svc`,
    BUCKET_PORT: config.storage.objectStore!.gatewayCertificateSecret === undefined ? "80" : "443",
    BUCKET_NAME: "oslo-1-research-training-data",
    BUCKET_REGION: "",
    BUCKET_SUBREGION: "",
    AWS_ACCESS_KEY_ID: "claim-key",
    AWS_SECRET_ACCESS_KEY: "claim-secret",
  };
  return { ...claim, ...own };
}

function runCheck(state: string, config: FactoryConfig = oslo) {
  const home = fs.mkdtempSync(path.join(tmp, "home-"));
  const env = { ...podEnvironment(config), HOME: home, PATH: `${bin}:/usr/bin:/bin`, FAKE_S3: state };
  const result = spawnSync("/bin/sh", ["-c", BUCKET_ENCRYPTION_SCRIPT], { env, encoding: "utf8" });
  const calls = fs.existsSync(path.join(state, "calls")) ? fs.readFileSync(path.join(state, "calls"), "utf8").trim().split("\n") : [];
  return { status: result.status, stderr: result.stderr, stdout: result.stdout, calls, ops: calls.map((c) => c.split(" ")[0]) };
}

describe("the check the Job runs", () => {
  it("sets SSE-S3 on a fresh bucket with the claim's keys, reads it back, and proves an upload without headers is stored encrypted", () => {
    const state = bucketState();
    const run = runCheck(state);
    expect(run.status, run.stderr).toBe(0);
    expect(run.ops).toEqual(["get-bucket-encryption", "put-bucket-encryption", "get-bucket-encryption", "put-object", "delete-object"]);
    expect(fs.readFileSync(path.join(state, "encryption"), "utf8").trim()).toBe("AES256");
    // Every call went to the claim's address over the gateway's plain port, as the claim's owner.
    expect(new Set(run.calls.map((c) => c.split(" ").slice(1).join(" ")))).toEqual(
      new Set(["http://rook-ceph-rgw-oslo-1-objects.rook-ceph.svc:80 claim-key"]),
    );
  });

  it("is idempotent: a bucket that has it is only checked", () => {
    const run = runCheck(bucketState({ encryption: "AES256" }));
    expect(run.status).toBe(0);
    expect(run.ops).not.toContain("put-bucket-encryption");
  });

  it("puts it back when the owner removed it or set another", () => {
    for (const state of [bucketState(), bucketState({ encryption: "aws:kms" })]) {
      const run = runCheck(state);
      expect(run.status).toBe(0);
      expect(run.ops.filter((o) => o === "put-bucket-encryption")).toHaveLength(1);
    }
  });

  it("fails when the store does not encrypt what lands in the bucket (no SSE-S3 on its gateway)", () => {
    const run = runCheck(bucketState({ sseS3: false }));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/an upload without encryption headers was stored as 'None', not AES256/);
  });

  it("fails when the gateway refuses the encryption", () => {
    const run = runCheck(bucketState({ refusePut: true }));
    expect(run.status).not.toBe(0);
    expect(run.ops).not.toContain("put-object");
  });

  it("speaks https to a gateway that serves its own certificate", () => {
    const tls = parseConfig(osloWith({ "storage.objectStore.gatewayCertificateSecret": "s3-oslo-1-tls" }));
    const run = runCheck(bucketState(), tls);
    expect(run.status).toBe(0);
    expect(run.calls[0]).toContain("https://rook-ceph-rgw-oslo-1-objects.rook-ceph.svc:443");
  });

  it("reads nothing the pod does not have: its own env, and what Rook v1.20.6 puts in the claim's ConfigMap and Secret", () => {
    const read = new Set([...BUCKET_ENCRYPTION_SCRIPT.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!));
    const container = bucketEncryptionPodTemplate(ctx, bucket).spec!.containers[0]!;
    const own = new Set((container.env ?? []).map((e) => e.name));
    expect([...read].filter((v) => !own.has(v) && !CLAIM_ENVIRONMENT.includes(v))).toEqual([]);
    for (const v of ["BUCKET_HOST", "BUCKET_PORT", "BUCKET_NAME"]) expect(read).toContain(v);
    // Rook names the claim's ConfigMap and Secret after the claim.
    expect(container.envFrom).toEqual([{ configMapRef: { name: bucket.name } }, { secretRef: { name: bucket.name } }]);
    expect(bucketClaimSpec(ctx, bucket).metadata.name).toBe(bucket.name);
    expect(ROOK_BUCKET_CLAIM.secretKeys).toEqual(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
  });
});

describe("the Job and the CronJob", () => {
  const job = bucketEncryptionJobSpec(ctx, bucket);
  const cron = bucketEncryptionCronJobSpec(ctx, bucket);

  it("run the client from the site's mirror, pinned by digest, under restricted Pod Security, with no API token", () => {
    const pod = job.spec!.template.spec!;
    expect(pod.containers[0]!.image).toBe(`cr.oslo-1.aifactory.no/amazon/aws-cli:2.22.35@${S3_CLIENT_DIGEST}`);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.containers[0]!.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true });
    expect(pod.restartPolicy).toBe("Never");
    expect(cron.spec.jobTemplate.spec!.template).toEqual(job.spec!.template);
  });

  it("name the claim they encrypt, in its namespace", () => {
    for (const o of [job, cron]) {
      expect(o.metadata!.namespace).toBe(bucket.tenant);
      expect(o.metadata!.annotations).toEqual({ [Annotations.bucketEncryptionOf]: bucket.name });
    }
  });

  it("re-run on change: the Job's name follows what it does, and stays when nothing changes", () => {
    expect(bucketEncryptionJobName(ctx, bucket)).toBe(bucketEncryptionJobName(ctxOf(parseConfig()), bucket));
    const digest = `sha256:${"a".repeat(64)}`;
    const other = parseConfig(osloWith({ "storage.bucketEncryption": { image: "amazon/aws-cli:2.22.36", digest } }));
    expect(bucketEncryptionJobName(ctxOf(other), bucket)).not.toBe(bucketEncryptionJobName(ctx, bucket));
    const tls = parseConfig(osloWith({ "storage.objectStore.gatewayCertificateSecret": "s3-oslo-1-tls" }));
    expect(bucketEncryptionJobName(ctxOf(tls), bucket)).not.toBe(bucketEncryptionJobName(ctx, bucket));
  });

  it("keep names Kubernetes accepts for a bucket of 63 characters (Job 63, CronJob 52)", () => {
    const long = { ...bucket, name: "b".repeat(63) };
    expect(bucketEncryptionJobSpec(ctx, long).metadata!.name!.length).toBeLessThanOrEqual(63);
    expect(bucketEncryptionCronJobSpec(ctx, long).metadata!.name!.length).toBeLessThanOrEqual(52);
    expect(bucketEncryptionCronJobSpec(ctx, long).metadata!.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it("re-check on the configured schedule, one run at a time", () => {
    expect(cron.spec).toMatchObject({ schedule: "17 * * * *", concurrencyPolicy: "Forbid" });
    const hourly = parseConfig(osloWith({ "storage.bucketEncryption": { schedule: "*/10 * * * *" } }));
    expect(bucketEncryptionCronJobSpec(ctxOf(hourly), bucket).spec.schedule).toBe("*/10 * * * *");
  });
});

describe("the way to the gateway", () => {
  const research = oslo.tenants.find((t) => t.name === bucket.tenant)!;

  it("opens egress from the encryption pods to the store's gateway pods only, on the port they listen on", () => {
    const policy = bucketEncryptionNetworkPolicySpec(ctx, research);
    const labels = bucketEncryptionPodTemplate(ctx, bucket).metadata!.labels!;
    const selector = policy.spec!.podSelector.matchLabels!;
    expect(Object.entries(selector).every(([k, v]) => labels[k] === v)).toBe(true);
    expect(policy.spec!.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "rook-ceph" } },
            podSelector: { matchLabels: { app: "rook-ceph-rgw", rook_object_store: "oslo-1-objects" } },
          },
        ],
        // The Service's port 80 forwards to the gateway container's 8080 (Rook v1.20.6).
        ports: [{ protocol: "TCP", port: ROOK_OBJECT_GATEWAY.httpContainerPort }],
      },
    ]);
    const tls = parseConfig(osloWith({ "storage.objectStore.gatewayCertificateSecret": "s3-oslo-1-tls" }));
    expect(bucketEncryptionNetworkPolicySpec(ctxOf(tls), research).spec!.egress![0]!.ports).toEqual([{ protocol: "TCP", port: 443 }]);
  });
});

describe("a gateway with a certificate of its own", () => {
  const pem = "-----BEGIN CERTIFICATE-----\nMIIBsiteCA\n-----END CERTIFICATE-----\n";
  const tls = (changes: Record<string, unknown> = {}) =>
    parseConfig(osloWith({ "storage.objectStore.gatewayCertificateSecret": "s3-oslo-1-tls", "storage.bucketEncryption": { caBundle: pem }, ...changes }));
  const research = oslo.tenants.find((t) => t.name === bucket.tenant)!;

  it("is trusted through the configured CA bundle: a ConfigMap in the tenant's namespace, mounted where AWS_CA_BUNDLE points", () => {
    const c = ctxOf(tls());
    const cm = bucketEncryptionCaConfigMapSpec(c, research)!;
    expect(cm.metadata).toMatchObject({ name: "bucket-encryption-ca", namespace: "research" });
    expect(cm.data).toEqual({ "ca.crt": pem });
    const pod = bucketEncryptionPodTemplate(c, bucket).spec!;
    const container = pod.containers[0]!;
    const file = container.env!.find((e) => e.name === "AWS_CA_BUNDLE")!.value!;
    const mount = container.volumeMounts!.find((m) => file.startsWith(`${m.mountPath}/`))!;
    const volume = pod.volumes!.find((v) => v.name === mount.name)!;
    expect(volume.configMap?.name).toBe(cm.metadata!.name);
    expect(Object.keys(cm.data!)).toContain(file.slice(mount.mountPath.length + 1));
  });

  it("re-runs the Job when the CA changes, and needs no CA over http", () => {
    const other = "-----BEGIN CERTIFICATE-----\nMIIBnewCA\n-----END CERTIFICATE-----\n";
    expect(bucketEncryptionJobName(ctxOf(tls()), bucket)).not.toBe(bucketEncryptionJobName(ctxOf(tls({ "storage.bucketEncryption": { caBundle: other } })), bucket));
    expect(bucketEncryptionCaConfigMapSpec(ctx, research)).toBeUndefined();
    expect(bucketEncryptionPodTemplate(ctx, bucket).spec!.volumes!.map((v) => v.name)).toEqual(["tmp"]);
  });

  it("is the only case a CA bundle is read, and config says so", () => {
    const result = parseFactoryConfig(osloWith({ "storage.bucketEncryption": { caBundle: pem } }));
    expect(result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`)).toContainEqual(
      expect.stringMatching(/^storage\.bucketEncryption\.caBundle: is read only when the gateway serves https itself/),
    );
    const bad = parseFactoryConfig(osloWith({ "storage.objectStore.gatewayCertificateSecret": "s3-oslo-1-tls", "storage.bucketEncryption": { caBundle: "not a cert" } }));
    expect(bad.ok ? [] : bad.problems.map((p) => p.path)).toContain("storage.bucketEncryption.caBundle");
  });

  it("the Job waits for the CA's ConfigMap", async () => {
    const { resources } = await runWith(osloWith({ "storage.objectStore.gatewayCertificateSecret": "s3-oslo-1-tls", "storage.bucketEncryption": { caBundle: pem } }));
    const cm = resources.find((r) => r.inputs["kind"] === "ConfigMap" && (r.inputs["metadata"] as { name: string }).name === "bucket-encryption-ca")!;
    const job = resources.find((r) => r.inputs["kind"] === "Job")!;
    expect(job.options.dependsOn).toContain(cm.urn);
  });
});

describe("in the program", () => {
  it("waits for the claim to be Bound, then runs the Job; the claim is kept, the Job and CronJob are not", async () => {
    const { resources } = await runWith(osloRaw());
    const claim = resources.find((r) => r.inputs["kind"] === "ObjectBucketClaim")!;
    expect(claim.inputs["metadata"]).toMatchObject({ annotations: { "pulumi.com/waitFor": "jsonpath={.status.phase}=Bound" } });
    expect(claim.options).toMatchObject({ protect: true, retainOnDelete: true });
    const policy = resources.find((r) => r.inputs["kind"] === "NetworkPolicy" && (r.inputs["metadata"] as { name: string }).name === "bucket-encryption")!;
    for (const kind of ["Job", "CronJob"]) {
      const r = resources.find((x) => x.inputs["kind"] === kind)!;
      expect(r.options.dependsOn).toEqual(expect.arrayContaining([claim.urn, policy.urn]));
      expect(r.options.protect ?? false).toBe(false);
    }
  });

  it("runs the Jobs after Kueue and the tenant's default LocalQueue (Kueue 0.19.2 manages every Job in a tenant namespace)", async () => {
    const { resources } = await runWith(osloRaw());
    const claim = resources.find((r) => r.inputs["kind"] === "ObjectBucketClaim")!;
    const tenant = (claim.inputs["metadata"] as { namespace: string }).namespace;
    const kueue = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name.endsWith("kueue"))!;
    const defaultQueue = resources.find(
      (r) => r.inputs["kind"] === "LocalQueue" && (r.inputs["metadata"] as { name: string; namespace: string }).name === "default" && (r.inputs["metadata"] as { namespace: string }).namespace === tenant,
    )!;
    for (const kind of ["Job", "CronJob"]) {
      const r = resources.find((x) => x.inputs["kind"] === kind)!;
      expect(r.options.dependsOn).toEqual(expect.arrayContaining([kueue.urn, defaultQueue.urn]));
    }
  });
});

describe("in-country-data on bucket claims", () => {
  const view = (spec: object, name: string, type = "kubernetes:test"): ResourceView => ({ type, name, urn: `urn:test::${name}`, props: { ...spec } });
  const base = [view(bucketClassSpec(ctx), "class"), view(objectStoreSpec(ctx), "store"), view(bucketClaimSpec(ctx, bucket), "claim")];
  const job = bucketEncryptionJobSpec(ctx, bucket);
  const check = (resources: ResourceView[]) => inCountryDataViolations(resources, IN_COUNTRY_DATA_DEFAULTS).map((v) => v.message);

  it("passes a claim whose bucket a Job encrypts with the claim's keys", () => {
    expect(check([...base, view(job, "job")])).toEqual([]);
    expect(check([...base, view(bucketEncryptionCronJobSpec(ctx, bucket), "cron")])).toEqual([]);
  });

  it("refuses a claim nothing encrypts, since the gateway encrypts only uploads that ask", () => {
    expect(check(base)).toEqual([expect.stringMatching(/no Job or CronJob in this stack sets its bucket's default encryption with the claim's keys.*stored unencrypted/)]);
  });

  it("refuses a Job that names the claim but runs with other keys, or sits in another namespace", () => {
    const otherKeys = structuredClone(job);
    otherKeys.spec!.template.spec!.containers[0]!.envFrom = [{ secretRef: { name: "someone-else" } }];
    expect(check([...base, view(otherKeys, "job")])).toHaveLength(1);
    const elsewhere = structuredClone(job);
    elsewhere.metadata!.namespace = "logistics";
    expect(check([...base, view(elsewhere, "job")])).toHaveLength(1);
  });

  it("refuses a claim on a class the stack does not declare", () => {
    const claim = bucketClaimSpec(ctx, bucket);
    claim.spec["storageClassName"] = "somewhere-buckets";
    expect(check([...base.slice(0, 2), view(claim, "claim"), view(job, "job")])).toEqual([
      expect.stringMatching(/spec\.storageClassName = "somewhere-buckets" is not a Rook bucket class declared in this stack/),
    ]);
  });
});

describe("config", () => {
  const problemsOf = (changes: Record<string, unknown>) => {
    const result = parseFactoryConfig(osloWith(changes));
    return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
  };

  it("defaults to the pinned AWS CLI and an hourly check", () => {
    expect(oslo.storage.bucketEncryption).toEqual({ image: "amazon/aws-cli:2.22.35", digest: S3_CLIENT_DIGEST, schedule: "17 * * * *" });
  });

  it("refuses another image without its own digest, a bad digest, and a schedule that is not cron", () => {
    expect(problemsOf({ "storage.bucketEncryption": { image: "amazon/aws-cli:2.31.0" } })).toContainEqual(
      expect.stringMatching(/^storage\.bucketEncryption\.digest: another image needs its own digest/),
    );
    expect(problemsOf({ "storage.bucketEncryption": { digest: "sha256:abc" } })).toContainEqual("storage.bucketEncryption.digest: must be sha256: and 64 hex digits");
    expect(problemsOf({ "storage.bucketEncryption": { schedule: "hourly" } })).toContainEqual(expect.stringMatching(/^storage\.bucketEncryption\.schedule: must be a five-field cron schedule/));
  });
});
