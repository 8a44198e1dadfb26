import { describe, expect, it } from "vitest";
import {
  CAPM3_LABEL_SYNC_PREFIXES_ANNOTATION,
  CLUSTER_AUTOSCALER_VALUE_PATHS,
  ClusterApiKinds,
  NODE_INVENTORY_PREFIX,
  NodeLabels,
} from "../../catalog";
import {
  type SiteClusterContext,
  autoscalerReleaseArgs,
  clusterSpec,
  controlPlaneMachineTemplateSpec,
  kubeadmControlPlaneSpec,
  machineDeploymentSpec,
  metal3ClusterSpec,
  needsAutoscaler,
  nodePatchSpec,
  topologyLevelLabels,
} from "../../components";
import type { FactoryConfig } from "../../config";
import {
  autoscalerNodeGroups,
  capiDefaultReplicas,
  capiManagesLabel,
  capiSyncNodeLabels,
  capm3MatchesNodesByLabel,
  capm3SyncHostLabels,
} from "../upstream/clusterApi";
import { parseFactoryConfig } from "../../config";
import { osloWith, parseConfig, runWith } from "../helpers";

function problemLines(raw: Record<string, unknown>): string[] {
  const result = parseFactoryConfig(raw);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

const oslo = parseConfig();
const ctx = (config: FactoryConfig): SiteClusterContext => ({ site: config.site, clusterApi: config.cluster.clusterApi!, mirrors: config.mirrors });
const poolArgs = (config: FactoryConfig, i: number) => ({ site: config.site, pool: config.gpuPools[i]!, clusterApi: config.cluster.clusterApi! });

interface Ref {
  apiGroup: string;
  kind: string;
  name: string;
}
interface PlannedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, unknown>;
}

/** Every `{apiGroup, kind, name}` reference in an object (v1beta2 references), with its path. */
function references(value: unknown, path = ""): { path: string; ref: Ref }[] {
  if (value === null || typeof value !== "object") return [];
  const obj = value as Record<string, unknown>;
  if (typeof obj["apiGroup"] === "string" && typeof obj["kind"] === "string" && typeof obj["name"] === "string") {
    return [{ path, ref: obj as unknown as Ref }];
  }
  return Object.entries(obj).flatMap(([k, v]) => references(v, path ? `${path}.${k}` : k));
}

