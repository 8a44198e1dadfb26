/**
 * Running the policy pack on a plan, two ways that must agree (a test holds
 * them to it):
 *
 * - `analyzer`: through @pulumi/policy's own analyzer handlers. Each recorded
 *   resource becomes the Analyze request the engine sends during
 *   `pulumi preview`, the whole stack one AnalyzeStack request; config,
 *   deserialisation and reporting are the pack's own code.
 * - `direct` (what the plan uses): the same policy objects called with the
 *   same arguments, minus the protobuf round trip and the property proxies,
 *   which cost far more than the policies themselves.
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
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import policyPackage from "../policies/package.json";
import { POLICY_PACK_NAME, policies as packPolicies } from "../policies/policies";
import type { RecordedResource } from "./monitor";

/** One policy violation. */
export interface PolicyViolation {
  readonly policy: string;
  readonly enforcement: "mandatory" | "advisory";
  readonly urn: string;
  readonly message: string;
}

type Callback = (err: unknown, res?: analyzer.AnalyzeResponse) => void;
type RpcFun = (call: { request: unknown }, callback: Callback) => Promise<void>;
type MakeRpcFun = (pack: string, version: string, level: string, policies: Policies) => RpcFun;

// The analyzer handlers are @internal in @pulumi/policy's typings, but they are
// exactly what `new PolicyPack` serves over gRPC.
const server = require("@pulumi/policy/server") as { makeAnalyzeRpcFun: MakeRpcFun; makeAnalyzeStackRpcFun: MakeRpcFun };

/** The pack's version, from its package.json, as the engine would report it. */
export const POLICY_PACK_VERSION: string = policyPackage.version;

function options(r: RecordedResource): analyzer.AnalyzerResourceOptions {
  const opts = new analyzer.AnalyzerResourceOptions();
  opts.setProtect(r.options.protect);
  if (r.parent) opts.setParent(r.parent);
  return opts;
}

function providerOf(r: RecordedResource, byRef: Map<string, RecordedResource>): analyzer.AnalyzerProviderResource | undefined {
  const provider = r.provider === undefined ? undefined : byRef.get(r.provider);
  if (!provider) return undefined;
  const p = new analyzer.AnalyzerProviderResource();
  p.setType(provider.type);
  p.setName(provider.name);
  p.setUrn(provider.urn);
  p.setProperties(Struct.fromJavaScript(provider.inputs as Parameters<typeof Struct.fromJavaScript>[0]));
  return p;
}

function providerRefs(resources: readonly RecordedResource[]): Map<string, RecordedResource> {
  return new Map(resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [`${r.urn}::${r.name}-id`, r]));
}

function call(fun: RpcFun, request: unknown): Promise<analyzer.AnalyzeResponse> {
  return new Promise((resolve, reject) => {
    void fun({ request }, (err, res) => {
      if (err !== null && err !== undefined) reject(err instanceof Error ? err : new Error(JSON.stringify(err)));
      else if (!res) reject(new Error("analyzer returned no response"));
      else resolve(res);
    });
  });
}

function violations(res: analyzer.AnalyzeResponse, descriptions: Map<string, string>, urn = ""): PolicyViolation[] {
  return res.getDiagnosticsList().map((d) => {
    const prefix = `${descriptions.get(d.getPolicyname()) ?? d.getDescription()}\n`;
    const message = d.getMessage().startsWith(prefix) ? d.getMessage().slice(prefix.length) : d.getMessage();
    const level = d.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY ? "mandatory" : "advisory";
    return { policy: d.getPolicyname(), enforcement: level, urn: d.getUrn() || urn, message };
  });
}

/** How to run the pack. */
export type PolicyEngine = "direct" | "analyzer";

/** Runs every policy on every resource and on the stack; returns the violations. */
export async function evaluatePolicies(
  resources: readonly RecordedResource[],
  policies: Policies = packPolicies,
  engine: PolicyEngine = "direct",
): Promise<PolicyViolation[]> {
  return engine === "direct" ? evaluateDirect(resources, policies) : evaluateViaAnalyzer(resources, policies);
}

async function evaluateViaAnalyzer(resources: readonly RecordedResource[], policies: Policies): Promise<PolicyViolation[]> {
  const analyze = server.makeAnalyzeRpcFun(POLICY_PACK_NAME, POLICY_PACK_VERSION, "advisory", policies);
  const analyzeStack = server.makeAnalyzeStackRpcFun(POLICY_PACK_NAME, POLICY_PACK_VERSION, "advisory", policies);
  const descriptions = new Map(policies.map((p) => [p.name, p.description]));
  const byRef = providerRefs(resources);
  const found: PolicyViolation[] = [];
  const stack = new analyzer.AnalyzeStackRequest();
  for (const r of resources) {
    const props = Struct.fromJavaScript(r.inputs as Parameters<typeof Struct.fromJavaScript>[0]);
    const provider = providerOf(r, byRef);
    if (r.custom) {
      const req = new analyzer.AnalyzeRequest();
      req.setType(r.type).setName(r.name).setUrn(r.urn).setProperties(props).setOptions(options(r));
      if (provider) req.setProvider(provider);
      found.push(...violations(await call(analyze, req), descriptions, r.urn));
    }
    const item = new analyzer.AnalyzerResource();
    item.setType(r.type).setName(r.name).setUrn(r.urn).setProperties(props).setOptions(options(r));
    item.setParent(r.parent ?? "").setDependenciesList([...r.options.dependsOn]);
    if (provider) item.setProvider(provider);
    stack.addResources(item);
  }
  found.push(...violations(await call(analyzeStack, stack), descriptions));
  return found;
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

  constructor(r: RecordedResource, provider: RecordedResource | undefined) {
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

async function evaluateDirect(resources: readonly RecordedResource[], policies: Policies): Promise<PolicyViolation[]> {
  const found: PolicyViolation[] = [];
  const byRef = providerRefs(resources);
  const resourcePolicies = policies.filter((p): p is ResourceValidationPolicy => !isStackPolicy(p) && p.enforcementLevel !== "disabled");
  const stackPolicies = policies.filter((p): p is StackValidationPolicy => isStackPolicy(p) && p.enforcementLevel !== "disabled");
  const all: PlannedPolicyResource[] = [];
  for (const r of resources) {
    const args = new PlannedPolicyResource(r, r.provider === undefined ? undefined : byRef.get(r.provider));
    all.push(args);
    if (!r.custom) continue;
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
