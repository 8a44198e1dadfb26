import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { tenantQuotaHard } from "../../components";
import { CONFIG_NAMESPACE, entitlementInputsOf, entitlementProblems, flavorEntitlements, gpuQuotas, parseFactoryConfig, resourceEntitlements, servingProblems } from "../../config";
import { readStackConfig } from "../../plan";
import { queuesSection } from "../../plan/queues";
import { ROOT, osloRaw, parseConfig } from "../helpers";

const oslo = parseConfig();
const inputs = entitlementInputsOf;

function rjukanRaw(): Record<string, unknown> {
  const engine = readStackConfig(path.join(ROOT, "Pulumi.rjukan.yaml"));
  return Object.fromEntries(Object.entries(engine).map(([k, v]) => [k.slice(CONFIG_NAMESPACE.length + 1), JSON.parse(v) as unknown]));
}
const rjukan = parseConfig(rjukanRaw());

describe("GPU entitlement", () => {
  it("is nominal plus what the tenant may borrow of what the others lend, per flavor", () => {
    const logistics = oslo.tenants[0]!;
    expect(flavorEntitlements(inputs(oslo), logistics).map((f) => [f.flavor, f.nominal, f.borrowing, f.lending])).toEqual([
      ["h100-train", 12, 4, 8],
      ["dgx-h200", 0, 4, 0],
      ["l40s-infer", 4, 4, 4],
    ]);
    // A sensitive tenant borrows nothing on pools other classifications use.
    expect(flavorEntitlements(inputs(oslo), oslo.tenants[1]!).map((f) => f.borrowing)).toEqual([0, 0, 0]);
  });

  it("caps borrowing at what the others lend (their nominal, each capped by its lendingLimit), with or without a borrowingLimit", () => {
    const research = oslo.tenants[2]!;
    const unlimited = { ...oslo, tenants: oslo.tenants.map((t) => (t === research ? { ...t, queue: { ...t.queue!, borrowingLimit: undefined } } : t)) };
    // h100-train: logistics lends 8 of its 12; dgx-h200: public-services lends all 12; l40s-infer: 4 + 4.
    expect(flavorEntitlements(inputs(unlimited), unlimited.tenants[2]!).map((f) => f.borrowing)).toEqual([8, 12, 8]);
    const noQueue = { ...oslo, tenants: oslo.tenants.map((t) => (t === research ? { ...t, queue: undefined } : t)) };
    expect(resourceEntitlements(inputs(noQueue), noQueue.tenants[2]!).get("nvidia.com/gpu")).toBe(0);
  });

  it("takes per-flavor borrowing and lending limits over the queue's own, and refuses one on a flavor the site has not", () => {
    const raw = osloRaw() as { tenants: { queue: Record<string, unknown> }[] };
    raw.tenants[0]!.queue["borrowingLimits"] = { "dgx-h200": 0 };
    raw.tenants[0]!.queue["lendingLimits"] = { "h100-train": 2 };
    const config = parseConfig(raw);
    expect(flavorEntitlements(inputs(config), config.tenants[0]!).map((f) => [f.flavor, f.borrowing, f.lending])).toEqual([
      ["h100-train", 4, 2],
      ["dgx-h200", 0, 0],
      ["l40s-infer", 4, 4],
    ]);
    // research now borrows at most the 2 logistics lends on h100-train.
    expect(flavorEntitlements(inputs(config), config.tenants[2]!)[0]!.borrowing).toBe(2);
    raw.tenants[0]!.queue["borrowingLimits"] = { "a100-train": 0 };
    const bad = parseFactoryConfig(raw);
    expect(bad.ok ? [] : bad.problems).toContainEqual({ path: "tenants[0].queue.borrowingLimits.a100-train", message: "must name a GPU pool or MIG flavor of the site: h100-train, dgx-h200, l40s-infer" });
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

describe("MIG quotas", () => {
  it("cap every MIG resource at what the tenant's queue may admit (Rjukan: research 56 + 4 borrowed, health-research 56 and no borrowing)", () => {
    const [research, health] = rjukan.tenants;
    expect(resourceEntitlements(inputs(rjukan), research!)).toEqual(new Map([["nvidia.com/gpu", 16], ["nvidia.com/mig-1g.10gb", 60]]));
    expect(resourceEntitlements(inputs(rjukan), health!)).toEqual(new Map([["nvidia.com/gpu", 4], ["nvidia.com/mig-1g.10gb", 56]]));
    expect(tenantQuotaHard(research!.quotas, gpuQuotas(inputs(rjukan), research!))).toMatchObject({
      "requests.nvidia.com/gpu": "16",
      "requests.nvidia.com/mig-1g.10gb": "60",
    });
    expect(tenantQuotaHard(health!.quotas, gpuQuotas(inputs(rjukan), health!))["requests.nvidia.com/mig-1g.10gb"]).toBe("56");
  });

  it("default to the queue's admissible slices when quotas.mig names no profile, and to 0 for a tenant whose queue admits none", () => {
    const raw = rjukanRaw() as { tenants: { quotas: Record<string, unknown>; queue?: Record<string, unknown> }[] };
    delete raw.tenants[0]!.quotas["mig"];
    delete raw.tenants[0]!.queue!["borrowingLimit"];
    delete raw.tenants[1]!.quotas["mig"];
    delete raw.tenants[1]!.queue;
    const config = parseConfig(raw);
    expect(gpuQuotas(inputs(config), config.tenants[0]!).get("nvidia.com/mig-1g.10gb")).toBe(56);
    expect(gpuQuotas(inputs(config), config.tenants[1]!).get("nvidia.com/mig-1g.10gb")).toBe(0);
  });

  it("refuse a MIG quota below what the queue may admit, naming both keys, and one on a profile the site has not", () => {
    const raw = rjukanRaw() as { tenants: { quotas: { mig: Record<string, number> } }[] };
    raw.tenants[0]!.quotas.mig = { "1g.10gb": 56, "2g.20gb": 4 };
    const result = parseFactoryConfig(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { path: "tenants[0].quotas.mig.2g.20gb", message: "must name a MIG profile the site's queues count: 1g.10gb" },
      {
        path: "tenants[0].quotas.mig.1g.10gb",
        message:
          "56 is less than the 60 nvidia.com/mig-1g.10gb slices tenants[0].queue (nominal plus borrowingLimit on each flavor) lets Kueue admit; raise tenants[0].quotas.mig.1g.10gb or lower tenants[0].queue.borrowingLimit (or borrowingLimits) or tenants[0].queue.nominal",
      },
    ]);
  });
});

describe("queued inference servers", () => {
  it("must fit their tenant's nominal quota on their pool at their largest, naming both keys", () => {
    const raw = osloRaw();
    (raw["tenants"] as { queue: { nominal: Record<string, number> } }[])[0]!.queue.nominal = { "h100-train": 4, "l40s-infer": 4 };
    const result = parseFactoryConfig(raw);
    expect(result.ok ? [] : result.problems).toContainEqual({
      path: "inference[1].replicas",
      message:
        "2 replicas x 4 GPUs bring tenant 'logistics' to 8 GPUs on 'h100-train', more than its nominal quota there (tenants[0].queue.nominal.h100-train: 4); a queued server's pods count against tenants[0].quotas.gpus while they wait, so they must fit the nominal quota Kueue always gives back",
    });
    expect(servingProblems(inputs(oslo), [{ tenant: "logistics", gpuPool: "h100-train", gpusPerReplica: 4, maxReplicas: 3 }])).toEqual([]);
  });
});

describe("the report's GPU queues section", () => {
  it("shows what the model says: nominal (+ borrowing) per flavor, and admissible / quota per resource", () => {
    const lines = queuesSection(rjukan);
    expect(lines).toContain("| research (open) | 12 (+4) | 56 (+4) | 16 / 16 | 60 / 60 | all | 1 |");
    expect(lines).toContain("| health-research (restricted) | 4 | 56 | 4 / 8 | 56 / 56 | all | 1 |");
    // lendingLimit 8 caps what it lends of each flavor's nominal.
    expect(queuesSection(oslo)).toContain("| logistics (internal) | 12 (+4) | 0 (+4) | 4 (+4) | 28 / 28 | h100-train: 8, dgx-h200: 0, l40s-infer: 4 | 1 |");
  });
});
