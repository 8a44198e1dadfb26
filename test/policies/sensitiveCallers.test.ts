import { describe, expect, it } from "vitest";
import { evaluatePolicies } from "../../plan";
import { type RawConfig, osloWith, runWith } from "../helpers";

const isolation = async (raw: RawConfig) =>
  (await evaluatePolicies((await runWith(raw)).resources)).filter((v) => v.policy === "sensitive-data-isolation");

describe("who may call a sensitive tenant's service (sensitive-data-isolation)", () => {
  it("blocks Oslo's public-services service admitting an open tenant and default", async () => {
    const found = await isolation(osloWith({ "inference[0].allowFrom": ["research", "default"] }));
    expect(found.map((v) => v.enforcement)).toEqual(["mandatory", "mandatory"]);
    expect(found.map((v) => v.message).join("\n")).toMatch(/admits namespace "research" of open tenant, below sensitive/);
    expect(found.map((v) => v.message).join("\n")).toMatch(/admits namespace "default"/);
  });

  it("blocks a namespace that is no tenant's, and accepts a tenant of the same or higher classification", async () => {
    const foreign = await isolation(osloWith({ "inference[0].allowFrom": ["notebooks"] }));
    expect(foreign.map((v) => v.message)).toEqual([expect.stringMatching(/every pod of namespace "notebooks", which is not a tenant's/)]);
    const raw = osloWith({ "inference[0].allowFrom": ["case-desk"] });
    (raw["tenants"] as Record<string, unknown>[]).push({ name: "case-desk", dataClassification: "restricted", quotas: { gpus: 1, storage: "1Ti" } });
    expect(await isolation(raw)).toEqual([]);
  });

  it("accepts a lower-classified caller when config gives the reason, and keeps the Gateway's and Prometheus' pods admitted", async () => {
    const found = await isolation(
      osloWith({
        "inference[0].allowFrom": ["research"],
        "inference[0].allowFromReason": "Researchers evaluate the model on public test sets only.",
        "inference[0].exposure": "ingress",
        "inference[0].hostname": "chat.public-services.oslo-1.aifactory.no",
        "inference[0].sensitiveIngressReason": "Citizens reach the municipal assistant from the internet.",
      }),
    );
    expect(found).toEqual([]);
  });
});
