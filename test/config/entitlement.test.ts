import { describe, expect, it } from "vitest";
import { entitlementProblems, flavorEntitlements, resourceEntitlements } from "../../config";
import { parseConfig } from "../helpers";

const oslo = parseConfig();
const inputs = (c: typeof oslo) => ({ tenants: c.tenants, gpuPools: c.gpuPools, migStrategy: c.cluster.gpuOperator.migStrategy });

describe("GPU entitlement", () => {
  it("is nominal plus what the tenant may borrow of what the others lend, per flavor", () => {
    const logistics = oslo.tenants[0]!;
    expect(flavorEntitlements(inputs(oslo), logistics).map((f) => [f.flavor, f.nominal, f.borrowing])).toEqual([
      ["h100-train", 12, 4],
      ["dgx-h200", 0, 4],
      ["l40s-infer", 4, 4],
    ]);
    // A sensitive tenant borrows nothing on pools other classifications use.
    expect(flavorEntitlements(inputs(oslo), oslo.tenants[1]!).map((f) => f.borrowing)).toEqual([0, 0, 0]);
  });

  it("fits every Oslo tenant's whole-GPU quota", () => {
    expect(entitlementProblems(inputs(oslo))).toEqual([]);
    for (const t of oslo.tenants) expect(resourceEntitlements(inputs(oslo), t).get("nvidia.com/gpu")).toBeLessThanOrEqual(t.quotas.gpus);
  });

  it("refuses the pre-issue-21 Oslo quotas (nominal == quota with positive borrowing), naming both keys", () => {
    const old = { ...oslo, tenants: oslo.tenants.map((t, i) => ({ ...t, quotas: { ...t.quotas, gpus: [16, 16, 8][i]! } })) };
    const problems = entitlementProblems(inputs(old));
    expect(problems.map((p) => p.path)).toEqual(["tenants[0].quotas.gpus", "tenants[2].quotas.gpus"]);
    expect(problems[0]!.message).toContain("tenants[0].queue.borrowingLimit");
    expect(problems[0]!.message).toContain("28 whole GPUs");
  });
});
