/**
 * Static pools over time: what a node keeps when it moves between pools or
 * its pool is renamed, and that its labels are there before the GPU operator
 * looks at it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GPU_OPERATOR_DEPLOY_DRIVER_LABEL } from "../../catalog";
import { NODE_PATCH_FIELD_MANAGER, PatchAnnotations, nodePatchFieldManager, nodePatchSpec } from "../../components";
import type { FactoryConfig } from "../../config";
import { gpuOperatorLabelNode, operatorDriverRunsOn } from "../upstream/controllers";
import { type LabelledObject, apply, createObject, relinquish, update } from "../upstream/serverSideApply";
import { osloWith, parseConfig, runWith } from "../helpers";

const NODE = "osl1-dgx-b02";

/** The labels and field manager pulumi-kubernetes applies for one node's patch under a config. */
function patchOf(config: FactoryConfig, node: string): { manager: string; labels: Record<string, string> } {
  const pool = config.gpuPools.find((p) => p.nodeNames?.includes(node));
  if (!pool) throw new Error(`${node} is in no pool`);
  const spec = nodePatchSpec({ site: config.site, pool }, node);
  const manager = spec.metadata?.annotations?.[PatchAnnotations.fieldManager];
  if (manager === undefined) throw new Error("the patch names no field manager");
  return { manager, labels: spec.metadata?.labels ?? {} };
}

/** The GPU operator (v25.10.0) labelling the node, as an update under its own manager. */
function operatorLabels(node: LabelledObject): void {
  update(node, "gpu-operator", gpuOperatorLabelNode(node.labels));
}

/**
 * A node in the old config's pool, then `pulumi up` with the new config: the
 * new patch (another resource) is created, then the old one deleted
 * (pulumi-kubernetes: an empty apply under its field manager), then the
 * operator reconciles. Returns the node.
 */
function move(before: FactoryConfig, after: FactoryConfig): { node: LabelledObject; expected: Record<string, string> } {
  const node = createObject({ "kubernetes.io/hostname": NODE }, "kubelet");
  const old = patchOf(before, NODE);
  apply(node, old.manager, old.labels, true);
  operatorLabels(node);
  const next = patchOf(after, NODE);
  apply(node, next.manager, next.labels, true);
  relinquish(node, old.manager);
  operatorLabels(node);
  return { node, expected: next.labels };
}

/** Oslo with DGX b02 moved into a pool of its own. */
function movedToNewPool(): FactoryConfig {
  return parseConfig(
    osloWith({
      "gpuPools[1].nodeNames": ["osl1-dgx-b01"],
      "gpuPools[1].nodeTopology": { "osl1-dgx-b01": { rack: "b-r01" } },
      "gpuPools[3]": { name: "dgx-h200-b", gpuModel: "h200-sxm", gpusPerNode: 8, zone: "no-oslo-1b", provisioning: "static", nodeNames: [NODE] },
      "tenants[1].queue.nominal": { "dgx-h200": 8, "l40s-infer": 4 },
      "tenants[2].queue.nominal": { "h100-train": 4 },
    }),
  );
}

