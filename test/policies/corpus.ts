/**
 * The evasion corpus as data: manifests shaped like the ones platform teams
 * deploy next to the factory, each with the mandatory policies it must break.
 * Used by the corpus tests (through the analyzer path) and by the guard-rail
 * tests (the program's own check must agree with the pack).
 */
import type { RecordedResource } from "../../plan";

const options = { retainOnDelete: false, protect: false, aliases: 0, dependsOn: [], deleteBeforeReplace: false };

const TYPES: Record<string, string> = {
  ConfigMap: "kubernetes:core/v1:ConfigMap",
  Secret: "kubernetes:core/v1:Secret",
  Deployment: "kubernetes:apps/v1:Deployment",
  Namespace: "kubernetes:core/v1:Namespace",
  NetworkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  Ingress: "kubernetes:networking.k8s.io/v1:Ingress",
};

/** A Kubernetes object as the engine sends it. */
export function k8s(kind: string, body: Record<string, unknown>, apiVersion = "v1", type = TYPES[kind] ?? `kubernetes:${apiVersion}:${kind}`): RecordedResource {
  const name = `${kind.toLowerCase()}-x`;
  const metadata = { name, ...(kind === "Namespace" ? {} : { namespace: "research" }), ...(body["metadata"] as object | undefined) };
  return { urn: `urn:pulumi:t::p::${type}::${name}`, type, name, custom: true, parent: undefined, provider: undefined, inputs: { apiVersion, kind, ...body, metadata }, options };
}

/** Another provider's resource. */
export function cloud(type: string, inputs: Record<string, unknown>): RecordedResource {
  return { urn: `urn:pulumi:t::p::${type}::r`, type, name: "r", custom: true, parent: undefined, provider: undefined, inputs, options };
}

export const configFile = (file: string, text: string) => k8s("ConfigMap", { data: { [file]: text } });
export const secretFile = (file: string, text: string) => k8s("Secret", { type: "Opaque", data: { [file]: Buffer.from(text).toString("base64") } });
const container = (extra: Record<string, unknown>) => ({ name: "c", image: "cr.oslo-1.aifactory.no/app:1", ...extra });
const deployment = (c: Record<string, unknown>, podExtra: Record<string, unknown> = {}) =>
  k8s("Deployment", { spec: { selector: {}, template: { metadata: {}, spec: { containers: [container(c)], ...podExtra } } } }, "apps/v1");
const env = (vars: Record<string, string>) => deployment({ env: Object.entries(vars).map(([name, value]) => ({ name, value })) });
export const args = (...list: string[]) => deployment({ args: list });
const affinity = (...exprs: Record<string, unknown>[]) =>
  deployment({}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: exprs }] } } } });
/** A StorageClass pinned to Oslo and encrypted, on the given backend. */
export const storageClass = (provisioner: string, parameters: Record<string, string>) =>
  k8s("StorageClass", { provisioner, parameters, allowedTopologies: [{ matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: ["no-oslo-1a"] }] }] }, "storage.k8s.io/v1", "kubernetes:storage.k8s.io/v1:StorageClass");
/** The site's object store, declared with SSE-S3 on its Vault (as `objectStoreSpec` writes it). */
export const encryptingStore = k8s(
  "CephObjectStore",
  { metadata: { name: "oslo-1-objects", namespace: "rook-ceph" }, spec: { security: { s3: { connectionDetails: { KMS_PROVIDER: "vault", VAULT_ADDR: "https://vault.oslo-1.aifactory.no:8200" }, tokenSecretName: "t" } } } },
  "ceph.rook.io/v1",
);
const pinOslo = { key: "topology.kubernetes.io/region", operator: "In", values: ["no-oslo-1"] };

export const REGION = "norwegian-region-only";
export const DATA = "in-country-data";
export const ISOLATION = "sensitive-data-isolation";

export type Case = readonly [name: string, resources: RecordedResource[], mandatory: readonly string[]];

