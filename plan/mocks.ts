/**
 * Mock provider answers for an offline plan: every resource's outputs are its
 * inputs plus plausible computed values, so the program runs as under
 * `pulumi preview`. A generated password gets an obvious placeholder, never
 * something that looks like a real key.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The value every generated password or key takes in a plan. */
export const PLACEHOLDER_SECRET = "PLACEHOLDER-not-a-real-key";

function computedOutputs(type: string): Record<string, unknown> {
  switch (type) {
    case "random:index/randomPassword:RandomPassword":
      return { result: PLACEHOLDER_SECRET, bcryptHash: PLACEHOLDER_SECRET };
    default:
      return {};
  }
}

/** Mocks that echo inputs as outputs, with computed values for known types. */
export const planMocks: pulumi.runtime.Mocks = {
  newResource(args) {
    const inputs = args.inputs as Record<string, unknown>;
    return { id: `${args.name}-id`, state: { ...inputs, ...computedOutputs(args.type) } };
  },
  call() {
    return {};
  },
};
