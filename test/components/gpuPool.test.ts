import { describe, expect, it } from "vitest";
import {
  type ClusterApiPoolArgs,
  kubeadmConfigTemplateSpec,
  kubeletNodeLabels,
  machineDeploymentSpec,
  machineHealthCheckSpec,
  metal3MachineTemplateSpec,
  nodePatchSpec,
  poolRecordSpec,
  sitePower,
} from "../../components";
import type { FactoryConfig } from "../../config";
import { capiMaxUnhealthy, isKubeletSettableNodeLabel } from "../../catalog";
import {
  capiSyncMachineLabels,
  capm3AssignProviderId,
  gpuOperatorLabelNode,
  joinNode,
  operatorDriverRunsOn,
} from "../upstream/controllers";
import { kubernetesObjects } from "../../plan";
import { osloRaw, osloWith, parseConfig, runWith } from "../helpers";

const parse = parseConfig;

/** Leaf field paths a server-side apply of this object would own (lists are atomic leaves). */
function ssaOwnedFields(obj: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(obj).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (key === "apiVersion" || key === "kind") return [];
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      return ssaOwnedFields(value as Record<string, unknown>, path);
    }
    return [path];
  });
}

const oslo = parse();
const capiArgs = (config: FactoryConfig, i: number): ClusterApiPoolArgs => ({
  site: config.site,
  pool: config.gpuPools[i]!,
  clusterApi: config.cluster.clusterApi!,
});

const placement = {
  "aifactory.no.node-restriction.kubernetes.io/gpu-pool": "h100-train",
  "aifactory.no.node-restriction.kubernetes.io/site": "oslo-1",
  "aifactory.no.node-restriction.kubernetes.io/region": "no-oslo-1",
  "aifactory.no.node-restriction.kubernetes.io/zone": "no-oslo-1a",
  "aifactory.no.node-restriction.kubernetes.io/renewable": "true",
};

