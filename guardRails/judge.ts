/**
 * The policy pack's policies called directly, as @pulumi/policy's analyzer
 * calls them (the same arguments, minus the protobuf round trip and the
 * property proxies). The offline plan judges its recorded resources with
 * this; the program's guard rails judge the resources they collected.
 */
import type {
  Policies,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

/** One policy violation. */
export interface PolicyViolation {
  readonly policy: string;
  readonly enforcement: "mandatory" | "advisory";
  readonly urn: string;
  readonly message: string;
}

/** A resource as the policies judge it: its type, name, inputs as plain JSON, and where it sits. */
export interface JudgedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent: string | undefined;
  readonly provider: string | undefined;
  readonly inputs: Record<string, unknown>;
  readonly options: { readonly protect: boolean };
}

/** Recorded resources by their provider reference (`urn::id`). */
export function providerRefs<R extends JudgedResource>(resources: readonly R[]): Map<string, R> {
  return new Map(resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [`${r.urn}::${r.name}-id`, r]));
}

function isStackPolicy(p: Policies[number]): p is StackValidationPolicy {
  return "validateStack" in p && typeof p.validateStack === "function";
}

function reporter(found: PolicyViolation[], policy: Policies[number], urn: string): ReportViolation {
  const enforcement = policy.enforcementLevel === "mandatory" ? "mandatory" : "advisory";
  return (message: string | { message?: string; urn?: string }, reportedUrn?: string) => {
    const text = typeof message === "string" ? message : (message.message ?? policy.description);
    found.push({ policy: policy.name, enforcement, urn: (typeof message === "object" ? message.urn : reportedUrn) ?? urn, message: text });
  };
}

/** Thrown by `args.notApplicable()`: the policy does not apply to this resource (not a violation). */
class NotApplicable extends Error {}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason ?? "not applicable");
}

/** Runs one validation like the analyzer: not-applicable is skipped, any other error names the policy. */
async function runValidation(policy: string, target: string, run: () => unknown): Promise<void> {
  try {
    const result = run();
    if (result instanceof Promise) await result;
  } catch (err) {
    if (err instanceof NotApplicable) return;
    throw new Error(`error validating ${target} with policy '${policy}': ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** What the analyzer passes when the pack has no config: no keys, so each policy uses its defaults. */
const NO_CONFIG = Object.freeze({});
const NO_TAGS: ReadonlyMap<string, string> = new Map();
const NO_TIMEOUTS = Object.freeze({ createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 });

/** The argument and stack-resource shape the analyzer builds, from a recorded resource. */
class PlannedPolicyResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Record<string, unknown>;
  readonly opts: ResourceValidationArgs["opts"];
  readonly provider?: ResourceValidationArgs["provider"];
  readonly stackTags = NO_TAGS;
  readonly dependencies: PolicyResource[] = [];
  readonly propertyDependencies: Record<string, PolicyResource[]> = {};

  constructor(r: JudgedResource, provider: JudgedResource | undefined) {
    this.type = r.type;
    this.name = r.name;
    this.urn = r.urn;
    this.props = r.inputs;
    this.opts = {
      protect: r.options.protect,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: NO_TIMEOUTS,
      additionalSecretOutputs: [],
      ...(r.parent ? { parent: r.parent } : {}),
    };
    if (provider) this.provider = { type: provider.type, name: provider.name, urn: provider.urn, props: provider.inputs };
  }

  readonly getConfig: ResourceValidationArgs["getConfig"] = () => NO_CONFIG as never;

  notApplicable(reason?: string): never {
    return notApplicable(reason);
  }

  /** As the analyzer decides it: by the class's Pulumi type token. */
  isType(resourceClass: unknown): boolean {
    const cls = resourceClass as { __pulumiType?: unknown; isInstance?: (o: unknown) => boolean };
    if (typeof cls.__pulumiType === "string") return cls.__pulumiType === this.type;
    return typeof cls.isInstance === "function" && cls.isInstance({ __pulumiType: this.type });
  }

  readonly asType: ResourceValidationArgs["asType"] = (resourceClass) =>
    this.isType(resourceClass) ? (this.props as never) : undefined;
}

/** Every violation of these policies in these resources (resource policies on custom resources, then stack policies). */
export async function judgeResources(resources: readonly JudgedResource[], policies: Policies, only: "all" | "stack" = "all"): Promise<PolicyViolation[]> {
  const found: PolicyViolation[] = [];
  const byRef = providerRefs(resources);
  const resourcePolicies = policies.filter((p): p is ResourceValidationPolicy => !isStackPolicy(p) && p.enforcementLevel !== "disabled");
  const stackPolicies = policies.filter((p): p is StackValidationPolicy => isStackPolicy(p) && p.enforcementLevel !== "disabled");
  const all: PlannedPolicyResource[] = [];
  for (const r of resources) {
    const args = new PlannedPolicyResource(r, r.provider === undefined ? undefined : byRef.get(r.provider));
    all.push(args);
    if (!r.custom || only === "stack") continue;
    for (const policy of resourcePolicies) {
      const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      for (const validate of validations) {
        if (validate) await runValidation(policy.name, r.name, () => validate(args, reporter(found, policy, r.urn)));
      }
    }
  }
  for (const policy of stackPolicies) {
    const getConfig: StackValidationArgs["getConfig"] = () => NO_CONFIG as never;
    const args = { resources: all, getConfig, stackTags: NO_TAGS, notApplicable } as unknown as StackValidationArgs;
    await runValidation(policy.name, "the stack", () => policy.validateStack(args, reporter(found, policy, "")));
  }
  return found;
}
