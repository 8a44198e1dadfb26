/**
 * The guard rails during a real `pulumi preview`, when some values are not
 * known yet: the engine sends its placeholder for them, and @pulumi/policy's
 * analyzer skips a policy that reads one. Every known value must still be
 * judged, resource by resource and across the stack.
 */
import { describe, expect, it } from "vitest";
import { type RecordedResource, evaluatePolicies } from "../../plan";
import { osloRaw, runWith } from "../helpers";

/** The engine's placeholder for a string not known until the update runs (as @pulumi/policy reads it). */
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const options = { retainOnDelete: false, protect: false, aliases: 0, dependsOn: [], deleteBeforeReplace: false };

function resource(name: string, type: string, inputs: Record<string, unknown>): RecordedResource {
  return { urn: `urn:pulumi:test::p::${type}::${name}`, type, name, custom: true, parent: undefined, provider: undefined, inputs, options };
}

describe("policies during a preview with unknown values", () => {
  it("still block a foreign region on a resource that also carries an unknown value", async () => {
    const cm = resource("cm", "kubernetes:core/v1:ConfigMap", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cm", labels: { "topology.kubernetes.io/region": "eu-west-1" }, annotations: { "example.com/id": UNKNOWN_STRING } },
      data: { endpoint: UNKNOWN_STRING },
    });
    const found = await evaluatePolicies([cm], undefined, "analyzer");
    expect(found.map((v) => [v.policy, v.enforcement])).toContainEqual(["norwegian-region-only", "mandatory"]);
    expect(found.filter((v) => v.message.includes("can't run"))).toEqual([]);
  });

  it("do not read an unknown value as a foreign one", async () => {
    const cm = resource("cm", "kubernetes:core/v1:ConfigMap", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cm", labels: { "topology.kubernetes.io/region": UNKNOWN_STRING } },
    });
    expect(await evaluatePolicies([cm], undefined, "analyzer")).toEqual([]);
  });

  it("run stack policies on the whole stack although one resource has an unknown value (the Oslo stack, API keys unknown)", async () => {
    const { resources } = await runWith(osloRaw());
    const previewed = resources.map((r) =>
      r.inputs["kind"] === "Secret" ? { ...r, inputs: { ...r.inputs, stringData: { "api-key": UNKNOWN_STRING } } } : r,
    );
    // One sensitive-tenant Service made public: sensitive-data-isolation (a stack policy) must still see it.
    const exposed = previewed.map((r) =>
      r.inputs["kind"] === "Service" && (r.inputs["metadata"] as { namespace?: string }).namespace === "public-services"
        ? { ...r, inputs: { ...r.inputs, spec: { ...(r.inputs["spec"] as object), type: "LoadBalancer" } } }
        : r,
    );
    expect(await evaluatePolicies(previewed, undefined, "analyzer")).toEqual([]);
    const found = await evaluatePolicies(exposed, undefined, "analyzer");
    expect(found.map((v) => [v.policy, v.enforcement])).toEqual([["sensitive-data-isolation", "mandatory"]]);
  });
});