describe("a Cluster API pool", () => {
  const h100 = capiArgs(oslo, 0);

  it("labels its Machines with placement labels in the node-restriction domain, which Cluster API syncs to Nodes", () => {
    const md = machineDeploymentSpec(h100);
    const labels = { ...placement, "cluster.x-k8s.io/cluster-name": "oslo-1" };
    expect(md.spec["selector"]).toEqual({ matchLabels: labels });
    expect(md.spec["template"]).toMatchObject({
      metadata: { labels },
      spec: {
        clusterName: "oslo-1",
        version: "v1.34.2",
        failureDomain: "no-oslo-1a",
        bootstrap: { configRef: { apiGroup: "bootstrap.cluster.x-k8s.io", kind: "KubeadmConfigTemplate", name: "oslo-1-h100-train" } },
        infrastructureRef: { apiGroup: "infrastructure.cluster.x-k8s.io", kind: "Metal3MachineTemplate", name: "oslo-1-h100-train" },
      },
    });
    expect(md.apiVersion).toBe("cluster.x-k8s.io/v1beta2");
  });

  it("leaves replicas to the autoscaler between min and max when it scales", () => {
    const md = machineDeploymentSpec(h100);
    expect(md.spec).not.toHaveProperty("replicas");
    expect(md.metadata.annotations).toEqual({
      "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size": "2",
      "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size": "4",
      "cluster.x-k8s.io/autoscaling-options-maxnodeprovisiontime": "40m0s",
    });
  });

  it("sets replicas for a fixed-size pool", () => {
    const md = machineDeploymentSpec(capiArgs(oslo, 2));
    expect(md.spec["replicas"]).toBe(3);
    expect(md.metadata.annotations).toBeUndefined();
  });

  it("registers nodes with the GPU taint, and passes the kubelet only labels it may set anyway", () => {
    const registration = (kubeadmConfigTemplateSpec(h100).spec as {
      template: { spec: { joinConfiguration: { nodeRegistration: { taints: unknown; kubeletExtraArgs: { name: string; value: string }[] } } } };
    }).template.spec.joinConfiguration.nodeRegistration;
    expect(registration.taints).toEqual([{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }]);
    expect(registration.kubeletExtraArgs.map((a) => a.name)).toEqual(["node-labels"]);
    const keys = Object.keys(kubeletNodeLabels(h100));
    expect(keys.sort()).toEqual([
      "aifactory.no/gpu-model",
      "cluster-api/accelerator",
      "metal3.io/uuid",
      "nvidia.com/mig.config",
      "topology.kubernetes.io/region",
      "topology.kubernetes.io/zone",
    ]);
    for (const key of keys) expect(isKubeletSettableNodeLabel(key), key).toBe(true);
  });

  it("gives booted nodes CAPM3's identity label, so the Machine gets its Node and Cluster API syncs the pool labels to it", () => {
    const host = { uid: "6d1c0a52-93a3-4b7e-9d0e-1f1e5f7c2a10", name: "osl1-gpu-a07" };
    const node = joinNode(kubeadmConfigTemplateSpec(h100), host, "osl1-gpu-a07");
    const other = joinNode(kubeadmConfigTemplateSpec(h100), { uid: "0000", name: "osl1-gpu-a08" }, "osl1-gpu-a08");
    const matched = capm3AssignProviderId([other, node], host);
    expect(matched?.name).toBe("osl1-gpu-a07");
    const md = machineDeploymentSpec(h100) as unknown as { spec: { template: { metadata: { labels: Record<string, string> } } } };
    capiSyncMachineLabels(matched, md.spec.template.metadata.labels);
    expect(node.labels).toMatchObject(placement);
    expect(other.labels).not.toHaveProperty(["aifactory.no.node-restriction.kubernetes.io/gpu-pool"]);
  });

  it("leaves nodes out of the pool when the bootstrap config lacks the identity label (the model's own check)", () => {
    const host = { uid: "6d1c0a52", name: "osl1-gpu-a07" };
    const spec = kubeadmConfigTemplateSpec(h100);
    const json = JSON.parse(JSON.stringify(spec).replace(/metal3\.io\/uuid=[^,"]*,?/, "")) as typeof spec;
    const node = joinNode(json, host, "osl1-gpu-a07");
    capiSyncMachineLabels(capm3AssignProviderId([node], host), placement);
    expect(node.labels).not.toHaveProperty(["aifactory.no.node-restriction.kubernetes.io/gpu-pool"]);
  });

  it("lets the GPU operator install the driver on Cluster API nodes by default, and not when the image has one", () => {
    const host = { uid: "u-1", name: "osl1-gpu-a01" };
    const byOperator = joinNode(kubeadmConfigTemplateSpec(h100), host, "x");
    expect(operatorDriverRunsOn(gpuOperatorLabelNode(byOperator.labels))).toBe(true);
    const preinstalled = parse(osloWith({ "gpuPools[0].driver": "preinstalled" }));
    const node = joinNode(kubeadmConfigTemplateSpec(capiArgs(preinstalled, 0)), host, "x");
    expect(operatorDriverRunsOn(gpuOperatorLabelNode(node.labels))).toBe(false);
  });

  it("selects bare-metal hosts of the pool's GPU model and size at the site's zone", () => {
    expect(metal3MachineTemplateSpec(h100).spec).toEqual({
      template: {
        spec: {
          hostSelector: {
            matchLabels: {
              "aifactory.no/site": "oslo-1",
              "aifactory.no/zone": "no-oslo-1a",
              "aifactory.no/gpu-model": "h100-sxm",
              "aifactory.no/gpu-count": "8",
            },
          },
          image: {
            url: "https://images.oslo-1.aifactory.no/ubuntu-24.04-gpu-v1.34.2.qcow2",
            checksum: "https://images.oslo-1.aifactory.no/ubuntu-24.04-gpu-v1.34.2.qcow2.sha256sum",
            checksumType: "sha256",
            diskFormat: "qcow2",
          },
        },
      },
    });
  });

  it("health-checks the pool's Machines and stops remediating when too many fail at once", () => {
    const mhc = machineHealthCheckSpec(h100);
    expect(mhc.metadata.name).toBe("oslo-1-h100-train-gpu-health");
    expect(mhc.spec).toEqual({
      clusterName: "oslo-1",
      selector: { matchLabels: { ...placement, "cluster.x-k8s.io/cluster-name": "oslo-1" } },
      checks: {
        nodeStartupTimeoutSeconds: 2400,
        unhealthyNodeConditions: [
          { type: "Ready", status: "False", timeoutSeconds: 600 },
          { type: "Ready", status: "Unknown", timeoutSeconds: 600 },
        ],
      },
      remediation: { triggerIf: { unhealthyLessThanOrEqualTo: "50%" } },
    });
    expect(metal3MachineTemplateSpec(h100).apiVersion).toBe("infrastructure.cluster.x-k8s.io/v1beta2");
  });

  it("always lets Cluster API repair one failed machine, at every size of the pool's range", () => {
    const ranges: (number | { min: number; max: number })[] = [1, 2, 3, 5, 12, { min: 1, max: 4 }, { min: 1, max: 8 }, { min: 2, max: 4 }, { min: 3, max: 24 }, { min: 7, max: 9 }];
    for (const nodes of ranges) {
      // No queues (their nominal GPUs would not fit a small pool), so no queued servers either.
      const noQueues = { "tenants[0].queue": undefined, "tenants[1].queue": undefined, "tenants[2].queue": undefined, inference: [] };
      const args = capiArgs(parse(osloWith({ "gpuPools[0].nodes": nodes, ...noQueues })), 0);
      const threshold = (machineHealthCheckSpec(args).spec as { remediation: { triggerIf: { unhealthyLessThanOrEqualTo: string } } })
        .remediation.triggerIf.unhealthyLessThanOrEqualTo;
      const [low, high] = typeof nodes === "number" ? [nodes, nodes] : [Math.max(1, nodes.min), nodes.max];
      for (let size = low; size <= high; size++) {
        expect(capiMaxUnhealthy(threshold, size), `${JSON.stringify(nodes)} at ${size}`).toBeGreaterThanOrEqual(1);
      }
      // A pool that never runs below three keeps the one-third cap.
      if (low >= 3) expect(threshold).toBe("34%");
    }
    // The old fixed 34% would have left a 2-node pool unrepaired.
    expect(capiMaxUnhealthy("34%", 2)).toBe(0);
  });

  it("carries the MIG layout from config to the node", () => {
    const custom = parse(osloWith({ "gpuPools[0].mig": "all-1g.10gb" }));
    const value = JSON.stringify(kubeadmConfigTemplateSpec(capiArgs(custom, 0)).spec);
    expect(value).toContain("nvidia.com/mig.config=all-1g.10gb");
  });
});

describe("a static pool", () => {
  const args = { site: oslo.site, pool: oslo.gpuPools[1]! };

  it("patches each named node with placement labels and descriptive labels, under a field manager of its own", () => {
    const patch = nodePatchSpec(args, "osl1-dgx-b01");
    expect(patch.metadata?.name).toBe("osl1-dgx-b01");
    expect(patch.metadata?.labels).toMatchObject({
      "aifactory.no.node-restriction.kubernetes.io/gpu-pool": "dgx-h200",
      "aifactory.no.node-restriction.kubernetes.io/site": "oslo-1",
      "aifactory.no.node-restriction.kubernetes.io/region": "no-oslo-1",
      "aifactory.no.node-restriction.kubernetes.io/zone": "no-oslo-1b",
      "aifactory.no.node-restriction.kubernetes.io/renewable": "true",
      "aifactory.no/gpu-model": "h200-sxm",
      "nvidia.com/mig.config": "all-disabled",
      "aifactory.no/site": "oslo-1",
    });
    expect(patch.metadata?.annotations).toEqual({
      "pulumi.com/patchFieldManager": "aifactory-gpu-pool-dgx-h200-osl1-dgx-b01",
      "pulumi.com/patchForce": "true",
    });
  });

  it("owns only map keys on the Node, so a cordon or another controller's taint never conflicts with the next apply", () => {
    const patch = nodePatchSpec(args, "osl1-dgx-b01");
    // Server-side apply owns every field set in the patch; an atomic list (taints) would be owned whole.
    expect(patch).not.toHaveProperty("spec");
    const owned = ssaOwnedFields(patch);
    expect(owned.every((f) => f.startsWith("metadata.labels.") || f.startsWith("metadata.annotations.") || f === "metadata.name")).toBe(true);
  });

  it("keeps the operator's driver off DGX nodes, whose driver comes with the host, unless config says otherwise", () => {
    const node = gpuOperatorLabelNode(nodePatchSpec(args, "osl1-dgx-b01").metadata!.labels as Record<string, string>);
    expect(operatorDriverRunsOn(node)).toBe(false);
    const custom = parse(osloWith({ "gpuPools[1].driver": "operator" }));
    const labels = nodePatchSpec({ site: custom.site, pool: custom.gpuPools[1]! }, "osl1-dgx-b01").metadata!.labels;
    expect(operatorDriverRunsOn(gpuOperatorLabelNode(labels as Record<string, string>))).toBe(true);
  });
});

describe("power", () => {
  it("estimates each pool at its largest size from the GPU catalogue", () => {
    const power = sitePower(oslo.site, oslo.gpuPools);
    expect(power.pools.map((p) => [p.pool, p.maxNodes, p.nodeWatts, p.itWatts])).toEqual([
      ["h100-train", 4, 10_200, 40_800], // 4 DGX-class H100 servers at 10.2 kW
      ["dgx-h200", 2, 10_200, 20_400], // 2 named DGX H200
      ["l40s-infer", 3, 2_500, 7_500], // 4 x 350 W + 1,100 W host
    ]);
  });

  it("sums IT load, applies PUE and reports headroom against the renewable contract", () => {
    expect(sitePower(oslo.site, oslo.gpuPools)).toMatchObject({
      itKw: 68.7,
      facilityKw: 79.005, // 68.7 kW x 1.15
      capacityKw: 2500,
      headroomKw: 2420.995,
    });
  });

  it("reports negative headroom when the pools outgrow the contract", () => {
    const small = parse(osloWith({ "site.power.capacityKw": 50 }));
    expect(sitePower(small.site, small.gpuPools).headroomKw).toBe(-29.005);
  });

  it("annotates each pool record with its IT draw for the policy pack", () => {
    const record = poolRecordSpec({ site: oslo.site, pool: oslo.gpuPools[0]! }, "aifactory-system");
    expect(record.metadata?.annotations).toEqual({ "aifactory.no/power-estimate-watts": "40800" });
    expect(record.metadata?.labels).toMatchObject({ "aifactory.no/pool-declaration": "true" });
    expect(record.data).toMatchObject({ minNodes: "2", maxNodes: "4", nodeWatts: "10200", itWatts: "40800" });
  });
});

/** Every node-selection key in an object: nodeSelector maps and node affinity expressions. */
function nodeSelectionKeys(value: unknown, keys: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value as unknown[]) nodeSelectionKeys(v, keys);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === "nodeSelector" && v !== null && typeof v === "object") keys.push(...Object.keys(v));
      if ((k === "matchExpressions" || k === "matchFields") && Array.isArray(v)) {
        for (const e of v as { key?: unknown }[]) if (typeof e.key === "string") keys.push(e.key);
      }
      nodeSelectionKeys(v, keys);
    }
  }
  return keys;
}

