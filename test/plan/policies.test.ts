import type { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { type RecordedResource, evaluatePolicies } from "../../plan";

const resource: RecordedResource = {
  urn: "urn:test::cm",
  type: "kubernetes:core/v1:ConfigMap",
  name: "cm",
  custom: true,
  parent: undefined,
  provider: undefined,
  inputs: { kind: "ConfigMap", metadata: { name: "cm" } },
  options: { retainOnDelete: false, protect: false, aliases: 0, dependsOn: [], deleteBeforeReplace: false },
};

const policy = (validate: ResourceValidationPolicy["validateResource"]): ResourceValidationPolicy => ({
  name: "test-policy",
  description: "A test policy.",
  enforcementLevel: "mandatory",
  validateResource: validate,
});

describe("running policies on a plan", () => {
  it.each(["direct", "analyzer"] as const)("skips a policy that says it does not apply (%s)", async (engine) => {
    const p = policy((args) => args.notApplicable("only for Deployments"));
    expect(await evaluatePolicies([resource], [p], engine)).toEqual([]);
  });

  it.each(["direct", "analyzer"] as const)("reports a violation with the resource's URN (%s)", async (engine) => {
    const p = policy((_args, report) => {
      report("cm: metadata.name is wrong");
    });
    expect(await evaluatePolicies([resource], [p], engine)).toEqual([
      { policy: "test-policy", enforcement: "mandatory", urn: "urn:test::cm", message: "cm: metadata.name is wrong" },
    ]);
  });

  it.each(["direct", "analyzer"] as const)("fails, naming the policy, when a policy throws (%s)", async (engine) => {
    const p = policy(() => {
      throw new Error("kaboom");
    });
    await expect(evaluatePolicies([resource], [p], engine)).rejects.toThrow(/test-policy.*kaboom|kaboom/);
  });
});
