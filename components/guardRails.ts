/**
 * Guard rails in the program itself, for every path a change takes to a
 * cluster: a `pulumi up` without `--policy-pack`, the Pulumi Kubernetes
 * Operator (which runs no policy packs), or a user's own program that
 * imports these components. The mandatory resource policies of the pack run
 * on every resource before it is registered (a stack transformation, so a
 * violation stops the program with the pack's own message); the site
 * program also checks the whole site first (`preflight.ts`).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { policies } from "../policies/policies";

/** The mandatory resource policies: the ones a single resource can break. */
const MANDATORY_RESOURCE_POLICIES = policies.filter(
  (p): p is ResourceValidationPolicy => "validateResource" in p && p.enforcementLevel === "mandatory",
);

/** Raised when a resource breaks a mandatory policy; names the policy, resource, path and value. */
export class GuardRailError extends pulumi.RunError {
  constructor(public readonly violations: readonly { policy: string; message: string }[]) {
    super(`Refused by the sovereign-ai-factory guard rails (mandatory policies):\n${violations.map((v) => `  - [${v.policy}] ${v.message}`).join("\n")}`);
    this.name = "GuardRailError";
  }
}

/** Inputs with every value not known yet (an Output, a promise) left out, as the pack leaves out unknowns. */
function knownInputs(value: unknown): unknown {
  if (pulumi.Output.isInstance(value) || value instanceof Promise || pulumi.Resource.isInstance(value)) return undefined;
  if (Array.isArray(value)) return value.map(knownInputs).filter((v) => v !== undefined);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const known = knownInputs(v);
      if (known !== undefined) out[k] = known;
    }
    return out;
  }
  return value;
}

/** The mandatory resource policies' findings for one resource, as the pack would report them. */
export function resourceViolations(type: string, name: string, props: Record<string, unknown>): { policy: string; message: string }[] {
  const found: { policy: string; message: string }[] = [];
  const args = {
    type,
    name,
    urn: name,
    props,
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    stackTags: new Map(),
    getConfig: () => ({}) as never,
    notApplicable: (): never => {
      throw new Error("not applicable");
    },
    isType: () => false,
    asType: () => undefined,
  } as unknown as ResourceValidationArgs;
  for (const policy of MANDATORY_RESOURCE_POLICIES) {
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const validate of validations) {
      void validate?.(args, (message: string | { message?: string }) => {
        found.push({ policy: policy.name, message: typeof message === "string" ? message : (message.message ?? policy.description) });
      });
    }
  }
  return found;
}

/** The transformation: refuse a custom resource that breaks a mandatory resource policy. */
const guard: pulumi.ResourceTransformation = (args) => {
  if (!(args.resource instanceof pulumi.CustomResource)) return undefined;
  const props = knownInputs(args.props) as Record<string, unknown>;
  const violations = resourceViolations(args.type, args.name, props);
  if (violations.length > 0) throw new GuardRailError(violations);
  return undefined;
};

let enabled = true;
const guarded = new WeakSet();

/** Installs the guard rails on the running stack, once. */
export function installGuardRails(): void {
  const stack = pulumi.runtime.getStackResource();
  if (!enabled || stack === undefined || guarded.has(stack)) return;
  pulumi.runtime.registerStackTransformation(guard);
  guarded.add(stack);
}

/**
 * Every factory component passes its options through this before it is
 * constructed, so the guard rails are on the stack before the component and
 * its children are created (a component's children inherit the stack's
 * transformations as they were when the component was constructed).
 */
export function withGuardRails<T>(opts: T): T {
  installGuardRails();
  return opts;
}

/**
 * Runs `f` with the guard rails off: for the offline plan, which evaluates
 * the whole policy pack itself and reports every violation instead of
 * stopping at the first.
 */
export async function withoutGuardRails<T>(f: () => Promise<T>): Promise<T> {
  const before = enabled;
  enabled = false;
  try {
    return await f();
  } finally {
    enabled = before;
  }
}