describe("a static node moving between pools (server-side apply as pulumi-kubernetes drives it)", () => {
  const oslo = parseConfig();

  it("keeps every label of its new pool, and the operator's driver stays off the DGX", () => {
    const { node, expected } = move(oslo, movedToNewPool());
    expect(node.labels).toMatchObject(expected);
    expect(expected).toMatchObject({ [GPU_OPERATOR_DEPLOY_DRIVER_LABEL]: "false", "aifactory.no.node-restriction.kubernetes.io/gpu-pool": "dgx-h200-b" });
    expect(operatorDriverRunsOn(node.labels)).toBe(false);
    // The old pool's rack (the new pool declares no topology) is not left behind.
    expect(node.labels).not.toHaveProperty(["inventory.aifactory.no.node-restriction.kubernetes.io/rack"]);
  });

  it("keeps every label when its pool is renamed", () => {
    const renamed = parseConfig(
      osloWith({ "gpuPools[1].name": "dgx-h200-sxm", "tenants[1].queue.nominal": { "dgx-h200-sxm": 12, "l40s-infer": 4 }, "tenants[2].queue.nominal": { "h100-train": 4, "dgx-h200-sxm": 4 } }),
    );
    const { node, expected } = move(oslo, renamed);
    expect(node.labels).toMatchObject(expected);
    expect(operatorDriverRunsOn(node.labels)).toBe(false);
  });

  it("would lose them, deploy.driver=false included, under one shared field manager (the model's own check)", () => {
    const shared = (c: FactoryConfig) => ({ ...patchOf(c, NODE), manager: NODE_PATCH_FIELD_MANAGER });
    const node = createObject({ "kubernetes.io/hostname": NODE }, "kubelet");
    apply(node, shared(oslo).manager, shared(oslo).labels, true);
    const next = shared(movedToNewPool());
    apply(node, next.manager, next.labels, true);
    relinquish(node, NODE_PATCH_FIELD_MANAGER);
    operatorLabels(node);
    expect(node.labels).not.toHaveProperty(["aifactory.no.node-restriction.kubernetes.io/gpu-pool"]);
    expect(operatorDriverRunsOn(node.labels)).toBe(true);
  });

  it("upgrades from the shared field manager without losing a label, and drops the rack under the old prefix", () => {
    // Before: one manager for every patch, the rack under the placement prefix.
    const node = createObject({ "kubernetes.io/hostname": NODE }, "kubelet");
    const now = patchOf(oslo, NODE);
    const oldRack = "aifactory.no.node-restriction.kubernetes.io/rack";
    const before = Object.fromEntries(Object.entries(now.labels).filter(([k]) => !k.startsWith("inventory.")));
    apply(node, NODE_PATCH_FIELD_MANAGER, { ...before, [oldRack]: "b-r01" }, true);
    // The first `pulumi up` after: the patch is updated under its new manager, then the old manager is relinquished.
    apply(node, now.manager, now.labels, true);
    relinquish(node, NODE_PATCH_FIELD_MANAGER);
    operatorLabels(node);
    expect(node.labels).toMatchObject(now.labels);
    expect(node.labels).not.toHaveProperty([oldRack]);
    expect(operatorDriverRunsOn(node.labels)).toBe(false);
  });

  it("gives every pool and node a field manager of its own, within Kubernetes' 128 characters", () => {
    const name = fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,200}[a-z0-9])?$/);
    fc.assert(
      fc.property(name, name, name, (poolA, poolB, node) => {
        const a = nodePatchFieldManager(poolA, node);
        expect(a.length).toBeLessThanOrEqual(128);
        if (poolA !== poolB) expect(nodePatchFieldManager(poolB, node)).not.toBe(a);
      }),
    );
  });
});

describe("the static pools' node patches and the GPU operator", () => {
  it("land before the operator, so it finds deploy.driver=false already set", async () => {
    const { resources } = await runWith(osloWith({}));
    const operator = resources.find((r) => r.type === "sovereign-ai-factory:gpu:GpuOperator");
    const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs["name"] === "gpu-operator");
    const staticPool = resources.find((r) => r.type === "sovereign-ai-factory:gpu:GpuNodePool" && r.name.endsWith("pool-dgx-h200"));
    const patches = resources.filter((r) => r.type === "kubernetes:core/v1:NodePatch");
    expect(patches).toHaveLength(2);
    expect(release?.parent).toBe(operator?.urn);
    // The release itself waits for every patch (a component's dependsOn would not reach its children).
    for (const p of patches) {
      expect(p.parent).toBe(staticPool?.urn);
      expect(release?.options.dependsOn, p.name).toContain(p.urn);
    }
    // Cluster API pools need no order against the operator (their kubelets register with the label); they depend on their Cluster.
    const capiPool = resources.find((r) => r.type === "sovereign-ai-factory:gpu:GpuNodePool" && r.name.endsWith("pool-h100-train"));
    expect(capiPool?.options.dependsOn).toEqual([resources.find((r) => r.inputs["kind"] === "Cluster")?.urn]);
  });
});
