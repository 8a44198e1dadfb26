import { describe, expect, it } from "vitest";
import { evaluatePolicies } from "../../plan";
import { osloRaw, osloWith, runWith } from "../helpers";

describe("the policy pack on the whole Oslo stack", () => {
  it("finds no violation in any resource the program registers", async () => {
    const { resources } = await runWith(osloRaw());
    expect(resources.length).toBeGreaterThan(50);
    expect(await evaluatePolicies(resources)).toEqual([]);
  });

  it("blocks the same stack moved to a site outside Norway", async () => {
    const raw = osloWith({
      "site.region": "se-sto-1",
      "site.zones": ["se-sto-1a", "se-sto-1b"],
      "gpuPools[0].zone": "se-sto-1a",
      "gpuPools[1].zone": "se-sto-1b",
      "gpuPools[2].zone": "se-sto-1a",
    });
    const found = await evaluatePolicies((await runWith(raw)).resources);
    const mandatory = new Set(found.filter((v) => v.enforcement === "mandatory").map((v) => v.policy));
    expect([...mandatory].sort()).toEqual(["in-country-data", "norwegian-region-only"]);
  });

  it("blocks the same stack on grid-mix power", async () => {
    const found = await evaluatePolicies((await runWith(osloWith({ "site.power.source": "grid-mix" }))).resources);
    const mandatory = new Set(found.filter((v) => v.enforcement === "mandatory").map((v) => v.policy));
    expect([...mandatory]).toEqual(["renewable-power-site"]);
    expect(found.some((v) => v.message.includes('site declaration "oslo-1" power source "grid-mix" is not renewable'))).toBe(true);
  });

  it("blocks the same stack when its pools outgrow the renewable contract", async () => {
    const found = await evaluatePolicies((await runWith(osloWith({ "site.power.capacityKw": 60 }))).resources);
    expect(found.map((v) => v.message)).toEqual([
      'site "oslo-1": GPU pools draw 68.7 kW IT x PUE 1.15 = 79.0 kW at full load, over the 60 kW of contracted renewable capacity',
    ]);
  });

  it("advises, without blocking, when the site declares no heat reuse", async () => {
    const found = await evaluatePolicies((await runWith(osloWith({ "site.heatReuse": undefined }))).resources);
    expect(found.map((v) => [v.policy, v.enforcement])).toEqual([["heat-reuse-declared", "advisory"]]);
  });
});

describe("a sensitive tenant's service exposed through the site's Gateway", () => {
  const exposed = osloWith({
    "inference[0].exposure": "ingress",
    "inference[0].hostname": "chat.public-services.oslo-1.aifactory.no",
    "inference[0].sensitiveIngressReason": "Citizens reach the municipal assistant from the internet.",
  });

  it("passes when its listener terminates TLS, and is blocked when the listener is plain HTTP (analyzer path)", async () => {
    const { resources } = await runWith(exposed);
    expect(await evaluatePolicies(resources, undefined, "analyzer")).toEqual([]);
    const downgraded = resources.map((r) => {
      if (r.inputs["kind"] !== "Gateway") return r;
      const spec = r.inputs["spec"] as { listeners: Record<string, unknown>[] };
      const listeners = spec.listeners.map((l) => {
        const plain = { ...l, protocol: "HTTP", port: 80 };
        Reflect.deleteProperty(plain, "tls");
        return plain;
      });
      return { ...r, inputs: { ...r.inputs, spec: { ...spec, listeners } } };
    });
    const found = await evaluatePolicies(downgraded, undefined, "analyzer");
    expect(found.map((v) => [v.policy, v.enforcement])).toEqual([["sensitive-data-isolation", "mandatory"]]);
    expect(found[0]!.message).toContain('listener "https-public-services-normistral-chat" (protocol HTTP)');
  });
});

describe("the plan's direct policy run", () => {
  it.each([
    ["Oslo", {}],
    ["outside Norway", { "site.region": "se-sto-1", "site.zones": ["se-sto-1a"], "gpuPools[0].zone": "se-sto-1a", "gpuPools[1].zone": "se-sto-1a", "gpuPools[2].zone": "se-sto-1a" }],
    ["grid-mix", { "site.power.source": "grid-mix", "site.heatReuse": undefined, "site.power.capacityKw": 10 }],
  ])("finds exactly what @pulumi/policy's analyzer finds (%s)", async (name, changes) => {
    const { resources } = await runWith(osloWith(changes));
    const direct = await evaluatePolicies(resources, undefined, "direct");
    const analyzer = await evaluatePolicies(resources, undefined, "analyzer");
    expect(direct).toEqual(analyzer);
    expect(direct.length > 0).toBe(name !== "Oslo");
  });
});
