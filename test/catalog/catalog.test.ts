import { describe, expect, it } from "vitest";
import {
  GPU_CATALOGUE,
  Labels,
  NodeLabels,
  gpuModel,
  isKubeletSettableNodeLabel,
  isRenewableSource,
  nodeWatts,
} from "../../catalog";

describe("the GPU catalogue", () => {
  it("uses the vendor's whole-server figure for an 8-GPU DGX H100 or H200", () => {
    expect(nodeWatts(GPU_CATALOGUE["h100-sxm"], 8)).toBe(10_200);
    expect(nodeWatts(GPU_CATALOGUE["h200-sxm"], 8)).toBe(10_200);
  });

  it("adds host draw to GPU board power where no server figure is known", () => {
    expect(nodeWatts(GPU_CATALOGUE.l40s, 4)).toBe(4 * 350 + 1_100);
    expect(nodeWatts(GPU_CATALOGUE["h100-sxm"], 4)).toBe(4 * 700 + 2_300);
  });

  it("has the board power the SPEC gives for each model", () => {
    expect(Object.values(GPU_CATALOGUE).map((m) => [m.id, m.gpuWatts])).toEqual([
      ["h100-sxm", 700],
      ["h200-sxm", 700],
      ["a100-80gb", 400],
      ["l40s", 350],
    ]);
  });

  it("knows only catalogue models, not inherited object keys", () => {
    expect(gpuModel("l40s")?.displayName).toContain("L40S");
    expect(gpuModel("toString")).toBeUndefined();
    expect(gpuModel("b200")).toBeUndefined();
  });
});

describe("node labels", () => {
  it("places workloads only by labels a kubelet cannot set on itself", () => {
    for (const key of Object.values(NodeLabels)) expect(isKubeletSettableNodeLabel(key), key).toBe(false);
  });

  it("knows that a kubelet can claim a region, a zone or any label outside the Kubernetes domains", () => {
    expect(isKubeletSettableNodeLabel("topology.kubernetes.io/region")).toBe(true);
    expect(isKubeletSettableNodeLabel("topology.kubernetes.io/zone")).toBe(true);
    expect(isKubeletSettableNodeLabel(Labels.gpuPool)).toBe(true);
    expect(isKubeletSettableNodeLabel("node.kubernetes.io/instance-type")).toBe(true);
    expect(isKubeletSettableNodeLabel("node-role.kubernetes.io/worker")).toBe(false);
    expect(isKubeletSettableNodeLabel("node-restriction.kubernetes.io/pool")).toBe(false);
  });
});

describe("power sources", () => {
  it("counts hydro, wind, solar and geothermal as renewable, and nothing else", () => {
    expect(["hydro", "wind", "solar", "geothermal", " Hydro "].map((s) => isRenewableSource(s))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(["grid-mix", "gas", "coal", "oil", "diesel", "", "nuclear"].some((s) => isRenewableSource(s))).toBe(false);
  });
});