export const mustCatch: Case[] = [
  // Configuration text of every common format, carried in a ConfigMap or Secret.
  ["AWS CLI config (INI)", [configFile("config", "[default]\nregion = eu-west-1\noutput = json\n")], [REGION]],
  [".env file", [configFile(".env", "BUCKET=logs\nAWS_REGION=eu-central-1\n")], [REGION]],
  ["TOML", [configFile("app.toml", '[storage]\nbucket = "x"\nregion = "eu-north-1"\n')], [REGION]],
  ["Spark defaults (properties)", [configFile("spark-defaults.conf", "spark.hadoop.fs.s3a.endpoint.region eu-west-1\nspark.executor.memory 4g\n")], [REGION]],
  ["Java properties with a bare-host endpoint", [configFile("app.properties", "fs.s3a.endpoint=s3.eu-west-2.amazonaws.com\nfs.s3a.path.style.access=true\n")], [REGION, DATA]],
  ["Fluent Bit classic output", [configFile("fluent-bit.conf", "[OUTPUT]\n    Name   s3\n    Match  *\n    Region us-east-1\n    bucket logs\n")], [REGION]],
  ["HCL", [configFile("main.tf", 'provider "aws" {\n  region = "eu-north-1"\n}\n')], [REGION]],
  ["a Secret holding an AWS config (base64)", [secretFile("config", "[profile backup]\nregion = eu-west-3\n")], [REGION]],
  ["a Secret holding a foreign endpoint (base64)", [secretFile("S3_ENDPOINT", "https://s3.amazonaws.com")], [DATA]],
  ["a region flag with =", [args("--aws-region=eu-west-1", "--bucket=x")], [REGION]],
  ["a region flag and its value as two arguments", [args("--region", "ap-southeast-2")], [REGION]],
  ["an endpoint flag", [args("--endpoint", "https://s3.amazonaws.com", "--insecure=false")], [DATA]],
  ["flags inside a shell command", [deployment({ command: ["sh", "-c", "rclone sync /data remote: --s3-region eu-west-1"] })], [REGION]],
  // Object-store endpoints written as bare hosts, under any key.
  ["Loki's bare-host S3 endpoint", [configFile("loki.yaml", "common:\n  storage:\n    s3:\n      endpoint: s3.eu-west-1.amazonaws.com\n      bucketnames: logs\n")], [REGION, DATA]],
  ["Thanos objstore config", [secretFile("objstore.yml", "type: S3\nconfig:\n  bucket: metrics\n  endpoint: s3.amazonaws.com\n")], [DATA]],
  ["Argo artifact repository", [configFile("artifactRepository", "s3:\n  bucket: argo\n  endpoint: storage.googleapis.com\n")], [DATA]],
  ["s3.endpoint in Helm values", [cloud("kubernetes:helm.sh/v3:Release", { chart: "mimir", values: { mimir: { structuredConfig: { common: { storage: { s3: { endpoint: "s3.amazonaws.com" } } } } } } })], [DATA]],
  ["AWS_ENDPOINT_URL_S3", [env({ AWS_ENDPOINT_URL_S3: "https://s3.amazonaws.com" })], [DATA]],
  ["AWS_ENDPOINT_URL_DYNAMODB with a region in the host", [env({ AWS_ENDPOINT_URL_DYNAMODB: "https://dynamodb.eu-west-1.amazonaws.com" })], [REGION, DATA]],
  // Models pulled from outside.
  ["a model on Azure blob over https", [deployment({ args: ["--model", "https://acct.blob.core.windows.net/models/llama"] })], [DATA]],
  ["a model on Google Cloud Storage over https", [configFile("model.yaml", "source: https://storage.googleapis.com/models/llama.safetensors\n")], [DATA]],
  ["a model in an S3 virtual-hosted URL", [configFile("model", "https://models.s3.eu-west-1.amazonaws.com/llama/")], [REGION, DATA]],
  ["Triton's model repository flag", [args("tritonserver", "--model-repository=s3://models/triton")], [DATA]],
  ["a model-serving chart's Hugging Face URI", [cloud("kubernetes:helm.sh/v3:Release", { chart: "llm-server", values: { model: { uri: "hf://meta-llama/Llama-3.1-8B-Instruct" } } })], [DATA]],
  ["a model download from the hub by URL", [configFile("download.sh", "curl -LO https://huggingface.co/meta-llama/Llama-3.1-8B/resolve/main/model.safetensors")], [DATA]],
  [
    "KServe with the Hugging Face runtime and a hub model id",
    [k8s("InferenceService", { spec: { predictor: { model: { modelFormat: { name: "huggingface" }, args: ["--model_id=meta-llama/Llama-3.1-8B-Instruct"] } } } }, "serving.kserve.io/v1beta1")],
    [DATA],
  ],
  // YAML carried in strings in every shape.
  ["YAML on one line", [configFile("settings", "region: eu-west-1")], [REGION]],
  ["YAML flow style", [configFile("settings", "{region: eu-west-1, bucket: x}")], [REGION]],
  ["several YAML documents", [configFile("all.yaml", "---\nname: a\n---\nstorage:\n  region: eu-west-1\n")], [REGION]],
  ["a YAML block indented as a whole", [configFile("block", "    storage:\n      bucket: x\n      region: eu-west-1\n")], [REGION]],
  // Key spellings.
  ["S3 LocationConstraint", [cloud("kubernetes:s3.aws.upbound.io/v1beta1:Bucket", { kind: "Bucket", spec: { forProvider: { createBucketConfiguration: { locationConstraint: "EU" } } } })], [REGION]],
  ["region_name", [configFile("boto.yaml", "client:\n  region_name: eu-west-1\n")], [REGION]],
  ["regionCode", [configFile("app.json", '{"storage": {"regionCode": "eu-central-1"}}')], [REGION]],
  ["region_id", [configFile("app.yaml", "region_id: ap-northeast-1\n")], [REGION]],
  ["location_id", [configFile("kms.yaml", "location_id: europe-west4\n")], [REGION]],
  ["zone_name", [configFile("app.yaml", "zone_name: eu-west-1a\n")], [REGION]],
  ["az", [configFile("app.yaml", "az: us-east-1a\n")], [REGION]],
  ["datacenter", [configFile("consul.hcl", 'datacenter = "fra1"\n')], [REGION]],
  ["OS_REGION_NAME", [env({ OS_REGION_NAME: "fr-par" })], [REGION]],
  ["AWS_S3_REGION_NAME", [env({ AWS_S3_REGION_NAME: "eu-west-1" })], [REGION]],
  ["MINIO_REGION_NAME", [env({ MINIO_REGION_NAME: "us-east-1" })], [REGION]],
  ["a region word such as global", [configFile("values.yaml", "replication:\n  region: global\n")], [REGION]],
  // Regions inside identifiers.
  ["a KMS key ARN", [cloud("kubernetes:helm.sh/v3:Release", { values: { sse: { kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/abcd" } } })], [REGION]],
  ["a projects/*/locations/* path", [configFile("kms", "projects/p/locations/europe-west4/keyRings/k/cryptoKeys/c")], [REGION]],
  // Other projects' placement objects.
  ["Crossplane forProvider.region", [cloud("kubernetes:s3.aws.upbound.io/v1beta1:Bucket", { kind: "Bucket", spec: { forProvider: { region: "eu-west-1" } } })], [REGION]],
  [
    "Karpenter zone requirements",
    [cloud("kubernetes:karpenter.sh/v1:NodePool", { kind: "NodePool", spec: { template: { spec: { requirements: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["eu-west-1a"] }] } } } })],
    [REGION],
  ],
  ["an Azure Service Operator location", [cloud("kubernetes:resources.azure.com/v1api20200601:ResourceGroup", { kind: "ResourceGroup", spec: { location: "westeurope" } })], [REGION]],
  ["Azure zone numbers of a foreign region", [cloud("azure-native:compute:VirtualMachine", { location: "westeurope", zones: ["1"] })], [REGION]],
  // Places in the extended carriers.
  ["an Azure location by its display name", [cloud("azure-native:resources:ResourceGroup", { location: "West Europe" })], [REGION]],
  ["an Azure display name in free-form YAML", [configFile("values.yaml", "storage:\n  location: West Europe\n")], [REGION]],
  ["a ConfigMap's binaryData", [k8s("ConfigMap", { binaryData: { config: Buffer.from("[default]\nregion = eu-west-1\n").toString("base64") } })], [REGION]],
  ["a map keyed by region", [configFile("replication.yaml", "regions:\n  eu-west-2:\n    bucket: x\n")], [REGION]],
  ["a Google Cloud key path in a multi-region location", [configFile("kms", "projects/p/locations/global/keyRings/k/cryptoKeys/c")], [REGION]],
  ["an ARN whose region is not in the code list", [cloud("kubernetes:helm.sh/v3:Release", { values: { sse: { kmsKeyId: "arn:aws:kms:eusc-de-east-1:123456789012:key/abcd" } } })], [REGION]],
  // Storage backends that are not the site's own.
  ["a foreign cloud's CSI driver", [storageClass("ebs.csi.aws.com", { encrypted: "true", type: "gp3" })], [DATA]],
  ["another CSI driver with an in-country name", [storageClass("csi.example.no", { encrypted: "true" })], [DATA]],
  ["Rook's provisioner with a look-alike letter", [storageClass("rook-\u0441eph.rbd.csi.ceph.com", { encrypted: "true", clusterID: "rook-ceph" })], [DATA]],
  ["another Ceph cluster", [storageClass("rook-ceph.rbd.csi.ceph.com", { encrypted: "true", clusterID: "partner-ceph" })], [DATA]],
  ["another Ceph cluster under another key case", [storageClass("rook-ceph.cephfs.csi.ceph.com", { encrypted: "true", ClusterId: "partner-ceph" })], [DATA]],
  ["a bucket class on an object store the site does not declare", [encryptingStore, storageClass("rook-ceph.ceph.rook.io/bucket", { objectStoreName: "other", objectStoreNamespace: "rook-ceph" })], [DATA]],
  ["a bucket class on another Ceph cluster", [encryptingStore, storageClass("rook-ceph.ceph.rook.io/bucket", { objectStoreName: "oslo-1-objects", objectStoreNamespace: "partner-ceph" })], [DATA]],
  ["a Velero location on Azure", [k8s("BackupStorageLocation", { spec: { provider: "azure", objectStorage: { bucket: "b" }, config: { resourceGroup: "rg", storageAccount: "acct" } } }, "velero.io/v1")], [DATA]],
];

export const mustPass: Case[] = [
  ["a node-affinity term that pins Oslo and excludes a zone", [affinity(pinOslo, { key: "topology.kubernetes.io/zone", operator: "NotIn", values: ["no-oslo-1b"] })], []],
  ["a pinned term that also requires a zone label", [affinity(pinOslo, { key: "topology.kubernetes.io/zone", operator: "Exists" })], []],
  ["a pinned term with DoesNotExist", [affinity(pinOslo, { key: "failure-domain.beta.kubernetes.io/zone", operator: "DoesNotExist" })], []],
  ["a toleration on a zone key", [deployment({}, { tolerations: [{ key: "topology.kubernetes.io/zone", operator: "Exists" }] })], []],
  ["external-dns and cert-manager DNS zones", [configFile("dns.yaml", "hostedZoneID: Z123ABC\nzoneName: aifactory.no\nmanagedZone: aifactory-no\nprivateZoneName: internal.aifactory.no\nzoneId: abc123\n")], []],
  ["Route 53 hosted zone on a provider resource", [cloud("aws:route53/record:Record", { zoneId: "Z0123", name: "api.aifactory.no" })], []],
  ["a Velero schedule's storage location", [k8s("Schedule", { spec: { schedule: "0 2 * * *", template: { storageLocation: "default", volumeSnapshotLocations: ["default"] } } }, "velero.io/v1")], []],
  ["Velero's default location flag", [args("server", "--default-backup-storage-location=default", "--default-volume-snapshot-locations=velero.io/aws:default")], []],
  ["Velero defaultBackupStorageLocation in Helm values", [cloud("kubernetes:helm.sh/v3:Release", { values: { configuration: { defaultBackupStorageLocation: "default" } } })], []],
  ["SPRING_CONFIG_LOCATION", [env({ SPRING_CONFIG_LOCATION: "classpath:/config/,file:/etc/app/" })], []],
  ["a Rook pool with host failure domain", [k8s("CephBlockPool", { spec: { failureDomain: "host", replicated: { size: 3 } } }, "ceph.rook.io/v1")], []],
  ["a Rook pool with zone and rack failure domains", [k8s("CephBlockPool", { spec: { failureDomain: "zone" } }, "ceph.rook.io/v1"), k8s("CephFilesystem", { spec: { metadataPool: { failureDomain: "rack" } } }, "ceph.rook.io/v1")], []],
  ["Azure zone numbers in Norway", [cloud("azure-native:compute:VirtualMachine", { location: "norwayeast", zones: ["1", "2", "3"] })], []],
  ["document regions in an OCR config", [configFile("ocr.yaml", "layout:\n  regions: [header, footer, table, figure]\n  region: body\n")], []],
  ["a text field about regions", [configFile("app.yaml", "help:\n  region: Choose the region of the document to extract\n")], []],
  ["a file location", [configFile("app.yaml", "location: /var/lib/models\nschemaLocation: http://example.com/schema.xsd\n")], []],
  ["an in-cluster object store over http", [configFile("loki.yaml", "storage:\n  s3:\n    endpoint: http://minio.minio.svc:9000\n    region: no-oslo-1\n")], []],
  ["an in-country bare-host endpoint", [configFile("thanos.yaml", "type: S3\nconfig:\n  endpoint: s3.oslo-1.aifactory.no\n  region: no-oslo-1\n")], []],
  ["an in-country AWS CLI config in a Secret", [secretFile("config", "[default]\nregion = no-oslo-1\nendpoint_url = https://s3.oslo-1.aifactory.no\n")], []],
  ["Norwegian region flags", [args("--region=no-rjukan-1", "--endpoint", "https://s3.rjukan-1.aifactory.no")], []],
  ["a topology spread on zones", [deployment({}, { topologySpreadConstraints: [{ topologyKey: "topology.kubernetes.io/zone", maxSkew: 1 }] })], []],
  ["a CronJob time zone", [k8s("CronJob", { spec: { schedule: "0 3 * * *", timeZone: "Europe/Oslo", jobTemplate: { spec: { template: { spec: { containers: [container({})] } } } } } }, "batch/v1")], []],
  ["Prometheus external labels", [configFile("prometheus.yaml", "global:\n  external_labels:\n    region: no-oslo-1\n    zone: no-oslo-1a\n")], []],
  ["a model from an in-country volume", [k8s("InferenceService", { spec: { predictor: { model: { modelFormat: { name: "huggingface" }, storageUri: "pvc://models/llama" } } } }, "serving.kserve.io/v1beta1")], []],
  ["external-dns's own DNS zone", [args("--provider=rfc2136", "--rfc2136-zone=oslo-1.aifactory.no", "--rfc2136-host=ns.oslo-1.aifactory.no")], []],
  ["regions as parts of a document", [configFile("pipeline.json", '{"regions": "line-items", "zone": "header-footer"}')], []],
  ["an Azure display name in Norway", [cloud("azure-native:resources:ResourceGroup", { location: "Norway East" })], []],
  ["a map keyed by a Norwegian region", [configFile("replication.yaml", "regions:\n  no-oslo-1:\n    bucket: x\n")], []],
  ["a global service's ARN", [configFile("iam", "arn:aws:iam::123456789012:role/reader")], []],
  ["the site's own block class", [storageClass("rook-ceph.rbd.csi.ceph.com", { encrypted: "true", clusterID: "rook-ceph", pool: "replicapool" })], []],
  ["the site's own bucket class on its encrypting object store", [encryptingStore, storageClass("rook-ceph.ceph.rook.io/bucket", { objectStoreName: "oslo-1-objects", objectStoreNamespace: "rook-ceph" })], []],
  ["an image digest and a UUID", [configFile("ids", "sha256:8d4b9c1e5f2a\nid: 6d1c0a52-93a3-4b7e-9d0e-1f1e5f7c2a10\n")], []],
];

export const wildcardTls: RecordedResource[] = [
  k8s("Namespace", { metadata: { name: "public-services", labels: { "aifactory.no/data-classification": "sensitive" } } }),
  k8s("NetworkPolicy", { metadata: { namespace: "public-services" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], egress: [{ ports: [{ protocol: "UDP", port: 53 }] }] } }, "networking.k8s.io/v1"),
  k8s("Ingress", { metadata: { namespace: "public-services" }, spec: { tls: [{ hosts: ["*.oslo-1.aifactory.no"], secretName: "w" }], rules: [{ host: "chat.oslo-1.aifactory.no" }] } }, "networking.k8s.io/v1"),
];