describe("the Oslo stack's GPU pools", () => {
  it("installs the GPU operator exactly once for three pools, from the chart mirror with a pinned version", async () => {
    const { resources } = await runWith(osloRaw());
    const releases = resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs["chart"] === "gpu-operator");
    expect(releases).toHaveLength(1);
    expect(releases[0]?.inputs).toMatchObject({
      chart: "gpu-operator",
      version: "v25.10.0",
      namespace: "gpu-operator",
      repositoryOpts: { repo: "https://charts.oslo-1.aifactory.no/stable" },
      values: {
        driver: { enabled: true },
        toolkit: { enabled: true },
        devicePlugin: { enabled: true },
        dcgmExporter: { enabled: true },
        mig: { strategy: "single" },
      },
    });
    const repositories = JSON.stringify(releases[0]?.inputs["values"]).match(/"repository":"[^"]+"/g) ?? [];
    expect(repositories.length).toBeGreaterThan(5);
    for (const r of repositories) expect(r).toMatch(/^"repository":"cr\.oslo-1\.aifactory\.no\//);
    const priorities = kubernetesObjects(resources).filter((o) => o.kind === "PriorityClass");
    expect(priorities.map((p) => [p.metadata.name, p["value"]])).toEqual([
      ["aifactory-inference", 100_000],
      ["aifactory-training", 10_000],
      ["aifactory-batch", 1_000],
    ]);
  });

  it("takes the MIG strategy and an OCI chart mirror from config", async () => {
    const raw = osloWith({
      "cluster.gpuOperator.migStrategy": "mixed",
      "mirrors.chartRepository": "oci://cr.oslo-1.aifactory.no/charts",
    });
    const release = (await runWith(raw)).resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release");
    expect(release?.inputs).toMatchObject({
      chart: "oci://cr.oslo-1.aifactory.no/charts/gpu-operator",
      values: { mig: { strategy: "mixed" } },
    });
    expect(release?.inputs).not.toHaveProperty("repositoryOpts");
  });

  it("declares no GPU operator for a site without pools", async () => {
    const raw = osloWith({ gpuPools: [], inference: [], "tenants[0].queue": undefined, "tenants[1].queue": undefined, "tenants[2].queue": undefined });
    const { resources } = await runWith(raw);
    expect(resources.filter((r) => r.type.includes("helm"))).toHaveLength(0);
  });

  it("declares Cluster API objects for clusterapi pools and node patches for the static pool", async () => {
    const { resources } = await runWith(osloRaw());
    const kinds = (pool: string) =>
      resources
        .filter((r) => r.parent?.endsWith(`::oslo-1-pool-${pool}`))
        .map((r) => String(r.inputs["kind"]))
        .sort();
    expect(kinds("h100-train")).toEqual([
      "ConfigMap",
      "KubeadmConfigTemplate",
      "MachineDeployment",
      "MachineHealthCheck",
      "Metal3MachineTemplate",
    ]);
    expect(kinds("dgx-h200")).toEqual(["ConfigMap", "Node", "Node"]);
    const patches = resources.filter((r) => r.type === "kubernetes:core/v1:NodePatch").map((r) => r.name);
    expect(patches).toEqual(["oslo-1-pool-dgx-h200-osl1-dgx-b01", "oslo-1-pool-dgx-h200-osl1-dgx-b02"]);
  });

  it("sends Cluster API objects to a separate management cluster when one is configured", async () => {
    const { resources } = await runWith(osloWith({ "cluster.clusterApi.managementKubeContext": "mgmt-oslo" }));
    const capiProvider = resources.find((r) => r.name === "oslo-1-capi-k8s");
    expect(capiProvider?.inputs).toEqual({ context: "mgmt-oslo" });
    const md = resources.find((r) => r.inputs["kind"] === "MachineDeployment");
    expect(md?.provider).toBe(`${capiProvider?.urn}::oslo-1-capi-k8s-id`);
  });

  it("exports IT, facility and headroom figures", async () => {
    const { outputs } = await runWith(osloRaw());
    expect(outputs["power"]).toMatchObject({ itKw: 68.7, facilityKw: 79.005, capacityKw: 2500, headroomKw: 2420.995 });
  });

  it("selects nodes by no label a kubelet may set on itself", async () => {
    const objects = kubernetesObjects((await runWith(osloRaw())).resources);
    for (const obj of objects) {
      for (const key of nodeSelectionKeys(obj)) {
        expect(isKubeletSettableNodeLabel(key), `${obj.kind}/${obj.metadata.name} selects by ${key}`).toBe(false);
      }
    }
  });

  it("finds node selection keys wherever a pod template puts them (walker self-check)", () => {
    const pod = {
      spec: {
        nodeSelector: { "topology.kubernetes.io/region": "no-oslo-1" },
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: "aifactory.no/gpu-pool", operator: "In", values: ["x"] }] }],
            },
          },
        },
      },
    };
    expect(nodeSelectionKeys(pod)).toEqual(["topology.kubernetes.io/region", "aifactory.no/gpu-pool"]);
  });
});