describe("the site's Cluster API cluster (Cluster API v1.14.0, CAPM3 v1.13.2)", () => {
  it("declares a Cluster, Metal3Cluster, control plane and control-plane template whose references all resolve, and every pool belongs to it", async () => {
    const { resources } = await runWith(osloWith({}));
    const objects = resources
      .filter((r) => r.custom && typeof r.inputs["apiVersion"] === "string" && r.inputs["apiVersion"].includes("cluster.x-k8s.io/"))
      .map((r) => r.inputs as unknown as PlannedObject);
    const kinds = objects.map((o) => o.kind);
    for (const kind of ["Cluster", "Metal3Cluster", "KubeadmControlPlane"]) expect(kinds.filter((k) => k === kind), kind).toHaveLength(1);
    const find = (ref: Ref, namespace: string | undefined) =>
      objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name && o.apiVersion.split("/")[0] === ref.apiGroup && o.metadata.namespace === namespace);
    for (const o of objects) {
      for (const { path, ref } of references(o.spec)) {
        expect(find(ref, o.metadata.namespace), `${o.kind}/${o.metadata.name} ${path} -> ${ref.kind}/${ref.name}`).toBeDefined();
      }
      if (o.kind !== "Cluster" && "clusterName" in o.spec) {
        expect(find({ ...ClusterApiKinds.cluster, name: String(o.spec["clusterName"]) }, o.metadata.namespace), `${o.kind}/${o.metadata.name}`).toBeDefined();
      }
    }
    expect(objects.filter((o) => o.kind === "MachineDeployment")).toHaveLength(2);
  });

  it("protects and retains every object of the cluster (deleting a Cluster deletes every machine)", async () => {
    const { resources } = await runWith(osloWith({}));
    const cluster = resources.filter((r) => r.custom && r.parent?.includes("cluster:SiteCluster") && r.type.startsWith("kubernetes:") && !r.type.includes("helm"));
    expect(cluster.map((r) => String(r.inputs["kind"])).sort()).toEqual(["Cluster", "KubeadmControlPlane", "Metal3Cluster", "Metal3MachineTemplate"]);
    for (const r of cluster) expect(r.options, r.name).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("has CAPM3 match Nodes to hosts by the metal3.io/uuid label, which control-plane nodes carry too", () => {
    const infra = metal3ClusterSpec(ctx(oslo));
    expect(infra.spec["cloudProviderEnabled"]).toBe(false);
    expect(capm3MatchesNodesByLabel(infra.spec)).toBe(true);
    const kcp = JSON.stringify(kubeadmControlPlaneSpec(ctx(oslo)).spec);
    expect(kcp.match(/metal3\.io\/uuid=\{\{ ds\.meta_data\.uuid \}\}/g)).toHaveLength(2);
  });

  it("takes the API endpoint, control-plane size, hosts and networks from config", () => {
    const custom = parseConfig(
      osloWith({
        "cluster.clusterApi.controlPlane": { replicas: 5, endpoint: { host: "10.20.0.10", port: 443 }, hostSelector: { "aifactory.no/host-role": "cp", "aifactory.no/hall": "b" } },
        "cluster.clusterApi.network": { pods: ["10.244.0.0/16"], services: ["10.97.0.0/16"] },
      }),
    );
    expect(metal3ClusterSpec(ctx(custom)).spec["controlPlaneEndpoint"]).toEqual({ host: "10.20.0.10", port: 443 });
    expect(kubeadmControlPlaneSpec(ctx(custom)).spec).toMatchObject({ replicas: 5, version: "v1.34.2" });
    expect(controlPlaneMachineTemplateSpec(ctx(custom)).spec).toMatchObject({
      template: { spec: { hostSelector: { matchLabels: { "aifactory.no/site": "oslo-1", "aifactory.no/host-role": "cp", "aifactory.no/hall": "b" } } } },
    });
    expect(clusterSpec(ctx(custom)).spec["clusterNetwork"]).toEqual({ pods: { cidrBlocks: ["10.244.0.0/16"] }, services: { cidrBlocks: ["10.97.0.0/16"] } });
    // Defaults: three control-plane hosts labelled for the role, images from the site's mirror.
    expect(kubeadmControlPlaneSpec(ctx(oslo)).spec).toMatchObject({ replicas: 3, kubeadmConfigSpec: { clusterConfiguration: { imageRepository: "cr.oslo-1.aifactory.no" } } });
    expect(controlPlaneMachineTemplateSpec(ctx(oslo)).spec).toMatchObject({
      template: { spec: { hostSelector: { matchLabels: { "aifactory.no/site": "oslo-1", "aifactory.no/host-role": "control-plane" } } } },
    });
    expect(metal3ClusterSpec(ctx(oslo)).spec["failureDomains"]).toEqual([
      { name: "no-oslo-1a", controlPlane: true },
      { name: "no-oslo-1b", controlPlane: true },
    ]);
  });

  it("refuses a bad control plane with the key path and what is allowed", () => {
    expect(problemLines(osloWith({ "cluster.clusterApi.controlPlane.replicas": 2 }))).toEqual([
      "cluster.clusterApi.controlPlane.replicas: must be 1, 3, 5 or 7 (Cluster API v1.14.0 refuses an even number of control-plane machines with stacked etcd)",
    ]);
    expect(problemLines(osloWith({ "cluster.clusterApi.controlPlane": undefined }))[0]).toMatch(/^cluster\.clusterApi\.controlPlane: /);
    expect(problemLines(osloWith({ "cluster.clusterApi.network.pods": ["10.244.0.0"] }))).toEqual([
      "cluster.clusterApi.network.pods[0]: must be a CIDR block such as 10.96.0.0/12",
    ]);
  });
});

describe("host-inventory labels against Cluster API's and CAPM3's label sync", () => {
  const h100 = poolArgs(oslo, 0);
  const machineLabels = (machineDeploymentSpec(h100).spec["template"] as { metadata: { labels: Record<string, string> } }).metadata.labels;
  const host = { [NodeLabels.rack]: "a-r07", [NodeLabels.block]: "a-spine-1", "aifactory.no/site": "oslo-1" };

  /** Cluster API and CAPM3 reconciling one Node, in both orders, several times; returns every state seen. */
  function reconcile(prefixAnnotation: Record<string, string>): Record<string, string>[] {
    const node = { labels: { "kubernetes.io/hostname": "osl1-gpu-a07" }, annotations: {} as Record<string, string> };
    const seen: Record<string, string>[] = [];
    for (let round = 0; round < 3; round++) {
      capiSyncNodeLabels(node, machineLabels);
      seen.push({ ...node.labels });
      capm3SyncHostLabels(node, host, prefixAnnotation);
      seen.push({ ...node.labels });
    }
    return seen.slice(1);
  }

  it("keeps the pool's placement labels and the host's rack and block on the Node at every step", () => {
    const annotations = metal3ClusterSpec(ctx(oslo)).metadata.annotations ?? {};
    expect(annotations[CAPM3_LABEL_SYNC_PREFIXES_ANNOTATION]).toBe(NODE_INVENTORY_PREFIX);
    for (const labels of reconcile(annotations).slice(1)) {
      expect(labels).toMatchObject({ [NodeLabels.gpuPool]: "h100-train", [NodeLabels.site]: "oslo-1", [NodeLabels.zone]: "no-oslo-1a" });
      expect(labels).toMatchObject({ [NodeLabels.rack]: "a-r07", [NodeLabels.block]: "a-spine-1" });
    }
  });

  it("would flap the pool labels with the placement prefix as the sync prefix (the model's own check)", () => {
    const states = reconcile({ [CAPM3_LABEL_SYNC_PREFIXES_ANNOTATION]: "aifactory.no.node-restriction.kubernetes.io" });
    expect(states.some((l) => !(NodeLabels.gpuPool in l))).toBe(true);
    expect(states.some((l) => NodeLabels.gpuPool in l)).toBe(true);
  });

  it("uses a prefix no Machine label uses, still in node-restriction.kubernetes.io, for Kueue levels and static patches alike", () => {
    expect(Object.keys(machineLabels).some((k) => k.startsWith(`${NODE_INVENTORY_PREFIX}/`))).toBe(false);
    expect(NODE_INVENTORY_PREFIX.endsWith(".node-restriction.kubernetes.io")).toBe(true);
    // Cluster API would copy such a label if a Machine had one: the prefix is only safe because none does.
    expect(capiManagesLabel(NodeLabels.rack)).toBe(true);
    const dgx = oslo.gpuPools.find((p) => p.name === "dgx-h200")!;
    expect(topologyLevelLabels(dgx)[0]).toBe(NodeLabels.rack);
    expect(nodePatchSpec({ site: oslo.site, pool: dgx }, "osl1-dgx-b01").metadata?.labels).toMatchObject({ [NodeLabels.rack]: "b-r01" });
  });
});

describe("the cluster-autoscaler (chart 9.53.0, cluster-autoscaler 1.34.2)", () => {
  it("is declared for a {min, max} Cluster API pool, from the mirrors, pinned, and finds exactly the scaling pools", async () => {
    expect(needsAutoscaler(oslo.gpuPools)).toBe(true);
    const release = autoscalerReleaseArgs({ clusterApi: oslo.cluster.clusterApi!, mirrors: oslo.mirrors });
    expect(release).toMatchObject({
      chart: "cluster-autoscaler",
      version: "9.53.0",
      namespace: "capi-oslo-1",
      repositoryOpts: { repo: "https://charts.oslo-1.aifactory.no/stable" },
      values: {
        cloudProvider: "clusterapi",
        clusterAPIMode: "incluster-incluster",
        autoDiscovery: { clusterName: "oslo-1", namespace: "capi-oslo-1" },
        image: { repository: "cr.oslo-1.aifactory.no/autoscaling/cluster-autoscaler", tag: "v1.34.2" },
      },
    });
    const values = release.values as { autoDiscovery: { clusterName: string; namespace: string } };
    const mds = oslo.gpuPools
      .flatMap((p, i) => (p.provisioning === "clusterapi" ? [machineDeploymentSpec(poolArgs(oslo, i))] : []))
      .map((md) => ({ namespace: md.metadata.namespace!, clusterName: String(md.spec["clusterName"]), name: md.metadata.name, annotations: md.metadata.annotations ?? {} }));
    expect(autoscalerNodeGroups(values.autoDiscovery, mds)).toEqual([{ name: "oslo-1-h100-train", min: 2, max: 4 }]);
    const { resources } = await runWith(osloWith({}));
    expect(resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs["name"] === "cluster-autoscaler")).toHaveLength(1);
  });

  it("sets only value paths chart 9.53.0 reads", () => {
    const leaves = (v: unknown, prefix = ""): string[] =>
      v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => leaves(x, prefix ? `${prefix}.${k}` : k))
        : [prefix];
    for (const context of ["mgmt-oslo", undefined]) {
      const config = parseConfig(osloWith({ "cluster.clusterApi.managementKubeContext": context }));
      const values = autoscalerReleaseArgs({ clusterApi: config.cluster.clusterApi!, mirrors: config.mirrors }).values;
      for (const path of leaves(values)) expect(CLUSTER_AUTOSCALER_VALUE_PATHS as readonly string[], path).toContain(path);
    }
  });

  it("is not declared when every Cluster API pool has a fixed size", async () => {
    const fixed = osloWith({ "gpuPools[0].nodes": 3 });
    expect(needsAutoscaler(parseConfig(fixed).gpuPools)).toBe(false);
    const { resources } = await runWith(fixed);
    expect(resources.some((r) => r.inputs["name"] === "cluster-autoscaler")).toBe(false);
  });

  it("runs beside the Machines with a separate management cluster, reading the site's Nodes through Cluster API's kubeconfig Secret", async () => {
    const raw = osloWith({ "cluster.clusterApi.managementKubeContext": "mgmt-oslo" });
    const config = parseConfig(raw);
    expect(autoscalerReleaseArgs({ clusterApi: config.cluster.clusterApi!, mirrors: config.mirrors }).values).toMatchObject({
      clusterAPIMode: "kubeconfig-incluster",
      clusterAPIKubeconfigSecret: "oslo-1-kubeconfig",
    });
    const { resources } = await runWith(raw);
    const mgmt = resources.find((r) => r.type === "pulumi:providers:kubernetes" && r.inputs["context"] === "mgmt-oslo");
    const release = resources.find((r) => r.inputs["name"] === "cluster-autoscaler");
    const cluster = resources.find((r) => r.inputs["kind"] === "Cluster");
    expect(mgmt).toBeDefined();
    expect(release?.provider?.startsWith(mgmt!.urn)).toBe(true);
    expect(cluster?.provider?.startsWith(mgmt!.urn)).toBe(true);
  });

  it("takes over replicas from Cluster API's webhook: the minimum on create, its own value after", () => {
    const md = machineDeploymentSpec(poolArgs(oslo, 0));
    const requested = md.spec["replicas"] as number | undefined;
    const annotations = md.metadata.annotations ?? {};
    expect(capiDefaultReplicas(requested, annotations, undefined)).toBe(2);
    // The autoscaler scaled to 3; the next `pulumi up` sends no replicas, so the webhook keeps 3.
    expect(capiDefaultReplicas(requested, annotations, { replicas: 3 })).toBe(3);
    // A fixed pool keeps the count config gives it.
    const l40s = machineDeploymentSpec(poolArgs(oslo, 2));
    expect(capiDefaultReplicas(l40s.spec["replicas"] as number, l40s.metadata.annotations ?? {}, { replicas: 5 })).toBe(3);
  });

  it("refuses a Cluster API range from zero, which the autoscaler could not scale up", () => {
    expect(problemLines(osloWith({ "gpuPools[0].nodes": { min: 0, max: 4 } }))).toEqual([
      "gpuPools[0].nodes.min: must be at least 1 for a clusterapi pool that scales: the cluster-autoscaler cannot scale a bare-metal group up from zero",
    ]);
  });
});
