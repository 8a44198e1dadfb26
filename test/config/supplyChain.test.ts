import { describe, expect, it } from "vitest";
import { parseFactoryConfig } from "../../config";
import { osloRaw, osloWith } from "../helpers";

const DIGEST = "a".repeat(64);
function problems(raw: Record<string, unknown>): string[] {
  const result = parseFactoryConfig(raw);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe("the supply chain in the config (issue 22, attempt 4)", () => {
  it("accepts Oslo, whose mirrors and host image are all under aifactory.no", () => {
    expect(problems(osloRaw())).toEqual([]);
  });

  it.each([
    ["mirrors.imageRegistry", "docker.io"],
    ["mirrors.imageRegistry", "cr.oslo-1.aifactory.no.example.com"],
    ["mirrors.chartRepository", "https://helm.ngc.nvidia.com/nvidia"],
    ["mirrors.chartRepository", "oci://ghcr.io/kubernetes-sigs/charts"],
    ["cluster.clusterApi.hostImage.url", "https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img"],
    ["cluster.clusterApi.hostImage.checksum", "https://cloud-images.ubuntu.com/noble/current/SHA256SUMS"],
    ["inference[0].image", `ghcr.io/acme/vllm:v1@sha256:${DIGEST}`],
  ])("refuses %s = %s, naming the key", (key, value) => {
    const lines = problems(osloWith({ [key]: value }));
    expect(lines.some((l) => l.startsWith(`${key}: `) && l.includes("mirrors.allowedDomains"))).toBe(true);
  });

  it("refuses an image of our own that is not pinned by digest (ghcr.io/...:latest, a mirror tag)", () => {
    for (const image of ["ghcr.io/acme/vllm:latest", "cr.oslo-1.aifactory.no/vllm/vllm-openai:v0.11.0"]) {
      expect(problems(osloWith({ "inference[0].image": image })).some((l) => l.startsWith("inference[0].image: must be a registry/repository image pinned by digest"))).toBe(true);
    }
  });

  it("accepts name:tag@sha256 from the mirror, and another in-country domain the operator allows", () => {
    expect(problems(osloWith({ "inference[0].image": `cr.oslo-1.aifactory.no/vllm/vllm-openai:v0.11.0@sha256:${DIGEST}` }))).toEqual([]);
    const other = osloWith({ "mirrors.allowedDomains": ["aifactory.no", "sigma2.no"], "mirrors.imageRegistry": "registry.sigma2.no" });
    expect(problems(other)).toEqual([]);
    expect(problems(osloWith({ "mirrors.imageRegistry": "registry.sigma2.no" }))[0]).toMatch(/^mirrors\.imageRegistry: .*registry\.sigma2\.no/);
  });
});
